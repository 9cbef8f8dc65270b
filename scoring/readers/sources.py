"""Input files as bytes and text: read whole within the size limit (readers/limits.py), decoded in the
encoding they were saved in. UTF-8 (with or without a BOM), UTF-16 and UTF-32 by their BOM, else GB18030
(GBK's superset: what Excel and Notepad on Chinese Windows save); anything else is refused by name,
never read as mojibake."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from scoring.errors import InputCode, InputError
from scoring.readers import limits

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))      # UTF-32 LE first: it starts as UTF-16 LE's
_FALLBACK = "gb18030"


def read_bytes(path: Path, limit: int = limits.FILE_BYTES) -> bytes:
    """The file's bytes; refused when it cannot be read, is empty, or is larger than ``limit``."""
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            raw = b"" if size > limit else file.read(limit + 1)   # bounded where the size is not known (a pipe)
    except OSError as error:
        raise InputError(f"无法读取文件 / cannot read: {error.strerror}", str(path), code=InputCode.UNREADABLE) from None
    if max(size, len(raw)) > limit:
        raise InputError(f"文件超过 {limit / 2 ** 20:,.0f} MB，一行一个指标的大表请用 CSV 或 Parquet / file too large",
                         str(path), code=InputCode.FILE_TOO_LARGE)
    if not raw.strip():
        raise InputError("文件为空 / empty file", str(path), code=InputCode.EMPTY_FILE)
    return raw


def file_encoding(path: Path) -> str:
    """The encoding of a text file too large to decode twice, judged by its first megabyte."""
    try:
        with path.open("rb") as file:
            head = file.read(1 << 20)
    except OSError as error:
        raise InputError(f"无法读取文件 / cannot read: {error.strerror}", str(path), code=InputCode.UNREADABLE) from None
    return _encoding(head, str(path), final=False)


def decoded(raw: bytes, file: str) -> str:
    """The text of a whole file's bytes, in the encoding it was saved in (the BOM dropped)."""
    if not raw.startswith(tuple(bom for bom, _ in _BOMS)):
        try:
            return raw.decode("utf-8")                 # the usual case, decoded once
        except UnicodeDecodeError:
            pass
    encoding = _encoding(raw, file, final=True)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:        # a BOM, then bytes that do not follow it
        raise InputError(f"不是有效的 {encoding.upper()} 文本（第 {error.start + 1} 字节） / invalid {encoding}", file,
                         code=InputCode.BAD_ENCODING) from None


def _encoding(data: bytes, file: str, final: bool) -> str:
    """A codec name for text that starts with ``data`` (all of it when ``final``)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" in data:
        raise InputError("含有 NUL 字节：不是文本文件，或是没有 BOM 的 UTF-16 / not a text file", file,
                         code=InputCode.BAD_ENCODING)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final)
        return "utf-8"
    except UnicodeDecodeError as error:
        at = error.start
    try:
        codecs.getincrementaldecoder(_FALLBACK)().decode(data, final)
        return _FALLBACK
    except UnicodeDecodeError:
        raise InputError(f"既不是 UTF-8 也不是 GBK 编码（第 {at + 1} 字节起）；请另存为 UTF-8 / neither UTF-8 nor GBK",
                         file, code=InputCode.BAD_ENCODING) from None

"""Input files as bytes and text: read whole within the size limit (readers/limits.py), decoded in the
encoding they were saved in. UTF-8 (with or without a BOM), UTF-16 and UTF-32 by their BOM, else GB18030
(GBK's superset: what Excel and Notepad on Chinese Windows save); anything else is refused by name,
never read as mojibake."""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from scoring.errors import InputCode, InputError
from scoring.readers import limits

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))      # UTF-32 LE first: it starts as UTF-16 LE's
_FALLBACK = "gb18030"
_CHINESE = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


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


def file_encoding(path: Path, whole: bool = False) -> str:
    """The encoding of a text file too large to decode twice, judged by its first megabyte (or, with
    ``whole``, by all of it: where the first megabyte misled)."""
    try:
        with path.open("rb") as file:
            data = file.read() if whole else file.read(1 << 20)
    except OSError as error:
        raise InputError(f"无法读取文件 / cannot read: {error.strerror}", str(path), code=InputCode.UNREADABLE) from None
    return _encoding(data, str(path), final=whole)


def decoded(raw: bytes, file: str) -> tuple[str, int]:
    """The text of a whole file's bytes in the encoding it was saved in (the BOM dropped), and how many
    bytes of a last character cut off (a file truncated mid-character) were left out."""
    if not raw.startswith(tuple(bom for bom, _ in _BOMS)) and b"\x00" not in raw:
        try:
            return raw.decode("utf-8"), 0                 # the usual case, decoded once
        except UnicodeDecodeError:
            pass
    encoding = _encoding(raw, file, final=False)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(raw)                        # a character cut off at the end is held back
    except UnicodeDecodeError as error:                   # a BOM, then bytes that do not follow it
        at = error.start + (len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0)
        raise InputError(f"{_place(raw, at, encoding)}起不是有效的 {encoding.upper().removesuffix('-SIG')} 文本 / invalid text", file,
                         code=InputCode.BAD_ENCODING) from None
    return text, len(decoder.getstate()[0])


def _encoding(data: bytes, file: str, final: bool) -> str:
    """A codec name for text that starts with ``data`` (all of it when ``final``). GBK only where the
    text before the first byte that is not UTF-8 holds no Chinese read as UTF-8: one stray byte in a
    UTF-8 file is refused, not read as GBK mojibake."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" in data:
        raise InputError(f"{_place(data, data.index(0), byte=False)}有 NUL 字节：是二进制文件（图片、PDF、Excel 等）"
                         f"或没有 BOM 的 UTF-16，不是文本 / binary data, not text", file, code=InputCode.BAD_ENCODING)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final)
        return "utf-8"
    except UnicodeDecodeError as error:
        at = error.start
    if _CHINESE.search(data[:at].decode("utf-8")):     # UTF-8 text, then a stray byte (GBK pairs read as UTF-8 are not Chinese)
        raise InputError(f"{_place(data, at)}起不是 UTF-8（前面是 UTF-8 文本：文件中混有其他编码？） / invalid UTF-8",
                         file, code=InputCode.BAD_ENCODING)
    try:
        codecs.getincrementaldecoder(_FALLBACK)().decode(data, final)
        return _FALLBACK
    except UnicodeDecodeError:
        raise InputError(f"既不是 UTF-8 也不是 GBK 编码：{_place(data, at)}起无法解读；请另存为 UTF-8 / "
                         f"neither UTF-8 nor GBK", file, code=InputCode.BAD_ENCODING) from None


def _place(raw: bytes, at: int, encoding: str = "utf-8", byte: bool = True) -> str:
    """「第 L 行（第 B 字节）」 of the byte at ``at`` (from 0) of text in ``encoding`` (without ``byte``: the line)."""
    line = raw[:at].decode(encoding, errors="replace").count("\n") + 1
    return f"第 {line} 行（第 {at + 1} 字节）" if byte else f"第 {line} 行"

"""An xlsx file opened for the layouts (readers/xlsx.py): checked as a zip package before openpyxl
reads it, loaded, each sheet's size checked again, and the text of its formulas.

Before loading: the file is there, is not empty, and is a zip whose every member unpacks intact; the
members' declared sizes stay under limits.UNPACKED_BYTES (they bound what zipfile unpacks: it stops
at a member's declared size, with a CRC error if there was more) and none grows like a compression
bomb; no member has a DTD (the OPC standard forbids one; its entities could grow without bound); every
XML part is in UTF-8, as Excel writes them (the checks read bytes as UTF-8, and openpyxl would parse a
UTF-16 part they cannot read: a merged range over the whole sheet in one would pass them); no
worksheet declares (``<dimension>``) or holds (``<row>`` and ``<c>`` elements, counted) more than the
sheet limits, a merged range counting its every cell (openpyxl makes each one). The same pass says
whether any worksheet holds a formula. Loaded (openpyxl, the values the spreadsheet saved), a sheet's real
extent is checked, since a declared dimension can lie; then, if there are formulas, a streaming
read-only pass takes their text. Every refusal is an InputError with its InputCode.
"""

from __future__ import annotations

import codecs
import html
import posixpath
import re
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import IO, Iterator
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from scoring.errors import InputCode, InputError
from scoring.readers import limits

_START = rb"<(?:[A-Za-z_][\w.-]*:)?"            # an element's start tag, with any namespace prefix
_REF = rb"""\s[^>]*?\bref\s*=\s*(?:"([^"]*)"|'([^']*)')"""
_ROW, _CELL, _FORMULA = (re.compile(_START + name + rb"[\s/>]") for name in (rb"row", rb"c", rb"f"))
_DIMENSION, _MERGE = (re.compile(_START + name + _REF) for name in (rb"dimension", rb"mergeCell"))
_DTD = b"<!DOCTYPE"
_DECLARED = re.compile(rb"""(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)   # UTF-32 LE starts as UTF-16 LE
_XML = (".xml", ".rels")
_UNREAD = "customxml/"          # openpyxl never reads these (document systems keep metadata there, in UTF-16 too)
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CHUNK = 1 << 20
_BOMB_FLOOR = 1 << 20                           # members smaller than this may grow any amount
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"      # an OLE container: a password-protected workbook or an .xls
# what zipfile and zlib raise on a damaged archive: a cut stream, a bad CRC, an unknown method,
# encryption, a header offset outside the file (OSError: the file itself opened)
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)
_UNREADABLE = {FileNotFoundError: "文件不存在 / no such file", IsADirectoryError: "是文件夹，不是文件 / a directory",
               PermissionError: "没有读取权限 / permission denied"}


# openpyxl warns of the parts it drops (data validation, unknown extensions …): nothing a reader of the
# values needs. The filter is set once here and names only openpyxl's warnings: catch_warnings() around
# each load swapped the process's filters and, on threads, left its blanket "ignore" in place for good.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?\Z")

Formulas = dict[tuple[int, int], str]        # (row, column), from 0 → the formula's text, '=' first


def load(path: Path) -> tuple[Workbook, dict[str, Formulas]]:
    """The checked book with the values its spreadsheet saved, and each sheet's formulas by title."""
    file = str(path)
    has_formulas = check(path)
    book = _loaded(load_workbook, path, data_only=True)
    for sheet in book.worksheets:
        _within(sheet.max_row, sheet.max_column, "有", f"工作表「{sheet.title}」", file)
    return book, (_loaded(_formulas, path) if has_formulas else {})


def _loaded(read, path: Path, **options):
    try:
        return read(path, **options)
    except Exception as error:     # openpyxl raises what its XML mapping meets in a damaged part (TypeError …)
        detail = " ".join(f"{type(error).__name__}: {error}".split())[:200]
        raise InputError(f"不是可读的 xlsx 工作簿 / not a readable xlsx workbook ({detail})", str(path),
                         code=InputCode.NOT_A_WORKBOOK) from None


def _formulas(path: Path) -> dict[str, Formulas]:
    """Each sheet's formulas, streamed (a read-only book holds one row at a time), every row read
    whatever the sheet declares."""
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        found = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            found[sheet.title] = {(r, c): text for r, row in enumerate(sheet.iter_rows(values_only=True))
                                  for c, value in enumerate(row) if (text := _formula(value))}
        return found
    finally:
        book.close()


def _formula(value) -> str | None:
    text = value.text if isinstance(value, ArrayFormula) else value
    return text if isinstance(text, str) and text.startswith("=") else None


def check(path: Path) -> bool:
    """Refuse a file that is not a workbook within the limits; True if a worksheet holds a formula."""
    file = str(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(len(_OLE))
    except OSError as error:
        raise InputError(_UNREADABLE.get(type(error), f"无法读取文件 / cannot read: {error.strerror}"), file,
                         code=InputCode.UNREADABLE) from None
    if not head:
        raise InputError("文件为空（0 字节） / empty file", file, code=InputCode.EMPTY_FILE)
    try:
        archive = zipfile.ZipFile(path)
    except _DAMAGED:
        raise InputError(_not_a_zip(head), file, code=InputCode.NOT_A_WORKBOOK) from None
    with archive:
        members = archive.infolist()
        _sizes(members, file)
        titles = _titles(archive)
        formulas, sheets = False, 0
        for member in members:
            title = titles.get(member.filename) or (member.filename if _WORKSHEET.fullmatch(member.filename) else None)
            sheets += title is not None
            name = member.filename.lower()
            xml = title is not None or (name.endswith(_XML) and not name.startswith(_UNREAD))
            try:
                with archive.open(member) as stream:
                    formulas |= _scan(stream, title and f"工作表「{title}」", xml, file, member.filename)
            except InputError:          # a limit (a ValueError, as some of _DAMAGED are)
                raise
            except _DAMAGED as error:
                raise InputError(f"部件已损坏，无法解压 / damaged member ({type(error).__name__}: {error})", file,
                                 member.filename, InputCode.NOT_A_WORKBOOK) from None
    return formulas or not sheets           # no worksheet found where expected: let the formula pass look


def _not_a_zip(head: bytes) -> str:
    if head == _OLE:
        return ("是设有打开密码的工作簿或旧版 .xls 文件：请在 Excel 中取消密码，或另存为 .xlsx / "
                "a password-protected workbook or an .xls: save it as an .xlsx without a password")
    if head.startswith(b"PK"):
        return "xlsx 文件不完整或已损坏（下载或复制未完成？） / a truncated or damaged xlsx"
    return "不是 xlsx 工作簿（文件内容不是 Excel 格式） / not an xlsx workbook"


def _sizes(members: list[zipfile.ZipInfo], file: str) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.UNPACKED_BYTES:
        largest = max(members, key=lambda member: member.file_size)
        raise InputError(f"解压后共 {total:,} 字节（此部件 {largest.file_size:,} 字节），超过上限 "
                         f"{limits.UNPACKED_BYTES:,} 字节 / unpacked size over the limit", file, largest.filename,
                         InputCode.UNPACKED_TOO_LARGE)
    for member in members:
        if member.file_size > _BOMB_FLOOR and member.file_size > limits.PACKED_RATIO * member.compress_size:
            raise InputError(f"{member.compress_size:,} 字节解压为 {member.file_size:,} 字节（"
                             f"{member.file_size / max(member.compress_size, 1):,.0f} 倍，工作簿不会这样压缩：压缩炸弹？） / "
                             f"a compression bomb", file, member.filename, InputCode.UNPACKED_TOO_LARGE)


def _titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member → its sheet's title, from xl/workbook.xml and its relationships (empty when
    they cannot be read; openpyxl then says what is wrong)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, *_DAMAGED):
        return {}
    targets = {relation.get("Id"): relation.get("Target") or "" for relation in relations}
    return {posixpath.normpath(posixpath.join("xl", targets[sheet.get(_RELATION)])).lstrip("/"): sheet.get("name")
            for sheet in book.iter(f"{_MAIN}sheet") if sheet.get(_RELATION) in targets}


def _scan(stream: IO[bytes], where: str | None, xml: bool, file: str, member: str) -> bool:
    """Unpack a member (which checks it is intact) and refuse a DTD in it, and an XML part (``xml``)
    not in UTF-8; a worksheet's (``where`` names it) declared and counted size is checked as it streams
    by. True if it holds a formula."""
    head = stream.read(_CHUNK)
    if xml:
        _utf8(head, file, member)
    rows, cells, formula = 0, 0, False
    for index, piece in enumerate(_pieces(head, stream)):
        if _DTD in piece:
            raise InputError("部件含有 DTD（<!DOCTYPE），工作簿不会这样写 / a DTD in a workbook part", file, member,
                             InputCode.NOT_A_WORKBOOK)
        if where is None:
            continue
        if index == 0 and (declared := _range(_DIMENSION.search(piece))):
            _within(declared[3], declared[2], "声明", where, file)
        for found in _MERGE.finditer(piece):
            if merged := _range(found):
                left, top, right, bottom = merged
                _within(max(top, bottom), max(left, right), f"合并单元格 {_text(found)} 到", where, file)
                cells += (abs(bottom - top) + 1) * (abs(right - left) + 1)
        rows += len(_ROW.findall(piece))
        cells += len(_CELL.findall(piece))
        formula = formula or _FORMULA.search(piece) is not None
        if rows > limits.SHEET_ROWS or cells > limits.SHEET_CELLS:
            raise InputError(f"行或单元格多于上限（已数到 {rows:,} 行、{cells:,} 个单元格；上限 {limits.SHEET_ROWS:,} 行、"
                             f"{limits.SHEET_CELLS:,} 个） / sheet too large", file, where, InputCode.SHEET_TOO_LARGE)
    return formula


def _utf8(head: bytes, file: str, member: str) -> None:
    """Refuse an XML part that its first chunk shows is not UTF-8: a UTF-16 or UTF-32 byte order mark,
    NUL bytes (UTF-16 or UTF-32 without a mark) or an XML declaration naming another encoding."""
    declared = _DECLARED.match(head)
    name = declared and (declared.group(1) or declared.group(2) or b"").decode("ascii", "replace")
    if head.startswith(_WIDE_BOMS):
        why = "以 UTF-16 或 UTF-32 的字节序标记开头"
    elif b"\0" in head:
        why = "含有 NUL 字节（UTF-16 或 UTF-32？）"
    elif name is not None and _codec(name) != "utf-8":
        why = f"声明的编码为 {name[:40]}"
    else:
        return
    raise InputError(f"部件不是 UTF-8 编码（{why}），Excel 不会这样保存 / a workbook part not in UTF-8", file, member,
                     InputCode.NOT_A_WORKBOOK)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _text(ref: re.Match) -> str:
    """A ``ref`` attribute's value as the XML says it (&#65;1 is A1)."""
    return html.unescape((ref.group(1) or ref.group(2) or b"").decode("utf-8", "replace"))


def _range(ref: re.Match | None) -> tuple[int, int, int, int] | None:
    """A ``ref`` read as openpyxl reads it: (first column, first row, last column, last row)."""
    try:
        return range_boundaries(_text(ref)) if ref else None
    except (ValueError, TypeError):             # openpyxl will not read it either
        return None


def _pieces(head: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    """The stream, whose first chunk ``head`` was read, in pieces of about a MiB, none ending inside a
    tag's name (a '<' in the last 64 bytes goes on to the next piece)."""
    carry, chunk = b"", head
    while chunk:
        data = carry + chunk
        cut = data.rfind(b"<", max(len(data) - 64, 0))
        cut = len(data) if cut < 0 else cut
        yield data[:cut]
        carry = data[cut:]
        chunk = stream.read(_CHUNK)
    yield carry


def _within(rows: int, columns: int, what: str, where: str, file: str) -> None:
    if rows > limits.SHEET_ROWS or rows * columns > limits.SHEET_CELLS:
        raise InputError(f"{what} {rows:,} 行 × {columns:,} 列，超过上限（{limits.SHEET_ROWS:,} 行、"
                         f"{limits.SHEET_CELLS:,} 个单元格）；如有多余的空行或空列，请删除后另存 / sheet too large",
                         file, where, InputCode.SHEET_TOO_LARGE)

"""Broken and hostile inputs: each is read correctly or refused with exit 2 and one stderr line that
names the file and the place (a member, a sheet and a cell, a line), never a traceback (exit 3), and
nothing is written. Workbooks are built here with openpyxl; the 100,000-row timing is
benchmarks/workbook.py's."""

import codecs
import re
import subprocess
import sys
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest

import scoring
from scoring import InputError
from scoring.cli import main
from scoring.readers import limits, workbook
from scoring.readers.declarations import import_files
from scoring.readers.uncomputed import Uncomputed, saved_without_value
from scoring.readers.xlsx import read_workbook

HEADER = ["项目名称", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值"]
ROWS = [["运维", "产出指标", "数量指标", "完成率", "≥95%", "96%", 50],
        ["运维", "满意度指标", "服务对象满意度指标", "满意度", "≥90%", "92%", 50]]
SHEET = "xl/worksheets/sheet1.xml"


def flat_book(path: Path, rows=ROWS, header=HEADER) -> Path:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def refused(path: Path, code: str, *, place: str | None = None) -> InputError:
    """read_workbook refuses ``path`` with ``code``, naming the file (and ``place``)."""
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    error = caught.value
    assert (error.code, error.file) == (code, str(path))
    if place is not None:
        assert error.path == place
    return error


def one_line(capsys, argv: list[str], code: int = 2) -> str:
    """Run the command; it exits ``code`` with one stderr line (no traceback) and returns that line."""
    assert main(argv) == code
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "内部错误" not in err, err
    return err.strip()


def rewritten(source: Path, target: Path, change) -> Path:
    """``source`` zipped again as ``target`` with each member's bytes through ``change(name, data)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.infolist():
            new.writestr(member.filename, change(member.filename, old.read(member)))
    return target


def in_sheet(old: bytes | re.Pattern, new: bytes):
    """A change of the first sheet's first ``old`` (bytes, or a pattern; there must be one) to ``new``."""
    def change(name, data):
        if name == SHEET:
            pattern = old if isinstance(old, re.Pattern) else re.compile(re.escape(old))
            data, count = pattern.subn(lambda match: new, data, count=1)
            assert count == 1
        return data
    return change


# ---- 1. not a workbook ------------------------------------------------------------------------------

def _truncated(tmp_path):
    data = flat_book(tmp_path / "whole.xlsx").read_bytes()
    (tmp_path / "x.xlsx").write_bytes(data[: len(data) // 2])


def _ole(tmp_path):     # what a password-protected workbook (or an .xls) is
    (tmp_path / "x.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


BROKEN = {
    "truncated": (_truncated, "not_a_workbook", "不完整"),
    "text renamed": (lambda t: (t / "x.xlsx").write_text("项目名称,指标值\n运维,≥95%\n", encoding="utf-8"),
                     "not_a_workbook", "不是 xlsx"),
    "encrypted or xls": (_ole, "not_a_workbook", "密码"),
    "empty": (lambda t: (t / "x.xlsx").write_bytes(b""), "empty_file", "为空"),
    "directory": (lambda t: (t / "x.xlsx").mkdir(), "unreadable", "文件夹"),
    "missing": (lambda t: None, "unreadable", "不存在"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_file_that_is_not_a_workbook_is_refused_naming_it(case, tmp_path, capsys):
    make, code, words = BROKEN[case]
    make(tmp_path)
    path, out = tmp_path / "x.xlsx", tmp_path / "out.json"
    assert words in refused(path, code).message
    line = one_line(capsys, [str(path), "-o", str(out)])
    assert line.startswith(f"score: {path}：") and words in line
    assert not out.exists()
    assert words in one_line(capsys, ["check", str(path)])


def _member_data(path: Path, name: str) -> int:
    """Where the packed bytes of member ``name`` start in the file."""
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo(name)
    header = path.read_bytes()[member.header_offset: member.header_offset + 30]
    return member.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")


def _damaged_stream(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[_member_data(path, SHEET)] ^= 0xFF                 # the first deflate block's header
    path.write_bytes(bytes(data))


def test_a_damaged_member_is_refused_naming_it(tmp_path, capsys):
    """Found by flipping bytes: zlib.error escaped as an internal error (exit 3)."""
    path = flat_book(tmp_path / "x.xlsx")
    _damaged_stream(path)
    error = refused(path, "not_a_workbook", place=SHEET)
    assert "损坏" in error.message
    assert SHEET in one_line(capsys, [str(path)])


def test_a_member_longer_than_its_declared_size_is_refused(tmp_path):
    """zipfile stops at the declared size (so declared sizes bound what is unpacked) and the CRC fails."""
    path = flat_book(tmp_path / "x.xlsx")
    with zipfile.ZipFile(path) as archive:
        member, central = archive.getinfo(SHEET), archive.start_dir
    data = bytearray(path.read_bytes())
    while data[central + 46: central + 46 + len(SHEET)] != SHEET.encode():     # the member's directory entry
        central = data.index(b"PK\x01\x02", central + 4)
    for at in (member.header_offset + 22, central + 24):    # the local header's and the directory's size
        data[at: at + 4] = (member.file_size // 2).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    refused(path, "not_a_workbook", place=SHEET)


@pytest.mark.parametrize("member, old, new", [
    ("docProps/core.xml", None, None),                       # cut off: ParseError
    ("xl/styles.xml", b'rgb="', b'rg="'),                     # an attribute openpyxl does not know: TypeError
    ("xl/workbook.xml", b"<sheets>", b"<sheets"),             # not well-formed
])
def test_a_damaged_part_is_refused_not_an_internal_error(member, old, new, tmp_path, capsys):
    """Found by mutating parts: openpyxl's ParseError and TypeError escaped as internal errors (exit 3)."""
    source = flat_book(tmp_path / "good.xlsx")

    def change(name, data):
        if name != member:
            return data
        return data[: len(data) // 3] if old is None else data.replace(old, new)

    path = rewritten(source, tmp_path / "x.xlsx", change)
    refused(path, "not_a_workbook")
    assert str(path) in one_line(capsys, [str(path)])


# ---- 2. formulas ------------------------------------------------------------------------------------

NO_VALUE = r"<v(?:\s*/>|></v>)"        # openpyxl writes <v /> with its own writer, <v></v> with lxml


def cached(path: Path, cell: str, value: str, kind: str) -> Path:
    """Give formula cell ``cell`` the value a spreadsheet saves with it (openpyxl saves none), of
    ``kind`` (``n`` a number, ``str`` a text)."""
    pattern = re.compile(rf'<c r="{cell}"><f>(.*?)</f>{NO_VALUE}</c>'.encode())
    saved = rb'<c r="%s" t="%s"><f>\1</f><v>%s</v></c>' % (cell.encode(), kind.encode(), value.encode())
    return rewritten(path, path.with_name(f"cached-{path.name}"),
                     lambda name, data: pattern.sub(saved, data) if name == SHEET else data)


def with_cell(tmp_path, cell: str, value) -> Path:
    book = openpyxl.load_workbook(flat_book(tmp_path / "plain.xlsx"))
    book.active[cell] = value
    book.save(tmp_path / "x.xlsx")
    return tmp_path / "x.xlsx"


def indicators(path: Path) -> list[dict]:
    return read_workbook(path)["projects"][0]["indicators"]


@pytest.mark.parametrize("cell, formula", [("F3", "=1+1"), ("E3", "=1+1"), ("F3", '=HYPERLINK("http://x","95%")')])
def test_a_computing_formula_without_its_value_is_refused_naming_the_cell(cell, formula, tmp_path, capsys):
    path = with_cell(tmp_path, cell, formula)
    error = refused(path, "uncomputed_formula", place=f"工作表「Sheet」{cell}")
    assert formula in error.message and "Excel" in error.message
    out = tmp_path / "out.json"
    line = one_line(capsys, [str(path), "-o", str(out)])
    assert f"{path}: 工作表「Sheet」{cell}：" in line and not out.exists()


@pytest.mark.parametrize("formula, saved, kind", [("=1+1", "2", "n"), ('=HYPERLINK("http://x","95%")', "95%", "str")])
def test_a_formula_is_read_as_the_value_the_spreadsheet_saved(formula, saved, kind, tmp_path):
    path = cached(with_cell(tmp_path, "F3", formula), "F3", saved, kind)
    assert indicators(path)[1]["actual"] == saved


@pytest.mark.parametrize("kind", ["str", "b", "e"])
def test_a_formula_computed_to_an_empty_value_is_blank_not_uncomputed(kind, tmp_path):
    """Excel and LibreOffice save a formula that gives "" as <c t="str"><f>…</f><v></v></c>; openpyxl
    reads the empty value as None, as it reads a formula never computed (no type, <v />): the saved
    type tells them apart."""
    path = cached(with_cell(tmp_path, "F3", '=IF(G3>0,"","x")'), "F3", "", kind)
    assert b'<c r="F3" t="%s"><f>IF(G3&gt;0,"","x")</f><v></v></c>' % kind.encode() in _part(path, SHEET)
    assert indicators(path)[1]["actual"] is None


@pytest.mark.parametrize("empty", [b"<v></v>", b'<v xml:space="preserve"/>'])
def test_a_formula_with_no_type_and_an_empty_value_is_still_uncomputed(empty, tmp_path):
    """No type (or t="n"): a computed number always has digits, so an empty value was never computed."""
    source = with_cell(tmp_path, "F3", "=1+1")
    path = rewritten(source, tmp_path / "empty.xlsx", in_sheet(re.compile(rf"<f>1\+1</f>{NO_VALUE}</c>".encode()),
                                                               b"<f>1+1</f>%s</c>" % empty))
    refused(path, "uncomputed_formula", place="工作表「Sheet」F3")
    refused(cached(source, "F3", "", "n"), "uncomputed_formula", place="工作表「Sheet」F3")


@pytest.mark.parametrize("cell, key", [("F3", "actual"), ("G3", "weight")])
def test_a_formula_computed_to_an_error_is_the_error_not_a_number(cell, key, tmp_path):
    """#DIV/0! (t="e") is read as the text the spreadsheet shows: an actual that cannot be scored,
    no 分值."""
    path = cached(with_cell(tmp_path, cell, "=1/0"), cell, "#DIV/0!", "e")
    assert indicators(path)[1][key] == ("#DIV/0!" if key == "actual" else None)
    if key == "actual":
        row = scoring.score(str(path)).to_dataframe().iloc[1]
        assert (row["actual"], row["score"], str(row["status"]), row["issues"]) == ("#DIV/0!", 0, "not_scored",
                                                                                     "bad_actual")


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def test_a_target_typed_as_a_formula_is_read_as_its_text_also_merged(tmp_path):
    """=100.00(%) written by a program is a formula with no value: its text is the target, in a
    merged cell too (the merge used to spread the missing value, not the text)."""
    book = openpyxl.load_workbook(flat_book(tmp_path / "plain.xlsx"))
    book.active["E2"] = "=100.00(%)"
    book.active.merge_cells("E2:E3")
    book.save(tmp_path / "x.xlsx")
    assert [i["target"] for i in indicators(tmp_path / "x.xlsx")] == ["=100.00(%)", "=100.00(%)"]


def test_a_formula_in_a_column_not_read_does_no_harm(tmp_path):
    rows = [row + ["=G2/100"] for row in ROWS]
    path = flat_book(tmp_path / "x.xlsx", rows, HEADER + ["执行率"])
    assert [i["actual"] for i in indicators(path)] == ["96%", "92%"]


@pytest.mark.parametrize("text", ["=100.00(%)", "=100%", "=95", "=-5%", "=是", "=符合", "=100人", "=100m2",
                                  "=2026年12月", "=12个/年", "=100.00（%）"])
def test_a_formula_that_only_spells_a_value_is_its_text(text):
    assert saved_without_value(text, "x.xlsx", "工作表「Sheet」E2") == text


@pytest.mark.parametrize("text", ["=1+1", "=SUM(F7:F9)", "=A1", "=$F$7", "=Sheet1!A1", '="符合"', "=95%-5%",
                                  '=HYPERLINK("http://x","95%")', "=2*3", "=round(1.5, 0)"])
def test_a_formula_that_computes_is_uncomputed(text):
    assert isinstance(saved_without_value(text, "x.xlsx", "工作表「Sheet」E2"), Uncomputed)


# ---- 3. zip bombs -----------------------------------------------------------------------------------

def bomb(source: Path, target: Path, spaces: int) -> Path:
    """``source`` with ``spaces`` bytes of whitespace (valid XML) at the start of its sheet data."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.infolist():
            data = old.read(member)
            if member.filename != SHEET:
                new.writestr(member.filename, data)
                continue
            head, tail = data.split(b"<sheetData>")
            with new.open(SHEET, "w", force_zip64=True) as stream:
                stream.write(head + b"<sheetData>")
                block = b" " * (1 << 20)
                for _ in range(spaces >> 20):
                    stream.write(block)
                stream.write(tail)
    return target


def test_a_zip_bomb_over_the_unpacked_limit_is_refused_before_loading(tmp_path, capsys):
    path = bomb(flat_book(tmp_path / "good.xlsx"), tmp_path / "bomb.xlsx", limits.UNPACKED_BYTES + (1 << 20))
    assert path.stat().st_size < limits.UNPACKED_BYTES // 500
    error = refused(path, "unpacked_too_large", place=SHEET)
    assert f"{limits.UNPACKED_BYTES:,}" in error.message
    assert SHEET in one_line(capsys, [str(path)])


def test_a_member_that_grows_like_a_bomb_is_refused_under_the_size_limit(tmp_path):
    path = bomb(flat_book(tmp_path / "good.xlsx"), tmp_path / "bomb.xlsx", 20 << 20)
    assert "压缩炸弹" in refused(path, "unpacked_too_large", place=SHEET).message


def test_a_repetitive_real_sheet_is_not_a_bomb(tmp_path):
    """20,000 rows of one text: the most repetitive kind of sheet grows some 28 times, far from the ratio."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet")
    for _ in range(20_000):
        sheet.append(["产出指标"] * 5)
    book.save(tmp_path / "x.xlsx")
    with zipfile.ZipFile(tmp_path / "x.xlsx") as archive:
        member = archive.getinfo(SHEET)
    assert member.file_size > 1 << 20 and member.file_size < limits.PACKED_RATIO * member.compress_size
    assert workbook.check(tmp_path / "x.xlsx") is False                  # passes; and holds no formula


# ---- 4. sheet size ----------------------------------------------------------------------------------

def test_the_limits_accept_a_sheet_of_100000_indicator_rows():
    """benchmarks/workbook.py: 100,000 rows × 11 columns (61.6 MB of XML) read in about 23 s."""
    assert limits.SHEET_ROWS > 100_000 and limits.SHEET_CELLS >= 100_001 * 20
    assert limits.UNPACKED_BYTES > 2 * 61_600_000


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(limits, "SHEET_ROWS", 50)
    monkeypatch.setattr(limits, "SHEET_CELLS", 50 * 7)


def rows(count: int) -> list[list]:
    return [["运维", "产出指标", "数量指标", f"完成率{n}", "≥95%", "96%", 1] for n in range(count)]


def test_a_sheet_at_the_row_limit_is_read(small_limits, tmp_path):
    assert len(indicators(flat_book(tmp_path / "x.xlsx", rows(49)))) == 49


def test_a_sheet_over_the_row_limit_is_refused_by_its_dimension(small_limits, tmp_path, capsys):
    path = flat_book(tmp_path / "x.xlsx", rows(50))
    error = refused(path, "sheet_too_large", place="工作表「Sheet」")
    assert "声明 51 行 × 7 列" in error.message
    assert "工作表「Sheet」" in one_line(capsys, [str(path)])


def lying(tmp_path) -> Path:
    """56 rows of 7 cells under a dimension of one cell."""
    source = flat_book(tmp_path / "liar.xlsx", rows(55))
    return rewritten(source, tmp_path / "x.xlsx", in_sheet(b'<dimension ref="A1:G56"', b'<dimension ref="A1:A1"'))


@pytest.mark.parametrize("limit, value", [("SHEET_CELLS", 10_000), ("SHEET_ROWS", 10_000)])
def test_a_lying_dimension_is_caught_by_the_rows_and_cells_counted_before_loading(limit, value, small_limits,
                                                                                 monkeypatch, tmp_path):
    monkeypatch.setattr(limits, limit, value)                            # only the other limit is passed
    assert "已数到 56 行、392 个单元格" in refused(lying(tmp_path), "sheet_too_large").message


def test_a_far_cell_under_a_small_dimension_is_caught_once_loaded(tmp_path):
    """One cell at row 1,000,000 (one row, one cell counted) would make the grid a million rows."""
    source = flat_book(tmp_path / "far.xlsx")
    path = rewritten(source, tmp_path / "x.xlsx", in_sheet(b"</sheetData>", b'<row r="1000000"><c r="A1000000" t="n">'
                                                                           b"<v>1</v></c></row></sheetData>"))
    assert "有 1,000,000 行" in refused(path, "sheet_too_large").message


@pytest.mark.parametrize("ref", [b'ref="A1:XFD1048576"', b"ref = '$a$1:$xfd$1048576'", b'ref="&#65;1:XFD1048576"'])
def test_a_merged_range_over_the_whole_sheet_is_refused_before_loading(ref, tmp_path):
    """openpyxl makes a cell of each merged one: A1:XFD1048576 would be 17 billion (in any spelling
    openpyxl reads)."""
    source = flat_book(tmp_path / "merge.xlsx")
    merge = b'</sheetData><mergeCells count="1"><mergeCell %s/></mergeCells>' % ref
    path = rewritten(source, tmp_path / "x.xlsx", in_sheet(b"</sheetData>", merge))
    assert "1,048,576 行 × 16,384 列" in refused(path, "sheet_too_large").message


def test_a_dtd_is_refused(tmp_path):
    """An entity defined in a DTD could stand for a huge merged range, or expand without bound."""
    source = flat_book(tmp_path / "dtd.xlsx")
    path = rewritten(source, tmp_path / "x.xlsx", in_sheet(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY r "A1:B2">]><worksheet'))
    assert "DTD" in refused(path, "not_a_workbook", place=SHEET).message


WHOLE_SHEET = b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
UTF8_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def encoded(encoding: str, bom: bytes = b"", declared: str | None = None):
    """A change for ``rewritten``: the sheet, holding a merged range over the whole sheet, in
    ``encoding`` after ``bom``, declaring the encoding ``declared``."""
    def change(name, data):
        if name != SHEET:
            return data
        data = data.replace(b"</sheetData>", WHOLE_SHEET)
        if declared is not None:
            data = b'<?xml version="1.0" encoding="%s"?>\n' % declared.encode() + data
        return bom + data.decode("utf-8").encode(encoding)
    return change


@pytest.mark.parametrize("encoding, bom, declared, words", [
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16", "字节序标记"),
    ("utf-16-be", codecs.BOM_UTF16_BE, None, "字节序标记"),
    ("utf-16-le", b"", None, "NUL"),
    ("utf-32-le", codecs.BOM_UTF32_LE, None, "字节序标记"),
    ("utf-32-be", codecs.BOM_UTF32_BE, None, "字节序标记"),
    ("gb18030", b"", "GB18030", "GB18030"),
    ("utf-8", b"", "ISO-8859-1", "ISO-8859-1"),                # what it declares is refused
])
def test_a_part_not_in_utf8_is_refused_before_loading(encoding, bom, declared, words, tmp_path):
    """The checks read bytes as UTF-8: a UTF-16 sheet (in a 1.4 KB xlsx) hid its merged range from
    them, and openpyxl, which reads UTF-16, hung making A1:XFD1048576's 17 billion cells."""
    path = rewritten(flat_book(tmp_path / "good.xlsx"), tmp_path / "x.xlsx", encoded(encoding, bom, declared))
    with pytest.raises(InputError) as caught:
        workbook.check(path)                                  # not loaded: a regression fails, not hangs
    error = caught.value
    assert (error.code, error.file, error.path) == ("not_a_workbook", str(path), SHEET)
    assert "UTF-8" in error.message and words in error.message


def test_a_part_not_in_utf8_is_named_on_one_line(tmp_path, capsys):
    def change(name, data):
        return codecs.BOM_UTF16_LE + data.decode("utf-8").encode("utf-16-le") if name == "xl/workbook.xml" else data

    path = rewritten(flat_book(tmp_path / "good.xlsx"), tmp_path / "x.xlsx", change)
    assert "UTF-8" in refused(path, "not_a_workbook", place="xl/workbook.xml").message
    line = one_line(capsys, [str(path), "-o", str(tmp_path / "out.json")])
    assert "xl/workbook.xml" in line and not (tmp_path / "out.json").exists()


def test_utf8_with_a_mark_or_a_declaration_and_utf16_metadata_openpyxl_never_reads_are_accepted(tmp_path):
    """A UTF-8 byte order mark, an XML declaration of utf-8 in any spelling, and a customXml item in
    UTF-16 (document systems write their metadata so; Excel keeps it) are read as before."""
    def change(name, data):
        if name == SHEET:
            return codecs.BOM_UTF8 + UTF8_DECLARATION + data
        return data.replace(b"UTF-8", b"utf8") if data.startswith(b"<?xml") else data

    path = rewritten(flat_book(tmp_path / "good.xlsx"), tmp_path / "x.xlsx", change)
    metadata = '<?xml version="1.0" encoding="utf-16"?><properties>文档</properties>'
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("customXml/item1.xml", codecs.BOM_UTF16_LE + metadata.encode("utf-16-le"))
    assert [i["actual"] for i in indicators(path)] == ["96%", "92%"]


# ---- 5. score import --------------------------------------------------------------------------------

DECLARATION = "\n".join([
    "财政项目支出绩效目标申报表",
    "项目名称\t无偿献血宣传\t\t项目性质\t其他经常性项目",
    "主管部门\t上海市卫生健康委员会\t\t实施单位\t上海市血液管理办公室",
    "\t一级指标\t二级指标\t三级指标\t\t年度(/项目)指标值",
    "绩效指标\t产出指标\t数量指标\t主题活动次数\t\t≥3(次)",
    "\t\t\t新闻发布数量\t\t≥200.00(条)",
    "\t\t质量指标\t主题活动执行率\t\t=100.00(%)",
    "\t满意度指标\t服务对象满意度指标\t无偿献血志愿者满意率\t\t≥85.00(%)",
])


def imported(path: Path) -> tuple[list[str], list[tuple[int, str]]]:
    data, repairs = import_files([path])
    return [i["name"] for i in data["projects"][0]["indicators"]], [(r.line, r.code) for r in repairs]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_a_declaration_reads_in_each_encoding(encoding, tmp_path):
    path = tmp_path / "申报表.txt"
    path.write_text(DECLARATION, encoding=encoding)
    assert imported(path) == (["主题活动次数", "新闻发布数量", "主题活动执行率", "无偿献血志愿者满意率"], [])


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_declaration_cut_inside_a_character_imports_what_is_there(encoding, tmp_path, capsys):
    raw = DECLARATION.encode(encoding)
    path = tmp_path / "申报表.txt"
    path.write_bytes(raw[: raw.index("满意率".encode(encoding)) + 1])          # half of 满
    names, repairs = imported(path)
    assert names == ["主题活动次数", "新闻发布数量", "主题活动执行率"]
    assert repairs == [(8, "ambiguous"), (8, "cut_off")]                      # the cut row, and the cut
    assert main(["import", str(path), "-o", str(tmp_path / "targets.json")]) == 0
    assert f"{path}:8 [cut_off]" in capsys.readouterr().err


def test_a_declaration_cut_mid_row_keeps_the_rows_before(tmp_path):
    path = tmp_path / "申报表.txt"
    path.write_text(DECLARATION[: DECLARATION.index("\t无偿献血志愿者")], encoding="utf-8")
    assert imported(path) == (["主题活动次数", "新闻发布数量", "主题活动执行率"], [(8, "ambiguous")])


def test_a_declaration_cut_before_its_rows_is_refused(tmp_path, capsys):
    path = tmp_path / "申报表.txt"
    path.write_text(DECLARATION[: DECLARATION.index("绩效指标\t")], encoding="utf-8")
    assert "没有读到任何指标行" in one_line(capsys, ["import", str(path)])


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


@pytest.mark.parametrize("data, code, words", [
    (PNG, "bad_encoding", "第 3 行有 NUL 字节"),
    (bytes(range(256)) * 4, "bad_encoding", "第 1 行有 NUL 字节"),
    (b"\x80\xff" * 100 + b"\n", "bad_encoding", "第 1 行（第 1 字节）"),          # no NUL, neither UTF-8 nor GBK
    ("一级指标\n".encode() + b"\x81\x20\xff", "bad_encoding", "第 2 行（第 14 字节）"),
    (b"", "empty_file", "为空"),
    (b" \r\n\t\n", "empty_file", "为空"),
])
def test_import_refuses_what_is_not_text_naming_the_file_and_line(data, code, words, tmp_path, capsys):
    path = tmp_path / "申报表.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        import_files([path])
    assert (caught.value.code, caught.value.file) == (code, str(path)) and words in caught.value.message
    out = tmp_path / "targets.json"
    assert one_line(capsys, ["import", str(path), "-o", str(out)]).startswith(f"score: {path}：")
    assert not out.exists()


def test_import_of_a_directory_is_refused(tmp_path, capsys):
    assert "score: " in one_line(capsys, ["import", str(tmp_path)])


# ---- 6. threads -------------------------------------------------------------------------------------

EXTENSION = b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"/></extLst></worksheet>'


def warned(tmp_path) -> Path:
    """A workbook openpyxl warns about when it reads it (an extension it drops)."""
    return rewritten(flat_book(tmp_path / "good.xlsx"), tmp_path / "x.xlsx", in_sheet(b"</worksheet>", EXTENSION))


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")      # pytest resets the filters set at import
def test_reading_on_threads_leaves_the_warning_filters_as_they_were(tmp_path):
    """catch_warnings() around each load swapped the process's filters: 64 reads on 8 threads left its
    ("ignore", None, Warning, None, 0) first, silencing every warning of the process for good."""
    path, before = warned(tmp_path), list(warnings.filters)
    with ThreadPoolExecutor(8) as pool:
        read = list(pool.map(lambda _: read_workbook(path)["projects"][0]["indicators"][1]["actual"], range(64)))
    assert read == ["92%"] * 64
    assert warnings.filters == before


def test_only_openpyxl_warnings_are_silenced(tmp_path):
    """With every warning an error (-W error, in a fresh process, as pytest resets the filters it finds
    at import), the workbook openpyxl warns about is read, and a warning from elsewhere still raises."""
    path = warned(tmp_path)
    code = ("import pathlib, sys, warnings; from scoring.readers.xlsx import read_workbook; "
            "print(read_workbook(pathlib.Path(sys.argv[1]))['projects'][0]['indicators'][1]['actual']); "
            "warnings.warn('elsewhere', UserWarning)")
    done = subprocess.run([sys.executable, "-W", "error", "-c", code, str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout == "92%\n"
    assert done.returncode == 1 and "UserWarning: elsewhere" in done.stderr

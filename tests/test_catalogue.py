"""The bad-input catalogue (docs/errors.md): one row per kind of broken or hostile input, each run
through the command line as a user would. Every row asserts the exit code, that stderr names the file
and the place (JSON path, row, TOML key) and the code, that nothing reaches stdout, no traceback, and
that the output file given with -o is untouched (exit 2) or written whole (exit 1 and 0); no temporary
file is left either way."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from scoring.cli import main
from scoring.readers import limits
from test_hostile_files import DECLARATION

DOCS = Path(__file__).parent.parent / "docs" / "errors.md"
OLD = "an earlier output\n"

PROJECT = {"id": "P1", "name": "示例项目", "budget": {"initial": 100, "adjusted": 100, "executed": 95, "unit": "万元"},
           "indicators": [
               {"id": "1", "level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥200人次",
                "weight": 30, "actual": "210人次"},
               {"id": "2", "level1": "产出指标", "level2": "质量指标", "name": "合格率", "target": "≥95%",
                "weight": 20, "actual": "96%"},
               {"id": "3", "level1": "效益指标", "level2": "社会效益指标", "name": "服务对象覆盖率",
                "target": "≥90%", "weight": 30, "actual": "92%"},
               {"id": "4", "level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度",
                "target": "≥90%", "weight": 10, "actual": "93%"}]}


def targets(change: Callable[[dict], None] = lambda project: None) -> dict:
    project = json.loads(json.dumps(PROJECT))
    change(project)
    return {"projects": [project]}


def text(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def indicator(k: int, **values) -> Callable[[dict], None]:
    return lambda project: project["indicators"][k].update(values)


def written(folder: Path, name: str, content: str | bytes) -> str:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def targets_file(change=lambda project: None, encoding: str = "utf-8", raw: str | None = None,
                 errors: str = "strict"):
    """A setup writing targets.json (``raw`` text in place of the document) and giving its argv."""
    def setup(folder: Path) -> list[str]:
        content = text(targets(change)) if raw is None else raw
        return [written(folder, "targets.json", content.encode(encoding, errors))]
    return setup


def with_actuals(actuals: dict | str, change=lambda project: None):
    def setup(folder: Path) -> list[str]:
        return [written(folder, "targets.json", text(targets(change))),
                written(folder, "actuals.json", actuals if isinstance(actuals, str) else text(actuals))]
    return setup


def with_ruleset(toml: str):
    def setup(folder: Path) -> list[str]:
        written(folder, "base.toml", 'schema = 1\nname = "base"\ntitle = "b"\nbase = "loop.toml"\n')
        written(folder, "loop.toml", 'schema = 1\nname = "loop"\ntitle = "l"\nbase = "base.toml"\n')
        return [written(folder, "targets.json", text(targets())), "--ruleset", written(folder, "rules.toml", toml)]
    return setup


def csv_file(content: str, encoding: str = "utf-8"):
    def setup(folder: Path) -> list[str]:
        return [written(folder, "indicators.csv", content.encode(encoding))]
    return setup


CSV = ("项目名称,一级指标,二级指标,三级指标,指标值,分值,实际完成值\n"
       "示例项目,产出指标,数量指标,培训人次,≥200人次,30,210人次\n"
       "示例项目,产出指标,质量指标,合格率,≥95%,20,96%\n")


def deep(folder: Path) -> list[str]:
    return [written(folder, "targets.json", '{"projects": ' + "[" * 10_000 + "]" * 10_000 + "}")]


def nested_but_within(folder: Path) -> list[str]:
    raw = text(targets(indicator(0, **{"x-note": "NEST"})))
    return [written(folder, "targets.json", raw.replace('"NEST"', "[" * 800 + "]" * 800))]


def big(folder: Path) -> list[str]:
    """About 50 MB of targets: the project repeated with ids of its own."""
    project = targets()["projects"][0]
    count = 50 * 2 ** 20 // len(text(project).encode("utf-8"))
    projects = [dict(project, id=f"P{k}") for k in range(count)]
    return [written(folder, "targets.json", json.dumps({"projects": projects}, ensure_ascii=False))]


def sparse(folder: Path) -> list[str]:
    path = folder / "targets.json"
    with path.open("wb") as file:
        file.truncate(limits.FILE_BYTES + 1)        # no blocks written: the size is refused before reading
    return [str(path)]


def unreadable(folder: Path) -> list[str]:
    path = written(folder, "targets.json", text(targets()))
    os.chmod(path, 0)
    return [path]


def output_in(place: str):
    """A setup whose -o is ``place``: a missing folder, a read-only one, an input, a folder."""
    def setup(folder: Path) -> list[str]:
        argv = [written(folder, "targets.json", text(targets())), written(folder, "actuals.json", text(targets()))]
        if place == "read-only":
            (folder / "locked").mkdir()
            os.chmod(folder / "locked", 0o555)
        out = {"missing": folder / "no" / "such" / "out.json", "read-only": folder / "locked" / "out.json",
               "targets": Path(argv[0]), "actuals": Path(argv[1]), "folder": folder}[place]
        return argv + ["-o", str(out)]
    return setup


HEADER = ["项目名称", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值"]
ROWS = [["运维", "产出指标", "数量指标", "完成率", "≥95%", "96%", 50],
        ["运维", "满意度指标", "服务对象满意度指标", "满意度", "≥90%", "92%", 40]]
SHEET = "xl/worksheets/sheet1.xml"


def workbook(change=None, cells: dict | None = None, raw: Callable[[bytes], bytes] | None = None):
    """A setup writing a flat sheet as x.xlsx: ``cells`` set by address, its bytes through ``raw``, or
    its sheet's XML through ``change``."""
    def setup(folder: Path) -> list[str]:
        import openpyxl

        book = openpyxl.Workbook()
        for row in (HEADER, *ROWS):
            book.active.append(row)
        for address, value in (cells or {}).items():
            book.active[address] = value
        path = folder / "x.xlsx"
        book.save(path)
        if change is not None:
            data = {m.filename: z.read(m) for z in [zipfile.ZipFile(path)] for m in z.infolist()}
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for name, content in data.items():
                    z.writestr(name, change(content) if name == SHEET else content)
        if raw is not None:
            path.write_bytes(raw(path.read_bytes()))
        return [str(path)]
    return setup


def spaces(sheet: bytes) -> bytes:             # 20 MiB of white space: valid XML, packed a thousandfold
    return sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (20 << 20), 1)


def tall(sheet: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G1048576"', sheet, count=1)


def declaration(content: str | bytes):
    def setup(folder: Path) -> list[str]:
        return ["import", written(folder, "申报表.txt", content)]
    return setup


@dataclass(frozen=True)
class Case:
    id: str
    setup: Callable[[Path], list[str]]
    exit: int
    says: tuple[str, ...]                  # on stderr, each: the file, the place, the code
    output: bool = True                    # add -o out.json (a file already there, to stay untouched)
    unprivileged: bool = False             # run as a user other than root (a permission case)
    same_as_utf8: bool = False             # the scores equal those of the document in UTF-8


NO_SUCH = {"projects": [{"id": "P1", "indicators": [{"id": "9", "actual": "1"}]}]}
CASES = [
    # the file itself
    Case("empty file", targets_file(raw=""), 2, ("targets.json", "empty_file")),
    Case("blank file", targets_file(raw=" \n\t\n"), 2, ("targets.json", "empty_file")),
    Case("not JSON", targets_file(raw="项目：示例"), 2, ("targets.json", "第 1 行第 1 列", "bad_syntax")),
    Case("not JSON, to stdout", targets_file(raw="项目：示例"), 2, ("targets.json", "bad_syntax"), output=False),
    Case("truncated JSON", targets_file(raw=text(targets())[:300]), 2, ("targets.json", "bad_syntax")),
    Case("duplicate keys", targets_file(raw=text(targets()).replace('"weight": 20,', '"weight": 20, "weight": 25,')),
         2, ("targets.json", "$.projects[0].indicators[1].weight", "duplicate_key")),
    Case("top level a number", targets_file(raw="42"), 2, ("targets.json", "$", "invalid")),
    Case("projects not an array", targets_file(raw='{"projects": {"id": "P1"}}'), 2,
         ("targets.json", "$.projects", "invalid")),
    Case("indicator not an object", targets_file(lambda p: p["indicators"].append("培训人次")), 2,
         ("targets.json", "$.projects[0].indicators[4]", "invalid")),
    Case("unknown key", targets_file(indicator(0, wieght=30)), 2,
         ("targets.json", "$.projects[0].indicators[0].wieght", "weight", "unknown_key")),
    Case("10,000 levels deep", deep, 2, ("targets.json", "too_deep")),
    Case("800 levels deep, in an x- field", nested_but_within, 0, ()),
    Case("larger than the file limit", sparse, 2, ("targets.json", "file_too_large")),
    Case("about 50 MB", big, 0, ()),
    # encodings
    Case("GBK", targets_file(encoding="gbk"), 0, (), same_as_utf8=True),
    Case("UTF-8 with BOM", targets_file(encoding="utf-8-sig"), 0, (), same_as_utf8=True),
    Case("UTF-16 with BOM", targets_file(encoding="utf-16"), 0, (), same_as_utf8=True),
    Case("neither UTF-8 nor GBK", targets_file(raw='{"projects": [{"name": "café\xff"}]}', encoding="latin-1"), 2,
         ("targets.json", "第 28 字节", "bad_encoding")),
    Case("UTF-8 with one stray byte", targets_file(raw=text(targets(indicator(0, reason="培训café"))).replace("é", "\udce9"),
                                                 encoding="utf-8", errors="surrogateescape"), 2,
         ("targets.json", "起不是 UTF-8", "bad_encoding")),
    Case("binary", lambda folder: [written(folder, "targets.json", bytes(range(256)) * 4)], 2,
         ("targets.json", "bad_encoding")),
    # where the file is
    Case("a directory", lambda folder: [str(folder)], 2, (f"{os.sep}case", "unreadable")),
    Case("a missing file", lambda folder: [str(folder / "nope.json")], 2, ("nope.json", "unreadable")),
    Case("a file that cannot be read", unreadable, 2, ("targets.json", "Permission denied", "unreadable"),
         output=False, unprivileged=True),
    # values
    Case("weight as a word", targets_file(indicator(1, weight="五")), 2,
         ("targets.json", "$.projects[0].indicators[1].weight", "「五」", "invalid")),
    Case("negative weight", targets_file(indicator(1, weight=-5)), 2,
         ("$.projects[0].indicators[1].weight", "out_of_range")),
    Case("weight 1e308", targets_file(indicator(1, weight=1e308)), 2,
         ("$.projects[0].indicators[1].weight", "out_of_range")),
    Case("weight NaN", targets_file(raw=text(targets()).replace('"weight": 20', '"weight": NaN')), 2,
         ("$.projects[0].indicators[1].weight", "有限的数字", "invalid")),
    Case("weight Infinity", targets_file(raw=text(targets()).replace('"weight": 20', '"weight": -Infinity')), 2,
         ("$.projects[0].indicators[1].weight", "有限的数字", "invalid")),
    Case("budget of 400 digits", targets_file(raw=text(targets()).replace('"initial": 100', '"initial": 1' + "0" * 400)),
         2, ("$.projects[0].budget.initial", "out_of_range")),
    Case("budget of 5,000 digits",
         targets_file(raw=text(targets()).replace('"initial": 100', '"initial": 1' + "0" * 5000)), 2,
         ("$.projects[0].budget.initial", "一个极大的整数", "out_of_range")),
    Case("budget of 1e20", targets_file(lambda p: p["budget"].update(adjusted=1e20)), 2,
         ("$.projects[0].budget.adjusted", "out_of_range")),
    Case("negative budget executed", targets_file(lambda p: p["budget"].update(executed=-5)), 1,
         ("targets.json", "示例项目", "negative_budget")),
    Case("target number too large", targets_file(indicator(1, target="≥" + "9" * 30 + "%")), 1,
         ("targets.json", "合格率", "bad_target", "15 位有效数字")),
    Case("target of 2,000 characters", targets_file(indicator(1, target="≥95%" * 500)), 1,
         ("targets.json", "合格率", "bad_target", "1000")),
    Case("unknown unit", targets_file(indicator(0, target="≥200 xyz")), 1,
         ("targets.json", "培训人次", "bad_target", "xyz")),
    Case("units that clash", targets_file(indicator(0, actual="210元")), 1,
         ("targets.json", "培训人次", "unit_mismatch", "元")),
    Case("weights over 100", targets_file(indicator(0, weight=45)), 1, ("targets.json", "示例项目", "weights_")),
    Case("weights under 100", targets_file(indicator(0, weight=15)), 1, ("targets.json", "示例项目", "weights_total")),
    Case("formula text as an actual", targets_file(indicator(1, actual='=HYPERLINK("http://x","96%")')), 1,
         ("targets.json", "合格率", "bad_actual")),
    # indicators and projects
    Case("duplicate indicator ids", targets_file(indicator(1, id="1")), 2,
         ("$.projects[0].indicators[1].id", "$.projects[0].indicators[0]", "duplicate")),
    Case("duplicate projects", targets_file(raw=text({"projects": [PROJECT, PROJECT]})), 2,
         ("$.projects[1]", "$.projects[0]", "duplicate")),
    Case("duplicate indicator names, actuals by name",
         with_actuals({"projects": [{"id": "P1", "indicators": [{"level1": "产出指标", "level2": "数量指标",
                                                                "name": "培训人次", "actual": "1人次"}]}]},
                      lambda p: [i.pop("id") for i in p["indicators"]] and p["indicators"][1].update(
                          level2="数量指标", name="培训人次")),
         2, ("actuals.json", "$.projects[0].indicators[0]", "匹配到 2 个指标", "duplicate")),
    Case("actual for an indicator that does not exist", with_actuals(NO_SUCH), 2,
         ("actuals.json", "$.projects[0].indicators[0]", "「9」", "not_found")),
    Case("actual for a project that does not exist",
         with_actuals({"projects": [{"id": "P2", "indicators": []}]}), 2,
         ("actuals.json", "$.projects[0]", "P2", "not_found")),
    Case("actuals not JSON", with_actuals("{"), 2, ("actuals.json", "bad_syntax")),
    # output
    Case("-o into a missing folder", output_in("missing"), 2, ("out.json", "不存在", "cannot_write"), output=False),
    Case("-o into a read-only folder", output_in("read-only"), 2, ("out.json", "不可写", "cannot_write"),
         output=False, unprivileged=True),
    Case("-o naming the targets", output_in("targets"), 2, ("targets.json", "output_is_input"), output=False),
    Case("-o naming the actuals", output_in("actuals"), 2, ("actuals.json", "output_is_input"), output=False),
    Case("-o an existing file, an input name too long", lambda folder: [
        str(folder / ("长" * 300 + ".json")), "-o", written(folder, "kept.json", OLD)], 2,
         ("长长长", "File name too long", "unreadable"), output=False),
    Case("-o naming a folder", output_in("folder"), 2, ("文件夹", "cannot_write"), output=False),
    # rulesets
    Case("ruleset not TOML", with_ruleset("title = \n[x"), 2, ("rules.toml", "TOML 语法错误", "line 1")),
    Case("ruleset with an unknown key", with_ruleset('schema = 1\nname = "r"\ntitle = "r"\nbase = "national-2020"\n'
                                                     "colour = 1\n"), 2, ("rules.toml", "colour", "未知的键")),
    Case("ruleset with a wrong type", with_ruleset('schema = 1\nname = "r"\ntitle = "r"\nbase = "national-2020"\n'
                                                   '[total]\nbudget = "十"\n'), 2, ("rules.toml", "total.budget")),
    Case("ruleset base cycle", with_ruleset('schema = 1\nname = "r"\ntitle = "r"\nbase = "base.toml"\n'), 2,
         ("base.toml", "循环继承")),
    Case("ruleset that does not exist", lambda folder: [*targets_file()(folder), "--ruleset", "nationl-2020"], 2,
         ("nationl-2020", "national-2020")),
    # flat tables
    Case("CSV in GBK", csv_file(CSV, "gbk"), 1, ("indicators.csv", "weights_total")),
    Case("CSV in GBK after a megabyte of ASCII",
         csv_file(CSV.replace("示例项目,产出指标,数量指标,培训人次,≥200人次,30,210人次\n",
                              "A,output,count,training,>=200,30,210\n" * 30_000, 1), "gbk"), 1,
         ("indicators.csv", "weights_total")),
    Case("empty CSV", csv_file(""), 2, ("indicators.csv", "empty_file")),
    Case("CSV weight out of range", csv_file(CSV.replace(",20,", ",120,")), 2,
         ("indicators.csv", "第 2 行 weight", "out_of_range")),
    # workbooks
    Case("xlsx cut in half", workbook(raw=lambda data: data[:len(data) // 2]), 2, ("x.xlsx", "not_a_workbook")),
    Case("text file named .xlsx", workbook(raw=lambda data: "项目名称,指标值\n".encode()), 2,
         ("x.xlsx", "不是 xlsx 工作簿", "not_a_workbook")),
    Case("empty .xlsx", workbook(raw=lambda data: b""), 2, ("x.xlsx", "empty_file")),
    Case("xlsx formula =1+1 as an actual, never computed", workbook(cells={"F3": "=1+1"}), 2,
         ("x.xlsx", "工作表「Sheet」F3", "=1+1", "uncomputed_formula")),
    Case("xlsx =HYPERLINK as an actual, never computed", workbook(cells={"F2": '=HYPERLINK("http://x","96%")'}), 2,
         ("x.xlsx", "工作表「Sheet」F2", "HYPERLINK", "uncomputed_formula")),
    Case("xlsx zip bomb", workbook(spaces), 2, ("x.xlsx", SHEET, "压缩炸弹", "unpacked_too_large")),
    Case("xlsx sheet declaring 1,048,576 rows", workbook(tall), 2,
         ("x.xlsx", "工作表「Sheet」", "1,048,576 行", "sheet_too_large")),
    # declaration tables (score import)
    Case("import of binary data", declaration(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 2,
         ("申报表.txt", "第 3 行有 NUL 字节", "bad_encoding")),
    Case("import of an empty file", declaration(""), 2, ("申报表.txt", "empty_file")),
    Case("import of a table cut off mid-row", declaration(DECLARATION[:DECLARATION.index("\t无偿献血志愿者")]), 0,
         ("申报表.txt:8 [ambiguous]",)),
    Case("import cut inside a character",
         declaration(DECLARATION.encode("gbk")[:DECLARATION.encode("gbk").index("满意率".encode("gbk")) + 1]), 0,
         ("申报表.txt:8 [cut_off]",)),
    Case("import cut before its rows", declaration(DECLARATION[:DECLARATION.index("绩效指标\t")]), 2,
         ("申报表.txt", "没有读到任何指标行")),
]


ROOT = os.geteuid() == 0


@contextmanager
def unprivileged():
    """Run as an ordinary user where the suite runs as root (who reads and writes anything)."""
    if not ROOT:
        yield
        return
    try:
        os.seteuid(65534)                           # nobody
    except PermissionError:
        pytest.skip("root here may not change its user (no CAP_SETUID), and root reads and writes anything")
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_bad_input_gets_its_answer(case, tmp_path, capsys):
    if case.unprivileged and ROOT:                 # a folder an ordinary user can reach
        folder = Path(tempfile.mkdtemp(prefix="scoring-case-"))
        folder.chmod(0o755)
    else:
        folder = tmp_path / "case"
        folder.mkdir()
    try:
        _check(case, folder, tmp_path, capsys)
    finally:
        if folder.parent != tmp_path:
            for locked in folder.rglob("*"):
                locked.chmod(0o700)
            shutil.rmtree(folder)


def _check(case: Case, folder: Path, tmp_path: Path, capsys) -> None:
    argv = case.setup(folder)
    out = folder / "out.json"
    if case.output:
        out.write_text(OLD, encoding="utf-8")
        argv += ["-o", str(out)]
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    with unprivileged() if case.unprivileged else _nothing():
        code = main(argv)
    captured = capsys.readouterr()
    assert code == case.exit, captured.err
    assert captured.out == ""
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    for words in case.says:
        assert words in captured.err, (words, captured.err)
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert set(after) == set(before), "a file was left behind"
    if case.exit == 2:
        assert captured.err.startswith("score: ") and after == before
        assert answer(captured.err, folder) == documented()[case.id], "docs/errors.md gives another answer"
        if case.output:
            assert out.read_text(encoding="utf-8") == OLD
    elif case.output:
        result = json.loads(out.read_text(encoding="utf-8"))
        assert result["projects"]
        if case.same_as_utf8:
            assert result == _scored_in_utf8(tmp_path)


@contextmanager
def _nothing():
    yield


def _scored_in_utf8(tmp_path: Path) -> dict:
    plain = tmp_path / "plain"
    plain.mkdir()
    main([*targets_file()(plain), "-o", str(plain / "out.json")])
    return json.loads((plain / "out.json").read_text(encoding="utf-8"))


def answer(err: str, folder: Path) -> str:
    """A refusal's stderr as docs/errors.md quotes it: its lines joined, the case's folder left out."""
    text = " ".join(line.strip() for line in err.strip().splitlines())
    return text.replace(f"{folder}{os.sep}", "").replace(str(folder), "case").replace("|", "\\|")


def documented() -> dict[str, str]:
    """docs/errors.md's catalogue: case → its answer (the exit code is checked separately)."""
    rows = re.findall(r"^\| (.+?) \| (\d) \| (.*) \|$", DOCS.read_text(encoding="utf-8"), re.M)
    return {case: text for case, _, text in rows}


def test_the_catalogue_has_forty_rows_and_the_docs_list_each_with_its_exit_code():
    rows = re.findall(r"^\| (.+?) \| (\d) \| (.*) \|$", DOCS.read_text(encoding="utf-8"), re.M)
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)
    assert {case: int(code) for case, code, _ in rows} == {case.id: case.exit for case in CASES}

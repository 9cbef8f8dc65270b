"""The command line as a whole: subcommands with uniform help, `--version`, the bare `score t a`,
standard input as `-`, `--encoding` for Excel on Windows, and progress on stderr."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import __version__
from scoring.cli import COMMANDS, main

ROOT = Path(__file__).parent.parent
CASE = Path(__file__).parent / "cases" / "national_numeric"
TARGETS, ACTUALS = str(CASE / "targets.json"), str(CASE / "actuals.json")
SEED = next((Path(__file__).parent / "seeds").glob("000_*.txt"))


def stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"score {__version__}"


def test_top_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(f"    {name} " in out for name in COMMANDS)
    assert set(COMMANDS) == {"run", "check", "import", "template", "parse", "rulesets", "review", "monitor"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_its_own_help(name, capsys):
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: score {name}") and "-h, --help" in out and "显示此帮助并退出" in out


def test_no_arguments_is_a_usage_error(capsys):
    assert main([]) == 2
    assert "请给出命令" in capsys.readouterr().err


def test_bare_targets_and_actuals_are_score_run(capsys):
    assert main([TARGETS, ACTUALS, "--format", "json"]) == 0
    bare = capsys.readouterr().out
    assert main(["run", TARGETS, ACTUALS, "--format", "json"]) == 0
    assert capsys.readouterr().out == bare
    assert main(["--format", "json", TARGETS, ACTUALS]) == 0        # an option first is still score run
    assert capsys.readouterr().out == bare


def test_a_file_format_without_an_output_is_refused_before_any_work(capsys):
    assert main([TARGETS, str(CASE / "missing.json"), "--format", "xlsx"]) == 2
    err = capsys.readouterr().err
    assert "usage: score run" in err and "xlsx 格式需要 -o FILE" in err


def test_targets_from_standard_input(monkeypatch, capsys):
    assert main([TARGETS, ACTUALS, "--format", "json"]) == 0
    expected = capsys.readouterr().out
    stdin(monkeypatch, Path(TARGETS).read_bytes())
    assert main(["-", ACTUALS, "--format", "json"]) == 0
    assert capsys.readouterr().out == expected
    stdin(monkeypatch, Path(ACTUALS).read_bytes())
    assert main([TARGETS, "-", "--format", "json"]) == 0
    assert capsys.readouterr().out == expected


def test_an_error_in_standard_input_names_stdin(monkeypatch, capsys):
    stdin(monkeypatch, b'{"projects": [')
    assert main(["-", ACTUALS]) == 2
    err = capsys.readouterr().err
    assert err.startswith("score: stdin：JSON 语法错误") and "score-stdin-" not in err


def test_standard_input_is_read_once(monkeypatch, capsys):
    stdin(monkeypatch, b"{}")
    assert main(["-", "-"]) == 2
    assert "标准输入（-）只能读一次" in capsys.readouterr().err


def test_import_from_standard_input_names_it_stdin(monkeypatch, capsys, tmp_path):
    stdin(monkeypatch, SEED.read_bytes())
    assert main(["import", "-", "--report", str(tmp_path / "repairs.json")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in data["projects"]][:2] == ["stdin-01", "stdin-02"]
    assert {p["source"]["file"] for p in data["projects"]} == {"stdin"}
    repairs = json.loads((tmp_path / "repairs.json").read_text(encoding="utf-8"))["repairs"]
    assert repairs and {r["file"] for r in repairs} == {"stdin"}


def test_template_and_review_read_standard_input(monkeypatch, capsys):
    stdin(monkeypatch, Path(TARGETS).read_bytes())
    assert main(["template", "-"]) == 0
    assert len(json.loads(capsys.readouterr().out)["projects"][0]["indicators"]) == 12
    stdin(monkeypatch, SEED.read_bytes())
    assert main(["review", "-", "--format", "json"]) in (0, 1)
    assert "findings" in json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("encoding, bom", [("gbk", b""), ("utf-8-sig", b"\xef\xbb\xbf")])
def test_csv_for_excel_on_windows(encoding, bom, tmp_path, capsys):
    out = tmp_path / "result.csv"
    assert main([TARGETS, ACTUALS, "-o", str(out), "--encoding", encoding]) == 0
    assert main([TARGETS, ACTUALS, "--format", "csv"]) == 0
    utf8 = capsys.readouterr().out
    raw = out.read_bytes()
    assert raw.startswith(bom) and raw.decode(encoding) == utf8


def test_gbk_to_standard_output():
    def run(*encoding):
        return subprocess.run([sys.executable, "-m", "scoring", TARGETS, ACTUALS, "--format", "csv", *encoding],
                              capture_output=True, cwd=ROOT, check=True).stdout

    assert run("--encoding", "gbk").decode("gbk") == run().decode("utf-8")


def test_a_character_gbk_cannot_hold_is_named_and_nothing_written(tmp_path, capsys):
    data = json.loads(Path(TARGETS).read_text(encoding="utf-8"))
    data["projects"][0]["name"] = "𠀾项目"
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "result.csv"
    assert main([str(targets), ACTUALS, "-o", str(out), "--encoding", "gbk"]) == 2
    assert "字符「𠀾」（U+2003E）无法用 gbk 编码" in capsys.readouterr().err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["targets.json"]


def test_monitor_csv_in_gbk(tmp_path):
    out = tmp_path / "monitor.csv"
    example = ROOT / "examples" / "jiangsu-department-2025"
    assert main(["monitor", str(example / "targets.json"), str(example / "progress-2025-06.json"),
                 "--as-of", "2025-06-30", "-o", str(out), "--encoding", "gbk"]) == 1
    assert out.read_bytes().decode("gbk").startswith("project_id,")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("argv, stages", [
    ([TARGETS, ACTUALS], ("读取并评分", "输出")),
    (["template", TARGETS], ("读取", "输出")),
    (["review", TARGETS], ("读取并审核", "输出")),
    (["import", str(SEED)], ("读取申报表", "输出")),
    (["monitor", TARGETS, ACTUALS, "--as-of", "2026-06-30"], ("读取", "监控", "输出")),
])
def test_progress_on_a_terminal_and_not_when_quiet(argv, stages, monkeypatch, capsys):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    main(argv)
    shown = terminal.getvalue()
    assert all(stage in shown for stage in stages) and "完成（" in shown
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    main([*argv, "--quiet"])
    assert "[####" not in quiet.getvalue()

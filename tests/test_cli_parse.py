"""`score parse`: the readable form, the JSON-lines contract, exit codes, no tracebacks."""

import json
import subprocess
import sys

from scoring.cli import main

FIELDS = {"text", "ok", "kind", "op", "value", "precision", "unit", "magnitude", "base_unit", "low", "high",
          "label", "note", "reference", "word", "deadline", "parts"}


def run(args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "scoring", *args], input=stdin, capture_output=True)


def test_jsonl_from_stdin_keeps_order_and_never_stops():
    lines = ["≥95.00(%)", "≥", "", "健全", "≥6.00(万人份)", "≥5(xyz)"]
    done = run(["parse", "--jsonl", "-"], "\n".join(lines).encode() + b"\n")
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [o["text"] for o in out] == lines
    assert [o["ok"] for o in out] == [True, False, False, True, True, False]
    assert done.returncode == 1
    assert set(out[0]) == FIELDS
    assert out[4]["value"] == 6.0 and out[4]["unit"] == "万人份" and out[4]["magnitude"] == 60000
    assert out[1]["error"]["code"] == "unexpected_end" and out[1]["error"]["column"] == 2
    assert out[5]["error"]["code"] == "unknown_unit"
    assert done.stderr == b""


def test_jsonl_reports_a_line_that_is_not_utf8_and_goes_on():
    done = run(["parse", "--jsonl", "-"], b"\xff\xfe\n85%\r\n")
    first, second = (json.loads(line) for line in done.stdout.decode().splitlines())
    assert first["ok"] is False and first["error"]["code"] == "bad_encoding"
    assert second["text"] == "85%" and second["ok"] is True


def test_readable_output(capsys):
    assert main(["parse", "≥6.00(万人份)", "使用率 100%误差率 ≤1%"]) == 0
    out = capsys.readouterr().out
    assert "数值：6.00 万人份（= 60000 个）" in out
    assert "标签：误差率" in out


def test_readable_error_has_caret_and_exit_1(capsys):
    assert main(["parse", "≥95.00(小室)"]) == 1
    out = capsys.readouterr().out
    assert "unknown_unit" in out and "^" in out and "Traceback" not in out


def test_usage_errors_exit_2(capsys):
    assert main(["parse"]) == 2
    assert main(["parse", "-"]) == 2
    assert main(["targets.json", "--format", "yaml"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and "Traceback" not in err


def test_broken_pipe_is_quiet():
    lines = "\n".join(f"≥9{i % 10}.5%" for i in range(20000)).encode()
    done = subprocess.run(f"{sys.executable} -m scoring parse --jsonl - | head -1", shell=True, input=lines,
                          capture_output=True)
    assert done.returncode == 0 and done.stdout.count(b"\n") == 1
    assert b"Traceback" not in done.stderr

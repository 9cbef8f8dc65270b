"""Golden end-to-end cases: tests/cases/NAME/{targets,actuals,expected}.json.

``expected.json`` holds the parts of the JSON output a case is about (computed by hand from the
rules): every key it gives must match, lists element by element; ``exit_code`` is what the command
returns; ``options`` are the command's --ruleset and --period.
"""

import json
from pathlib import Path

import pytest

from scoring.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())


def assert_subset(expected, found, where="$"):
    if isinstance(expected, dict):
        assert isinstance(found, dict), where
        for key, value in expected.items():
            assert key in found, f"{where}.{key} missing"
            assert_subset(value, found[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(found, list) and len(found) == len(expected), f"{where}: {found!r}"
        for index, (e, f) in enumerate(zip(expected, found)):
            assert_subset(e, f, f"{where}[{index}]")
    elif isinstance(expected, float) and isinstance(found, (int, float)):
        assert found == pytest.approx(expected, abs=1e-9), f"{where}: {found} != {expected}"
    else:
        assert found == expected, f"{where}: {found!r} != {expected!r}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case, tmp_path, capsys):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    options = expected.pop("options", {})
    exit_code = expected.pop("exit_code")
    out = tmp_path / "result.json"
    argv = [str(case / "targets.json"), str(case / "actuals.json"), "--format", "json", "-o", str(out)]
    for name, value in options.items():
        argv += [f"--{name}", str(case / value) if value.endswith(".toml") else value]
    assert main(argv) == exit_code, capsys.readouterr().err
    assert_subset(expected, json.loads(out.read_text(encoding="utf-8")))

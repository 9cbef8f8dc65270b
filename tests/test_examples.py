"""The bundled examples: they follow the documented JSON Schemas and score from the command line."""

import json
import subprocess
import sys

import jsonschema
import pytest

from conftest import ROOT
from scoring.cli import main

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "targets.json").exists())
CASES = sorted(p for p in (ROOT / "tests" / "cases").iterdir() if p.is_dir())
SCHEMAS = {role: json.loads((ROOT / "docs" / "schema" / f"{role}.schema.json").read_text(encoding="utf-8"))
           for role in ("targets", "actuals")}


def test_there_is_one_example_per_seed_family():
    assert {p.name for p in EXAMPLES} == {"shanghai-2026", "redcross-2024", "shanghai-2020", "jiangsu-department-2025"}


@pytest.mark.parametrize("folder", EXAMPLES + CASES, ids=[p.name for p in EXAMPLES + CASES])
def test_inputs_follow_the_schemas(folder):
    for role, schema in SCHEMAS.items():
        jsonschema.validate(json.loads((folder / f"{role}.json").read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "imported").glob("*.targets.json")),
                         ids=lambda p: p.name)
def test_imported_seeds_follow_the_schema_and_read(path, tmp_path):
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMAS["targets"])
    assert main([str(path), "--format", "json", "-o", str(tmp_path / "out.json")]) == 1   # no actuals yet


def test_schema_rejects_a_misspelt_key():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"projects": [{"id": "x", "indicators": [{"level1": "产出指标", "name": "n", "targte": "1"}]}]},
                            SCHEMAS["targets"])


@pytest.mark.parametrize("folder", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_scores_cleanly(folder, capsys):
    assert main([str(folder / "targets.json"), str(folder / "actuals.json")]) == 0
    assert "总分" in capsys.readouterr().out


def test_jiangsu_half_year(capsys):
    folder = ROOT / "examples" / "jiangsu-department-2025"
    main([str(folder / "targets.json"), str(folder / "actuals.json"), "--period", "H1", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"]["period"] == "H1"
    project = data["projects"][0]
    assert project["budget"]["rate"] == pytest.approx(14100.5 / 6000)        # against the half-year plan
    audit = next(i for i in project["indicators"] if i["name"] == "联合内审开展次数")
    assert (audit["target"], audit["status"]) == ("0", "scored")            # the half-year target "0"


def test_reporting_script_runs():
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "report.py")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "SHXG-2026-02" in done.stdout and "flagged for review" in done.stdout


@pytest.mark.parametrize("role, definition, level", [
    ("targets", "file", "document"), ("targets", "project", "project"), ("targets", "budget", "budget"),
    ("targets", "indicator", "indicator"), ("actuals", "indicator", "indicator"), ("targets", "fund", "fund"),
    ("actuals", "fund", "fund")])
def test_the_schemas_name_every_key_the_readers_accept(role, definition, level):
    from scoring import columns

    assert set(SCHEMAS[role]["$defs"][definition]["properties"]) == set(columns.keys(level))


def test_schema_accepts_funds_in_place_of_an_actual_and_refuses_negative_money():
    funds = [{"fund": "中央资金", "money": 120.5, "actual": "95%"}, {"fund": "省级资金", "actual": "98%"}]
    jsonschema.validate({"projects": [{"id": "p", "indicators": [{"id": "1", "funds": funds}]}]}, SCHEMAS["actuals"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"projects": [{"id": "p", "indicators": [{"id": "1", "funds": [
            {"fund": "中央资金", "money": -1, "actual": "95%"}]}]}]}, SCHEMAS["actuals"])


def test_schema_accepts_a_level_less_table_with_split_targets():
    jsonschema.validate({"id": "CQ", "name": "部门整体", "indicators": [
        {"name": "资金到位及时率", "nature": "≧", "target": "100", "unit": "%", "weight": 20},
        {"name": "管理制度健全性", "nature": "定性", "target": "健全", "adjusted_target": "完善", "core": "是"}]},
        SCHEMAS["targets"])

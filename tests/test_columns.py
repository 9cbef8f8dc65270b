"""One table of column names (vocabularies/columns.toml): every reader accepts every alias of every
column it reads, and the value given under it arrives in the engine's frames (a column composed into
another, 指标性质 into the target, arrives in that one)."""

import pytest
from openpyxl import Workbook

from scoring import InputError, columns
from scoring.readers import read

# A value for each flat column, and where it arrives: (frame, column, value there).
VALUES = {
    "project_id": ("P-7", "projects", "id", "P-7"), "project_name": ("项目甲", "projects", "name", "项目甲"),
    "budget_initial": ("100", "projects", "budget_initial", 100.0),
    "budget_adjusted": ("120", "projects", "budget_adjusted", 120.0),
    "budget_executed": ("90", "projects", "budget_executed", 90.0),
    "budget_half_year": ("60", "projects", "budget_half_year", 60.0),
    "budget_allocated": ("110", "projects", "budget_allocated", 110.0),
    "budget_unit": ("万元", "projects", "budget_unit", "万元"), "project_year": ("2025", "projects", "year", "2025"),
    "indicator_id": ("9", "indicators", "id", "9"), "level1": ("产出指标", "indicators", "level1", "产出指标"),
    "level2": ("数量指标", "indicators", "level2", "数量指标"), "name": ("完成率", "indicators", "name", "完成率"),
    "target": ("≥95%", "indicators", "target", "≥95%"),
    "half_year_target": ("≥50%", "indicators", "half_year_target", "≥50%"),
    "weight": ("20", "indicators", "weight", 20.0), "actual": ("96%", "indicators", "actual", "96%"),
    "score": ("18", "indicators", "evaluator_score", 18.0), "reason": ("延迟", "indicators", "reason", "延迟"),
    "nature": ("≧", "indicators", "target", "≥95%"), "unit": ("%", "indicators", "target", "95%"),
    "adjusted_target": ("≥96%", "indicators", "target", "≥96%"),
    "fund": ("中央资金", "indicators", "funds", (columns.Fund("中央资金", 120.5, "96%"),)),
    "fund_money": ("120.5", "indicators", "funds", (columns.Fund("中央资金", 120.5, "96%"),)),
}
# What a column composed into the target is given beside (the value of a split target, the initial target).
COMPANIONS = {"nature": {"target": "95%"}, "unit": {"target": "95"}, "adjusted_target": {"target": "≥95%"},
              "fund": {"fund_money": "120.5", "actual": "96%"}, "fund_money": {"fund": "中央资金", "actual": "96%"}}
REQUIRED = {"project_id": "P-1", "level1": "产出指标", "name": "完成率"}
ALIASES = [(c.column, name) for c in columns.table() if c.column for name in columns.flat_names(c)]
JSON_ALIASES = [(c.level, c.key, name) for c in columns.table() for name in (*c.aliases, *c.local)]


def test_the_table_covers_every_column_the_readers_fill():
    assert set(VALUES) == set(columns.by_column())


def test_the_columns_composed_into_another_are_read_but_not_frame_columns():
    composed = {c.column: c.into for c in columns.table() if c.into}
    assert composed == {"nature": "target", "unit": "target", "adjusted_target": "target", "fund": "funds",
                        "fund_money": "funds"}
    assert not set(composed) & set(columns.INDICATOR_FRAME)
    wrong = columns.Column("indicator", "x", "x", (), (), (), into="nowhere")
    with pytest.raises(ValueError, match="into"):
        columns._check((*columns.table(), wrong), set())


def _arrived(frames, column):
    _, frame, name, value = VALUES[column]
    assert getattr(frames, frame)[name].iloc[0] == value


def _row(column, header):
    row = {**REQUIRED, **({"project_name": "项目甲"} if column == "project_id" else {}), **COMPANIONS.get(column, {})}
    row = {columns.label(key) if key != column else header: value for key, value in row.items() if key != column}
    return {**row, header: VALUES[column][0]}


@pytest.mark.parametrize("column, header", ALIASES)
def test_a_flat_table_accepts_every_alias(column, header):
    import pandas as pd

    _arrived(read(pd.DataFrame([_row(column, header)])), column)


@pytest.mark.parametrize("column, header", ALIASES)
def test_a_csv_file_accepts_every_alias(column, header, tmp_path):
    import pandas as pd

    path = tmp_path / "rows.csv"
    pd.DataFrame([_row(column, header)]).to_csv(path, index=False)
    _arrived(read(path), column)


@pytest.mark.parametrize("column, header", [(c, h) for c, h in ALIASES if c != "score"])
def test_a_flat_xlsx_sheet_accepts_every_alias(column, header, tmp_path):
    """(A workbook's 得分 is the unit's own score: ``score check`` compares it, scoring recomputes it.)"""
    row = _row(column, header)
    book = Workbook()
    book.active.append(list(row))
    book.active.append(list(row.values()))
    book.save(tmp_path / "rows.xlsx")
    _arrived(read(tmp_path / "rows.xlsx"), column)


FUND = {"fund": "中央资金", "money": 120.5, "actual": "96%"}        # one fund of an indicator's funds


def _document(level, key, value):
    indicator = {"id": "1", "level1": "产出指标", "name": "完成率", "target": "≥95%"}
    project = {"id": "P-1", "name": "项目甲", "indicators": [indicator]}
    if level == "fund":
        indicator["funds"] = [dict(FUND)]
    elif level == "indicator":
        indicator.pop(key, None)
        indicator[key] = value
    elif level == "budget":
        project["budget"] = {key: value}
    elif level == "project":
        project.pop(key, None)
        project[key] = value
    return {"projects": [project]} if level != "document" else {key: value, "projects": [project]}


@pytest.mark.parametrize("level, key, name", JSON_ALIASES)
def test_json_accepts_every_alias_of_every_key(level, key, name):
    flat = next(c.column for c in columns.table() if (c.level, c.key) == (level, key)) if any(
        (c.level, c.key) == (level, key) and c.column for c in columns.table()) else None
    sample = {"indicators": None, "budget": None, "projects": None, "schema": None, "level_points": {"产出指标": 60},
              "funds": [dict(FUND)]}
    value = VALUES[flat][0] if flat else FUND[key] if level == "fund" else sample.get(key, "文字")
    document = _document(level, key, value)
    holder = (document if level == "document" else document["projects"][0] if level in ("project", "budget")
              else document["projects"][0]["indicators"][0])
    if level == "budget":
        holder = holder["budget"]
    elif level == "fund":
        holder = holder["funds"][0]
    if value is None:
        return                      # a key that holds other objects: its aliases are read in the tests of inputs
    if level != "fund":                 # a fund object is whole as it is
        holder.update(COMPANIONS.get(flat, {}))
    holder[name] = holder.pop(key)
    frames = read(document)
    if flat:
        _arrived(frames, flat)
    if key == "level_points":
        assert frames.indicators["level_points"].tolist() == [60.0]
    if level == "fund" or key == "funds":
        assert frames.indicators["funds"].tolist() == [(columns.Fund("中央资金", 120.5, "96%"),)]


def test_a_misspelt_key_is_refused_with_the_nearest_name():
    with pytest.raises(InputError, match="是否指「实际完成值」"):
        read({"id": "p", "name": "x", "indicators": [{"level1": "产出指标", "name": "n", "实际完成直": "1"}]})


def _dtypes(frame) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in frame.dtypes.items()}


@pytest.mark.parametrize("form", ["json", "csv", "frame"])
def test_every_reader_gives_the_declared_frames_and_the_engine_the_declared_scored_frames(form, tmp_path):
    import pandas as pd

    from scoring import engine, load_ruleset

    row = {"project_id": "P", "project_name": "项目", "level1": "产出指标", "name": "完成率",
           "target": "≥95%|使用率 100%误差率 ≤1%", "actual": "96%", "budget_initial": 10, "budget_executed": 9}
    rows = [dict(row, target=target, indicator_id=str(k)) for k, target in enumerate(row["target"].split("|"))]
    if form == "json":
        source = {"id": "P", "name": "项目", "budget": {"initial": 10, "executed": 9}, "indicators": [
            {"id": r["indicator_id"], "level1": r["level1"], "name": r["name"], "target": r["target"],
             "actual": r["actual"]} for r in rows]}
    elif form == "csv":
        source = tmp_path / "rows.csv"
        pd.DataFrame(rows).to_csv(source, index=False)
    else:
        source = pd.DataFrame(rows)
    frames = read(source)
    assert _dtypes(frames.indicators) == columns.INDICATOR_FRAME
    assert _dtypes(frames.projects) == columns.PROJECT_FRAME
    scored = engine.score(frames.projects, frames.indicators, load_ruleset())
    assert _dtypes(scored.indicators) == {**columns.SCORED_FRAME, "parts": "object"}   # a compound target
    assert _dtypes(scored.projects) == columns.SCORED_PROJECT_FRAME

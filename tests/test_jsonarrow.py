"""Documents of the usual shape read in columns by pyarrow (readers/jsonarrow.py): the same frames, and
the same first error, as the general reader's; and what is not of that shape goes to the general
reader rather than being read otherwise."""

import copy
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from scoring import InputError
from scoring.readers import actuals as actuals_reader, jsonarrow, jsondecode, jsonfiles, read

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate  # noqa: E402

TARGETS, ACTUALS = generate(300)


def _write(tmp_path, targets, actuals, indent=None) -> tuple[Path, Path]:
    t, a = tmp_path / "targets.json", tmp_path / "actuals.json"
    t.write_text(json.dumps(targets, ensure_ascii=False, indent=indent), encoding="utf-8")
    a.write_text(json.dumps(actuals, ensure_ascii=False, indent=indent), encoding="utf-8")
    return t, a


def _outcome(t: Path, a: Path):
    try:
        return read(t, a)
    except InputError as error:
        return error.args[0], error.file, error.path, error.code


def _both(tmp_path, monkeypatch, targets, actuals, indent=None) -> tuple[list[str], object, object]:
    """Which files the general reader read, what reading gave, and what the general reader alone gives."""
    t, a = _write(tmp_path, targets, actuals, indent)
    general = []

    def spy(patch, module, name):
        original = getattr(module, name)

        def spied(data, file, *args):
            general.append(Path(file).name)
            return original(data, file, *args)
        patch.setattr(module, name, spied)

    with monkeypatch.context() as patch:
        spy(patch, jsonfiles, "_read_projects")
        spy(patch, actuals_reader, "_project_actuals")
        got = _outcome(t, a)

    def refused(*_):
        raise jsonarrow.Unusual

    with monkeypatch.context() as patch:
        for module in (jsonfiles, actuals_reader):
            patch.setattr(module, "read_table", refused)
        alone = _outcome(t, a)
    return general, got, alone


def _same(one, other) -> None:
    if isinstance(one, tuple) or isinstance(other, tuple):
        assert one == other
        return
    pd.testing.assert_frame_equal(one.projects, other.projects)
    pd.testing.assert_frame_equal(one.indicators, other.indicators)
    assert one.ruleset == other.ruleset


def _documents():
    return {"ruleset": "national-2020", "projects": copy.deepcopy(TARGETS)}, {"projects": copy.deepcopy(ACTUALS)}


def test_the_usual_documents_are_read_in_columns_as_the_general_reader_reads_them(tmp_path, monkeypatch):
    targets, actuals = _documents()
    general, got, alone = _both(tmp_path, monkeypatch, targets, actuals)
    assert general == []
    assert len(got.indicators) == 300 and got.indicators["actual"].notna().sum() > 200
    _same(got, alone)


def test_printed_over_many_lines_too(tmp_path, monkeypatch):
    general, got, alone = _both(tmp_path, monkeypatch, *_documents(), indent=2)
    assert general == []
    _same(got, alone)


def _edit(change):
    targets, actuals = _documents()
    change(targets["projects"], actuals["projects"])
    return targets, actuals


def _set(where, **values):
    def change(targets, actuals):
        chosen = {"target": targets[1], "target item": targets[1]["indicators"][2],
                  "actual": actuals[1], "actual item": actuals[1]["indicators"][2]}[where]
        for key, value in values.items():
            if value is KeyError:
                chosen.pop(key, None)
            else:
                chosen[key] = value
    return change


# (what, the change, whether the column reader still takes both files)
VARIANTS = [
    ("texts with spaces around them, and blank ones", _set("target item", name=" 名称 ", level2="  "), True),
    ("a blank target, a null target", lambda t, a: (t[0]["indicators"][0].update(target=""),
                                                    t[0]["indicators"][1].update(target=None)), True),
    ("weights, integers and floats", lambda t, a: [i.update(weight=w) for i, w in
                                                   zip(t[0]["indicators"], [10, 12.5, 0, 100, 7.25])], True),
    ("an evaluator's score given in the actuals", _set("actual item", score=8.5), True),
    ("a reason given as null where the targets give none", _set("actual item", reason=None), True),
    ("a budget in 万元 in the actuals", _set("actual", budget={"executed": 12.5, "unit": "万元"}), True),
    ("an empty budget, a null budget", lambda t, a: (a[0].update(budget={}), a[1].update(budget=None)), True),
    ("goals in both files", lambda t, a: (t[0].update(goal="年度目标", achieved="计划"),
                                          a[0].update(achieved=" 已完成 ")), True),
    ("a project without indicators", lambda t, a: (t[1].update(indicators=[]), a[1].update(indicators=[])), True),
    ("no indicators at all", lambda t, a: [p.update(indicators=[]) for p in (*t, *a)], True),
    ("years as text, a department", lambda t, a: [p.update(year="2026", department="某局") for p in t], True),
    ("years as text and as integers", lambda t, a: t[0].update(year="2026"), False),
    ("split targets (指标性质 | 指标值 | 度量单位)",
     lambda t, a: t[0]["indicators"][0].update(nature="正向", target="95", unit="%"), True),
    ("a level-less project", lambda t, a: [(i.pop("level1"), i.pop("level2")) for i in t[0]["indicators"]], True),
    # not of the usual shape: the general reader reads the file
    ("an explicit null actual over a target's actual", lambda t, a: (
        t[1]["indicators"][2].update(actual="90%"), a[1]["indicators"][2].update(actual=None)), False),
    ("a Chinese key", lambda t, a: t[0].update({"项目名称": t[0].pop("name")}), False),
    ("an id given as a number", _set("target item", id=7), False),
    ("years as integer and float", lambda t, a: (t[0].update(year=2026), t[1].update(year=2026.0)), False),
    ("text where a weight goes", _set("target item", weight="10"), False),
    ("level points", _set("target", level_points={"产出指标": 50}), False),
    ("funds", _set("actual item", actual=KeyError, funds=[{"fund": "中央资金", "actual": "95%"}]), False),
    ("an actual project matched by name", _set("actual", id=KeyError, name="项目2"), False),
    ("an actual indicator matched by names", lambda t, a: a[1]["indicators"][2].update(
        id=None, level1=t[1]["indicators"][2]["level1"], level2=t[1]["indicators"][2]["level2"],
        name=t[1]["indicators"][2]["name"]), False),
    # problems: the general reader names them
    ("a missing name", _set("target item", name=KeyError), False),
    ("a duplicate indicator id", lambda t, a: t[0]["indicators"][1].update(id=t[0]["indicators"][0]["id"]), False),
    ("a duplicate project", lambda t, a: t[1].update(id=t[0]["id"]), False),
    ("a weight past 100", _set("target item", weight=120), False),
    ("a score below 0", _set("actual item", score=-1), False),
    ("a number past 10¹⁵", _set("target item", weight=1e300), False),
    ("an unknown actual project", _set("actual", id="P-none"), False),
    ("an unknown actual indicator", _set("actual item", id="999"), False),
    ("two actuals answering one indicator", lambda t, a: a[0]["indicators"][1].update(id=a[0]["indicators"][0]["id"]), False),
    ("an unknown budget unit", _set("actual", budget={"executed": 1, "unit": "斤"}), False),
    ("an indicator that is not an object", lambda t, a: t[0]["indicators"].append("指标"), False),
]


@pytest.mark.parametrize("what, change, columns", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_each_variant_reads_as_the_general_reader_reads_it(tmp_path, monkeypatch, what, change, columns):
    general, got, alone = _both(tmp_path, monkeypatch, *_edit(change))
    assert (general == []) is columns, general
    _same(got, alone)


def test_a_file_not_in_utf8_goes_to_the_general_reader(tmp_path, monkeypatch):
    targets, actuals = _documents()
    t, a = _write(tmp_path, targets, actuals)
    t.write_bytes(t.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(jsonarrow.Unusual):
        jsonarrow.read_table(jsondecode.load_json(t, "targets")[0], str(t), {"name": "text"})
    assert len(read(t, a).indicators) == 300


def test_without_pyarrow_the_general_reader_reads(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow.json", None)
    targets, actuals = _documents()
    t, a = _write(tmp_path, targets, actuals)
    with pytest.raises(jsonarrow.Unusual):
        jsonarrow.read_table(jsondecode.load_json(t, "targets")[0], str(t), {"name": "text"})
    assert len(read(t, a).indicators) == 300


@pytest.mark.parametrize("batch", [1, 5_000, 1 << 26])
def test_projects_parsed_a_batch_at_a_time_read_as_all_at_once(tmp_path, monkeypatch, batch):
    """Batches in which a key is given in some only, and types differ between batches (a year as text
    in one, as an integer in another): each value is still read as the general reader reads it."""
    monkeypatch.setattr(jsonarrow, "BATCH", batch)

    def change(targets, actuals):
        targets[0].update(goal="目标", year="2026")
        targets[-1].update(budget=None, department="某局")
        targets[3]["indicators"][0].update(weight=12.5, target=" ≥95% ")
        actuals[2].update(achieved="已完成", budget={"executed": 3, "unit": "万元"})
        actuals[4]["indicators"][1].update(score=7)
        targets[5].update(indicators=[])
        actuals[5].update(indicators=[])

    general, got, alone = _both(tmp_path, monkeypatch, *_edit(change))
    assert general == ([] if batch == 1 else ["targets.json"])      # a year as text and as integers in one batch
    _same(got, alone)


@pytest.mark.parametrize("zero, columns", [("-0", False), ("-0.0", False), ("0", True)])
def test_a_negative_zero_among_float_weights(tmp_path, monkeypatch, zero, columns):
    """pyarrow reads an integer -0 in a column of floats as -0.0, where the general reader has 0.0."""
    targets, actuals = _documents()
    targets["projects"][0]["indicators"][0]["weight"], targets["projects"][0]["indicators"][1]["weight"] = 12.5, 424242
    t, a = _write(tmp_path, targets, actuals)
    t.write_text(t.read_text(encoding="utf-8").replace("424242", zero), encoding="utf-8")
    general = []
    original = jsonfiles._read_projects
    monkeypatch.setattr(jsonfiles, "_read_projects", lambda *args: general.append(1) or original(*args))
    weight = read(t, a).indicators["weight"].to_numpy()[1]
    assert (weight, str(weight)) == (0.0, "-0.0" if zero == "-0.0" else "0.0")
    assert (general == []) is columns

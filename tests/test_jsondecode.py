"""JSON files decoded a project at a time (readers/jsondecode.py) and read into columns a chunk at a
time (readers/jsonvalues.Chunks): the same frames and the same first error as the standard library's
decoder reading the whole file at once, whatever the chunk size."""

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from scoring import InputError
from scoring.readers import jsondecode, jsonvalues, read
from scoring.readers.jsondecode import Document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate  # noqa: E402

TARGETS, ACTUALS = generate(400)           # 400 indicators in projects of 10 to 25


def _files(tmp_path, targets=None, actuals=None, raw_targets: bytes | None = None) -> tuple[Path, Path]:
    t, a = tmp_path / "targets.json", tmp_path / "actuals.json"
    t.write_bytes(raw_targets if raw_targets is not None else
                  json.dumps({"ruleset": "national-2020", "projects": targets or TARGETS}, ensure_ascii=False).encode())
    a.write_text(json.dumps({"projects": actuals or ACTUALS}, ensure_ascii=False), encoding="utf-8")
    return t, a


def _read(targets: Path, actuals: Path, fast: bool, chunk: int, monkeypatch):
    """The frames, or the error, of reading the two files."""
    monkeypatch.setattr(jsonvalues, "CHUNK", chunk)
    original = jsondecode.load_json
    monkeypatch.setattr(jsondecode, "load_json", lambda source, role, use=True: original(source, role, fast and use))
    try:
        return read(targets, actuals)
    except InputError as error:
        return error.args[0], error.file, error.path, error.code


def _same(one, other) -> None:
    if isinstance(one, tuple):
        assert one == other
        return
    pd.testing.assert_frame_equal(one.projects, other.projects)
    pd.testing.assert_frame_equal(one.indicators, other.indicators)
    assert one.ruleset == other.ruleset


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 16])
def test_chunks_of_any_size_read_what_the_whole_file_reads(tmp_path, monkeypatch, chunk):
    targets, actuals = _files(tmp_path)
    whole = _read(targets, actuals, False, 1 << 30, monkeypatch)
    assert len(whole.indicators) == 400 and whole.indicators["actual"].notna().sum() > 300
    _same(_read(targets, actuals, True, chunk, monkeypatch), whole)


def _copy(projects):
    return json.loads(json.dumps(projects))


# Each breaks one place of the targets or actuals, in project ``p``: (which file, change).
PROBLEMS = {
    "bad weight": ("targets", lambda ps, p: ps[p]["indicators"][2].update(weight="九十")),
    "unknown key": ("targets", lambda ps, p: ps[p]["indicators"][1].update(levle1="x")),
    "duplicate project": ("targets", lambda ps, p: ps[p].update(id=ps[0]["id"])),
    "duplicate indicator id": ("targets", lambda ps, p: ps[p]["indicators"][3].update(id=ps[p]["indicators"][0]["id"])),
    "bad budget": ("targets", lambda ps, p: ps[p]["budget"].update(initial="一百")),
    "actual of no indicator": ("actuals", lambda ps, p: ps[p]["indicators"].append({"id": "nope", "actual": "1"})),
    "two actuals of one indicator": ("actuals", lambda ps, p: ps[p]["indicators"][1].update(
        id=ps[p]["indicators"][0]["id"])),
    "two actual projects of one project": ("actuals", lambda ps, p: ps[p].update(id=ps[2]["id"])),
    "bad score": ("actuals", lambda ps, p: ps[p]["indicators"][0].update(score="九十")),
}


@pytest.mark.parametrize("first", PROBLEMS)
@pytest.mark.parametrize("second", ["bad weight", "bad score", "two actuals of one indicator"])
@pytest.mark.parametrize("chunk", [5, 60])
def test_the_first_problem_is_reported_whatever_the_chunks(tmp_path, monkeypatch, first, second, chunk):
    targets, actuals = _copy(TARGETS), _copy(ACTUALS)
    for problem, project in ((first, 9), (second, 20)):
        which, change = PROBLEMS[problem]
        change(targets if which == "targets" else actuals, project)
    files = _files(tmp_path, targets, actuals)
    whole = _read(*files, False, 1 << 30, monkeypatch)
    assert isinstance(whole, tuple)
    assert _read(*files, True, chunk, monkeypatch) == whole


@pytest.mark.parametrize("text, where", [
    ('{"projects": [{"id": "P", "indicators": [{"level1": "产出指标", "name": "a", "name": "b"}]}]}',
     "$.projects[0].indicators[0].name"),
    ('{"projects": [{"id": "P", "id": "Q", "indicators": []}]}', "$.projects[0].id"),
    ('{"projects": [], "projects": []}', "$.projects"),
    ('{"id": "P", "budget": {"unit": "元", "unit": "万元"}, "indicators": []}', "$.budget.unit"),
])
def test_a_key_given_twice_is_refused_with_its_path(tmp_path, text, where):
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read(path)
    assert (caught.value.path, caught.value.code.value) == (where, "duplicate_key")


def test_colons_inside_text_are_not_keys_given_twice(tmp_path):
    targets = _copy(TARGETS)
    targets[3]["indicators"][0]["name"] = "时间:12:30"
    targets[3]["name"] = "项目:甲"
    t, a = _files(tmp_path, targets)
    frames = read(t, a)
    assert frames.indicators["name"].tolist().count("时间:12:30") == 1


@pytest.mark.parametrize("value", ["NaN", "1e400", '"\\ud800"', "1" + "0" * 5000])
def test_what_only_the_standard_library_reads_is_read_its_way(tmp_path, monkeypatch, value):
    """A value the fast decoder refuses makes the whole file read as before: the same frames or error."""
    text = json.dumps({"projects": _copy(TARGETS)}, ensure_ascii=False)
    text = text.replace('"target": ', f'"x-value": {value}, "target": ', 1)
    files = _files(tmp_path, raw_targets=text.encode("utf-8", "surrogatepass"))
    with pytest.raises(jsondecode.Slow):
        list(jsonvalues.projects_of(Document(files[0].read_bytes(), "t"), "t")[1])
    _same(_read(*files, True, 16, monkeypatch), _read(*files, False, 1 << 30, monkeypatch))


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_files_in_other_encodings_read_as_before(tmp_path, monkeypatch, encoding):
    text = json.dumps({"projects": TARGETS}, ensure_ascii=False)
    files = _files(tmp_path, raw_targets=text.encode(encoding))
    fast = _read(*files, True, 16, monkeypatch)
    _same(fast, _read(*files, False, 1 << 30, monkeypatch))
    assert len(fast.indicators) == 400

"""A flat file scored in chunks (scoring/chunks.py) writes what the whole-table path writes, whatever
the chunk size: the same CSV bytes, Parquet that reads back alike, the same exit status, the same
issues and errors on stderr; a project whose rows come apart is read whole."""

import sys

import pandas as pd
import pytest

from conftest import ROOT
from scoring.cli import main

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import flat, generate  # noqa: E402


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """1,500 generated indicators in about 85 projects, with issues (missing and unreadable actuals)."""
    return flat(*generate(1500))


def straddling(table: pd.DataFrame) -> int:
    """A chunk size whose first cut falls inside a project."""
    ids = table["project_id"].to_numpy()
    return next(k for k in range(250, 400) if ids[k - 1] == ids[k])


def run(capsys, source, out, *extra):
    code = main([str(source), "-o", str(out), "--quiet", *extra])
    return code, capsys.readouterr().err


def both(capsys, tmp_path, frame: pd.DataFrame, form: str, output: str, rows: int):
    """The exit status, stderr and output of the file of ``frame`` scored whole and in chunks."""
    source = tmp_path / f"indicators.{form}"
    frame.to_csv(source, index=False) if form == "csv" else frame.to_parquet(source, index=False)
    results = []
    for name, chunk in (("whole", "0"), ("chunked", str(rows))):
        out = tmp_path / f"{name}.{output}"
        code, err = run(capsys, source, out, "--chunk-rows", chunk)
        results.append((code, err.replace(f"{name}.{output}", "OUT"), out))
    return results


def read(path):
    return path.read_bytes() if path.suffix == ".csv" else pd.read_parquet(path)


@pytest.mark.parametrize("form, output", [("csv", "csv"), ("csv", "parquet"), ("parquet", "csv"),
                                          ("parquet", "parquet")])
def test_chunks_write_what_the_whole_table_writes(table, form, output, capsys, tmp_path):
    pytest.importorskip("pyarrow")
    rows = straddling(table)
    (code, err, whole), (chunked_code, chunked_err, chunked) = both(capsys, tmp_path, table, form, output, rows)
    assert code == chunked_code == 1 and err == chunked_err and "个问题" in err
    if output == "csv":
        assert read(whole) == read(chunked)
    else:
        pd.testing.assert_frame_equal(read(whole), read(chunked))
        import pyarrow.parquet as pq

        assert pq.ParquetFile(chunked).metadata.num_row_groups >= len(table) // rows


def test_chunks_without_pyarrow_read_the_csv_with_pandas(table, capsys, tmp_path, monkeypatch):
    """A short row (pandas fills it) too."""
    source = tmp_path / "indicators.csv"
    text = table.to_csv(index=False).splitlines()
    text[1000] = ",".join(text[1000].split(",")[:6])
    source.write_text("\n".join(text) + "\n", encoding="utf-8")
    outputs = []
    for chunk in ("0", "300", "0"):
        out = tmp_path / f"{chunk}-{len(outputs)}.csv"
        outputs.append(run(capsys, source, out, "--chunk-rows", chunk)[0:1] + (out.read_bytes(),))
        monkeypatch.setitem(sys.modules, "pyarrow", None)          # the later runs: as if not installed
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_project_whose_rows_are_apart_is_read_whole(table, capsys, tmp_path):
    moved = pd.concat([table.iloc[1:], table.iloc[:1]], ignore_index=True)     # P0000001's first row last
    (code, err, whole), (chunked_code, chunked_err, chunked) = both(capsys, tmp_path, moved, "csv", "csv", 300)
    assert code == chunked_code and read(whole) == read(chunked)
    assert chunked_err == f"score: {tmp_path / 'indicators.csv'}：项目「P0000001」的行不相连（第 {len(table)} 行又出现），" \
                          "改为整表读取；按项目排序后可分块读取 / a project's rows are apart: read whole\n" + err
    apart_in_one_chunk = pd.concat([table.iloc[1:30], table.iloc[:1], table.iloc[30:]], ignore_index=True)
    (_, err, whole), (_, chunked_err, chunked) = both(capsys, tmp_path, apart_in_one_chunk, "csv", "csv", 300)
    assert chunked_err == err and read(whole) == read(chunked)


@pytest.mark.parametrize("column, value, message", [
    ("budget_executed", "很多", "第 1201 行 budget_executed 应为数字，而不是「很多」"),
    ("name", None, "第 1201 个指标缺少 name"),
    ("level1", None, "第 1201 行缺少 level1"),
])
def test_an_error_in_a_later_chunk_is_the_whole_table_s(table, column, value, message, capsys, tmp_path):
    broken = table.astype(object)
    broken.loc[1200, column] = value
    source = tmp_path / "indicators.csv"
    broken.to_csv(source, index=False)
    out = tmp_path / "out.csv"
    out.write_text("earlier\n", encoding="utf-8")
    whole = run(capsys, source, out, "--chunk-rows", "0")
    chunked = run(capsys, source, out, "--chunk-rows", "300")
    assert whole == chunked and whole[0] == 2 and message in whole[1]
    assert out.read_text(encoding="utf-8") == "earlier\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "indicators.csv", "out.csv"]


def test_the_issues_shown_are_the_whole_table_s(capsys, tmp_path):
    """Indicators' issues before projects', across chunks: a missing actual in a late project, a
    missing budget (a project's issue) before it, another missing actual after."""
    pytest.importorskip("pyarrow")
    from test_scale import flatten

    one = flatten(ROOT / "examples" / "shanghai-2026")
    copies = [one.assign(project_id=f"P{k:03d}") for k in range(60)]
    copies[35] = copies[35].assign(actual=[None, *copies[35]["actual"].iloc[1:]])
    copies[30] = copies[30].assign(budget_executed=None)
    copies[45] = copies[45].assign(actual=[*copies[45]["actual"].iloc[:-1], None])
    copies[50] = copies[50].assign(level2="A类指标")        # a category that sorts first comes late
    frame = pd.concat(copies, ignore_index=True)
    (code, err, whole), (chunked_code, chunked_err, chunked) = both(capsys, tmp_path, frame, "csv", "parquet", 100)
    assert code == chunked_code == 1 and err == chunked_err
    lines = err.splitlines()
    assert len(lines) == 4 and "missing_actual" in lines[1] and "missing_actual" in lines[2] and "全年执行数" in lines[3]
    read_back = read(chunked)
    pd.testing.assert_frame_equal(read(whole), read_back)
    assert read_back["level2"].cat.categories[0] == "A类指标"


def test_parquet_keeps_its_schema_when_a_chunk_has_a_column_without_values(table, capsys, tmp_path):
    pytest.importorskip("pyarrow")
    rows = straddling(table)
    late = table.astype(object).assign(project_name=None, actual=None)
    late.loc[rows:, "project_name"] = table["project_name"].iloc[rows:]
    late.loc[2 * rows:, "actual"] = table["actual"].iloc[2 * rows:]
    for frame in (late, table.drop(columns=["project_name"])):
        (code, _, whole), (chunked_code, _, chunked) = both(capsys, tmp_path, frame, "parquet", "parquet", rows)
        assert code == chunked_code
        pd.testing.assert_frame_equal(read(whole), read(chunked))

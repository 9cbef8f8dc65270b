"""Flat tables, one row per indicator (a DataFrame, CSV, Parquet, or a flat xlsx sheet) → the engine's frames.

Columns, in English or Chinese (vocabularies/columns.toml): project_id, project_name, indicator_id, level1, level2,
name, target, half_year_target, actual, weight, score, reason, and the project's budget columns repeated
on its rows (budget_initial, budget_adjusted, budget_executed, budget_half_year, budget_unit). A target
split as nature | target | unit (指标性质 | 指标值 | 度量单位), or given as adjusted_target (调整指标值) beside
the initial one, is composed into one (readers/natures.py). Without a level1 column, or with its cells
empty on every row of a project, a project is level-less; a project with some rows without is refused.
Rows of one indicator that each give a fund (fund, fund_money: 资金名称, 资金金额) and its actual are one
indicator with those funds (readers/funds.py). Rows of a project keep their order; projects come in
the order they first appear.
"""

from __future__ import annotations

import csv
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from scoring._columnar.bulk import bulk
from scoring._columnar.distinct import factorize, objects
from scoring.columns import (BUDGET_AMOUNTS, INDICATOR_FRAME, PROJECT_FRAME, TARGET_PARTS, Frames, column_of, frame, label,
                             normalized)
from scoring.errors import InputCode, InputError
from scoring.numbers import LARGEST
from scoring.readers.funds import fund_groups
from scoring.readers.jsonvalues import out_of_range, shown
from scoring.readers.natures import composed
from scoring.readers.sections import split_points
from scoring.readers.sources import file_encoding

_TEXT = ("project_id", "project_name", "indicator_id", "level1", "level2", "name", "target", "half_year_target",
         "actual", "reason", "budget_unit", "nature", "unit", "adjusted_target", "fund", "project_year")
_NUMBERS = ("weight", "score", *(f"budget_{key}" for key in BUDGET_AMOUNTS), "fund_money")
_POINTS = ("weight", "score")                       # 分值, 得分: from 0 to 100
_REPEATED = ("project_name", "level1", "level2", "name", "target", "half_year_target", "weight", "score")


def read_flat(path: Path) -> pd.DataFrame:
    """A CSV (UTF-8, else as readers/sources.py says) or Parquet file of one row per indicator."""
    with reading(path):
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path)
        return _read_csv(path)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Within: a failure to read ``path`` raised as the InputError that names it."""
    try:
        yield
    except InputError:
        raise
    except pd.errors.EmptyDataError:
        raise InputError("文件为空 / empty file", str(path), code=InputCode.EMPTY_FILE) from None
    except ImportError as error:
        raise InputError(f"读取 Parquet 需要 pyarrow：pip install pyarrow / {error}", str(path)) from None
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise InputError(f"无法读取 / cannot read: {error}", str(path), code=InputCode.UNREADABLE) from None


def _read_csv(path: Path) -> pd.DataFrame:
    """Every cell as text, blanks as empty text. Where pyarrow is installed, its reader parses a
    well-formed file on every core and decodes each distinct cell of a column once (the columns come
    back categorical). pandas reads the rest (a short row, a blank first line, an unpaired quote,
    bytes that are not UTF-8: what pyarrow refuses or would read otherwise), cells as Python strings
    (not Arrow strings, which would be converted back cell by cell), and says what is wrong with a
    file that cannot be read. A file in another encoding (GBK, as Excel on Chinese Windows saves CSV)
    is left to pandas."""
    encoding = file_encoding(path)
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            return _read_csv_arrow(path)
        except (ImportError, ValueError, csv.Error):             # pyarrow.ArrowInvalid is a ValueError
            pass
    try:
        return pd.read_csv(path, dtype=object, keep_default_na=False, encoding=encoding)
    except UnicodeDecodeError:                  # the first megabyte said UTF-8: judge the whole file
        whole = file_encoding(path, whole=True)
        if whole == encoding:
            raise
        return pd.read_csv(path, dtype=object, keep_default_na=False, encoding=whole)


def _read_csv_arrow(path: Path) -> pd.DataFrame:
    import pyarrow.csv

    names, options = arrow_csv_options(path)
    return arrow_table(names, pyarrow.csv.read_csv(path, **options))


def arrow_csv_options(path: Path) -> tuple[list[str], dict]:
    """The header of a CSV file that pyarrow reads as pandas would, and pyarrow's options to read it
    with (every cell a dictionary-encoded text); ValueError for a file pyarrow would read otherwise."""
    import pyarrow
    import pyarrow.csv

    with path.open(encoding="utf-8-sig", newline="") as file:
        names = next(csv.reader(file), None)
    if not names or any("\n" in name or "\r" in name for name in names):
        raise ValueError("no header of one line on the first line")
    with path.open("rb") as file:           # a quote left open: pyarrow would read on to the end as one cell
        if sum(block.count(b'"') for block in iter(lambda: file.read(1 << 24), b"")) % 2:
            raise ValueError("an unpaired quote")
    text = pyarrow.dictionary(pyarrow.int32(), pyarrow.string())
    return names, {"read_options": pyarrow.csv.ReadOptions(column_names=names, skip_rows=1),
                   "parse_options": pyarrow.csv.ParseOptions(newlines_in_values=True),
                   "convert_options": pyarrow.csv.ConvertOptions(column_types=dict.fromkeys(names, text),
                                                                 strings_can_be_null=False,
                                                                 quoted_strings_can_be_null=False)}


def arrow_table(names: list[str], table) -> pd.DataFrame:
    """A pyarrow table of dictionary-encoded text as a frame of categorical columns."""
    columns = {}
    for name, column in zip(names, table.columns):
        if name not in columns:        # of two columns named alike, the first (pandas renames the second name.1)
            chunks = column.unify_dictionaries().chunks
            codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in chunks] or [[]])
            words = chunks[0].dictionary.to_pylist() if chunks else []
            columns[name] = pd.Categorical.from_codes(codes.astype(np.int32), pd.Index(words, dtype=object))
    return pd.DataFrame(columns)


@bulk
def frames(table: pd.DataFrame, file: str = "<frame>", first_row: int = 0, first_indicator: int = 0) -> Frames:
    """The engine's project and indicator frames from a flat table. ``first_row`` and
    ``first_indicator`` are the rows and indicators of the file before the table (a table read a
    chunk at a time), for the place an error names."""
    renamed = _renamed(table)
    unread = [c for c in table.columns if c not in renamed and "一级" in normalized(c)]
    if "level1" not in renamed.values() and unread:      # not a level-less table: a 一级指标 column not recognised
        raise InputError(f"列「{unread[0]}」像是一级指标，但不是可识别的列名（{label('level1')}）；没有一级指标列的表"
                         f"按无一级指标的部门整体表评分 / an unrecognised first-level column", file)
    table = table[list(renamed)].rename(columns=renamed)
    missing = [c for c in ("project_id", "name") if c not in table and not (c == "project_id" and "project_name" in table)]
    if missing:
        raise InputError(f"缺少列：{'、'.join(f'{c}（{label(c)}）' for c in missing)} / missing columns", file)
    n, first = len(table), first_row
    column = {key: _text_column(table[key], key, file, first) if key in table else np.full(n, None, dtype=object)
              for key in _TEXT}
    for key in _NUMBERS:
        column[key] = _number_column(table[key], key, file, first) if key in table else np.full(n, np.nan)
    if "project_id" not in table:
        column["project_id"] = column["project_name"]
    if any(v is None for v in column["project_id"]):
        raise InputError("project_id 不能为空 / every row needs its project", file)
    if set(TARGET_PARTS) & set(table.columns):
        for key in ("target", "half_year_target"):
            adjusted = column["adjusted_target"] if key == "target" else np.full(n, None, dtype=object)
            column[key] = composed(column[key], column["nature"], column["unit"], adjusted,
                                   lambda k: (file, f"第 {first + k + 1} 行 {label('nature')}"))
    column["row"] = np.arange(first, first + n)               # each row's place in the file, kept through the merge
    column = _merged_funds(column, file)
    codes, ids = pd.factorize(column["project_id"], sort=False)
    column["level1"] = _whole_levels(column["level1"], codes, file, column["row"])
    column["level1"], printed_points = split_points(column["level1"])
    position = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    indicator_id = column["indicator_id"].copy()
    unnumbered = pd.isna(indicator_id)
    indicator_id[unnumbered] = [str(p + 1) for p in position[unnumbered].tolist()]
    indicators = frame({
        "project": codes, "position": position, "id": indicator_id,
        "level1": column["level1"], "level2": objects([v or "" for v in column["level2"]]), "name": column["name"],
        "target": column["target"], "half_year_target": column["half_year_target"], "weight": column["weight"],
        "actual": column["actual"], "reason": column["reason"], "evaluator_score": column["score"],
        "level_points": printed_points, "funds": column["funds"],
    }, INDICATOR_FRAME)
    if (np.diff(codes) < 0).any():                # a project's rows are apart: bring them together
        indicators = indicators.iloc[np.argsort(codes, kind="stable")].reset_index(drop=True)
    if indicators["name"].isna().any():
        row = int(np.flatnonzero(indicators["name"].isna().to_numpy())[0])
        raise InputError(f"第 {first_indicator + row + 1} 个指标缺少 name（{label('name')}） / missing", file)
    first = np.unique(codes, return_index=True)[1]
    has_actuals = pd.Series(~pd.isna(column["actual"]) | np.not_equal(column["funds"], None)).groupby(codes).any(
        ).to_numpy()
    projects = frame({
        "project": np.arange(len(ids)), "id": objects(list(ids)), "name": column["project_name"][first],
        "kind": None, "year": _project_years(column["project_year"], codes, len(ids), file, column["row"]), "unit": None, "department": None,
        "goal": None, "achieved": None,
        **{f"budget_{key}": column[f"budget_{key}"][first] for key in BUDGET_AMOUNTS},
        "budget_unit": objects([u or "元" for u in column["budget_unit"][first]]), "has_actuals": has_actuals,
    }, PROJECT_FRAME)
    return Frames(projects, indicators, None)


def _renamed(table: pd.DataFrame) -> dict:
    """The table's columns this reader knows → their flat column (of two naming one, the first)."""
    renamed = {}
    for column in table.columns:
        key = column_of(column)
        if key is not None and key not in renamed.values():
            renamed[column] = key
    return renamed


def project_keys(table: pd.DataFrame, file: str = "<frame>", first_row: int = 0) -> np.ndarray | None:
    """Each row's project as ``frames`` reads it (its project_id, else its project_name), or None
    when the table has neither column (``frames`` says so)."""
    by_key = {key: column for column, key in _renamed(table).items()}
    key = "project_id" if "project_id" in by_key else "project_name" if "project_name" in by_key else None
    return None if key is None else _text_column(table[by_key[key]], key, file, first_row)


def _project_years(years: np.ndarray, codes: np.ndarray, n: int, file: str, rows: np.ndarray) -> np.ndarray:
    """Each project's 年度: the one its rows give (on any of them); two different ones are refused
    (naming the row by its place in the file, ``rows``)."""
    given = pd.DataFrame({"project": codes, "year": years}).dropna().drop_duplicates("project", keep="first")
    found = np.full(n, None, dtype=object)
    found[given["project"].to_numpy()] = given["year"].to_numpy()
    other = np.flatnonzero(~pd.isna(years) & (years != found[codes]))
    if other.size:
        row = int(other[0])
        raise InputError(f"第 {rows[row] + 1} 行 {label('project_year')}「{years[row]}」与同一项目的「{found[codes[row]]}」不同 "
                         "/ a project of two years", file, code=InputCode.INVALID)
    return found


def _merged_funds(column: dict[str, np.ndarray], file: str) -> dict[str, np.ndarray]:
    """The columns with the rows of one indicator that each give a fund merged into the first, which
    has their funds (the column ``funds``) and no actual of its own, and their reasons, each once."""
    n = len(column["project_id"])
    funds = np.full(n, None, dtype=object)
    fund, money = column["fund"], column["fund_money"]
    column = {key: values for key, values in column.items() if key not in ("fund", "fund_money")}
    if np.equal(fund, None).all() and np.isnan(money).all():
        return {**column, "funds": funds}
    keys = [(project, iid) if iid is not None else (project, None, level1, level2, name) for project, iid, level1,
            level2, name in zip(*(column[c].tolist() for c in ("project_id", "indicator_id", "level1", "level2", "name")))]
    groups = fund_groups(keys, fund.tolist(), [None if m != m else m for m in money.tolist()],
                         column["actual"].tolist(), {label(c): column[c].tolist() for c in _REPEATED},
                         lambda k: f"第 {column['row'][k] + 1} 行", file)
    keep = np.ones(n, dtype=bool)
    actual, reason = column["actual"].copy(), column["reason"].copy()
    for first, (given, members) in groups.items():
        funds[first], actual[first] = given, None
        reason[first] = "；".join(dict.fromkeys(r for r in column["reason"][members].tolist() if r is not None)) or None
        keep[members[1:]] = False
    column = {**column, "actual": actual, "reason": reason, "funds": funds}
    return {key: values[keep] for key, values in column.items()}


def _whole_levels(level1: np.ndarray, codes: np.ndarray, file: str, rows: np.ndarray) -> np.ndarray:
    """The level1 column with "" for a level-less project (no row of it has one); a project some of
    whose rows have one and some not is refused, naming a row of each (by its place in the file, ``rows``)."""
    missing = pd.isna(level1)
    if not missing.any():
        return level1
    level_less = pd.Series(missing).groupby(codes).transform("all").to_numpy()
    if (missing & ~level_less).any():
        row = int(np.argmax(missing & ~level_less))
        other = int(np.flatnonzero((codes == codes[row]) & ~missing)[0])
        raise InputError(f"第 {rows[row] + 1} 行缺少 level1（{label('level1')}），而同一项目的第 {rows[other] + 1} 行有（一个项目的"
                         f"指标要么都有、要么都没有一级指标） / missing level1 while other rows of the project have one", file)
    level1 = level1.copy()
    level1[missing] = ""
    return level1


def _text_column(series: pd.Series, key: str, file: str, first: int) -> np.ndarray:
    """Text with None for missing or blank cells (never NaN); whole floats read as integers (12.0 → 12)."""
    codes, texts = _distinct_cells(series, _float_text if pd.api.types.is_float_dtype(series.dtype) else _cell_text,
                                   key, file, first)
    return objects(texts + [None])[codes]


def _number_column(series: pd.Series, key: str, file: str, first: int) -> np.ndarray:
    """Numbers (``1,025,100`` too), NaN for missing or blank cells; refused as jsonvalues.number refuses."""
    if series.dtype.kind in "if":
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        codes, texts = _distinct_cells(series, _cell_text, key, file, first)
        distinct = pd.to_numeric(pd.Series([text and text.replace(",", "") for text in texts], dtype=object),
                                 errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(distinct) & np.array([text is not None for text in texts], dtype=bool))
        if bad.size:
            row = int(np.argmax(np.isin(codes, bad)))
            raise InputError(f"第 {first + row + 1} 行 {key} 应为数字，而不是「{series.iat[row]}」 / expected a number", file)
        numbers = np.append(distinct, np.nan)[codes]
    outside = np.abs(numbers) >= LARGEST
    if key in _POINTS:
        outside |= (numbers < 0) | (numbers > 100)
    if outside.any():
        row = int(np.argmax(outside))
        raise InputError(f"第 {first + row + 1} 行 {key} {out_of_range(numbers[row], key in _POINTS)}，而不是「{shown(series.iat[row])}」"
                         f" / out of range", file, code=InputCode.OUT_OF_RANGE)
    return numbers


def _cell_text(value) -> str | None:
    """A cell's text, stripped; None when blank."""
    if isinstance(value, bytes):
        value = value.decode()
    elif not isinstance(value, str):
        value = str(value)
    return value.strip() or None


def _float_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _distinct_cells(series: pd.Series, read, key: str, file: str, first: int) -> tuple[np.ndarray, list]:
    """Each cell's code into ``read`` of the distinct cells (code -1: a missing cell), read once per
    distinct cell. In a column of Python objects of several types, cells that compare equal but read
    differently (1, 1.0 and True; 0.0 and -0.0) are read one by one."""
    try:
        codes, uniques = factorize(series)
        if series.dtype == object and set(map(type, uniques)) - {str}:        # text equals only text
            values = series.to_numpy(dtype=object)
            present = pd.notna(values)
            kinds = set(map(type, values[present]))
            if len(kinds) > 1 or float in kinds:
                return np.where(present, np.arange(len(values)), -1), [read(v) if p else None
                                                                        for v, p in zip(values, present)]
        return codes, [read(v) for v in uniques.tolist()]
    except UnicodeDecodeError as error:                   # error.object: the cell's bytes
        row = next(k for k, v in enumerate(series) if isinstance(v, bytes) and v == error.object)
        raise InputError(f"第 {first + row + 1} 行 {key} 不是 UTF-8 编码的文字 / not UTF-8 text", file) from None

"""The readers: input files and data → the engine's frames (scoring.columns.Frames).

    read(targets, actuals=None)   targets.json + actuals.json, an xlsx 自评表, a CSV or Parquet table
                                  of one row per indicator, a DataFrame, or JSON data already loaded

Readers sit below the engine: they import nothing above its input. Each problem raises InputError
naming the file and the place (JSON path, row, sheet).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from scoring._columnar.bulk import bulk
from scoring.columns import Frames
from scoring.errors import InputError
from scoring.readers import flat, jsondecode, jsonfiles

Source = str | Path | dict | list | pd.DataFrame
FLAT_SUFFIXES = (".csv", ".parquet")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@bulk
def read(targets: Source, actuals: Source | None = None) -> Frames:
    """The frames of the inputs, whatever form they come in (see the module docstring); the files are
    loaded with the cyclic collector paused, as the frames are built."""
    if isinstance(targets, pd.DataFrame) or _suffix(targets) in FLAT_SUFFIXES:
        if actuals is not None:
            raise InputError("一行一个指标的表格已含实际完成值，不再需要 actuals 文件 / a flat table holds the actuals")
        if isinstance(targets, pd.DataFrame):
            return flat.frames(targets, "<frame>")
        return flat.frames(flat.read_flat(Path(targets)), str(targets))
    try:
        return jsonfiles.read_inputs(document(targets, "targets"), None if actuals is None else document(actuals, "actuals"))
    except jsondecode.Slow:                     # a file the fast decoder does not read as the standard library
        return jsonfiles.read_inputs(document(targets, "targets", fast=False),
                                     None if actuals is None else document(actuals, "actuals", fast=False))


def document(source: str | Path | dict | list, role: str, fast: bool = True) -> tuple[Any, str]:
    """A targets.json-shaped document and its name for errors: a JSON file (decoded project by project
    where it can be: readers/jsondecode.py), an xlsx 自评表 read as one, or data already loaded."""
    if _suffix(source) in WORKBOOK_SUFFIXES:
        from scoring.readers.xlsx import read_workbook   # openpyxl is loaded only for workbooks

        return read_workbook(Path(source)), str(source)
    return jsondecode.load_json(source, role, fast)


def _suffix(source) -> str:
    return Path(source).suffix.lower() if isinstance(source, (str, Path)) else ""

"""A flat file (CSV, Parquet) scored a chunk of whole projects at a time into a row output (CSV,
Parquet), in memory that does not grow with the file: read a batch of rows (readers/batches.py), cut
it after its last whole project (the rows of the project the batch ends in go on to the next chunk),
score the chunk and append its rows to the output (writers/chunked.py).

The output is the whole-table path's, byte for byte (CSV) and read back alike (Parquet), whatever
the chunk size: each project is scored with all its rows, in the order of the file, and an error
names the row of the file. The whole table is read instead (``Unstreamable``) when that cannot be
promised: the rows of a project come apart (a project seen in an earlier chunk comes again), or
reading cannot go on as it began. Nothing is left of the output begun then.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from scoring import engine
from scoring._columnar.bulk import bulk
from scoring.errors import Unstreamable
from scoring.readers import flat
from scoring.readers.batches import batches
from scoring.report import ScoreReport
from scoring.rulesets import DEFAULT, Ruleset, level1_owners, load_ruleset
from scoring.writers.chunked import STREAMED, row_writer
from scoring.writers.files import encoded_write, write_whole

CHUNK_ROWS = 100_000          # rows read and scored at a time: about 450 MB at the peak (benchmarks/README.md)


@dataclass(frozen=True)
class Written:
    """What the command says of a table written in chunks, as it says it of a ScoreReport: how many
    indicators, the issues by code, and the first few issues."""

    indicators: int
    counts: dict[str, int]
    first_issues: pd.DataFrame

    def __len__(self) -> int:
        return self.indicators

    @property
    def has_issues(self) -> bool:
        return bool(self.counts)

    def issue_counts(self) -> dict[str, int]:
        return self.counts

    def issue_rows(self, limit: int) -> pd.DataFrame:
        return self.first_issues.head(limit)


def streams(source: str | Path, form: str, output: str | Path | None) -> bool:
    """Whether ``source`` may be scored in chunks into ``form``: a flat file to a row output file."""
    return output is not None and form in STREAMED and Path(source).suffix.lower() in (".csv", ".parquet")


@bulk
def write_chunks(source: Path, form: str, output: Path, *, ruleset: str | Path | Ruleset | None = None,
                 period: str = "year", rows: int = CHUNK_ROWS, spreadsheet_safe: bool = False,
                 encoding: str = "utf-8", issues_kept: int = 5,
                 progress: Callable[[int], None] = lambda indicators: None) -> Written:
    """Score the flat file ``source`` a chunk of about ``rows`` rows at a time and write ``output``
    (whole or not at all) as ``form``, one of ``STREAMED``. ``progress`` hears the indicators scored
    so far. Raises Unstreamable (nothing written) when the file must be read whole."""
    ruleset = ruleset if isinstance(ruleset, Ruleset) else load_ruleset(ruleset or DEFAULT)
    owners = level1_owners()
    written: list[Written] = []

    def scored(writer) -> None:
        tally = _Tally(issues_kept)
        for report in _reports(source, rows, ruleset, period, owners):
            writer.write(report)
            tally.add(report)
            progress(tally.indicators)
        writer.close()
        written.append(tally.written())

    if form == "csv":
        write_whole(output, lambda temporary: encoded_write(
            temporary, lambda out: scored(row_writer(form, out, spreadsheet_safe)), encoding))
    else:
        write_whole(output, lambda temporary: scored(row_writer(form, temporary)))
    return written[0]


def _reports(source: Path, rows: int, ruleset: Ruleset, period: str, owners) -> Iterator[ScoreReport]:
    """The report of each chunk of whole projects, in the order of the file."""
    file, indicators = str(source), 0
    seen = np.empty(0, dtype=np.uint64)          # hashes of the projects of the chunks done (a clash costs
    for table, first, keys in _chunks(source, rows):     # a needless whole read, never a wrong result)
        if keys is not None:
            hashes = pd.util.hash_array(keys.astype(object))
            again = np.isin(hashes, seen)
            if again.any():
                row = int(np.argmax(again))
                raise Unstreamable(f"项目「{keys[row]}」的行不相连（第 {first + row + 1} 行又出现），改为整表读取；"
                                   "按项目排序后可分块读取 / a project's rows are apart: read whole")
            seen = np.union1d(seen, hashes)
        inputs = flat.frames(table, file, first, indicators)
        indicators += len(inputs.indicators)
        scored = engine.score(inputs.projects, inputs.indicators, ruleset, period, owners)
        yield ScoreReport(ruleset, scored.indicators, scored.projects, period)


def _chunks(source: Path, rows: int) -> Iterator[tuple[pd.DataFrame, int, np.ndarray | None]]:
    """Tables of whole projects with the file row each begins at and each row's project (None: the
    table names none, which ``frames`` refuses): each batch read, after the rows carried from the one
    before, up to the run of rows of the project it ends in, which is carried on."""
    file, first, carried = str(source), 0, None
    for batch in batches(source, rows):
        table = batch if carried is None else pd.concat([carried, batch], ignore_index=True)
        keys = flat.project_keys(table, file, first)
        if keys is None:
            yield table, first, None
            return
        tail = _tail(keys)
        if tail > 0:
            yield table.iloc[:tail].reset_index(drop=True), first, keys[:tail]
        carried, first = table.iloc[tail:].reset_index(drop=True), first + tail
    if carried is not None:
        yield carried, first, flat.project_keys(carried, file, first)


def _tail(keys: np.ndarray) -> int:
    """Where the last run of one project begins (0: the table is one project)."""
    differs = np.flatnonzero(keys[:-1] != keys[-1]) if len(keys) else np.empty(0, dtype=np.int64)
    return int(differs[-1]) + 1 if differs.size else 0


class _Tally:
    """The indicators, the issues by code and the first ``kept`` issues of the reports so far, as one
    report of them all would give them (every indicator's issues come before any project's)."""

    def __init__(self, kept: int) -> None:
        self.kept, self.indicators, self.counts = kept, 0, Counter()
        self.rows: dict[bool, list[pd.DataFrame]] = {True: [], False: []}      # an indicator's issue, a project's

    def add(self, report: ScoreReport) -> None:
        self.indicators += len(report)
        self.counts.update(report.issue_counts())
        issues = report.issue_rows(self.kept)
        of_indicator = issues["name"].notna().to_numpy()
        for kind, part in ((True, issues[of_indicator]), (False, issues[~of_indicator])):
            if sum(map(len, self.rows[kind])) < self.kept and len(part):
                self.rows[kind].append(part)

    def written(self) -> Written:
        parts = [part for kind in (True, False) for part in self.rows[kind]]
        first = pd.concat(parts, ignore_index=True).head(self.kept) if parts else pd.DataFrame()
        return Written(self.indicators, dict(sorted(self.counts.items())), first)

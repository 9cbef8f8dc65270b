"""A JSON document of the usual shape read in columns by pyarrow's JSON reader (where pyarrow is
installed): its projects' texts, which ``Document`` has split, are parsed on every core into Arrow
columns, and each distinct text of a column becomes one Python string.

The usual shape: canonical keys only, text where text goes and numbers where numbers go, every
required value given, no ``funds`` or ``level_points``. Anything else, and any problem the general
reader would name, raises ``Unusual``, and the document is read the general way (readers/jsonfiles.py),
which reads it as before and raises its first problem in document order. What is taken here is what
the general reader would make of it, value for value.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import numpy as np

from scoring import columns
from scoring._columnar.distinct import objects
from scoring.errors import InputError
from scoring.numbers import LARGEST
from scoring.readers.jsondecode import Document
from scoring.readers.jsonvalues import BUDGET, DOCUMENT, INDICATOR, PROJECT, text

_PASSED = ("kind", "year", "unit", "department")      # project values the frames keep as the file gives them
_UNUSUAL = frozenset({"funds", "level_points"})       # read by the general reader only


class Unusual(Exception):
    """The document is not of the usual shape: read it the general way."""


@dataclass(frozen=True)
class Table:
    """A document's projects and their indicators, in columns: the ruleset it names; per project its
    canonical keys' columns (``projects``: the budget's as ``budget.<key>``, and ``budget`` whether
    it gives a budget object) and how many indicators
    it has (``counts``); the indicators' columns by canonical key (only the keys some object gives)."""

    ruleset: str | None
    projects: dict[str, np.ndarray]
    counts: np.ndarray
    indicators: dict[str, np.ndarray]

    @property
    def owner(self) -> np.ndarray:
        """Each indicator's project."""
        return np.repeat(np.arange(len(self.counts), dtype=np.int64), self.counts)

    @property
    def position(self) -> np.ndarray:
        """Each indicator's index within its project."""
        starts = np.cumsum(self.counts) - self.counts
        return np.arange(int(self.counts.sum()), dtype=np.int64) - np.repeat(starts, self.counts)


def read_table(document, file: str, kinds: dict[str, str], required: frozenset = frozenset()) -> Table:
    """The table of a ``Document``, its indicator keys read as ``kinds`` says (key → "text", "number"
    or "points"; other canonical keys are not read, as by the general reader); ``required`` indicator
    keys must be given, as non-empty text. The projects are parsed ``BATCH`` bytes of them at a time,
    so that the Arrow columns of one batch only live at once."""
    try:
        import pyarrow
        import pyarrow.json
    except ImportError:
        raise Unusual from None
    if not isinstance(document, Document):
        raise Unusual
    ruleset, raws = _project_texts(document, file)
    if not raws:
        raise Unusual
    ends = np.cumsum(np.fromiter(map(len, raws), dtype=np.int64, count=len(raws)))
    cuts = [0, *np.searchsorted(ends, np.arange(BATCH, int(ends[-1]), BATCH), side="right").tolist(), len(raws)]
    parts = [_batch(raws[start:end], kinds, required) for start, end in zip(cuts, cuts[1:]) if end > start]
    pyarrow.default_memory_pool().release_unused()       # the Arrow columns' memory, back to the system
    return Table(ruleset, _joined([(p, len(counts)) for p, counts, _ in parts], _blank_project),
                 np.concatenate([counts for _, counts, _ in parts]),
                 _joined([(i, int(counts.sum())) for _, counts, i in parts], lambda key, n: _blank(kinds[key], n)))


BATCH = 1 << 26                # bytes of projects parsed at a time


def _batch(raws: list, kinds: dict[str, str], required: frozenset) -> tuple[dict, np.ndarray, dict]:
    """Some projects' columns, their indicator counts and their indicators' columns."""
    import pyarrow.json

    joined = b"\n".join(raws)
    spread = joined.count(b"\n") >= len(raws)                # some project printed over several lines
    try:
        read = pyarrow.json.read_json(
            io.BytesIO(joined),
            read_options=pyarrow.json.ReadOptions(block_size=max(1 << 22, max(map(len, raws)) + 1)),
            parse_options=pyarrow.json.ParseOptions(newlines_in_values=spread)).combine_chunks()
        read.validate(full=True)                         # text that is not UTF-8 (GBK, a stray byte) is refused
        fields = set(read.column_names)
    except (ValueError, OverflowError):                  # pyarrow.ArrowInvalid, UnicodeDecodeError are ValueErrors
        raise Unusual from None
    del joined
    if not fields <= columns.keys(PROJECT) - _UNUSUAL or "indicators" not in fields:    # an alias, a key unknown
        raise Unusual
    projects = {key: _texts(read.column(key).chunk(0)) for key in ("id", "name", *columns.GOALS) if key in fields}
    projects |= {key: _passed(read.column(key).chunk(0)) for key in _PASSED if key in fields}
    if "budget" in fields:
        projects |= {f"budget{key}": value for key, value in _budget(read.column("budget").chunk(0)).items()}
    items = read.column("indicators").chunk(0)
    if items.null_count or not _is_list(items.type):
        raise Unusual
    counts = items.value_lengths().to_numpy(zero_copy_only=False).astype(np.int64)
    return projects, counts, _indicators(items.flatten(), kinds, required)


def _joined(parts: list[tuple[dict[str, np.ndarray], int]], blank) -> dict[str, np.ndarray]:
    """Batches' columns (each with its length) one after another, ``blank(key, n)`` standing for a
    key a batch has not."""
    if len(parts) == 1:
        return parts[0][0]
    keys = dict.fromkeys(key for part, _ in parts for key in part)
    return {key: np.concatenate([part[key] if key in part else blank(key, n) for part, n in parts])
            for key in keys}


def _blank_project(key: str, n: int) -> np.ndarray:
    if key == "budget":
        return np.zeros(n, dtype=bool)
    return _blank("number" if key.startswith("budget.") and key != "budget.unit" else "text", n)


def _blank(kind: str, n: int) -> np.ndarray:
    return np.full(n, None, dtype=object) if kind == "text" else np.full(n, np.nan)


def _project_texts(document: Document, file: str) -> tuple[str | None, list]:
    if document.items is not None:
        return None, document.items
    if "projects" not in document.top or not set(document.top) <= columns.keys(DOCUMENT):
        raise Unusual                                    # one project, or aliased keys
    raws = document.array(document.top["projects"])
    if raws is None:
        raise Unusual
    try:
        return text(document.value(document.top.get("ruleset")), file, "$.ruleset"), raws
    except InputError:
        raise Unusual from None


def _indicators(items, kinds: dict[str, str], required: frozenset) -> dict[str, np.ndarray]:
    import pyarrow

    if pyarrow.types.is_null(items.type):                # no project has an indicator
        return {}
    if not pyarrow.types.is_struct(items.type) or items.null_count:
        raise Unusual
    names = [items.type.field(i).name for i in range(items.type.num_fields)]
    if not set(names) <= columns.keys(INDICATOR) - _UNUSUAL or not required <= set(names):
        raise Unusual
    return {name: _texts(values, name in required) if kinds[name] == "text" else _numbers(values, kinds[name] == "points")
            for name, values in zip(names, items.flatten()) if name in kinds}


def _budget(budget) -> dict[str, np.ndarray]:
    import pyarrow

    if pyarrow.types.is_null(budget.type):
        return {}
    if not pyarrow.types.is_struct(budget.type):
        raise Unusual
    names = [budget.type.field(i).name for i in range(budget.type.num_fields)]
    if not set(names) <= columns.keys(BUDGET):
        raise Unusual
    return {"": ~np.asarray(budget.is_null(), dtype=bool),
            **{f".{name}": _texts(values) if name == "unit" else _numbers(values)
               for name, values in zip(names, budget.flatten())}}


def _texts(values, required: bool = False) -> np.ndarray:
    """Text as ``jsonvalues.text`` reads it (stripped; empty or null: None), each distinct text one
    interned string."""
    import pyarrow

    if pyarrow.types.is_null(values.type):
        distinct, codes = objects([None]), np.zeros(len(values), dtype=np.int64)
    elif pyarrow.types.is_string(values.type) or pyarrow.types.is_large_string(values.type):
        encoded = values.dictionary_encode()
        words = [sys.intern(word.strip()) or None for word in encoded.dictionary.to_pylist()]
        distinct = objects([*words, None])
        codes = encoded.indices.fill_null(len(words)).to_numpy(zero_copy_only=False)
    else:
        raise Unusual                                    # a number, true/false, an object or a list where text goes
    column = distinct[codes]
    if required and np.equal(column, None).any():
        raise Unusual
    return column


def _numbers(values, points: bool = False) -> np.ndarray:
    """JSON numbers as floats (null: NaN), each finite, below 10¹⁵ in size, with ``points`` from 0 to
    100, as ``jsonvalues.number`` takes them."""
    import pyarrow

    if pyarrow.types.is_null(values.type):
        return np.full(len(values), np.nan)
    if not (pyarrow.types.is_integer(values.type) or pyarrow.types.is_floating(values.type)):
        raise Unusual                                    # text ("1,025"), true/false: the general reader's
    read = values.cast(pyarrow.float64(), safe=False).to_numpy(zero_copy_only=False)
    given = ~np.asarray(values.is_null(), dtype=bool)
    fits = np.abs(read) < LARGEST
    if points:
        fits &= (read >= 0) & (read <= 100)
    if (given & ~fits).any():                            # NaN, past the range: refused by the general reader
        raise Unusual
    if (np.signbit(read) & (read == 0)).any():           # -0 or -0.0 (a column of floats reads both as -0.0)
        raise Unusual
    return read


def _passed(values) -> np.ndarray:
    """Values the frames keep as given: text, integers, true/false (a float might have been an integer
    in the file: pyarrow reads a column of both as floats)."""
    import pyarrow

    if not any(test(values.type) for test in (pyarrow.types.is_null, pyarrow.types.is_string,
                                              pyarrow.types.is_int64, pyarrow.types.is_boolean)):
        raise Unusual
    return objects(values.to_pylist())


def _is_list(kind) -> bool:
    import pyarrow

    return pyarrow.types.is_list(kind) or pyarrow.types.is_large_list(kind)


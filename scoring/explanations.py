"""Explanations: the Chinese sentence behind each indicator's points, e.g.
``实际 92% < 目标 ≥95%：5.00 × 92 / 95 = 4.84 分``, which a person can check by hand.

A sentence depends on the row's reading, status and share, and on three numbers that differ from row
to row: its weight, score and computed score. ``explain`` writes one sentence. ``explanations``
writes the sentence of each distinct rest once, as a template whose numbers are slots, and fills the
slots for every row with array operations: a million rows share some tens of thousands of templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from scoring._columnar import distinct
from scoring.codes import Flag, Method, Status
from scoring.model import Op
from scoring.rulesets import Ruleset

OP_SIGNS = {Op.GE: "≥", Op.LE: "≤", Op.GT: ">", Op.LT: "<", Op.EQ: "="}
EXPLAINED = ["weight", "score", "computed_score", "status", "method", "target", "actual", "issues", "flags",
             "op", "tier", "share", "parts", "a", "b", "low", "high", "unit"]
SLOTS = ("weight", "score", "computed_score")       # the numbers a template leaves open
# what the engine may change in a row after evaluating its target and actual (evaluator scores,
# unknown 一级指标, tiers, compound parts, over-achievement); the rest follows from its outcome.
# Kept by hand: tests/test_writers.py explains every case's rows one by one against the templates.
ENGINE_REVISES = ("status", "method", "issues", "flags", "tier", "share", "parts")


def _num(value: float) -> str:
    """A number as short as it is, at most four decimals: 92.0 → 92, 97.2 → 97.2, 3.068493… → 3.0685."""
    return f"{Decimal(repr(round(value, 4))).normalize():f}" if value == value else "?"


def explain(row: dict, ruleset: Ruleset) -> str:
    """The sentence behind one indicator's points."""
    w, points = row["weight"], row["score"]
    status, method = row["status"], row["method"]
    target, actual = row["target"], row["actual"]
    if status == Status.NOT_APPLICABLE:
        return f"实际「{actual}」：不适用，不计分，项目得分按 100 分折算"
    if status == Status.NOT_SCORED or (row["share"] != row["share"]):
        reasons = "；".join(message.splitlines()[0] for _, message in row["issues"]) or "无法评分"
        return f"未评分：{reasons}"
    if method == Method.MISSING:
        return f"未填写实际完成值：0 分（分值 {w:.2f}）"
    prefix = ""
    if Flag.ASSUMED_OP in row["flags"] and row["op"] in OP_SIGNS:
        prefix = f"未写比较符，按 {OP_SIGNS[row['op']]} 计；"
    if method == Method.QUALITATIVE:
        tier = ruleset.tier(row["tier"])
        band = f"{float(tier.low) * 100:g}%–{float(tier.high) * 100:g}%"
        sentence = (f"实际「{actual}」属「{tier.name}」（{band}）：{w:.2f} × {row['share'] * 100:g}% = "
                    f"{row['computed_score']:.2f} 分")
    elif method == Method.COMPOUND:
        pieces = "；".join(f"{t} → {a or '未填'}（{s * 100:.0f}%）" for t, a, s, _ in row["parts"])
        sentence = f"复合指标，各部分平分分值：{pieces}；{w:.2f} × {row['share'] * 100:.2f}% = {row['computed_score']:.2f} 分"
    elif method == Method.DEADLINE:
        sentence = (f"实际 {actual} 未晚于期限 {target}：{w:.2f} 分" if row["share"]
                    else f"实际 {actual} 晚于期限 {target}：0 分")
    else:
        sentence = _numeric(row, w)
    if Flag.OVERRIDE in row["flags"]:
        sentence += f"；采用评价人得分 {points:.2f} 分（计算得分 {row['computed_score']:.2f}）"
    if Flag.OVER_ACHIEVEMENT in row["flags"]:
        sentence += f"；实际/目标 = {row['b'] / row['a']:.2f}，超额完成，需说明原因"
    return prefix + sentence


def _numeric(row: dict, w: float) -> str:
    a, b, method = row["a"], row["b"], row["method"]
    unit, written = row["unit"], (row["actual"] or "").strip()
    converted = f"{_num(b)}{unit}"
    got = f"实际 {written}" if converted == written else f"实际 {written}（= {converted}）"
    goal = f"目标 {row['target']}"
    computed = row["computed_score"]
    if method == Method.RANGE:
        low, high = row["low"], row["high"]
        if low <= b <= high:
            return f"{got} 在 {goal} 内：满分 {w:.2f} 分"
        if b < low:
            return f"{got} 低于 {goal}：{w:.2f} × {_num(b)} / {_num(low)} = {computed:.2f} 分"
        return f"{got} 高于 {goal}：{w:.2f} × {_num(high)} / {_num(b)} = {computed:.2f} 分"
    if row["share"] >= 1:
        return f"{got} 达到 {goal}：满分 {w:.2f} 分"
    if Flag.OVER_ACHIEVEMENT in row["flags"] and b >= a:
        return f"{got} 超过 {goal}：{w:.2f} × {row['share'] * 100:g}%（超额完成扣分后） = {computed:.2f} 分"
    if a == 0 or row["share"] == 0:
        return f"{got} 未达到 {goal}：0 分"
    if method in (Method.PROPORTIONAL, Method.EXACT_OR_MORE):
        return f"{got} < {goal}：{w:.2f} × {_num(b)} / {_num(a)} = {computed:.2f} 分"
    if method == Method.RATIO:
        return f"{got} > {goal}：{w:.2f} × {_num(a)} / {_num(b)} = {computed:.2f} 分"
    return (f"{got} > {goal}：{w:.2f} × (1 − ({_num(b)} − {_num(a)}) / {_num(a)}) = "
            f"{computed:.2f} 分")


@dataclass(frozen=True)
class Sentences:
    """Every row's sentence as pieces: the row's text is the concatenation of its text in each piece."""

    pieces: tuple[distinct.Coded, ...]

    def texts(self) -> list[str]:
        if not self.pieces:
            return []
        return list(map("".join, zip(*(piece.texts().tolist() for piece in self.pieces))))


def explanations(frame: pd.DataFrame, ruleset: Ruleset, escape=None, factorize=None) -> Sentences:
    """The sentence of every row of a scored frame.

    ``escape`` (e.g. for JSON) is applied to the text around the numbers, once per template.
    ``factorize(column)`` gives a column's codes and distinct values, for a caller that shares them.
    """
    columns = [c for c in EXPLAINED if c in frame]
    factorize = factorize or (lambda name: distinct.factorize(frame[name]))
    deciding = [c for c in columns if c not in SLOTS]
    if "outcome" in frame:        # the engine's code for what a row's target and actual alone decide
        deciding = ["outcome", *(c for c in deciding if c in ENGINE_REVISES)]
    codes, first = _distinct_rows([factorize(c) for c in deciding], len(frame))
    samples = {c: frame[c].to_numpy()[first].tolist() for c in columns}
    literals, slots, by_hand = [], [], []
    for t in range(len(first)):
        template = _template({c: samples[c][t] for c in columns}, ruleset)
        if template is None:          # the mark occurs in the row's own text: its rows are explained one by one
            by_hand.append(t)
            template = ([""], [])
        literals.append(template[0])
        slots.append(template[1])
    width = max((len(s) for s in slots), default=0)
    escaped = escape or (lambda text: text)
    texts = np.empty((len(literals), width + 1), dtype=object)
    texts[:] = ""
    numbers: dict[tuple[str, str], int] = {}
    slot_table = np.full((len(slots), width), -1, dtype=np.int64)      # -1: no number
    for t, (pieces, used) in enumerate(zip(literals, slots)):
        texts[t, :len(pieces)] = [escaped(piece) for piece in pieces]
        for k, name_spec in enumerate(used):
            slot_table[t, k] = numbers.setdefault(name_spec, len(numbers))
    number_codes = np.empty((len(numbers) + 1, len(frame)), dtype=np.int64)
    number_texts: list[str] = []
    for (name, spec), k in numbers.items():
        row_codes, table = _formatted(frame[name].to_numpy(dtype=float), spec)
        number_codes[k] = row_codes + len(number_texts)
        number_texts += table
    number_codes[-1] = len(number_texts)          # no number
    numbers_table = np.array([*number_texts, ""], dtype=object)
    rows = np.arange(len(frame))
    first_codes, first_texts = codes, texts[:, 0]
    if by_hand:
        first_codes, first_texts = codes.copy(), list(first_texts)
        for row in np.flatnonzero(np.isin(codes, by_hand)):
            values = {c: frame[c].to_numpy()[row:row + 1].tolist()[0] for c in columns}
            first_codes[row] = len(first_texts)
            first_texts.append(escaped(explain(values, ruleset)))
        first_texts = np.array(first_texts, dtype=object)
    pieces = [distinct.Coded(first_codes, first_texts)]
    for k in range(width):
        pieces += [distinct.Coded(number_codes[slot_table[codes, k], rows], numbers_table),
                   distinct.Coded(codes, texts[:, k + 1])]
    return Sentences(tuple(pieces))


_MARK = "\x00\x01slot\x01\x00"


class _Slot:
    """A row's number left open in a template: formatting it records the format and leaves a mark."""

    def __init__(self, name: str, used: list) -> None:
        self.name, self.used = name, used

    def __format__(self, spec: str) -> str:
        self.used.append((self.name, spec))
        return _MARK

    def _misused(self, *_) -> None:
        raise TypeError(f"explain() may only format {self.name!r}: a template leaves it open (SLOTS), "
                        "so a sentence cannot depend on its value")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __float__ = __int__ = _misused
    __str__ = __repr__ = _misused
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _misused
    __neg__ = __abs__ = __round__ = _misused
    __hash__ = None


def _template(values: dict, ruleset: Ruleset) -> tuple[list[str], list[tuple[str, str]]] | None:
    """(the text around the numbers, which number goes in each gap and its format); None when the
    row's own text holds the mark."""
    used: list[tuple[str, str]] = []
    text = explain({**values, **{name: _Slot(name, used) for name in SLOTS if name in values}}, ruleset)
    literals = text.split(_MARK)
    return (literals, used) if len(literals) == len(used) + 1 else None


def _distinct_rows(factorized: list[tuple[np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for its combination of values (codes of -1, missing values, included), in order of
    first appearance, and the first row of each combination."""
    key, size = np.zeros(n, dtype=np.int64), 1
    for codes, uniques in factorized:
        if size * (len(uniques) + 1) >= 2 ** 62:          # renumber the combinations so far before they overflow
            key, seen = pd.factorize(key)
            size = len(seen)
        key, size = key * (len(uniques) + 1) + codes + 1, size * (len(uniques) + 1)
    key, _ = pd.factorize(key)
    return key, np.flatnonzero(~pd.Series(key).duplicated().to_numpy())


def _formatted(values: np.ndarray, spec: str) -> tuple[np.ndarray, list[str]]:
    """Each value's code into the texts of the distinct values, formatted."""
    codes, uniques = distinct.factorize(values, use_na_sentinel=False)
    return codes, [format(u, spec) for u in uniques]

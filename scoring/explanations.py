"""Explanations: the Chinese sentence behind each indicator's points, e.g.
``实际 92% < 目标 ≥95%：5.00 × 92 / 95 = 4.84 分``, which a person can check by hand.

A sentence depends on the row's reading, status and share, and on three numbers that differ from row
to row: its weight, score and computed score. An actual combined from several funds (engine/funds.py)
is shown first: ``各资金按金额加权：(95% × 120.5 + 98% × 80) / 200.5 ≈ 96.197%；``. ``explain`` writes
one sentence, readably; it is the definition. ``explanations`` gives every row's sentence through the
templates of scoring/_columnar/templates.py (each distinct rest written once by ``explain``, its
numbers filled in per row), which the tests hold to ``explain`` row by row.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from scoring._columnar.templates import Sentences, templated
from scoring.codes import Flag, Method, Status
from scoring.engine.funds import Combination, Combining
from scoring.model import Op
from scoring.methods import completion
from scoring.rulesets import STEP_TESTS, Rule, Ruleset

OP_SIGNS = {Op.GE: "≥", Op.LE: "≤", Op.GT: ">", Op.LT: "<", Op.EQ: "="}
EXPLAINED = ["weight", "score", "computed_score", "status", "method", "target", "actual", "issues", "flags",
             "op", "tier", "share", "parts", "a", "b", "low", "high", "unit", "rule", "combination"]
SLOTS = ("weight", "score", "computed_score")       # the numbers a template leaves open
# what decides a row's sentence besides its outcome: what the engine may change in a row after
# evaluating its target and actual (evaluator scores, unknown 一级指标, funds not combined, tiers,
# compound parts, over-achievement), and how its funds gave its actual; the rest follows from its
# outcome. Kept by hand: tests/test_writers.py explains every case's rows one by one against the templates.
ENGINE_REVISES = ("status", "method", "issues", "flags", "tier", "share", "parts", "rule", "combination")


def _num(value: float) -> str:
    """A number as short as it is, at most four decimals: 92.0 → 92, 97.2 → 97.2, 3.068493… → 3.0685."""
    return f"{Decimal(repr(round(value, 4))).normalize():f}" if value == value else "?"


def explain(row: dict, ruleset: Ruleset) -> str:
    """The sentence behind one indicator's points, after how its funds were combined, if they were."""
    return combined(row.get("combination")) + _sentence(row, ruleset)


def _sentence(row: dict, ruleset: Ruleset) -> str:
    w, points = row["weight"], row["score"]
    status, method = row["status"], row["method"]
    target, actual = row["target"], row["actual"]
    if status == Status.NOT_APPLICABLE:
        return f"实际「{actual}」：不适用，不计分，项目得分按 100 分折算"
    if status == Status.NOT_SCORED or (row["share"] != row["share"]):
        reasons = "；".join(issue.message.splitlines()[0] for issue in row["issues"]) or "无法评分"
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
    elif row.get("rule"):
        sentence = _ruled(row, ruleset.rule(row["rule"]), w)
    else:
        sentence = _numeric(row, w)
    if Flag.OVERRIDE in row["flags"]:
        sentence += f"；采用评价人得分 {points:.2f} 分（计算得分 {row['computed_score']:.2f}）"
    if Flag.OVER_ACHIEVEMENT in row["flags"]:
        sentence += f"；实际/目标 = {row['b'] / row['a']:.2f}，超额完成，需说明原因"
    return prefix + sentence


def combined(combination: Combination | None) -> str:
    """How a row's funds gave its actual: ``各资金相加：3次 + 2次 = 5次；`` (nothing for a row without
    funds, or whose funds could not be combined: its issue says why)."""
    if combination is None or combination.issue is not None:
        return ""
    c = combination
    left = f"（{'、'.join(c.left_out)}不适用，不计入）" if c.left_out else ""
    equals = "=" if c.exact else "≈"
    if c.rule == Combining.WEIGHTED:
        terms = " + ".join(f"{_term(t)} × {t.money}" for t in c.terms)
        return f"各资金按金额加权{left}：({terms}) / {c.money} {equals} {c.actual}；"
    if c.rule == Combining.SUM:
        return f"各资金相加{left}：{' + '.join(map(_term, c.terms))} {equals} {c.actual}；"
    if c.rule == Combining.LATEST:
        return f"各资金取最晚{left}：{'、'.join(t.actual for t in c.terms)} → {c.actual}；"
    if c.rule == Combining.LOWEST:
        return f"各资金取最低档{left}：{'、'.join(f'{t.fund}「{t.actual}」（{t.tier}）' for t in c.terms)} → {c.actual}；"
    if c.rule == Combining.SAME:
        return f"各资金均为「{c.actual}」{left}；"
    return "各资金均不适用；"


def _term(term) -> str:
    return f"{term.actual}（{term.converted}）" if term.converted else term.actual


def _got(row: dict) -> str:
    written, converted = (row["actual"] or "").strip(), f"{_num(row['b'])}{row['unit']}"
    return f"实际 {written}" if converted == written else f"实际 {written}（= {converted}）"


def _numeric(row: dict, w: float) -> str:
    a, b, method = row["a"], row["b"], row["method"]
    got = _got(row)
    goal = f"目标 {row['target']}"
    computed = row["computed_score"]
    if method == Method.RANGE:
        low, high = row["low"], row["high"]
        if low <= b <= high:
            return f"{got} 在 {goal} 内：满分 {w:.2f} 分"
        if b < low:
            ratio = f"{_num(low)} / {_num(b)}" if low < 0 else f"{_num(b)} / {_num(low)}"
            return f"{got} 低于 {goal}：{w:.2f} × {ratio} = {computed:.2f} 分"
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


def _ruled(row: dict, rule: Rule, w: float) -> str:
    """A row a rule ([[rules]]) applies to: the step its value reached (rules.py's test, on the same
    value), or what scored it below them."""
    got, goal = _got(row), f"目标 {row['target']}"
    if rule.on == "actual":
        value, unit, scale, shown = row["b"], row["unit"], 1, f"{_num(row['b'])}{row['unit']}"
    else:
        value = float(completion(row["a"], row["b"], [row["op"]])[0])
        unit, scale, shown = "%", 100, f"完成率 {_num(value * 100)}%"

    def bound(step) -> str:
        return f"{_num(float(step.bound) * scale)}{unit}"
    step = rule.step(value)
    if step is not None:
        test = f"|{shown}| ≤ {bound(step)}" if step.test == "within" else f"{shown} {STEP_TESTS[step.test]} {bound(step)}"
        earned = f"{row['share'] * 100:g}%"
        if Flag.OVER_ACHIEVEMENT in row["flags"] and row["share"] < float(step.share):
            earned += f"（该档 {float(step.share) * 100:g}%，超额完成扣分后）"
        return f"{got}，{goal}；按「{rule.name}」{test}：{w:.2f} × {earned} = {row['computed_score']:.2f} 分"
    if rule.otherwise == "method":
        return f"未达到「{rule.name}」的任何一档，按原方法计分：{_numeric(row, w)}"
    if rule.otherwise == "proportional":
        first = rule.steps[0]
        measured = f"{shown} " if rule.on == "completion" else ""
        return (f"{got}，{goal}；{measured}未达到「{rule.name}」的 {bound(first)}：{w:.2f} × {_num(value * scale)} / "
                f"{_num(float(first.bound) * scale)} = {row['computed_score']:.2f} 分")
    return f"{got}，{goal}；未达到「{rule.name}」的任何一档：0 分"


def explanations(frame: pd.DataFrame, ruleset: Ruleset, escape=None, factorize=None) -> Sentences:
    """The sentence of every row of a scored frame, as pieces (``.texts()`` joins them).

    ``escape`` (e.g. for JSON) is applied to the text around the numbers, once per template.
    ``factorize(column)`` gives a column's codes and distinct values, for a caller that shares them.
    """
    columns = [c for c in EXPLAINED if c in frame]
    deciding = [c for c in columns if c not in SLOTS]
    if "outcome" in frame:        # the engine's code for what a row's target and actual alone decide
        deciding = ["outcome", *(c for c in deciding if c in ENGINE_REVISES)]
    return templated(frame, columns, deciding, SLOTS, lambda row: explain(row, ruleset), escape, factorize)

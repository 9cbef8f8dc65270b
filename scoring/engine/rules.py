"""Stage 6, rules: the ruleset's [[rules]] (thresholds and steps, rulesets.Rule) in place of the method
for the number targets they name, the first rule that applies to a row winning. A row a rule applies
to names it in the column ``rule``; its method is ``rule`` unless it fell below the steps to the method."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from scoring import hanzi, units
from scoring.codes import Method, Status
from scoring.methods import completion
from scoring.rulesets import Rule, Ruleset

_NUMBER_METHODS = (Method.PROPORTIONAL, Method.RATIO, Method.LINEAR, Method.EXACT_OR_MORE, Method.RANGE)


def apply(out: pd.DataFrame, ruleset: Ruleset) -> None:
    rule_of = np.full(len(out), None, dtype=object)
    if ruleset.rules:
        open_rows = (out["status"].to_numpy(dtype=object) == Status.SCORED) & out["method"].isin(_NUMBER_METHODS).to_numpy()
        share = out["share"].to_numpy(dtype=float, copy=True)
        ruled = np.zeros(len(out), dtype=bool)          # a step decided, not the method below the steps
        for rule in ruleset.rules:
            chosen = open_rows & _applies(out, rule)
            value = _value(out, rule)
            chosen &= ~np.isnan(value)
            if chosen.any():
                share[chosen], decided = _shares(rule, value[chosen], share[chosen])
                rule_of[chosen] = rule.name
                ruled[np.flatnonzero(chosen)[decided]] = True
                open_rows &= ~chosen
        out["share"] = share
        if ruled.any():
            method = out["method"].to_numpy(dtype=object).copy()
            method[ruled] = Method.RULE
            out["method"] = pd.Series(method, index=out.index, dtype=object)
    out["rule"] = pd.Series(rule_of, index=out.index, dtype=object)


def _applies(out: pd.DataFrame, rule: Rule) -> np.ndarray:
    chosen = np.ones(len(out), dtype=bool)
    if rule.names:
        pattern = re.compile("|".join(map(re.escape, rule.names)))
        codes, names = pd.factorize(out["name"].to_numpy(dtype=object), use_na_sentinel=False)
        chosen &= np.array([isinstance(n, str) and bool(pattern.search(hanzi.simplified(n))) for n in names],
                           dtype=bool)[codes]
    if rule.families:
        chosen &= out["family"].isin(rule.families).to_numpy()
    if rule.unit is not None:
        unit = units.canonical(rule.unit)
        codes, spelled = pd.factorize(out["unit"].to_numpy(dtype=object), use_na_sentinel=False)
        chosen &= np.array([isinstance(u, str) and units.canonical(u) == unit for u in spelled], dtype=bool)[codes]
    return chosen


def _value(out: pd.DataFrame, rule: Rule) -> np.ndarray:
    if rule.on == "actual":
        return out["b"].to_numpy(dtype=float)
    return completion(out["a"], out["b"], out["op"].to_numpy(dtype=object))


def _shares(rule: Rule, value: np.ndarray, method_share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's share by the rule, and whether the rule (not the method below its steps) decided it."""
    share = np.full(len(value), np.nan)
    for step in rule.steps:
        passed = np.isnan(share) & step.passes(value)
        share[passed] = float(step.share)
    below = np.isnan(share)
    if rule.otherwise == "method":
        share[below] = method_share[below]
    elif rule.otherwise == "proportional":
        share[below] = np.clip(value[below] / float(rule.steps[0].bound), 0.0, 1.0)
    else:
        share[below] = 0.0
    return share, ~below if rule.otherwise == "method" else np.ones(len(value), dtype=bool)

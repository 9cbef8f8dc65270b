"""Stage 8, qualitative: the tier an actual's words put it in, and the shares of qualitative rows (the
tier's default points, or the evaluator's score inside its band)."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd

from scoring.codes import Flag, Issue, IssueCode, Method, Status
from scoring.rulesets import Ruleset


def says_none(word: str | None, ruleset: Ruleset, adverse: bool = False, counted: bool = False) -> bool:
    """无, 零, 未发生, 没有发生安全事故: words that report that nothing happened (the ruleset's
    ``nothing_happened``), alone or before an adverse event; with ``adverse``, before an adverse event
    the ruleset names; with ``counted``, also before the thing a target counts (无上访), unless those
    words tell a tier themselves (没有完成) or the text opens with a longer negation (无法统计)."""
    if not word:
        return False
    if _nothing_happened(ruleset, adverse).fullmatch(word) is not None:
        return True
    opening = _nothing_happened(ruleset, False).match(word) if counted else None
    if opening is None or opening.end() == len(word):
        return False
    head = word[:opening.end()]
    negations = (p for tier in _lower_tiers(ruleset) for p in tier.prefixes)
    if any(len(p) > len(head) and word.startswith(p) for p in negations):
        return False
    return tier_of(word[opening.end():], "", "", ruleset)[0] is None


@lru_cache(maxsize=64)
def _nothing_happened(ruleset: Ruleset, adverse: bool) -> re.Pattern:
    events = "|".join(map(re.escape, ruleset.adverse_words)) or "$^"
    tail = f".*(?:{events}).*" if adverse else f"(?:.*(?:{events}).*)?"
    nothing = "|".join(map(re.escape, sorted(ruleset.nothing_words, key=len, reverse=True))) or "$^"
    return re.compile(rf"(?:{nothing}){tail}")


def _lower_tiers(ruleset: Ruleset) -> list:
    return sorted(ruleset.tiers, key=lambda t: t.low)[:-1]


@lru_cache(maxsize=1 << 14)
def tier_of(actual: str, target_word: str, target_text: str, ruleset: Ruleset) -> tuple[str | None, bool]:
    """The qualitative tier an actual's words put it in (None when it cannot be told), and whether
    only a prefix (基本…, 未…) told it.

    Whole words first; then phrases contained, lowest tier first (未完成 before 完成), no higher than
    the tier of a prefix the actual opens with (基本按时完成 is not 按时完成); then, with no such
    prefix, the target's own words in the actual (不断提升 for 提升) or the actual a shortened form
    of them (全天候 for 全天候可用); then the prefix.
    """
    tiers = sorted(ruleset.tiers, key=lambda t: t.low)
    top = tiers[-1].name
    if actual in {tier.name for tier in tiers}:
        return actual, False
    if actual in (target_word, target_text) or says_none(actual, ruleset, adverse=True):
        return top, False
    for tier in tiers:
        if actual in tier.words:
            return tier.name, False
    lead = next((tier for tier in tiers[:-1] if actual.startswith(tier.prefixes)), None)
    for tier in tiers:
        if lead is not None and tier.low > lead.low:
            break
        if any(phrase in actual for phrase in tier.contains):
            return tier.name, False
    if lead is not None:
        return lead.name, True
    if target_word and (target_word in actual or (len(actual) > 1 and actual in target_word)):
        return top, False
    if tiers[-1].prefixes and actual.startswith(tiers[-1].prefixes):
        return top, True
    return None, False


def apply(out: pd.DataFrame, ruleset: Ruleset) -> None:
    """Shares of qualitative rows: the tier's default points, or the evaluator's score inside its band."""
    qualitative = out["method"].to_numpy(dtype=object) == Method.QUALITATIVE
    if not qualitative.any():
        return
    bands = {tier.name: tier for tier in ruleset.tiers}
    points = {name: float(tier.points) for name, tier in bands.items()}
    tier_codes, tier_names = pd.factorize(out["tier"].to_numpy(dtype=object)[qualitative])
    defaults = np.full(len(out), math.nan)
    defaults[qualitative] = np.array([points.get(t, math.nan) for t in tier_names] + [math.nan])[tier_codes]
    share = np.where(qualitative, defaults, out["share"].to_numpy())
    given_all = out["evaluator_score"].to_numpy(dtype=float)
    attention = np.flatnonzero(qualitative & (~np.isnan(given_all) | np.isnan(defaults)))
    if not attention.size:
        out["share"] = share
        return
    status, issues, flags, tiers = (out[c].to_numpy(dtype=object).copy() for c in ("status", "issues", "flags", "tier"))
    top = max(t.high for t in ruleset.tiers)
    for i in attention:
        weight, given, tier = out["weight"].iat[i], given_all[i], tiers[i]
        has_score = given == given and weight > 0
        ratio = Decimal(str(given)) / Decimal(str(weight)) if has_score else None
        if tier not in bands and has_score:
            tier = tiers[i] = next((t.name for t in ruleset.tiers if _in_band(ratio, t, top)), None)
        if tier not in bands:
            status[i], share[i] = Status.NOT_SCORED, 0.0
            issues[i] += (Issue(IssueCode.TIER_UNKNOWN, "无法判断达成档次，请填写「达成」「部分达成」或「未达成」，或给出得分"
                                                   " / tell the tier"),)
            continue
        band = bands[tier]
        share[i] = float(band.points)
        if has_score:
            if _in_band(ratio, band, top):
                share[i] = float(ratio)
                flags[i] += (Flag.EVALUATOR_SCORE,)
            else:
                issues[i] += (Issue(IssueCode.SCORE_OUT_OF_BAND, f"评价人得分 {given:g} 不在「{tier}」档次区间"
                                                            f" {float(band.low) * 100:g}%–{float(band.high) * 100:g}% 内"
                                                            " / outside the band"),)
    out["share"] = share
    for name, values in (("status", status), ("issues", issues), ("flags", flags), ("tier", tiers)):
        out[name] = pd.Series(values, index=out.index, dtype=object)


def _in_band(ratio: Decimal, tier, top: Decimal) -> bool:
    """Bands are [low, high), the highest one closed at its top."""
    return tier.low <= ratio and (ratio < tier.high or (tier.high == top and ratio <= tier.high))

"""The closed vocabularies of a scored indicator: its status, method, flags and issue codes; and the
findings of a target review (目标审核, ``score review``).

Each is a ``StrEnum`` whose values are the stable codes of the JSON and CSV outputs (docs/outputs.md)
and whose ``label`` is the Chinese a reader sees in a table or a workbook. Members are strings, so a
frame's column compares equal to the plain codes (``status == "scored"``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class _Labelled(StrEnum):
    """A code with its Chinese label: ``Member = "code", "标签"``."""

    def __new__(cls, code: str, label: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member


class Status(_Labelled):
    """Whether an indicator earned points by the rules (状态)."""

    SCORED = "scored", "已评分"
    NOT_SCORED = "not_scored", "未评分"                      # earns 0; its issues say why
    NOT_APPLICABLE = "not_applicable", "不适用"              # its weight leaves the points at stake


class Method(_Labelled):
    """How an indicator's share of its weight was worked out (计分方法)."""

    PROPORTIONAL = "proportional", "按比例（B / A）"
    RATIO = "ratio", "按比例（A / B）"
    LINEAR = "linear", "线性扣分"
    EXACT_OR_MORE = "exact_or_more", "等于目标（0 目标须为 0）"
    RANGE = "range", "区间"
    RULE = "rule", "按规则集的门槛或分档"
    DEADLINE = "deadline", "期限"
    QUALITATIVE = "qualitative", "定性档次"
    COMPOUND = "compound", "复合指标，各部分平分"
    MISSING = "missing", "未填写实际完成值"
    NOT_APPLICABLE = "not_applicable", "不适用"
    NONE = "none", "无"


class Flag(_Labelled):
    """Something to look at in a scored indicator; nothing is wrong (需关注)."""

    ASSUMED_OP = "assumed_op", "未写比较符，按规则集假定"
    ASSUMED_UNIT = "assumed_unit", "一方未写单位，按另一方单位比较"
    CLASSIFIER_CHANGE = "classifier_change", "量词不同，按计数比较"
    OVER_ACHIEVEMENT = "over_achievement", "超额完成，需说明原因"
    NEGATIVE_ACTUAL = "negative_actual", "实际值为负，按 0 计"
    OVERRIDE = "override", "采用评价人得分"
    EVALUATOR_SCORE = "evaluator_score", "采用评价人在档次区间内的得分"
    QUALITATIVE_ACTUAL = "qualitative_actual", "数值指标以文字填报，按档次评分"
    TIER_BY_PREFIX = "tier_by_prefix", "仅凭开头的字（基本…、未…）判断档次"
    PERCENT_ACTUAL = "percent_actual", "文字指标以百分比填报，按 ≥100% 计"


class IssueCode(_Labelled):
    """Why an indicator or a project needs a person's attention (问题)."""

    # an indicator's
    MISSING_ACTUAL = "missing_actual", "未填写实际完成值"
    MISSING_TARGET = "missing_target", "缺少指标值"
    BAD_TARGET = "bad_target", "指标值无法解读"
    BAD_ACTUAL = "bad_actual", "实际完成值无法解读"
    UNIT_MISMATCH = "unit_mismatch", "单位不一致"
    TIER_UNKNOWN = "tier_unknown", "无法判断达成档次"
    SCORE_OUT_OF_BAND = "score_out_of_band", "评价人得分不在档次区间内"
    UNKNOWN_LEVEL1 = "unknown_level1", "规则集不认识的一级指标"
    FUND_MONEY_MISSING = "fund_money_missing", "缺少资金金额，无法按金额加权"
    FUNDS_NOT_COMBINED = "funds_not_combined", "各资金的实际完成值无法合并"
    # a project's
    WEIGHTS_OVERSHOOT = "weights_overshoot", "显式分值之和超过可分配的权重"
    WEIGHTS_TOTAL = "weights_total", "分值合计不是 100"
    MISSING_BUDGET = "missing_budget", "缺少全年执行数或预算数"
    NEGATIVE_BUDGET = "negative_budget", "全年执行数为负"
    MISSING_PROJECT_ACTUALS = "missing_project_actuals", "实际完成值文件中没有这个项目"
    NOTHING_AT_STAKE = "nothing_at_stake", "所有分值都不适用"


INDICATOR_ISSUES = (IssueCode.MISSING_ACTUAL, IssueCode.MISSING_TARGET, IssueCode.BAD_TARGET,
                    IssueCode.BAD_ACTUAL, IssueCode.UNIT_MISMATCH, IssueCode.TIER_UNKNOWN,
                    IssueCode.SCORE_OUT_OF_BAND, IssueCode.UNKNOWN_LEVEL1, IssueCode.FUND_MONEY_MISSING,
                    IssueCode.FUNDS_NOT_COMBINED)
PROJECT_ISSUES = (IssueCode.UNKNOWN_LEVEL1, IssueCode.WEIGHTS_OVERSHOOT, IssueCode.WEIGHTS_TOTAL,
                  IssueCode.MISSING_BUDGET, IssueCode.NEGATIVE_BUDGET, IssueCode.MISSING_PROJECT_ACTUALS,
                  IssueCode.NOTHING_AT_STAKE)


class Issue(NamedTuple):
    """One issue of an indicator or a project: its code and Chinese message; for a target or an actual
    that cannot be read, also the expression's error code (scoring.ErrorCode), the 1-based column it
    names and the near spellings of an unknown unit."""

    code: IssueCode
    message: str
    error_code: str | None = None
    column: int | None = None
    suggestions: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """The JSON of the issue (docs/outputs.md): the expression's fields only where there is one."""
        data = {"code": str(self.code), "message": self.message}
        if self.error_code is not None:
            data |= {"error_code": str(self.error_code), "column": self.column, "suggestions": list(self.suggestions)}
        return data


class ReviewCode(_Labelled):
    """A problem of declared targets found before the year starts (目标审核); each can be switched off
    by a ruleset ([review] off)."""

    # a project's
    MISSING_LEVEL = "missing_level", "缺少一级指标"
    TOO_FEW_INDICATORS = "too_few_indicators", "三级指标过少"
    QUANTITATIVE_SHARE = "quantitative_share", "定量指标比例过低"
    WEIGHTS_TOTAL = "weights_total", "分值合计不符"
    # an indicator's
    MISSING_TARGET = "missing_target", "缺少指标值"
    UNREADABLE_TARGET = "unreadable_target", "指标值无法解读"
    VAGUE_TARGET = "vague_target", "指标值含糊"
    NO_UNIT = "no_unit", "数值没有单位"
    RATE_WITHOUT_PERCENT = "rate_without_percent", "比率没有写 %"
    RATE_OVER_100 = "rate_over_100", "比率超过 100%"
    FRACTIONAL_COUNT = "fractional_count", "计数带小数"
    DATE_OUTSIDE_YEAR = "date_outside_year", "期限不在项目年度内"
    SATISFACTION_BELOW_FLOOR = "satisfaction_below_floor", "满意度目标低于下限"
    KIND_MISMATCH = "kind_mismatch", "指标值类型与指标名称不符"
    DUPLICATE_INDICATOR = "duplicate_indicator", "指标重复"
    HALF_YEAR_OVER_YEAR = "half_year_over_year", "半年指标值大于全年"
    HALF_YEAR_MISSING = "half_year_missing", "缺少半年指标值"
    ADVERSE_AT_LEAST = "adverse_at_least", "反向指标写成了 ≥"

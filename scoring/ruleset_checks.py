"""What a ruleset file may say: the shape of its tables and keys (``SCHEMA``), the keys it must give,
and the checks of what it means (methods that fit their key, bands without gaps or overlaps, family
weights that add up, rules that name families the ruleset has). ``problems(data)`` lists every problem
at once as (TOML key, message)."""

from __future__ import annotations

import difflib

from scoring.codes import ReviewCode
from scoring.methods import METHODS
from scoring.model import Op

SCHEMA_VERSION = 1
# Arrays of tables that merge element by element, by the key that names an element.
NAMED_BY = {"qualitative": "tier", "grades": "grade", "rules": "name", "levels": "name"}
# The shape of a ruleset file: nested dicts name tables, "*" any key; [spec] an array of spec.
_NUMBER, _TEXT, _TEXTS = "number", "text", "texts"
_OP = ("op", tuple(op.value for op in Op))
_METHOD = ("method", tuple(sorted(METHODS)))
BUDGET_FIELDS = ("adjusted", "initial", "allocated")      # the amounts a budget rate may divide by
STEP_TESTS = {"at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<", "within": "±"}
_STEP = {**{test: "real" for test in STEP_TESTS}, "share": "fraction"}
SCHEMA: dict = {
    "schema": "int", "name": _TEXT, "title": _TEXT, "base": _TEXT, "replace": _TEXTS,
    "total": {"budget": _NUMBER, "indicators": _NUMBER},
    "budget": {"title": _TEXT, "denominator": ("choices", BUDGET_FIELDS)},
    "weights": {"by": ("choice", ("family", "indicator")), "missing_family": ("choice", ("redistribute",))},
    "families": {"*": {"title": _TEXT, "weight": _NUMBER, "level1": _TEXTS}},
    "methods": {">=": _METHOD, ">": _METHOD, "<=": _METHOD, "<": _METHOD, "=": _METHOD,
                "range": _METHOD, "date": _METHOD},
    "no_comparator": {"assumed": _OP, "adverse": _OP, "adverse_words": _TEXTS, "adverse_rates": _TEXTS},
    "nothing_happened": {"words": _TEXTS},
    "over_achievement": {"ratio": _NUMBER, "deduction": _NUMBER, "strict": "bool"},
    "negative_actual": {"floor": _NUMBER},
    "not_applicable": {"words": _TEXTS},
    "blank": {"words": _TEXTS},
    "qualitative": [{"tier": _TEXT, "band": ("pair", None), "points": _NUMBER,
                     "words": _TEXTS, "prefixes": _TEXTS, "contains": _TEXTS}],
    "grades": [{"grade": _TEXT, "min": _NUMBER}],
    "rules": [{"name": _TEXT, "names": _TEXTS, "families": _TEXTS, "on": ("choice", ("actual", "completion")),
               "unit": _TEXT, "steps": [_STEP], "otherwise": ("choice", ("zero", "method", "proportional"))}],
    "review": {"levels": [{"name": _TEXT, "words": _TEXTS, "in": ("choices", ("level1", "level2")),
                           "from_year": "int"}],
               "min_indicators": "int", "min_quantitative_share": _NUMBER, "satisfaction_floor": _NUMBER,
               "vague_words": _TEXTS, "count_units": _TEXTS, "rate_endings": _TEXTS, "time_endings": _TEXTS,
               "count_endings": _TEXTS, "off": ("choices", tuple(code.value for code in ReviewCode))},
    "monitor": {"green_at": _NUMBER, "yellow_at": _NUMBER, "behind_green": _NUMBER, "behind_yellow": _NUMBER,
                "cumulative_rates": _TEXTS},
}
_REQUIRED = {"": ("schema", "name", "total", "weights", "families", "methods", "no_comparator",
                  "nothing_happened", "over_achievement", "negative_actual", "not_applicable", "qualitative", "grades"),
             "total": ("budget", "indicators"), "families.*": ("level1",), "no_comparator": ("assumed", "adverse"),
             "over_achievement": ("ratio",), "not_applicable": ("words",), "nothing_happened": ("words",), "qualitative[]": ("tier", "band", "points"),
             "grades[]": ("grade", "min"), "rules[]": ("name", "steps")}
# Which methods may serve which key: a comparator's method needs a target value, a range's its bounds.
_METHODS_FOR = {"range": ("range",), "date": ("deadline",)}
_COMPARATOR_METHODS = ("proportional", "ratio", "linear", "exact_or_more")




def problems(data: dict) -> list[tuple[str, str]]:
    """Every problem of a merged ruleset: its shape, its required keys, then (when those hold) its meaning."""
    found: list[tuple[str, str]] = []
    _check(data, SCHEMA, "", found)
    found += _missing(data)
    if not found:
        found += _check_meaning(data)
    return found


def _check(value, spec, key: str, problems: list[tuple[str, str]]) -> None:
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            problems.append((key, "应为表 / expected a table"))
            return
        for name, item in value.items():
            inner = spec.get(name, spec.get("*"))
            where = f"{key}.{name}" if key else name
            if inner is None:
                near = difflib.get_close_matches(name, [k for k in spec if k != "*"], n=1, cutoff=0.5)
                hint = f"，是否指「{near[0]}」" if near else ""
                problems.append((where, f"未知的键{hint} / unknown key"))
            else:
                _check(item, inner, where, problems)
    elif isinstance(spec, list):
        if not isinstance(value, list) or not value:
            problems.append((key, "应为非空的表数组 / expected an array of tables"))
            return
        for index, item in enumerate(value):
            _check(item, spec[0], f"{key}[{index}]", problems)
    else:
        message = _check_value(value, spec)
        if message:
            problems.append((key, message))


def _check_value(value, spec) -> str | None:
    kind, choices = spec if isinstance(spec, tuple) else (spec, None)
    if kind == "int" and (not isinstance(value, int) or isinstance(value, bool)):
        return "应为整数 / expected an integer"
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == _NUMBER and (not number or value < 0):
        return "应为非负数 / expected a non-negative number"
    if kind == "real" and not number:
        return "应为数 / expected a number"
    if kind == "fraction" and not (number and 0 <= value <= 1):
        return "应为 0 到 1 之间的数 / expected a fraction"
    if kind == "bool" and not isinstance(value, bool):
        return "应为 true 或 false / expected a boolean"
    if kind == "choices":
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            return "应为非空的字符串数组 / expected an array of strings"
        unknown = [v for v in value if v not in choices]
        return f"未知的取值「{'、'.join(unknown)}」；可选：{'、'.join(choices)} / unknown value" if unknown else None
    if kind == _TEXT and not isinstance(value, str):
        return "应为字符串 / expected a string"
    if kind == _TEXTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return "应为字符串数组 / expected an array of strings"
    if kind == "pair" and not (isinstance(value, list) and len(value) == 2
                               and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in value)
                               and value[0] < value[1]):
        return "应为 [下限, 上限]，0 ≤ 下限 < 上限 ≤ 1 / expected [low, high] within [0, 1]"
    if choices is not None and value not in choices:
        near = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        hint = f"，是否指「{near[0]}」" if near else f"；可选：{'、'.join(choices)}"
        return f"未知的{'方法' if kind == 'method' else '取值'}「{value}」{hint} / unknown {kind}"
    return None


def _missing(data: dict) -> list[tuple[str, str]]:
    """Required keys, table by table (``families.*``: every family; ``qualitative[]``: every tier)."""
    problems = []
    for where, keys in _REQUIRED.items():
        name = where.rstrip("[]*").rstrip(".")
        tables = [("", data)] if not where else []
        value = data.get(name.split(".")[0]) if where else None
        if where.endswith(".*") and isinstance(value, dict):
            tables = [(f"{name}.{k}", v) for k, v in value.items() if isinstance(v, dict)]
        elif where.endswith("[]") and isinstance(value, list):
            tables = [(f"{name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, dict)]
        elif where and isinstance(value, dict):
            tables = [(name, value)]
        for prefix, table in tables:
            problems += [(f"{prefix}.{key}" if prefix else key, "缺少此项 / missing") for key in keys if key not in table]
    return problems


def _review_and_monitor(review: dict, monitor: dict) -> list[tuple[str, str]]:
    """[review] and [monitor] numbers in their ranges and in order; word lists without empty words."""
    problems = []
    for key, low, high in (("min_quantitative_share", 0, 1), ("satisfaction_floor", 0, 100), ("min_indicators", 0, None)):
        value = review.get(key)
        if value is not None and not (low <= value and (high is None or value <= high)):
            problems.append((f"review.{key}", f"应在 {low} 到 {high if high is not None else '∞'} 之间 / out of range"))
    for key in ("vague_words", "count_units", "rate_endings", "time_endings", "count_endings"):
        if any(not word.strip() for word in review.get(key, ())):
            problems.append((f"review.{key}", "不能有空的词 / an empty word"))
    for k, level in enumerate(review.get("levels", ())):
        if not level.get("name") or not level.get("words", [level.get("name")]) or \
                any(not str(word).strip() for word in level.get("words", ())):
            problems.append((f"review.levels[{k}]", "需要 name 和不为空的 words / needs a name and words"))
    if any(not word.strip() for word in monitor.get("cumulative_rates", ())):
        problems.append(("monitor.cumulative_rates", "不能有空的词 / an empty word"))
    for low, high in (("yellow_at", "green_at"), ("behind_green", "behind_yellow")):
        a, b = monitor.get(low), monitor.get(high)
        if any(v is not None and v < 0 for v in (a, b)) or (a is not None and b is not None and a > b):
            problems.append((f"monitor.{low}", f"应不小于 0，且不大于 {high} / out of order"))
    return problems


def _check_meaning(data: dict) -> list[tuple[str, str]]:
    problems = []
    for key, method in data["methods"].items():
        allowed = _METHODS_FOR.get(key, _COMPARATOR_METHODS)
        if method not in allowed:
            problems.append((f"methods.{key}", f"方法「{method}」不能用于「{key}」，可选：{'、'.join(allowed)}"
                                               " / method does not fit"))
    if data["over_achievement"].get("deduction", 0) > 1:
        problems.append(("over_achievement.deduction", "扣分比例应在 0 到 1 之间 / expected a fraction of w"))
    if abs(data["total"]["budget"] + data["total"]["indicators"] - 100) > 1e-9:
        problems.append(("total", "budget 与 indicators 之和应为 100 / the two parts add up to 100"))
    for name in data.get("replace", []):
        *outer, inner = name.split(".")
        table = SCHEMA
        for key in outer:
            table = table.get(key) if isinstance(table, dict) else None
        if not isinstance(table, dict) or not isinstance(table.get(inner), (dict, list)):
            problems.append(("replace", f"「{name}」不是可整体替换的表 / not a table of the ruleset"))
    problems += _review_and_monitor(data.get("review", {}), data.get("monitor", {}))
    if data["schema"] != SCHEMA_VERSION:
        problems.append(("schema", f"不支持的版本 {data['schema']}，应为 {SCHEMA_VERSION} / unsupported schema"))
    missing = [key for key in (">=", ">", "<=", "<", "=", "range", "date") if key not in data["methods"]]
    problems += [(f"methods.{key}", "缺少此项 / missing") for key in missing]
    owners: dict[str, str] = {}
    for key, family in data["families"].items():
        for name in family.get("level1", []):
            if name in owners:
                problems.append((f"families.{key}.level1", f"「{name}」已属于 families.{owners[name]} / claimed twice"))
            owners[name] = key
    if data["weights"].get("by", "family") == "family":
        weights = [family.get("weight") for family in data["families"].values()]
        if None in weights:
            problems.append(("families", "按一级指标分权重时每个一级指标都要有 weight / every family needs a weight"))
        elif abs(sum(weights) - data["total"]["indicators"]) > 1e-9:
            problems.append(("families", f"权重之和 {sum(weights)} 不等于 total.indicators "
                                         f"{data['total']['indicators']} / family weights do not add up"))
    bands = sorted((tuple(t["band"]), t["tier"]) for t in data["qualitative"])
    if bands[0][0][0] != 0:
        problems.append(("qualitative", f"档次区间未从 0 开始（{bands[0][1]}） / bands leave a gap at 0"))
    if bands[-1][0][1] != 1:
        problems.append(("qualitative", f"档次区间未到 1 为止（{bands[-1][1]}） / bands leave a gap at 1"))
    for (band, tier), (next_band, next_tier) in zip(bands, bands[1:]):
        if band[1] > next_band[0]:
            problems.append(("qualitative", f"「{tier}」与「{next_tier}」区间重叠 / bands overlap"))
        elif band[1] < next_band[0]:
            problems.append(("qualitative", f"「{tier}」与「{next_tier}」之间有空档 / bands leave a gap"))
    problems += _check_rules(data)
    for index, tier in enumerate(data["qualitative"]):
        low, high = tier["band"]
        if not low <= tier["points"] <= high:
            problems.append((f"qualitative[{index}].points", f"默认得分率 {tier['points']} 不在区间 {tier['band']} 内"
                                                             " / default points outside the band"))
    return problems


def _check_rules(data: dict) -> list[tuple[str, str]]:
    problems, names = [], set()
    for index, rule in enumerate(data.get("rules", ())):
        where = f"rules[{index}]"
        if rule["name"] in names:
            problems.append((f"{where}.name", f"规则「{rule['name']}」重名 / two rules of one name"))
        names.add(rule["name"])
        unknown = [key for key in rule.get("families", ()) if key not in data["families"]]
        if unknown:
            problems.append((f"{where}.families", f"没有这个一级指标族：{'、'.join(unknown)}；可选：{'、'.join(data['families'])}"
                                                  " / unknown family"))
        for k, step in enumerate(rule["steps"]):
            tests = [key for key in step if key in STEP_TESTS]
            if len(tests) != 1 or "share" not in step:
                problems.append((f"{where}.steps[{k}]", f"每一档写一个界限（{'、'.join(STEP_TESTS)} 之一）和 share"
                                                        " / one bound and a share per step"))
        first = rule["steps"][0]
        if rule.get("otherwise") == "proportional" and (len(rule["steps"]) > 1 or not any(
                first.get(key, 0) > 0 for key in ("at_least", "more_than"))):
            problems.append((f"{where}.otherwise", "proportional 只用于一档的门槛：一个正的 at_least 或 more_than"
                                                   " / proportional needs one step at_least a positive bound"))
    return problems

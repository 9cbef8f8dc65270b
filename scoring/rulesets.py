"""Rulesets: rulesets/*.toml (or a user's file) → a validated, frozen Ruleset.

A ruleset is data. It is read with tomllib, merged over the ruleset it names as ``base``, and checked
against ``_SCHEMA`` before anything uses it: unknown keys (with "did you mean"), values of the wrong
type, unknown method names, families that claim the same first-level name, and qualitative bands that
overlap or leave gaps are all reported at once, with the file and the TOML key.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from scoring.codes import Method
from scoring.errors import RulesetError
from scoring.methods import METHODS
from scoring.model import Op

DEFAULT = "national-2020"
SCHEMA_VERSION = 1
_PACKAGE = "scoring.rulesets_data"

# The shape of a ruleset file: nested dicts name tables, "*" any key; [spec] an array of spec.
_NUMBER, _TEXT, _TEXTS = "number", "text", "texts"
_OP = ("op", tuple(op.value for op in Op))
_METHOD = ("method", tuple(sorted(METHODS)))
_SCHEMA: dict = {
    "schema": "int", "name": _TEXT, "title": _TEXT, "base": _TEXT, "replace": _TEXTS,
    "total": {"budget": _NUMBER, "indicators": _NUMBER},
    "weights": {"by": ("choice", ("family", "indicator")), "missing_family": ("choice", ("redistribute",))},
    "families": {"*": {"title": _TEXT, "weight": _NUMBER, "level1": _TEXTS}},
    "methods": {">=": _METHOD, ">": _METHOD, "<=": _METHOD, "<": _METHOD, "=": _METHOD,
                "range": _METHOD, "date": _METHOD},
    "no_comparator": {"assumed": _OP, "adverse": _OP, "adverse_words": _TEXTS, "adverse_rates": _TEXTS},
    "nothing_happened": {"words": _TEXTS},
    "over_achievement": {"ratio": _NUMBER, "deduction": _NUMBER},
    "negative_actual": {"floor": _NUMBER},
    "not_applicable": {"words": _TEXTS},
    "blank": {"words": _TEXTS},
    "qualitative": [{"tier": _TEXT, "band": ("pair", None), "points": _NUMBER,
                     "words": _TEXTS, "prefixes": _TEXTS, "contains": _TEXTS}],
    "grades": [{"grade": _TEXT, "min": _NUMBER}],
}
_REQUIRED = {"": ("schema", "name", "total", "weights", "families", "methods", "no_comparator",
                  "nothing_happened", "over_achievement", "negative_actual", "not_applicable", "qualitative", "grades"),
             "total": ("budget", "indicators"), "families.*": ("level1",), "no_comparator": ("assumed", "adverse"),
             "over_achievement": ("ratio",), "not_applicable": ("words",), "nothing_happened": ("words",), "qualitative[]": ("tier", "band", "points"),
             "grades[]": ("grade", "min")}
# Which methods may serve which key: a comparator's method needs a target value, a range's its bounds.
_METHODS_FOR = {"range": ("range",), "date": ("deadline",)}
_COMPARATOR_METHODS = ("proportional", "ratio", "linear", "exact_or_more")


@dataclass(frozen=True)
class Family:
    """A first-level family (一级指标 产出, 效益 …) and the names that belong to it."""

    key: str
    title: str
    weight: Decimal | None
    level1: tuple[str, ...]


@dataclass(frozen=True)
class Tier:
    """A qualitative tier: its band of w as fractions [low, high), its default points, its words."""

    name: str
    low: Decimal
    high: Decimal
    points: Decimal
    words: tuple[str, ...]
    prefixes: tuple[str, ...]
    contains: tuple[str, ...]


@dataclass(frozen=True)
class Ruleset:
    """Everything the scorer needs to know about one set of rules."""

    name: str
    title: str
    source: str
    budget_points: Decimal
    indicator_points: Decimal
    weights_by: str
    families: tuple[Family, ...]
    methods: tuple[tuple[str, str], ...]
    assumed_op: Op
    adverse_op: Op
    adverse_words: tuple[str, ...]
    adverse_rates: tuple[str, ...]            # 受害率, 发生率 …: rates of which less is better
    nothing_words: tuple[str, ...]            # 无, 未发生 …: words that report that nothing happened
    over_ratio: Decimal
    over_deduction: Decimal
    negative_floor: Decimal
    not_applicable_words: tuple[str, ...]
    blank_words: tuple[str, ...]              # /, —: a cell holding only one of these is empty
    tiers: tuple[Tier, ...]
    grades: tuple[tuple[str, Decimal], ...]

    def __hash__(self) -> int:   # one ruleset per (name, file): hashing it stays cheap in caches
        return hash((self.name, self.source))

    def family_of(self, level1: str) -> Family | None:
        return self.level1_index.get(level1)

    def method(self, key: str) -> str:
        return self.method_index[key]

    def grade(self, total: Decimal | float) -> str:
        for name, minimum in self.grades:
            if total >= minimum:
                return name
        return self.grades[-1][0]

    def tier(self, name: str) -> Tier:
        return next(tier for tier in self.tiers if tier.name == name)

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "source": self.source}

    @cached_property
    def method_index(self) -> dict[str, str]:
        return dict(self.methods)

    @cached_property
    def not_applicable_index(self) -> frozenset[str]:
        """The words that say an indicator does not apply, in lower case."""
        return frozenset(word.lower() for word in self.not_applicable_words)

    @cached_property
    def level1_index(self) -> dict[str, Family]:
        """一级指标 name → its family."""
        return {name: family for family in self.families for name in family.level1}


def available() -> tuple[str, ...]:
    """Names of the rulesets shipped with the engine."""
    folder = resources.files(_PACKAGE)
    return tuple(sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml")))


@lru_cache(maxsize=1)
def level1_owners() -> dict[str, tuple[str, ...]]:
    """一级指标 name → the shipped rulesets that know it, for the hint beside an unknown name."""
    owners: dict[str, list[str]] = {}
    for name in available():
        for level1 in load_ruleset(name).level1_index:
            owners.setdefault(level1, []).append(name)
    return {level1: tuple(names) for level1, names in owners.items()}


def load_ruleset(name_or_path: str | Path = DEFAULT) -> Ruleset:
    """A shipped ruleset by name (``national-2020``) or a user's TOML file by path."""
    return _load(str(name_or_path))


@lru_cache(maxsize=64)
def _load(name_or_path: str) -> Ruleset:
    data, source = _merged(name_or_path, ())
    return _build(data, source)


def _read(name_or_path: str, relative_to: Path | None) -> tuple[dict, str, Path | None]:
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if name_or_path.endswith(".toml") or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise RulesetError(str(path), [("", f"无法读取规则集文件 / cannot read: {error.strerror}")]) from None
        source, folder = str(path), path.parent
    else:
        shipped = resources.files(_PACKAGE).joinpath(f"{name_or_path}.toml")
        if not shipped.is_file():
            near = difflib.get_close_matches(name_or_path, available(), n=3, cutoff=0.4)
            hint = f"，是否指 {'、'.join(near)}" if near else f"；可用：{'、'.join(available())}"
            raise RulesetError(name_or_path, [("", f"没有名为「{name_or_path}」的规则集{hint} / unknown ruleset")])
        text, source, folder = shipped.read_text(encoding="utf-8"), f"rulesets/{name_or_path}.toml", None
    try:
        return tomllib.loads(text), source, folder
    except tomllib.TOMLDecodeError as error:
        raise RulesetError(source, [("", f"TOML 语法错误 / {error}")]) from None


def _merged(name_or_path: str, seen: tuple[str, ...], relative_to: Path | None = None) -> tuple[dict, str]:
    data, source, folder = _read(name_or_path, relative_to)
    if source in seen:
        raise RulesetError(source, [("base", f"规则集循环继承 / base cycle: {' → '.join((*seen, source))}")])
    base = data.get("base")
    if base is None:
        return data, source
    if not isinstance(base, str):
        raise RulesetError(source, [("base", "应为规则集名称或文件路径 / expected a name or path")])
    parent, _ = _merged(base, (*seen, source), folder)
    replace = data.get("replace", [])
    merged = _merge({k: v for k, v in parent.items() if k not in ("base", "replace")},
                    {k: v for k, v in data.items() if k != "replace"}, set(replace) if isinstance(replace, list) else set())
    merged["replace"] = replace
    return merged, source


# Arrays of tables that merge element by element, by the key that names an element.
_NAMED_BY = {"qualitative": "tier", "grades": "grade"}


def _merge(base: dict, delta: dict, replace: set[str]) -> dict:
    """A delta over its base: tables key by key; the arrays of ``_NAMED_BY`` element by element, by
    name (a tier given again changes only the keys it gives; a new one is added); other values, and
    whatever ``replace`` names, replace the base's."""
    merged = dict(base)
    for key, value in delta.items():
        if key in replace:
            merged[key] = value
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value, set())
        elif key in _NAMED_BY and _named_tables(value, key) and _named_tables(base.get(key), key):
            name = _NAMED_BY[key]
            changes = {item[name]: item for item in value}
            merged[key] = [{**item, **changes.pop(item[name], {})} for item in base[key]] + list(changes.values())
        else:
            merged[key] = value
    return merged


def _named_tables(value, key: str) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) and _NAMED_BY[key] in item for item in value)


# ---- validation -----------------------------------------------------------------------------------

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
    if kind == _NUMBER and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0):
        return "应为非负数 / expected a non-negative number"
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


def _build(data: dict, source: str) -> Ruleset:
    problems: list[tuple[str, str]] = []
    _check(data, _SCHEMA, "", problems)
    problems += _missing(data)
    if not problems:
        problems += _check_meaning(data)
    if problems:
        raise RulesetError(source, problems)
    d = Decimal
    families = tuple(Family(key, spec.get("title", key), None if "weight" not in spec else d(str(spec["weight"])),
                            tuple(spec["level1"])) for key, spec in data["families"].items())
    no_comparator = data["no_comparator"]
    return Ruleset(
        name=data["name"], title=data.get("title", data["name"]), source=source,
        budget_points=d(str(data["total"]["budget"])), indicator_points=d(str(data["total"]["indicators"])),
        weights_by=data["weights"].get("by", "family"), families=families,
        methods=tuple(sorted((key, Method(name)) for key, name in data["methods"].items())),
        assumed_op=Op(no_comparator["assumed"]), adverse_op=Op(no_comparator["adverse"]),
        adverse_words=tuple(no_comparator.get("adverse_words", ())),
        adverse_rates=tuple(no_comparator.get("adverse_rates", ())),
        nothing_words=tuple(data["nothing_happened"]["words"]),
        over_ratio=d(str(data["over_achievement"]["ratio"])),
        over_deduction=d(str(data["over_achievement"].get("deduction", 0))),
        negative_floor=d(str(data["negative_actual"].get("floor", 0))),
        not_applicable_words=tuple(data["not_applicable"]["words"]),
        blank_words=tuple(data.get("blank", {}).get("words", ())),
        tiers=tuple(Tier(t["tier"], d(str(t["band"][0])), d(str(t["band"][1])), d(str(t["points"])),
                         tuple(t.get("words", ())), tuple(t.get("prefixes", ())), tuple(t.get("contains", ())))
                    for t in data["qualitative"]),
        grades=tuple(sorted(((g["grade"], d(str(g["min"]))) for g in data["grades"]), key=lambda g: -g[1])),
    )


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
        if not isinstance(_SCHEMA.get(name), dict) and name not in _NAMED_BY:
            problems.append(("replace", f"「{name}」不是可整体替换的表 / not a table of the ruleset"))
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
    for index, tier in enumerate(data["qualitative"]):
        low, high = tier["band"]
        if not low <= tier["points"] <= high:
            problems.append((f"qualitative[{index}].points", f"默认得分率 {tier['points']} 不在区间 {tier['band']} 内"
                                                             " / default points outside the band"))
    return problems

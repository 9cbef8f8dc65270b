"""Rulesets: rulesets/*.toml (or a user's file) → a validated, frozen Ruleset.

A ruleset is data. It is read with tomllib, merged over the ruleset it names as ``base``, and checked
against ruleset_checks before anything uses it: unknown keys (with "did you mean"), values of the wrong
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

from scoring import ruleset_checks
from scoring.codes import Method
from scoring.errors import RulesetError
from scoring.model import Op
from scoring.ruleset_checks import NAMED_BY, STEP_TESTS

DEFAULT = "national-2020"
_PACKAGE = "scoring.rulesets_data"


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
class Step:
    """One step of a rule: the value passes ``test`` against ``bound`` (within: |value| ≤ bound) → ``share``."""

    test: str                  # a key of STEP_TESTS
    bound: Decimal
    share: Decimal

    def passes(self, value):
        """Whether ``value`` (a number or an array) passes this step: at the bound means at it within a
        few ulps (0.99 / 1.1 is 0.8999999999999999, a completion of 90%)."""
        bound = float(self.bound)
        slack = 1e-12 * max(1.0, abs(bound))
        if self.test == "within":
            return abs(value) <= bound + slack
        return {"at_least": value >= bound - slack, "more_than": value > bound + slack,
                "at_most": value <= bound + slack, "less_than": value < bound - slack}[self.test]


@dataclass(frozen=True)
class Level:
    """A level a declaration must have ([[review.levels]]): one of ``words`` in a 一级 (or, with
    ``in``, 二级) 指标 name, in tables of ``from_year`` and later (any year, if None)."""

    name: str
    words: tuple[str, ...]
    columns: tuple[str, ...] = ("level1",)
    from_year: int | None = None


@dataclass(frozen=True)
class ReviewRules:
    """What the target review (目标审核, scoring/review.py) asks of declared targets ([review])."""

    levels: tuple[Level, ...] = ()
    min_indicators: int = 0
    min_quantitative_share: Decimal = Decimal(0)
    satisfaction_floor: Decimal | None = None          # percent
    vague_words: tuple[str, ...] = ()
    count_units: tuple[str, ...] = ()
    rate_endings: tuple[str, ...] = ("率",)
    time_endings: tuple[str, ...] = ("时间", "时限", "周期")
    count_endings: tuple[str, ...] = ("数", "数量", "次数", "人数")
    off: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonitorRules:
    """The lights of mid-year monitoring (运行监控, scoring/monitor.py; [monitor]): an indicator is green
    at ``green_at`` of the progress expected and yellow at ``yellow_at``; a project green while its
    budget execution is at most ``behind_green`` percentage points behind the time gone, yellow to
    ``behind_yellow``. A rate whose name ends in one of ``cumulative_rates`` (预算执行率, 任务完成率)
    grows through the year like a count."""

    green_at: Decimal = Decimal("0.9")
    yellow_at: Decimal = Decimal("0.7")
    behind_green: Decimal = Decimal(10)
    behind_yellow: Decimal = Decimal(20)
    cumulative_rates: tuple[str, ...] = ("执行率", "完成率")


@dataclass(frozen=True)
class Rule:
    """A scoring rule for some indicators ([[rules]]): a threshold or steps in place of the method.

    It applies to number targets whose 三级指标 name contains one of ``names`` (any, if none given), of
    one of ``families`` (any, if none), and, when ``unit`` is given, whose target is in that unit. Its
    value is the actual B (``on = "actual"``, in the target's unit) or the completion (``"completion"``:
    B / A for ≥, > and =, A / B for ≤ and <). The first step the value passes gives the share of w;
    below every step, ``otherwise``: nothing (``zero``), the ruleset's method (``method``), or
    w × value / the first step's bound (``proportional``).
    """

    name: str
    names: tuple[str, ...]
    families: tuple[str, ...]
    on: str
    unit: str | None
    steps: tuple[Step, ...]
    otherwise: str

    def step(self, value: float) -> Step | None:
        return next((step for step in self.steps if step.passes(value)), None)


@dataclass(frozen=True)
class Ruleset:
    """Everything the scorer needs to know about one set of rules."""

    name: str
    title: str
    source: str
    budget_points: Decimal
    indicator_points: Decimal
    budget_title: str                         # 预算执行率, or 支出进度
    budget_denominators: tuple[str, ...]      # BUDGET_FIELDS the rate divides by, the first given
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
    over_strict: bool                         # only B / A above the ratio (超过30%), not at it
    negative_floor: Decimal
    not_applicable_words: tuple[str, ...]
    blank_words: tuple[str, ...]              # /, —: a cell holding only one of these is empty
    tiers: tuple[Tier, ...]
    grades: tuple[tuple[str, Decimal], ...]
    rules: tuple[Rule, ...] = ()
    review: ReviewRules = ReviewRules()
    monitor: MonitorRules = MonitorRules()

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

    def rule(self, name: str) -> Rule:
        return next(rule for rule in self.rules if rule.name == name)

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




def _merge(base: dict, delta: dict, replace: set[str]) -> dict:
    """A delta over its base: tables key by key; the arrays of ``NAMED_BY`` element by element, by
    name (a tier given again changes only the keys it gives; a new one is added); other values, and
    whatever ``replace`` names (``review.levels``: a key within a table), replace the base's."""
    merged = dict(base)
    for key, value in delta.items():
        if key in replace:
            merged[key] = value
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value, {r.split(".", 1)[1] for r in replace if r.startswith(f"{key}.")})
        elif key in NAMED_BY and _named_tables(value, key) and _named_tables(base.get(key), key):
            name = NAMED_BY[key]
            changes = {item[name]: item for item in value}
            merged[key] = [{**item, **changes.pop(item[name], {})} for item in base[key]] + list(changes.values())
        else:
            merged[key] = value
    return merged


def _named_tables(value, key: str) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) and NAMED_BY[key] in item for item in value)


def _build(data: dict, source: str) -> Ruleset:
    problems = ruleset_checks.problems(data)
    if problems:
        raise RulesetError(source, problems)
    d = Decimal
    families = tuple(Family(key, spec.get("title", key), None if "weight" not in spec else d(str(spec["weight"])),
                            tuple(spec["level1"])) for key, spec in data["families"].items())
    no_comparator = data["no_comparator"]
    budget = data.get("budget", {})
    return Ruleset(
        name=data["name"], title=data.get("title", data["name"]), source=source,
        budget_points=d(str(data["total"]["budget"])), indicator_points=d(str(data["total"]["indicators"])),
        budget_title=budget.get("title", "预算执行率"),
        budget_denominators=tuple(budget.get("denominator", ("adjusted", "initial"))),
        weights_by=data["weights"].get("by", "family"), families=families,
        methods=tuple(sorted((key, Method(name)) for key, name in data["methods"].items())),
        assumed_op=Op(no_comparator["assumed"]), adverse_op=Op(no_comparator["adverse"]),
        adverse_words=tuple(no_comparator.get("adverse_words", ())),
        adverse_rates=tuple(no_comparator.get("adverse_rates", ())),
        nothing_words=tuple(data["nothing_happened"]["words"]),
        over_ratio=d(str(data["over_achievement"]["ratio"])),
        over_deduction=d(str(data["over_achievement"].get("deduction", 0))),
        over_strict=data["over_achievement"].get("strict", False),
        negative_floor=d(str(data["negative_actual"].get("floor", 0))),
        not_applicable_words=tuple(data["not_applicable"]["words"]),
        blank_words=tuple(data.get("blank", {}).get("words", ())),
        tiers=tuple(Tier(t["tier"], d(str(t["band"][0])), d(str(t["band"][1])), d(str(t["points"])),
                         tuple(t.get("words", ())), tuple(t.get("prefixes", ())), tuple(t.get("contains", ())))
                    for t in data["qualitative"]),
        grades=tuple(sorted(((g["grade"], d(str(g["min"]))) for g in data["grades"]), key=lambda g: -g[1])),
        rules=tuple(_rule(rule) for rule in data.get("rules", ())),
        review=_review(data.get("review", {})),
        monitor=MonitorRules(**{key: tuple(value) if isinstance(value, list) else Decimal(str(value))
                                for key, value in data.get("monitor", {}).items()}),
    )


def _review(spec: dict) -> ReviewRules:
    defaults = ReviewRules()
    floor = spec.get("satisfaction_floor")
    return ReviewRules(
        levels=tuple(Level(level["name"], tuple(level.get("words", (level["name"],))), tuple(level.get("in", ("level1",))),
                           None if "from_year" not in level else int(level["from_year"])) for level in spec.get("levels", ())),
        min_indicators=int(spec.get("min_indicators", 0)),
        min_quantitative_share=Decimal(str(spec.get("min_quantitative_share", 0))),
        satisfaction_floor=None if floor is None else Decimal(str(floor)),
        **{key: tuple(spec.get(key, getattr(defaults, key))) for key in
           ("vague_words", "count_units", "rate_endings", "time_endings", "count_endings", "off")})


def _rule(spec: dict) -> Rule:
    steps = tuple(Step(next(k for k in step if k in STEP_TESTS), Decimal(str(next(v for k, v in step.items() if k in STEP_TESTS))),
                       Decimal(str(step["share"]))) for step in spec["steps"])
    return Rule(spec["name"], tuple(spec.get("names", ())), tuple(spec.get("families", ())), spec.get("on", "actual"),
                spec.get("unit"), steps, spec.get("otherwise", "zero"))



"""How fast expressions are read: distinct expressions, distinct shapes, and cached re-reads.

    python benchmarks/parse_speed.py [--count N]

Inputs are made from the seed target values (tests/corpus/seed_targets.tsv) with fixed random numbers:
- "distinct expressions": every text is new, as in a real year of tables (new numbers in the
  forms people write, so most share a shape already parsed: ≥95.00(%) and ≥97.50(%));
- "distinct shapes": every text also has a new syntax (a new label each time), so nothing is shared;
- "cached re-reads": the same texts read again.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import time
from pathlib import Path

from scoring import parse_target
from scoring.parse import _one_number, _read, _syntax, parser

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "seed_targets.tsv"
LABEL_CHARS = "数据安全事件发生次数系统可靠性密码测试故障修复时间一次性验收合格率覆盖面"


def templates() -> list[str]:
    values = [row["value"] for row in csv.DictReader(SEEDS.open(encoding="utf-8"), delimiter="\t")]
    return [v for v in values if re.search(r"\d", v)]


def distinct_expressions(count: int, rng: random.Random) -> list[str]:
    forms, seen = templates(), set()
    while len(seen) < count:
        form = rng.choice(forms)
        seen.add(re.sub(r"\d+(?:\.\d+)?", lambda m: _number_like(m.group(), rng), form, count=1))
    return list(seen)


def distinct_shapes(count: int, rng: random.Random) -> list[str]:
    forms, seen = templates(), set()
    while len(seen) < count:
        label = "".join(rng.choice(LABEL_CHARS) for _ in range(rng.randint(3, 8)))
        seen.add(label + " " + rng.choice(forms).lstrip("$"))
    return list(seen)


def _number_like(number: str, rng: random.Random) -> str:
    places = len(number.partition(".")[2])
    return f"{rng.uniform(0, 10 ** len(number.partition('.')[0])):.{places}f}"


def rate(texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        try:
            parse_target(text)
        except ValueError:
            pass
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--count", type=int, default=50_000)
    count = options.parse_args().count
    start = time.perf_counter()
    parser()
    print(f"grammar built once in {time.perf_counter() - start:.2f} s")
    rng = random.Random(2026)
    expressions = distinct_expressions(count, rng)
    shapes = distinct_shapes(count // 5, rng)
    for cache in (_read, _syntax, _one_number):
        cache.cache_clear()
    print(f"distinct expressions: {rate(expressions):>10,.0f} /s  ({len(expressions):,} texts)")
    print(f"cached re-reads:      {rate(expressions):>10,.0f} /s")
    for cache in (_read, _syntax, _one_number):
        cache.cache_clear()
    print(f"distinct shapes:      {rate(shapes):>10,.0f} /s  ({len(shapes):,} texts)")


if __name__ == "__main__":
    main()

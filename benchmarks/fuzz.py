"""The long fuzz run of the readers: N generated expressions (tests/fuzzing.py) through parse_target
and parse_actual, each call timed; reports calls, crashes, reads over 50 ms, non-finite and rounded
values, with the first example of each. The cyclic collector runs between calls, not inside the timed
ones (its pauses belong to the process, not to the input; the engine pauses it for a run too).

    python benchmarks/fuzz.py [--count 100000] [--seed 16]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzzing import corpus_cells, expression, odd  # noqa: E402

from scoring import parse_actual, parse_target  # noqa: E402

SLOW = 0.050


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--count", type=int, default=100_000)
    options.add_argument("--seed", type=int, default=16)
    args = options.parse_args()
    rng, cells = random.Random(args.seed), corpus_cells()
    parse_target("≥95%"), parse_actual("96%")                  # the grammar loaded before timing
    found, examples, slowest = Counter(), {}, (0.0, "")
    began = time.perf_counter()
    gc.disable()
    for k in range(args.count):
        if k % 10_000 == 0:
            gc.collect()
        text = expression(rng, cells)
        for read in (parse_target, parse_actual):
            start = time.perf_counter()
            problem = odd(read, text)
            spent = time.perf_counter() - start
            slowest = max(slowest, (spent, text[:60]))
            if spent > SLOW:
                problem = problem or "slow"
            if problem:
                found[problem] += 1
                examples.setdefault(problem, text[:80])
    gc.enable()
    calls = 2 * args.count
    print(f"{calls:,} calls in {time.perf_counter() - began:.1f} s; crashes {found['crash']}, reads over 50 ms "
          f"{found['slow']}, non-finite {found['non_finite']}, rounded {found['rounded']}; slowest "
          f"{slowest[0] * 1000:.1f} ms ({slowest[1]!r})")
    for problem, text in examples.items():
        print(f"  {problem}: {text!r}")


if __name__ == "__main__":
    main()

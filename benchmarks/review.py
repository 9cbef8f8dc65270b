"""The target review (`score review`) on a province: read targets.json, review it, and score the same
frames, in one process, so that the two are compared side by side.

    python benchmarks/generate.py 1000000 DIR
    python benchmarks/review.py DIR
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from scoring import engine, readers
from scoring.review import review
from scoring.rulesets import level1_owners, load_ruleset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder with targets.json (benchmarks/generate.py)")
    args = parser.parse_args()
    ruleset = load_ruleset("national-2020")
    start = time.perf_counter()
    inputs = readers.read(args.folder / "targets.json")
    read = time.perf_counter()
    findings = review(inputs.projects, inputs.indicators, ruleset)
    reviewed = time.perf_counter()
    engine.score(inputs.projects, inputs.indicators, ruleset, "year", level1_owners())
    scored = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(inputs.indicators):,} indicators: read {read - start:.2f} s, review {reviewed - read:.2f} s "
          f"({len(findings):,} findings), score {scored - reviewed:.2f} s; review / score "
          f"{(reviewed - read) / (scored - reviewed):.2f}×; peak {peak:,.0f} MB")


if __name__ == "__main__":
    main()

"""The year before the score on a province, side by side with scoring: the target review (`score
review`) of targets.json, mid-year monitoring (`score monitor`) of targets.json against actuals.json read
as the progress at 30 June, and the engine's scoring of the same pair. Each runs in a fresh process
(the parse caches and the grammar cold, as for a user), timed without the reading of the files.

    python benchmarks/generate.py 1000000 DIR
    python benchmarks/lifecycle.py DIR [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path


def stage(name: str, folder: Path) -> dict:
    """One stage in this process: seconds reading, seconds running, what it found, peak memory."""
    from scoring import engine, readers
    from scoring.monitor import monitor
    from scoring.review import review
    from scoring.rulesets import level1_owners, load_ruleset

    ruleset = load_ruleset("national-2020")
    start = time.perf_counter()
    inputs = readers.read(folder / "targets.json", None if name == "review" else folder / "actuals.json")
    read = time.perf_counter() - start
    start = time.perf_counter()
    if name == "review":
        found = f"{len(review(inputs.projects, inputs.indicators, ruleset)):,} findings"
    elif name == "monitor":
        found = f"{len(monitor(inputs.projects, inputs.indicators, ruleset, date(2026, 6, 30)).red):,} red"
    else:
        scored = engine.score(inputs.projects, inputs.indicators, ruleset, "year", level1_owners())
        found = f"{len(scored.indicators):,} scored"
    return {"indicators": len(inputs.indicators), "read": read, "run": time.perf_counter() - start, "found": found,
            "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder with targets.json and actuals.json (benchmarks/generate.py)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--stage", choices=("review", "monitor", "score"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.folder)))
        return
    for round_ in range(args.rounds):
        runs = {name: json.loads(subprocess.run([sys.executable, __file__, str(args.folder), "--stage", name],
                                                check=True, capture_output=True, text=True).stdout)
                for name in ("score", "review", "monitor")}
        core = runs["score"]["run"]
        print(f"round {round_ + 1}, {runs['score']['indicators']:,} indicators: " + "; ".join(
            f"{name} {run['run']:.2f} s ({run['found']}; {run['run'] / core:.2f}× scoring; read {run['read']:.2f} s, "
            f"peak {run['peak']:,.0f} MB)" for name, run in runs.items()))


if __name__ == "__main__":
    main()

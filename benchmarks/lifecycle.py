"""The year before the score on a province, in one process and side by side with scoring: the target
review (`score review`) of targets.json, and mid-year monitoring (`score monitor`) of targets.json
against actuals.json read as the progress at 30 June.

    python benchmarks/generate.py 1000000 DIR
    python benchmarks/lifecycle.py DIR
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date
from pathlib import Path

from scoring import engine, readers
from scoring.monitor import monitor
from scoring.review import review
from scoring.rulesets import level1_owners, load_ruleset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder with targets.json and actuals.json (benchmarks/generate.py)")
    args = parser.parse_args()
    ruleset = load_ruleset("national-2020")
    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    declared = readers.read(args.folder / "targets.json")
    read_targets = lap()
    findings = review(declared.projects, declared.indicators, ruleset)
    reviewed = lap()
    reported = readers.read(args.folder / "targets.json", args.folder / "actuals.json")
    read_both = lap()
    watched = monitor(reported.projects, reported.indicators, ruleset, date(2026, 6, 30))
    monitored = lap()
    engine.score(reported.projects, reported.indicators, ruleset, "year", level1_owners())
    scored = lap()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(declared.indicators):,} indicators: read targets {read_targets:.2f} s, review {reviewed:.2f} s "
          f"({len(findings):,} findings); read both {read_both:.2f} s, monitor {monitored:.2f} s "
          f"({len(watched.red):,} red), score {scored:.2f} s; "
          f"review / score {reviewed / scored:.2f}×, monitor / score {monitored / scored:.2f}×; peak {peak:,.0f} MB")


if __name__ == "__main__":
    main()

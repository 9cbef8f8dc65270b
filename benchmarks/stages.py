"""Where a JSON run's time goes, by stage: read (the files into frames), parse (reading each distinct
target and actual text), score (the rest of the engine), explain (the sentences), write (the rest of
the JSON output); and the process's peak memory.

    python benchmarks/stages.py /tmp/scoring-bench/1000000

The folder is one that benchmarks/generate.py wrote (targets.json, actuals.json). The stages are timed
by wrapping functions every version of the code since 65b542f has, so that two versions can be
profiled side by side (benchmarks/json_speed.py runs it on each with PYTHONPATH).
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("folder", type=Path)
    folder = options.parse_args().folder
    start = time.perf_counter()
    from scoring import engine, readers
    from scoring.engine.readings import Memo
    from scoring.report import ScoreReport
    from scoring.rulesets import load_ruleset
    from scoring.writers.jsonreport import write_json

    imported = time.perf_counter()
    spent = {"parse": 0.0, "explain": 0.0}

    def timed(function, stage):
        def run(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - began
        return run

    Memo.target, Memo.actual = timed(Memo.target, "parse"), timed(Memo.actual, "parse")
    ScoreReport.sentences = timed(ScoreReport.sentences, "explain")
    inputs = readers.read(folder / "targets.json", folder / "actuals.json")
    read = time.perf_counter()
    ruleset = load_ruleset(inputs.ruleset or "national-2020")
    ruled = time.perf_counter()                  # loading the ruleset is not the core's work
    scored = engine.score(inputs.projects, inputs.indicators, ruleset)
    cored = time.perf_counter()
    with (folder / "stages.json").open("w", encoding="utf-8", newline="") as out:
        write_json(ScoreReport(ruleset, scored.indicators, scored.projects, "year"), out)
    written = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import {imported - start:.2f} read {read - imported:.2f} parse {spent['parse']:.2f} "
          f"score {cored - ruled - spent['parse']:.2f} explain {spent['explain']:.2f} "
          f"write {written - cored - spent['explain']:.2f} peak {peak:.0f}")


if __name__ == "__main__":
    main()

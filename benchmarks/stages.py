"""Where a JSON run's time goes: import, reading (and the decoding of JSON within it), the core,
writing; and the floor's two parts on the same files, for comparison.

    python benchmarks/stages.py /tmp/scoring-bench/1000000

The folder is one that benchmarks/scale.py wrote (targets.json, actuals.json).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# benchmarks/scale.py's floor, in a fresh process as there
FLOOR = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(HERE)!r})
from scale import floor
folder = Path(sys.argv[1])
print(*floor(folder / "targets.json", folder / "actuals.json", folder / "stages.json"))
"""


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("folder", type=Path)
    folder = options.parse_args().folder
    start = time.perf_counter()
    from scoring import engine, readers
    from scoring.readers import jsondecode
    from scoring.report import ScoreReport
    from scoring.rulesets import load_ruleset
    from scoring.writers.jsonreport import write_json

    imported = time.perf_counter()
    decode, spent = jsondecode._decoded, [0.0]

    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return decode(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - began

    jsondecode._decoded = timed
    inputs = readers.read(folder / "targets.json", folder / "actuals.json")
    jsondecode._decoded = decode
    read = time.perf_counter()
    ruleset = load_ruleset(inputs.ruleset or "national-2020")
    ruled = time.perf_counter()                  # loading the ruleset is not the core's work
    scored = engine.score(inputs.projects, inputs.indicators, ruleset)
    cored = time.perf_counter()
    with (folder / "stages.json").open("w", encoding="utf-8", newline="") as out:
        write_json(ScoreReport(ruleset, scored.indicators, scored.projects, "year"), out)
    written = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load, dump = map(float, subprocess.run([sys.executable, "-c", FLOOR, str(folder)], capture_output=True,
                                           text=True, check=True).stdout.split())
    print(f"import {imported - start:.2f} s, read {read - imported:.2f} s (decoding projects {spent[0]:.2f} s), "
          f"core {cored - ruled:.2f} s, write {written - cored:.2f} s; peak {peak:,.0f} MB")
    print(f"floor: load {load:.2f} s, dump {dump:.2f} s")


if __name__ == "__main__":
    main()

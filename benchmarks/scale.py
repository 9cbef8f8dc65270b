"""Province-scale figures: end to end, the core, memory, and the floor, measured side by side.

    python benchmarks/scale.py [--sizes 10000,100000,1000000] [--loop-sample 500] [--work DIR]

For each size (inputs from benchmarks/generate.py, fixed seed) it prints:
- json end to end: `score targets.json actuals.json --format json -o out.json` in a fresh process
  (read JSON, score, write JSON), and that process's peak memory;
- floor: the standard library alone loading the same input JSON and dumping the output JSON the run
  wrote (nothing can be faster than reading and writing the files);
- csv / parquet end to end: `score indicators.csv -o out.csv` (and Parquet when pyarrow is installed);
- core: the engine on frames already in memory (weights, readings, methods, totals; no I/O, no
  explanations), in a fresh process so that no text was read before (the parse caches are cold);
- loop: a per-indicator loop over the public one-project API, `scoring.score` on one indicator at a
  time, timed on a sample and extrapolated; and the core's speed-up over it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import flat, generate  # noqa: E402

import scoring  # noqa: E402


def run(command: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of a command in a fresh process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    seconds, kilobytes = out.stdout.split()
    return float(seconds), int(kilobytes) / 1024


CORE = """
import sys, time
from scoring import engine
from scoring.readers import read
from scoring.rulesets import load_ruleset
inputs = read(sys.argv[1], sys.argv[2])
ruleset = load_ruleset()
start = time.perf_counter()
engine.score(inputs.projects, inputs.indicators, ruleset)
print(time.perf_counter() - start)
"""


def core_seconds(targets: Path, actuals: Path) -> float:
    """The engine's seconds on frames already read, in a fresh process (no cache warmed by another size)."""
    out = subprocess.run([sys.executable, "-c", CORE, str(targets), str(actuals)], capture_output=True, text=True,
                         check=True)
    return float(out.stdout)


def floor(targets: Path, actuals: Path, output: Path) -> tuple[float, float]:
    """Seconds the standard library takes to load the two inputs, and to dump ``output``'s data."""
    start = time.perf_counter()
    json.loads(targets.read_text(encoding="utf-8"))
    json.loads(actuals.read_text(encoding="utf-8"))
    loaded = time.perf_counter() - start
    written = json.loads(output.read_text(encoding="utf-8"))
    start = time.perf_counter()
    (output.parent / "floor.json").write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
    return loaded, time.perf_counter() - start


def loop_rate(targets: list[dict], actuals: list[dict], sample: int) -> float:
    """Indicators per second scoring one indicator at a time with scoring.score."""
    done, start = 0, time.perf_counter()
    for project, result in zip(targets, actuals):
        for indicator, actual in zip(project["indicators"], result["indicators"]):
            scoring.score({**project, "indicators": [indicator]},
                          {"id": project["id"], "budget": result["budget"], "indicators": [actual]})
            done += 1
            if done >= sample:
                return done / (time.perf_counter() - start)
    return done / (time.perf_counter() - start)


def environment() -> str:
    """What the figures depend on besides the code: versions, and the optional packages that change them."""
    import importlib.metadata
    import importlib.util
    import platform

    import pandas

    def has(package: str) -> str:
        return importlib.metadata.version(package) if importlib.util.find_spec(package) else "not installed"

    return (f"python {platform.python_version()}, pandas {pandas.__version__}, pyarrow {has('pyarrow')} "
            f"(reads CSV and Parquet when installed), interegular {has('interegular')} (when installed, lark "
            f"checks the grammar's terminals for collisions each time a process builds the parser)")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="10000,100000,1000000")
    options.add_argument("--loop-sample", type=int, default=500)
    options.add_argument("--work", type=Path, default=Path("/tmp/scoring-bench"))
    args = options.parse_args()
    score = [sys.executable, "-m", "scoring"]
    print(environment())
    print(f"{'indicators':>10}  {'json e2e':>9}  {'floor':>7}  {'e2e/floor':>9}  {'peak MB':>8}  {'csv e2e':>8}  "
          f"{'parquet':>8}  {'core':>7}  {'loop/s':>8}  {'core×loop':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = args.work / str(size)
        folder.mkdir(parents=True, exist_ok=True)
        targets, actuals = generate(size)
        (folder / "targets.json").write_text(json.dumps({"ruleset": "national-2020", "projects": targets},
                                                        ensure_ascii=False), encoding="utf-8")
        (folder / "actuals.json").write_text(json.dumps({"projects": actuals}, ensure_ascii=False), encoding="utf-8")
        table = flat(targets, actuals)
        table.to_csv(folder / "indicators.csv", index=False)
        json_seconds, peak = run([*score, str(folder / "targets.json"), str(folder / "actuals.json"),
                                  "--format", "json", "-o", str(folder / "out.json"), "--quiet"])
        floor_seconds = sum(floor(folder / "targets.json", folder / "actuals.json", folder / "out.json"))
        csv_seconds, _ = run([*score, str(folder / "indicators.csv"), "-o", str(folder / "out.csv"), "--quiet"])
        try:
            table.to_parquet(folder / "indicators.parquet", index=False)
            parquet_seconds = f"{run([*score, str(folder / 'indicators.parquet'), '-o', str(folder / 'out.parquet'), '--quiet'])[0]:8.1f}"
        except ImportError:
            parquet_seconds = f"{'—':>8}"
        core = core_seconds(folder / "targets.json", folder / "actuals.json")
        rate = loop_rate(targets, actuals, args.loop_sample)
        print(f"{size:>10,}  {json_seconds:9.1f}  {floor_seconds:7.2f}  {json_seconds / floor_seconds:9.1f}  "
              f"{peak:8.0f}  {csv_seconds:8.1f}  {parquet_seconds}  {core:7.2f}  {rate:8.0f}  "
              f"{size / rate / core:9.0f}", flush=True)


if __name__ == "__main__":
    main()

"""Flat files scored in chunks: peak memory and wall time of ``score indicators.csv -o out.csv`` and
of the Parquet equivalent, at each size, in fresh processes, measured by ``/usr/bin/time -v``.

    python benchmarks/chunks.py [--sizes 1000000,10000000] [--dir /tmp/scoring-chunks] [--before TREE]
                                [--chunk-rows N] [--rounds 1]

Inputs come from benchmarks/generate.py (made once per size in DIR). ``--before TREE`` also runs the
code of another checkout (e.g. ``git archive main | tar x -C TREE``), alternately with this one, so
that both are measured side by side; ``--chunk-rows`` is passed to this tree's command only.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def measure(tree: Path, source: Path, out: Path, extra: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident megabytes of one run of the command of ``tree``."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "scoring", str(source), "-o", str(out),
                           "--quiet", *extra], env=environment, capture_output=True, text=True,
                          cwd=source.parent)           # -m puts the working directory before PYTHONPATH
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree}: exit {done.returncode}\n{done.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr).groups()
    seconds = int(wall[0] or 0) * 3600 + int(wall[1]) * 60 + float(wall[2])
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) / 1024
    out.unlink(missing_ok=True)
    return seconds, peak


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="1000000,10000000")
    options.add_argument("--dir", type=Path, default=Path("/tmp/scoring-chunks"))
    options.add_argument("--before", type=Path, help="another checkout, run alternately with this one")
    options.add_argument("--chunk-rows", type=int)
    options.add_argument("--rounds", type=int, default=1)
    args = options.parse_args()
    trees = [("after", HERE, [] if args.chunk_rows is None else ["--chunk-rows", str(args.chunk_rows)])]
    if args.before:
        trees.insert(0, ("before", args.before.resolve(), []))
    print("| indicators | format | " + " | ".join(f"{name} time | {name} peak" for name, _, _ in trees) + " |")
    print("|---|---|" + "---|---|" * len(trees))
    for size in map(int, args.sizes.split(",")):
        folder = args.dir / str(size)
        for form in ("csv", "parquet"):
            source = folder / f"indicators.{form}"
            if not source.exists():
                subprocess.run([sys.executable, str(HERE / "benchmarks" / "generate.py"), str(size), str(folder),
                                "--format", form], check=True, env={**os.environ, "PYTHONPATH": str(HERE)})
            for _ in range(args.rounds):
                cells = []
                for _, tree, extra in trees:
                    seconds, peak = measure(tree, source, folder / f"scored.{form}", extra)
                    cells += [f"{seconds:.1f} s", f"{peak:,.0f} MB"]
                print(f"| {size:,} | {form} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()

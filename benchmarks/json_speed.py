"""A JSON run against the fast-JSON floor, two versions of the code side by side.

    python benchmarks/json_speed.py DIR [--before CHECKOUT] [--rounds 2]

DIR holds targets.json and actuals.json (`python benchmarks/generate.py 1000000 DIR`). Each round runs,
each in a fresh process and alternately for this checkout and ``--before`` (another checkout, run with
PYTHONPATH pointing at it):
- end to end: `score targets.json actuals.json --format json -o out.json`, its seconds and peak memory;
- stages: benchmarks/stages.py (read, parse, score, explain, write; peak);
and, on the output this checkout wrote, the floors: orjson, msgspec and the standard library loading
both inputs and dumping the output's data, as a script would write it (the cyclic collector running).
Needs orjson for its floor (`pip install orjson`); the package itself does not use it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import run  # noqa: E402

FLOOR = """
import json, sys, time
from pathlib import Path
folder, library = Path(sys.argv[1]), sys.argv[2]
if library == "orjson":
    import orjson
    loads, dumps = orjson.loads, orjson.dumps
elif library == "msgspec":
    import msgspec
    loads, dumps = msgspec.json.decode, msgspec.json.encode
else:
    loads, dumps = json.loads, lambda data: json.dumps(data, ensure_ascii=False).encode("utf-8")
start = time.perf_counter()
for name in ("targets.json", "actuals.json"):
    loads((folder / name).read_bytes())
loaded = time.perf_counter() - start
data = loads((folder / "out.json").read_bytes())
start = time.perf_counter()
(folder / "floor.json").write_bytes(dumps(data))
print(loaded, time.perf_counter() - start)
"""


def floor(folder: Path, library: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", FLOOR, str(folder), library], capture_output=True, text=True,
                         check=True)
    load, dump = map(float, out.stdout.split())
    return load, dump


def stages(folder: Path, env: dict) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(HERE / "stages.py"), str(folder)], capture_output=True, text=True,
                         check=True, env=env).stdout.split()
    return {key: float(value) for key, value in zip(out[::2], out[1::2])}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("folder", type=Path)
    options.add_argument("--before", type=Path, help="another checkout of the code, run side by side")
    options.add_argument("--rounds", type=int, default=2)
    args = options.parse_args()
    folder = args.folder
    versions = {"after": str(HERE.parent)}
    if args.before:
        versions = {"before": str(args.before.resolve()), **versions}
    for round_ in range(1, args.rounds + 1):
        for name, root in versions.items():
            env = {**os.environ, "PYTHONPATH": root}
            seconds, peak = run(["env", f"PYTHONPATH={root}", sys.executable, "-P", "-m", "scoring",
                                 str(folder / "targets.json"), str(folder / "actuals.json"), "--format", "json",
                                 "-o", str(folder / f"out-{name}.json"), "--quiet"])
            profile = stages(folder, env)
            print(f"round {round_} {name:>6}: end to end {seconds:6.2f} s, peak {peak:6.0f} MB | " +
                  ", ".join(f"{k} {v:.2f}" for k, v in profile.items() if k != "peak") +
                  f", peak {profile['peak']:.0f} MB", flush=True)
            if name == "after":
                os.replace(folder / f"out-{name}.json", folder / "out.json")
                floors = {library: floor(folder, library) for library in ("orjson", "msgspec", "stdlib")}
                print(f"round {round_} floors: " + ", ".join(
                    f"{library} {load:.2f} + {dump:.2f} = {load + dump:.2f} s" for library, (load, dump) in floors.items()))
                fastest = floors["orjson"]
                print(f"round {round_} end to end / orjson floor: {seconds / sum(fastest):.2f}×", flush=True)
    if args.before:
        same = (folder / "out-before.json").read_bytes() == (folder / "out.json").read_bytes()
        print("outputs byte-identical:", same)


if __name__ == "__main__":
    main()

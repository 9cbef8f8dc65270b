"""SIGINT and SIGTERM in the middle of a province run: while reading and scoring, and while the output
is being written. Each interrupted run must end with its one line, exit 128 + the signal, the earlier
output file as it was and no temporary file. (tests/test_interrupts.py does the same on 60,000 rows.)

    python benchmarks/generate.py 1000000 DIR
    python benchmarks/interrupt.py DIR
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OLD = "an earlier output\n"


def run(inputs: list[str], out: Path, signum: int | None = None, at: float | None = None) -> dict:
    """One run; with ``signum``, sent ``at`` seconds in, or (``at`` None) once the output is begun."""
    out.write_text(OLD, encoding="utf-8")
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "scoring", *inputs, "-o", str(out), "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if signum is not None:
        while process.poll() is None and (time.monotonic() - start < at if at is not None else not _temporary(out)):
            time.sleep(0.002)
        sent = time.monotonic() - start
        process.send_signal(signum)
    stdout, stderr = process.communicate()
    return {"exit": process.returncode, "seconds": time.monotonic() - start, "sent": sent if signum else None,
            "lines": len(stderr.strip().splitlines()), "stderr": stderr.strip()[:120], "stdout": len(stdout),
            "untouched": out.read_text(encoding="utf-8", errors="replace")[:len(OLD) + 1] == OLD,
            "left": len(_temporary(out))}


def _temporary(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder with targets.json and actuals.json")
    args = parser.parse_args()
    inputs = [str(args.folder / "targets.json"), str(args.folder / "actuals.json")]
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out.json"
        whole = run(inputs, out)
        print(f"whole run: exit {whole['exit']}, {whole['seconds']:.1f} s")
        failures = 0
        for signum in (signal.SIGINT, signal.SIGTERM):
            for stage, at in (("reading and scoring", 0.4 * whole["seconds"]), ("writing", None)):
                result = run(inputs, out, signum, at)
                good = (result["exit"] == 128 + signum and result["lines"] == 1 and result["untouched"]
                        and not result["left"] and not result["stdout"])
                failures += not good
                print(f"{signal.Signals(signum).name} while {stage} (sent at {result['sent']:.1f} s): "
                      f"exit {result['exit']}, {result['lines']} line(s) on stderr, earlier output "
                      f"{'untouched' if result['untouched'] else 'CHANGED'}, {result['left']} temporary file(s) "
                      f"left — {'ok' if good else 'FAILED'}\n    {result['stderr']}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

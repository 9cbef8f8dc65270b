"""A flat workbook of N indicator rows, read and scored: seconds, rows a second and peak memory.

    python benchmarks/workbook.py [--rows 100000] [--formulas] [--keep DIR]

Writes one sheet of N rows (benchmarks/generate.py's indicators and actuals, the flat layout's
Chinese headers, 11 columns), then in a fresh process each: the workbook read (read_workbook) and
`score big.xlsx -o out.json`. Peak memory is the process's maximum resident set. ``--formulas`` adds a
执行率 column of formulas, as a filled 自评表 has: the reader then loads the book a second time for
their text. The figures behind scoring/readers/limits.py's workbook limits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

HEADER = ["项目编号", "项目名称", "序号", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值",
          "年初预算数", "全年预算数", "全年执行数"]
CHILD = """
import json, resource, sys, time
start = time.perf_counter()
if sys.argv[1] == "read":
    from scoring.readers.xlsx import read_workbook
    read_workbook(__import__("pathlib").Path(sys.argv[2]))
else:
    from scoring.cli import main
    assert main([sys.argv[2], "-o", sys.argv[3], "--quiet"]) in (0, 1)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write(rows: int, path: Path, formulas: bool) -> None:
    targets, actuals = generate(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("指标")
    sheet.append(HEADER + (["执行率"] if formulas else []))
    line = 1
    for project, done in zip(targets, actuals):
        budget = project["budget"]
        for indicator, actual in zip(project["indicators"], done["indicators"]):
            line += 1
            sheet.append([project["id"], project["name"], indicator["id"], indicator["level1"], indicator["level2"],
                          indicator["name"], indicator["target"], actual["actual"], budget["initial"],
                          budget["adjusted"], done["budget"]["executed"]] + ([f"=K{line}/J{line}"] if formulas else []))
    book.save(path)


def run(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", type=int, default=100_000)
    options.add_argument("--formulas", action="store_true")
    options.add_argument("--keep", type=Path, help="write the workbook and the report here, and keep them")
    args = options.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="scoring-workbook-"))
    folder.mkdir(parents=True, exist_ok=True)
    book = folder / "big.xlsx"
    start = time.perf_counter()
    write(args.rows, book, args.formulas)
    print(f"{args.rows:,} rows{' with formulas' if args.formulas else ''}: {book.stat().st_size / 1e6:.1f} MB written "
          f"in {time.perf_counter() - start:.1f} s")
    for name, figures in (("read_workbook", run("read", str(book))),
                          ("score -o out.json", run("score", str(book), str(folder / "out.json")))):
        print(f"{name:18} {figures['seconds']:6.1f} s  {args.rows / figures['seconds']:8,.0f} rows/s  "
              f"peak {figures['peak_mb']:,.0f} MB")
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()

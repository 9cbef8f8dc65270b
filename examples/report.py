"""A reporting script: score every bundled example with the library and summarise them with pandas.

    python examples/report.py [FOLDER …]

Prints one line per project (total, grade, issues) and, per first-level indicator, the points earned
against the points at stake: the kind of table a finance bureau puts in its year-end summary.
"""

import sys
from pathlib import Path

import pandas as pd

import scoring

HERE = Path(__file__).resolve().parent


def main(folders: list[Path]) -> None:
    totals, rows = [], []
    for folder in folders:
        report = scoring.score(folder / "targets.json", folder / "actuals.json")
        totals.append(report.totals().assign(ruleset=report.ruleset.name))
        rows.append(report.to_dataframe())
    summary = pd.concat(totals, ignore_index=True)
    indicators = pd.concat(rows, ignore_index=True)
    print(summary[["project_id", "project_name", "ruleset", "total", "grade", "issues"]].to_string(index=False))
    print()
    scored = indicators[indicators["status"] != "not_applicable"]
    levels = scored.groupby(["project_id", "level1"], sort=False)[["score", "weight"]].sum()
    levels["rate"] = (levels["score"] / levels["weight"]).map("{:.1%}".format)
    print(levels.to_string())
    flagged = indicators[indicators["flags"] != ""]
    print(f"\n{len(flagged)} indicators flagged for review:")
    print(flagged[["project_id", "name", "flags"]].to_string(index=False))


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or sorted(p for p in HERE.iterdir() if (p / "targets.json").exists()))

"""Plots of scored projects with pandas, as a notebook draws them: the totals, the grades, and where
the points were lost.

    pip install matplotlib                  # pandas plots with it
    python examples/plots.py [OUT_DIR]      # totals.png, grades.png, lost.png (default: the current folder)

In Jupyter a ScoreReport shows itself (the counts, the totals, the first project's table); its frames
then plot in a line each, as below: ``grade`` is an ordered category (差 < 中 < 良 < 优), ``level1`` and
``level2`` are categories.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")                       # files, no screen
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import scoring  # noqa: E402

HERE = Path(__file__).resolve().parent
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
                                   "SimHei", "WenQuanYi Micro Hei", "DejaVu Sans"]


def frames(folders: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every folder's targets.json and actuals.json scored: the totals and the 一级指标 subtotals."""
    reports = [scoring.score(folder / "targets.json", folder / "actuals.json") for folder in folders]
    totals = pd.concat([report.totals() for report in reports], ignore_index=True)
    levels = pd.concat([report.levels() for report in reports], ignore_index=True)
    return totals, levels


def draw(totals: pd.DataFrame, levels: pd.DataFrame, out: Path) -> list[Path]:
    drawn = []

    def save(ax, name: str) -> None:
        ax.figure.tight_layout()
        ax.figure.savefig(out / name, dpi=110)
        plt.close(ax.figure)
        drawn.append(out / name)

    save(totals.sort_values("total").plot.barh(x="project_name", y="total", xlim=(0, 100), legend=False,
                                               title="总分", xlabel="", ylabel="", figsize=(7, 3)), "totals.png")
    save(totals["grade"].value_counts(sort=False).plot.bar(title="等级", rot=0, xlabel="", figsize=(4, 3)), "grades.png")
    lost = (levels.assign(lost=levels["weight"] - levels["score"]).groupby("level1", sort=False, observed=True)["lost"]
            .sum().sort_values())
    save(lost.plot.barh(title="各一级指标失分（分）", xlabel="", ylabel="", figsize=(6, 3)), "lost.png")
    return drawn


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    folder.mkdir(parents=True, exist_ok=True)
    examples = sorted(p for p in HERE.iterdir() if (p / "actuals.json").exists())
    for path in draw(*frames(examples), folder):
        print(path)

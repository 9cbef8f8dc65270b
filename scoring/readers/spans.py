"""Cells merged over several indicator rows of a workbook: one 得分 printed for two 三级指标 of a 二级指标
(湖北 tables), or one 分值 for both. The printed number is shared by the rows it spans, cent-exact: the
分值 equally, the 得分 in proportion to the rows' 分值 (equally without them), the remainder cents one
each to the first rows. Each row so given a share says so in its ``source.notes``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

_WHAT = {"weight": "分值", "score": "得分"}


@dataclass(frozen=True)
class Merge:
    """A merged range of a sheet, rows and columns counted from 0, and its reference (``H14:H15``)."""

    top: int
    bottom: int
    left: int
    right: int
    ref: str


def shares(total: float, weights: list[float | None]) -> list[float]:
    """``total`` split over the rows of ``weights`` in cents: in proportion to the weights when every row
    has one and they add up to more than 0, else equally; the remainder cents one each to the first rows."""
    cents = int(math.floor(abs(total) * 100 + 0.5 + 1e-9)) * (-1 if total < 0 else 1)
    if _proportional(weights):
        parts = [int(math.floor(cents * w / sum(weights) + 1e-9)) for w in weights]
    else:
        parts = [cents // len(weights)] * len(weights)
    left = cents - sum(parts)
    return [(part + (1 if k < left else 0)) / 100 for k, part in enumerate(parts)]


def _proportional(weights: list[float | None]) -> bool:
    return all(w is not None and not math.isnan(w) for w in weights) and sum(weights) > 0


def spread(items: list[dict], merges: list[Merge], columns: dict[str, int]) -> None:
    """Share the 分值 and then the 得分 merged over several of ``items`` (each with its sheet row, from 1,
    in ``source.row``) among them; ``columns`` gives the sheet column of each key."""
    rows = [item["source"]["row"] - 1 for item in items]
    for key in ("weight", "score"):
        column = columns.get(key)
        if column is None:
            continue
        for merge in merges:
            spanned = [k for k, row in enumerate(rows) if merge.top <= row <= merge.bottom]
            if not merge.left <= column <= merge.right or len(spanned) < 2 or items[spanned[0]].get(key) is None:
                continue
            total = items[spanned[0]][key]
            weights = [items[k].get("weight") for k in spanned] if key == "score" else [None] * len(spanned)
            parts = shares(total, weights)
            how = "按分值" if _proportional(weights) else "平均"
            note = (f"{_WHAT[key]} {total:g} 印在合并单元格 {merge.ref}，由第 "
                    f"{'、'.join(str(rows[k] + 1) for k in spanned)} 行{how}分摊："
                    f"{'、'.join(f'{p:.2f}' for p in parts)} / one printed {key} shared by the rows it spans")
            for k, part in zip(spanned, parts):
                items[k][key] = part
                items[k]["source"].setdefault("notes", []).append(note)

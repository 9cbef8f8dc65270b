"""Charts as inline SVG text for the HTML report: bars of points earned against points possible, and
a histogram. Drawn here rather than by a plotting library: two chart shapes of rectangles and text
need no dependency, stay a few kilobytes, and take the page's fonts (Chinese labels included)."""

from __future__ import annotations

from html import escape

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 210
GOOD, FAIR, POOR, TRACK = "#2f7d4f", "#c98a14", "#b8412c", "#e6e9ee"


def colour(share: float) -> str:
    """The colour of a share of the points earned: green from 90%, amber from 60%, else red."""
    return GOOD if share >= 0.9 else FAIR if share >= 0.6 else POOR


def bars(rows: list[tuple[str, float, float, int]], title: str, width: int = 640) -> str:
    """Horizontal bars, one per (label, earned, possible, depth): the track is what was possible, the
    bar what was earned; ``depth`` 1 indents a row under the one before (a 二级 under its 一级)."""
    scale = max((possible for _, _, possible, _ in rows), default=0) or 1
    plot = width - LABEL_WIDTH - 90
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    parts = [_open(width, height, title)]
    for k, (label, earned, possible, depth) in enumerate(rows):
        y = GAP + k * (BAR_HEIGHT + GAP)
        track = plot * possible / scale
        done = plot * max(0.0, min(earned, possible)) / scale
        share = earned / possible if possible else 1.0
        middle = y + BAR_HEIGHT / 2 + 4
        parts += [
            f'<text x="{4 + 14 * depth}" y="{middle:.1f}" class="label{" sub" * (depth > 0)}">{escape(_clip(label))}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{track:.1f}" height="{BAR_HEIGHT}" fill="{TRACK}" rx="2"/>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{done:.1f}" height="{BAR_HEIGHT}" fill="{colour(share)}" rx="2"/>',
            f'<text x="{LABEL_WIDTH + track + 6:.1f}" y="{middle:.1f}" class="value">{earned:.2f} / {possible:.2f}</text>',
        ]
    return "".join(parts) + "</svg>"


def histogram(bins: list[tuple[str, int, str]], title: str, width: int = 640, height: int = 180) -> str:
    """Vertical bars, one per (label, count, fill), with the count above each."""
    top = max((count for _, count, _ in bins), default=0) or 1
    step = (width - 20) / max(len(bins), 1)
    base = height - 24
    parts = [_open(width, height, title)]
    for k, (label, count, fill) in enumerate(bins):
        x = 10 + k * step
        tall = (base - 20) * count / top
        parts += [
            f'<rect x="{x + 3:.1f}" y="{base - tall:.1f}" width="{step - 6:.1f}" height="{tall:.1f}" fill="{fill}" rx="2"/>',
            f'<text x="{x + step / 2:.1f}" y="{base - tall - 4:.1f}" class="value" text-anchor="middle">{count}</text>',
            f'<text x="{x + step / 2:.1f}" y="{height - 6}" class="label" text-anchor="middle">{escape(label)}</text>',
        ]
    parts.append(f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#9aa3ad"/>')
    return "".join(parts) + "</svg>"


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>')


def _clip(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"

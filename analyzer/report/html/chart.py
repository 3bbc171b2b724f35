"""The one chart: benefit against effort, one dot per candidate, coloured by verdict.

Effort is the cost factor (days); benefit is the benefit factor (interpreter operations a
port saves per use of the candidate's callers). Both on log scales: estimates run from a day
to years, and savings over many orders of magnitude. A dot carries its rank; the page's
script opens that candidate's case on a click.
"""

from __future__ import annotations

import math
from html import escape

from analyzer.report.html.graph import BEST_FIRST

WIDTH, HEIGHT = 560, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44
DAY_TICKS = (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
FLOOR = 1.0          # a saving under one operation is drawn on the axis


def factor(c: dict, name: str) -> float:
    return next((f["value"] for f in c["factors"] if f["name"] == name), 0.0)


def render(candidates: list[dict]) -> str:
    days = [max(factor(c, "cost"), DAY_TICKS[0]) for c in candidates] or [1.0]
    low, high = math.log10(min(days)), math.log10(max(max(days), min(days) * 10))
    top = math.log10(max([factor(c, "benefit") for c in candidates] + [1e3])) * 1.05     # headroom for the top dot
    x = lambda d: LEFT + (math.log10(max(d, DAY_TICKS[0])) - low) / (high - low) * (WIDTH - LEFT - RIGHT)
    y = lambda b: HEIGHT - BOTTOM - math.log10(max(b, FLOOR)) / top * (HEIGHT - TOP - BOTTOM)
    saved_ticks = [10 ** e for e in range(0, int(top) + 1, 1 if top < 8 else 2)]
    parts = [_axes(x, y, [d for d in DAY_TICKS if low <= math.log10(d) <= high], saved_ticks)]
    parts += [_dot(c, x, y) for c in sorted(candidates, key=_drawing_order)]
    return (f'<svg id="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="benefit against effort, one dot per candidate">{"".join(parts)}</svg>')


def _drawing_order(c: dict) -> tuple:
    """The dots that matter most are drawn last, on top."""
    order = BEST_FIRST.index(c["verdict"]) if c["verdict"] in BEST_FIRST else len(BEST_FIRST)
    return -order, c["score"], -c["rank"]


def _dot(c: dict, x, y) -> str:
    cost, benefit = factor(c, "cost"), factor(c, "benefit")
    label = (f"#{c['rank']} {c['qualname'] or c['name']} ({c['verdict']}): saves ≈{compact(benefit)} operations "
             f"per use of its callers, ≈{cost:g} days")
    return (f'<circle class="dot v-{escape(c["verdict"])}" data-rank="{int(c["rank"])}" cx="{x(cost):.1f}" '
            f'cy="{y(benefit):.1f}" r="4.5"><title>{escape(label)}</title></circle>')


def compact(value: float) -> str:
    """1234567 as 1.2M: the terminal's way of writing operation counts."""
    for size, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:.2g}{suffix}" if value < 10 * size else f"{value / size:.0f}{suffix}"
    return f"{value:.0f}"


def _axes(x, y, day_ticks: list[float], saved_ticks: list[float]) -> str:
    base, left, right = HEIGHT - BOTTOM, LEFT, WIDTH - RIGHT
    out = [f'<line class="axis" x1="{left}" y1="{base}" x2="{right}" y2="{base}"/>',
           f'<line class="axis" x1="{left}" y1="{TOP}" x2="{left}" y2="{base}"/>']
    for d in day_ticks:
        out.append(f'<text class="tick" x="{x(d):.1f}" y="{base + 16}" text-anchor="middle">{d:g}</text>')
    for s in saved_ticks:
        out.append(f'<line class="grid" x1="{left}" y1="{y(s):.1f}" x2="{right}" y2="{y(s):.1f}"/>'
                   f'<text class="tick" x="{left - 6}" y="{y(s) + 4:.1f}" text-anchor="end">{compact(s)}</text>')
    out.append(f'<text class="label" x="{(left + right) / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">'
               'effort: estimated days to port (log scale)</text>')
    out.append(f'<text class="label" transform="translate(14 {(TOP + base) / 2:.0f}) rotate(-90)" '
               'text-anchor="middle">benefit: operations saved per use (log)</text>')
    return "".join(out)

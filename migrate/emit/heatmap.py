"""A 7 × 24 week heatmap of job starts as a static SVG string (rendered on the server side).

Rows are Monday..Sunday, columns the hours 0..23; a cell's value is the average number of
job starts in that hour of that weekday over the horizon. Both maps of a report share one
colour `Scale` so legacy local time and EventBridge UTC compare at a glance. The scale is
logarithmic between the smallest and the largest non-zero cell: a fleet's every-five-minute
jobs put a floor under every hour, and a linear scale from zero would paint it all dark.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np
import numpy.typing as npt

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CELL_W, CELL_H = 22, 20
LEFT, TOP = 36, 22
# Light to dark blue; zero is a neutral grey so "nothing" and "a little" differ.
_STOPS = ((0.0, (222, 235, 247)), (0.5, (66, 146, 198)), (1.0, (8, 48, 107)))
_ZERO = "#f2f2f2"


@dataclass(frozen=True, slots=True)
class Scale:
    low: float  # smallest non-zero value (lightest blue)
    high: float  # largest value (darkest blue)

    @classmethod
    def of(cls, *grids: npt.NDArray[np.float32]) -> Scale:
        values = np.concatenate([g.ravel() for g in grids]) if grids else np.zeros(0)
        positive = values[values > 0]
        if positive.size == 0:
            return cls(0.0, 0.0)
        return cls(float(positive.min()), float(positive.max()))

    def position(self, value: float) -> float:
        """0..1 along the colour ramp (log scale)."""
        if self.high <= self.low:
            return 1.0
        return (math.log(value) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))


def colour(value: float, scale: Scale) -> str:
    if value <= 0 or scale.high <= 0:
        return _ZERO
    t = min(max(scale.position(value), 0.0), 1.0)
    for (t0, c0), (t1, c1) in zip(_STOPS, _STOPS[1:], strict=False):
        if t <= t1:
            f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
            r, g, b = (round(a + (b_ - a) * f) for a, b_ in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    r, g, b = _STOPS[-1][1]
    return f"#{r:02x}{g:02x}{b:02x}"


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def heatmap_svg(
    grid: npt.NDArray[np.float32],
    label: str,
    scale: Scale,
    element_id: str,
) -> str:
    """One heatmap; `label` names the clock (e.g. "UTC") in titles and tooltips."""
    width = LEFT + 24 * CELL_W + 2
    height = TOP + 7 * CELL_H + 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" class="heatmap" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(label)}: job starts per hour of the week">']
    for h in range(0, 24, 3):
        x = LEFT + h * CELL_W + CELL_W / 2
        out.append(f'<text x="{x:g}" y="{TOP - 7}" class="axis" text-anchor="middle">'
                   f"{h:02d}</text>")
    for d, day in enumerate(DAYS):
        y = TOP + d * CELL_H
        out.append(f'<text x="{LEFT - 5}" y="{y + CELL_H * 0.7:g}" class="axis" '
                   f'text-anchor="end">{day}</text>')
        for h in range(24):
            value = float(grid[d, h])
            tip = (f"{day} {h:02d}:00-{(h + 1) % 24:02d}:00 {label}: "
                   f"{_number(value)} job starts per week")
            out.append(
                f'<rect x="{LEFT + h * CELL_W}" y="{y}" width="{CELL_W - 1}" '
                f'height="{CELL_H - 1}" fill="{colour(value, scale)}" '
                f'data-day="{d}" data-hour="{h}" data-value="{value:.3f}">'
                f"<title>{escape(tip)}</title></rect>"
            )
    out.append("</svg>")
    return "".join(out)


def legend_svg(scale: Scale) -> str:
    steps = 8
    width, height = steps * 30 + 110, 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="legend" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           'aria-label="colour scale">']
    out.append(f'<rect x="0" y="2" width="28" height="14" fill="{_ZERO}"/>'
               '<text x="14" y="28" class="axis" text-anchor="middle">0</text>')
    if scale.high > 0:
        for i in range(1, steps + 1):
            frac = (i - 1) / (steps - 1)
            value = scale.low * (scale.high / scale.low) ** frac
            x = i * 30
            out.append(f'<rect x="{x}" y="2" width="28" height="14" '
                       f'fill="{colour(value, scale)}"/>')
            if i in (1, steps // 2, steps):
                out.append(f'<text x="{x + 14}" y="28" class="axis" text-anchor="middle">'
                           f"{_number(value)}</text>")
    out.append(f'<text x="{steps * 30 + 34}" y="14" class="axis">starts/week</text></svg>')
    return "".join(out)

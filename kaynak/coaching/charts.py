"""The radar chart of capacity scores: an inline SVG (no JavaScript) with one axis per
dimension, rings for the levels 1–4, one polygon per series and a legend. Series differ by
colour *and* line style, so the chart reads in black and white too. The chart has a title and
a description for screen readers; a table with the same figures is the caller's job."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kaynak.coaching.models import HIGHEST_SCORE, LOWEST_SCORE

WIDTH = 640
CENTER_X = 320
CENTER_Y = 215
RADIUS = 150
LEGEND_TOP = 420
LINE_HEIGHT = 20
# (stroke colour, fill, dash pattern): dark blue solid, orange dashed, green dotted, …
STYLES = [
    ("#1d4e89", "rgba(29,78,137,0.18)", ""),
    ("#c2410c", "rgba(194,65,12,0.10)", "8 5"),
    ("#2f7d32", "rgba(47,125,50,0.10)", "2 4"),
    ("#6b21a8", "rgba(107,33,168,0.10)", "12 4 2 4"),
]


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    # The first axis points up; the others follow clockwise.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * value / HIGHEST_SCORE
    return CENTER_X + distance * math.cos(angle), CENTER_Y + distance * math.sin(angle)


def _points(values: Sequence[float], count: int) -> str:
    return " ".join(
        "{:.1f},{:.1f}".format(*_point(i, count, value)) for i, value in enumerate(values)
    )


def _anchor(x: float) -> str:
    if abs(x - CENTER_X) < 1:
        return "middle"
    return "start" if x > CENTER_X else "end"


def _label_lines(label: str, width: int = 22) -> list[str]:
    """Split a long axis label into lines of about ``width`` characters."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def radar_chart(
    *,
    axes: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, Mapping[str, Decimal | None]]],
    title: str = "",
) -> SafeString:
    """An SVG radar chart: ``axes`` are (dimension key, label), ``series`` (legend label,
    scores by key) on the 1–4 scale; a missing score is drawn at the centre."""
    count = len(axes)
    title = title or _("Capacity scores by dimension")
    height = LEGEND_TOP + LINE_HEIGHT * max(len(series), 1) + 10
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="radar-title radar-desc" font-family="DejaVu Sans, sans-serif" '
        f'font-size="12">',
        f'<title id="radar-title">{escape(title)}</title>',
        '<desc id="radar-desc">{}</desc>'.format(
            escape(
                _(
                    "A radar chart of {axes} dimensions scored from 1 to 4; the table below "
                    "gives the same figures."
                ).format(axes=count)
            )
        ),
    ]
    if count == 0:
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
    # Rings for the levels, with their numbers along the first axis.
    for level in range(LOWEST_SCORE, HIGHEST_SCORE + 1):
        parts.append(
            f'<polygon class="ring" points="{_points([level] * count, count)}" fill="none" '
            f'stroke="#9aa5b1" stroke-width="{1.2 if level == HIGHEST_SCORE else 0.7}"/>'
        )
        x, y = _point(0, count, level)
        parts.append(
            f'<text class="level" x="{x + 4:.1f}" y="{y + 4:.1f}" fill="#52606d" '
            f'font-size="10">{level}</text>'
        )
    # Axes and their labels.
    for index, (_key, label) in enumerate(axes):
        x, y = _point(index, count, HIGHEST_SCORE)
        parts.append(
            f'<line x1="{CENTER_X}" y1="{CENTER_Y}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="#9aa5b1" stroke-width="0.7"/>'
        )
        lx, ly = _point(index, count, HIGHEST_SCORE + 0.45)
        lines = _label_lines(label)
        ly -= (len(lines) - 1) * 7
        tspans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if n == 0 else 14}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text class="axis-label" x="{lx:.1f}" y="{ly + 4:.1f}" '
            f'text-anchor="{_anchor(lx)}" fill="#1f2933">{tspans}</text>'
        )
    # One polygon per series, then the legend.
    for number, (legend, values) in enumerate(series):
        stroke, fill, dash = STYLES[number % len(STYLES)]
        numbers = [float(values.get(key) or 0) for key, _label in axes]
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polygon class="series" points="{_points(numbers, count)}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="2.5"{dash_attribute}>'
            f"<title>{escape(legend)}</title></polygon>"
        )
        for index, value in enumerate(numbers):
            if value:
                x, y = _point(index, count, value)
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{stroke}"/>')
        y = LEGEND_TOP + number * LINE_HEIGHT
        parts.append(
            f'<line x1="180" y1="{y}" x2="220" y2="{y}" stroke="{stroke}" '
            f'stroke-width="3"{dash_attribute}/>'
            f'<text x="228" y="{y + 4}" fill="#1f2933">{escape(legend)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

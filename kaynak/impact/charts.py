"""Server-side SVG charts: horizontal bars, monthly/quarterly trends, progress to a target.

No JavaScript and no inline styles (the CSP forbids both): every colour comes from a class in
``impact/charts.css``. Each chart is an ``<svg role="img">`` named by its ``<title>``/``<desc>``,
with a ``<title>`` on every bar or point (the hover tooltip and the screen-reader text), inside a
``<figure>`` whose caption says what it shows. The same figures as a table, for the "table view"
toggle, come from ``*_rows()`` and ``table_view()``.

Numbers are formatted for the active language ("1.234,5" in Turkish, "1,234.5" in English).
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Number = int | float | Decimal
ValueLabel = Callable[[Number], str]

# Layout, in viewBox units: charts scale to their container's width through CSS.
BAR_CHART_WIDTH = 640
BAR_LABEL_WIDTH = 200
BAR_AREA_WIDTH = 360
BAR_ROW_HEIGHT = 28
BAR_THICKNESS = 18
LABEL_MAX_CHARS = 28

TREND_WIDTH = 640
TREND_HEIGHT = 260
TREND_LEFT = 64
TREND_RIGHT = 16
TREND_TOP = 16
TREND_BOTTOM = 40

PROGRESS_WIDTH = 400
PROGRESS_HEIGHT = 28


def format_number(value: Number, *, decimals: int | None = None) -> str:
    """``value`` written for the active language, with thousands grouped ("12.345,6" in Turkish)."""
    if decimals is None and isinstance(value, float) and value.is_integer():
        decimals = 0
    elif decimals is None and isinstance(value, float):
        decimals = 1
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_figure(value: Decimal | int | None) -> str:
    """A stored figure (at most two decimals) for the active language, trailing zeros
    dropped ("15", "116,7"); "no data" for None (never 0)."""
    if value is None:
        return gettext("no data")
    number = Decimal(value)
    if number == number.to_integral_value():
        return format_number(int(number))
    places = min(2, -int(number.normalize().as_tuple().exponent))
    return format_number(number.quantize(Decimal(1).scaleb(-places)), decimals=places)


def format_percent(value: Number) -> str:
    """A percentage written for the active language ("%85" in Turkish, "85%" in English)."""
    return gettext("%(percent)s%%") % {"percent": format_number(round(value))}


def nice_ticks(maximum: Number, *, count: int = 5) -> list[Number]:
    """Axis ticks from 0 to at least ``maximum`` in steps of 1, 2, 2.5 or 5 × 10ⁿ, about ``count``.

    87 → [0, 20, 40, 60, 80, 100]; 1234 → [0, 250, 500, 750, 1000, 1250]; 0 → [0, 1]. A
    whole number (a count) gets whole steps: 2 → [0, 1, 2], never 0.5; 8 → [0, 2, 4, 6, 8].
    """
    top = float(maximum)
    if top <= 0:
        return [0, 1]
    whole = isinstance(maximum, int)
    raw_step = top / count
    magnitude = 10 ** math.floor(math.log10(raw_step))
    if whole:
        magnitude = max(magnitude, 1)
    step = next(
        m * magnitude
        for m in (1, 2, 2.5, 5, 10)
        if m * magnitude >= raw_step - 1e-12
        and not (whole and not float(m * magnitude).is_integer())
    )
    steps = math.ceil(top / step - 1e-9)
    ticks: list[Number] = []
    for index in range(steps + 1):
        tick = round(index * step, 10)
        ticks.append(int(tick) if float(tick).is_integer() else tick)
    return ticks


def stable_id(kind: str, *parts: object) -> str:
    """An id for a chart's title and description, the same each time the same chart is drawn."""
    # Stable ids, so a donor report rendered twice is byte-identical; two charts on one page
    # differ by title and data.
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:10]
    return f"{kind}-{digest}"


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def _svg_open(*, chart_id: str, width: int, height: int, title: str, desc: str, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg {css}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _figure(svg: str, *, caption: str, table: str = "") -> SafeString:
    return mark_safe(  # noqa: S308 — every piece of text above went through escape()
        f'<figure class="chart">{svg}<figcaption>{escape(caption)}</figcaption>{table}</figure>'
    )


@dataclass(frozen=True)
class Bar:
    """One bar: what it counts, the figure, and where the figure drills down to."""

    label: str
    value: Number
    url: str | None = None


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    caption: str,
    value_label: ValueLabel = format_number,
    table: bool = True,
) -> SafeString:
    """A horizontal bar chart; bar lengths are proportional to the values (0 at the left edge)."""
    chart_id = stable_id("bars", title, [(b.label, b.value) for b in bars])
    height = max(len(bars), 1) * BAR_ROW_HEIGHT + 8
    largest = max((float(bar.value) for bar in bars), default=0.0)
    parts = [
        _svg_open(
            chart_id=chart_id,
            width=BAR_CHART_WIDTH,
            height=height,
            title=title,
            desc=caption,
            css="bar-chart",
        )
    ]
    if not bars:
        parts.append(
            f'<text class="chart-empty" x="{BAR_CHART_WIDTH / 2}" y="{height / 2 + 4}" '
            f'text-anchor="middle">{escape(gettext("No data"))}</text>'
        )
    for index, bar in enumerate(bars):
        top = index * BAR_ROW_HEIGHT + 4
        length = bar_length(bar.value, largest, BAR_AREA_WIDTH)
        figure = value_label(bar.value)
        middle = top + BAR_THICKNESS / 2 + 4
        item = (
            f"<title>{escape(bar.label)}: {escape(figure)}</title>"
            f'<text class="chart-label" x="{BAR_LABEL_WIDTH - 8}" y="{_coord(middle)}" '
            f'text-anchor="end">{escape(_shorten(bar.label))}</text>'
            f'<rect class="chart-bar" x="{BAR_LABEL_WIDTH}" y="{top}" '
            f'width="{_coord(length)}" height="{BAR_THICKNESS}"/>'
            f'<text class="chart-value" x="{_coord(BAR_LABEL_WIDTH + length + 6)}" '
            f'y="{_coord(middle)}">{escape(figure)}</text>'
        )
        if bar.url:
            parts.append(f'<a class="chart-item" href="{escape(bar.url)}">{item}</a>')
        else:
            parts.append(f'<g class="chart-item">{item}</g>')
    parts.append("</svg>")
    rows = bar_rows(bars, value_label=value_label)
    table_html = table_view(caption=title, headers=[gettext("Item"), gettext("Value")], rows=rows)
    return _figure("".join(parts), caption=caption, table=table_html if table else "")


def bar_length(value: Number, largest: Number, area: float) -> float:
    """The length of a bar for ``value`` when the largest value fills ``area``."""
    if float(largest) <= 0 or float(value) <= 0:
        return 0.0
    return area * float(value) / float(largest)


def bar_rows(bars: Sequence[Bar], *, value_label: ValueLabel = format_number) -> list[TableRow]:
    """The bars as table rows (label, formatted value, link)."""
    return [TableRow(cells=(bar.label, value_label(bar.value)), url=bar.url) for bar in bars]


@dataclass(frozen=True)
class TrendPoint:
    """One period of a trend: its label ("Oca 2026", "2026 Ç1") and figure (None: no data)."""

    label: str
    value: Number | None
    url: str | None = None


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    title: str,
    caption: str,
    kind: Literal["column", "line"] = "column",
    value_label: ValueLabel = format_number,
    table: bool = True,
) -> SafeString:
    """Columns or a line over months or quarters, with a y axis of nice ticks from 0."""
    chart_id = stable_id("trend", title, kind, [(p.label, p.value) for p in points])
    known = [float(p.value) for p in points if p.value is not None]
    ticks = nice_ticks(max(known, default=0.0))
    top_tick = float(ticks[-1])
    plot_width = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    baseline = TREND_TOP + plot_height
    slot = plot_width / max(len(points), 1)

    def y_of(value: float) -> float:
        return baseline - plot_height * value / top_tick

    parts = [
        _svg_open(
            chart_id=chart_id,
            width=TREND_WIDTH,
            height=TREND_HEIGHT,
            title=title,
            desc=caption,
            css=f"trend-chart trend-{kind}",
        ),
        '<g class="chart-axis" aria-hidden="true">',
    ]
    for tick in ticks:
        y = _coord(y_of(float(tick)))
        parts.append(
            f'<line class="chart-grid" x1="{TREND_LEFT}" x2="{TREND_WIDTH - TREND_RIGHT}" '
            f'y1="{y}" y2="{y}"/>'
            f'<text class="chart-tick" x="{TREND_LEFT - 6}" y="{_coord(y_of(float(tick)) + 4)}" '
            f'text-anchor="end">{escape(format_number(tick))}</text>'
        )
    # Thin out x labels so that at most about 12 show (three years of months stay readable).
    label_every = max(1, math.ceil(len(points) / 12))
    for index, point in enumerate(points):
        if index % label_every == 0:
            x = _coord(TREND_LEFT + slot * (index + 0.5))
            parts.append(
                f'<text class="chart-tick" x="{x}" y="{baseline + 18}" '
                f'text-anchor="middle">{escape(point.label)}</text>'
            )
    parts.append("</g>")

    if not known:
        parts.append(
            f'<text class="chart-empty" x="{TREND_LEFT + plot_width / 2}" '
            f'y="{TREND_TOP + plot_height / 2}" text-anchor="middle">'
            f"{escape(gettext('No data'))}</text>"
        )
    if kind == "line":
        segments: list[list[str]] = [[]]
        for index, point in enumerate(points):
            if point.value is None:
                segments.append([])
                continue
            x = _coord(TREND_LEFT + slot * (index + 0.5))
            segments[-1].append(f"{x},{_coord(y_of(float(point.value)))}")
        for segment in segments:
            if len(segment) > 1:
                parts.append(f'<polyline class="chart-line" points="{" ".join(segment)}"/>')
    for index, point in enumerate(points):
        if point.value is None:
            text = f"{point.label}: {gettext('No data')}"
            item = f"<title>{escape(text)}</title>"
        else:
            value = float(point.value)
            text = f"{point.label}: {value_label(point.value)}"
            center = TREND_LEFT + slot * (index + 0.5)
            if kind == "column":
                width = slot * 0.7
                mark = (
                    f'<rect class="chart-bar" x="{_coord(center - width / 2)}" '
                    f'y="{_coord(y_of(value))}" width="{_coord(width)}" '
                    f'height="{_coord(baseline - y_of(value))}"/>'
                )
            else:
                mark = (
                    f'<circle class="chart-point" cx="{_coord(center)}" '
                    f'cy="{_coord(y_of(value))}" r="4"/>'
                )
            item = f"<title>{escape(text)}</title>{mark}"
        if point.url:
            parts.append(f'<a class="chart-item" href="{escape(point.url)}">{item}</a>')
        else:
            parts.append(f'<g class="chart-item">{item}</g>')
    parts.append(
        f'<line class="chart-baseline" x1="{TREND_LEFT}" x2="{TREND_WIDTH - TREND_RIGHT}" '
        f'y1="{baseline}" y2="{baseline}"/></svg>'
    )
    rows = trend_rows(points, value_label=value_label)
    table_html = table_view(caption=title, headers=[gettext("Period"), gettext("Value")], rows=rows)
    return _figure("".join(parts), caption=caption, table=table_html if table else "")


def trend_rows(
    points: Sequence[TrendPoint], *, value_label: ValueLabel = format_number
) -> list[TableRow]:
    """The periods as table rows (period, formatted value or "No data", link)."""
    return [
        TableRow(
            cells=(p.label, gettext("No data") if p.value is None else value_label(p.value)),
            url=p.url,
        )
        for p in points
    ]


@dataclass(frozen=True)
class Progress:
    """How far a figure is towards its target."""

    value: Number
    target: Number | None

    @property
    def percent(self) -> float | None:
        """Percent of the target reached; None when there is no (positive) target."""
        if self.target is None or float(self.target) <= 0:
            return None
        return 100 * float(self.value) / float(self.target)

    @property
    def over_target(self) -> bool:
        return self.percent is not None and self.percent > 100

    @property
    def state(self) -> str:
        if self.percent is None:
            return "no-target"
        if self.over_target:
            return "over-target"
        return "reached" if self.percent >= 100 else "below"


def progress_bar(
    *,
    value: Number,
    target: Number | None,
    title: str,
    value_label: ValueLabel = format_number,
) -> SafeString:
    """A bar filled to the share of the target reached; past the target it is full and marked."""
    progress = Progress(value=value, target=target)
    chart_id = stable_id("progress", title, value, target)
    percent = progress.percent
    if percent is None:
        caption = gettext("%(value)s (no target)") % {"value": value_label(value)}
        filled = 0.0
    else:
        assert target is not None
        caption = gettext("%(value)s of %(target)s (%(percent)s)") % {
            "value": value_label(value),
            "target": value_label(target),
            "percent": format_percent(percent),
        }
        filled = PROGRESS_WIDTH * min(percent, 100.0) / 100
    svg = (
        _svg_open(
            chart_id=chart_id,
            width=PROGRESS_WIDTH,
            height=PROGRESS_HEIGHT,
            title=title,
            desc=caption,
            css=f"progress-chart {progress.state}",
        )
        + f'<rect class="progress-track" x="0" y="4" width="{PROGRESS_WIDTH}" height="20"/>'
        + f'<rect class="progress-fill" x="0" y="4" width="{_coord(filled)}" height="20">'
        + f"<title>{escape(caption)}</title></rect>"
        + "</svg>"
    )
    return _figure(svg, caption=caption)


@dataclass(frozen=True)
class TableRow:
    """One row of a chart's table view; ``url`` links the first cell."""

    cells: tuple[str, ...]
    url: str | None = None


def table_view(*, caption: str, headers: Sequence[str], rows: Sequence[TableRow]) -> SafeString:
    """The chart's figures as a table inside ``<details>`` ("Table view")."""
    return render_to_string(
        "impact/charts/table.html",
        {"caption": caption, "headers": headers, "rows": rows, "summary": _("Table view")},
    )


STYLESHEET = Path(__file__).parent / "static" / "impact" / "charts.css"
_CSS_VARIABLE = re.compile(r"var\(--[\w-]+,\s*([^()]+?)\)")
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")


@functools.cache
def _embedded_css() -> str:
    # WeasyPrint's SVG renderer understands neither the page's stylesheets nor var(): write
    # every variable's fallback in its place.
    # Only the rules for shapes inside the SVG: the layout rules (width: 100%, the figure, the
    # table) would apply to the <svg> element itself there and give it no size.
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.DOTALL)
    rules = [rule.strip() + "}" for rule in css.split("}") if rule.strip()]
    inside = [rule for rule in rules if not re.match(r"\.chart(\s|\{|-svg|-table)", rule)]
    return " ".join(_CSS_VARIABLE.sub(r"\1", " ".join(inside)).split())


def for_print(markup: str) -> SafeString:
    """``markup`` with the chart styles copied into each ``<svg>``, for the PDF and SVG files.

    WeasyPrint does not apply a page's stylesheets inside inline SVG, so a chart in the donor
    report would be black without this. Web pages link ``impact/charts.css`` instead (the CSP
    forbids ``<style>`` without a nonce).
    """
    style = f"<style>{_embedded_css()}</style>"
    return mark_safe(_SVG_OPEN.sub(lambda match: match.group(1) + style, markup))  # noqa: S308


def _coord(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text

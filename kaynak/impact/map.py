"""A choropleth map of Turkey's 81 provinces as inline SVG, and the same figures as a table.

The shapes come from ``geodata/turkey_provinces.json`` (Natural Earth, public domain; see
``geodata/LICENCE.txt`` and docs/impact-map.md), one SVG path per plate code.

Colours are **quantile buckets** of the provinces that have a figure other than 0: a resource
center's reach is heavily skewed (İstanbul and Ankara alone can outweigh fifty provinces), so equal
intervals would paint almost every province in the lightest colour. With quantiles each colour
holds about the same number of provinces. Ties never straddle two buckets (a bucket ends at a
value), so with few distinct values there are fewer buckets than asked. 0 and "no data" (None)
get their own classes, outside the colour scale.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from kaynak.core.reference_data import PROVINCE_NAMES_EN, PROVINCES
from kaynak.core.text import sort_key
from kaynak.impact.charts import Number, format_number, stable_id

GEODATA = Path(__file__).parent / "geodata" / "turkey_provinces.json"

# The colour ramp in impact/charts.css has this many shades; n buckets spread over them.
SHADES = 7
ZERO_CLASS = "map-zero"
NO_DATA_CLASS = "map-no-data"

LEGEND_HEIGHT = 64


@dataclass(frozen=True)
class Shapes:
    """The provinces' SVG paths by plate code, and the viewBox they are drawn in."""

    width: int
    height: int
    paths: Mapping[int, str]


@functools.cache
def province_shapes() -> Shapes:
    """The shipped province shapes, read once per process."""
    data = json.loads(GEODATA.read_text(encoding="utf-8"))
    _x, _y, width, height = data["view_box"]
    return Shapes(
        width=width,
        height=height,
        paths={int(plate): path for plate, path in data["provinces"].items()},
    )


def province_name(plate_code: int) -> str:
    """The province's name in the active language ("İstanbul" / "Istanbul")."""
    names = {plate: name for plate, name, _region in PROVINCES}
    if (get_language() or "").startswith("en"):
        return PROVINCE_NAMES_EN.get(plate_code, names[plate_code])
    return names[plate_code]


@dataclass(frozen=True)
class Bucket:
    """One colour of the scale: the values from ``low`` to ``high`` (both included)."""

    low: float
    high: float
    css_class: str


def quantile_buckets(values: Mapping[int, Number | None], count: int = 5) -> list[Bucket]:
    """Up to ``count`` buckets holding about equally many provinces (0 and None left out)."""
    if count < 1:
        raise ValueError("a map needs at least one bucket")
    figures = sorted(float(v) for v in values.values() if v is not None and float(v) != 0)
    if not figures:
        return []
    uppers: list[float] = []
    for index in range(1, count + 1):
        upper = figures[math.ceil(len(figures) * index / count) - 1]
        if not uppers or upper > uppers[-1]:
            uppers.append(upper)
    buckets = []
    for index, upper in enumerate(uppers):
        low = figures[0] if index == 0 else min(f for f in figures if f > uppers[index - 1])
        buckets.append(Bucket(low=low, high=upper, css_class=_shade_class(index, len(uppers))))
    return buckets


def _shade_class(index: int, count: int) -> str:
    # Spread the buckets over the whole ramp: 3 buckets use shades 1, 4 and 7, not 1–3.
    shade = 1 if count == 1 else 1 + round(index * (SHADES - 1) / (count - 1))
    return f"map-shade-{shade}"


def css_class_for(value: Number | None, buckets: list[Bucket]) -> str:
    """The fill class of a province with ``value``."""
    if value is None:
        return NO_DATA_CLASS
    if float(value) == 0:
        return ZERO_CLASS
    for bucket in buckets:
        if float(value) <= bucket.high:
            return bucket.css_class
    return buckets[-1].css_class


def turkey_map(
    values: Mapping[int, Number | None],
    *,
    url_for: Callable[[int], str] | None,
    label_for: Callable[[int, Number | None], str],
    title: str,
    legend_title: str,
    buckets: int = 5,
) -> SafeString:
    """The choropleth map: one shape per province, coloured by quantile bucket, with a legend.

    ``values`` maps plate codes to figures (a missing plate code counts as no data);
    ``label_for(plate, value)`` writes a figure for the tooltip ("1.234 kuruluş");
    ``url_for(plate)``, when given, makes each province a link to the names behind its figure.
    """
    shapes = province_shapes()
    scale = quantile_buckets(values, buckets)
    chart_id = stable_id("map", title, legend_title, sorted(values.items()))
    height = shapes.height + LEGEND_HEIGHT
    desc = gettext(
        "Map of Turkey's 81 provinces; darker provinces have higher figures. "
        "The same figures are in the table view."
    )
    # Links inside role="img" would be hidden from screen readers (its children are
    # presentational), so a map of links is a named group instead.
    role = "group" if url_for else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg turkey-map" '
        f'viewBox="0 0 {shapes.width} {height}" role="{role}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        '<g class="map-provinces">'
    ]
    for plate, path in sorted(shapes.paths.items()):
        value = values.get(plate)
        tooltip = f"{province_name(plate)}: {label_for(plate, value)}"
        shape = (
            f"<title>{escape(tooltip)}</title>"
            f'<path class="map-province {css_class_for(value, scale)}" d="{path}"/>'
        )
        if url_for is not None:
            parts.append(
                f'<a class="map-link" href="{escape(url_for(plate))}" '
                f'data-plate="{plate:02d}">{shape}</a>'
            )
        else:
            parts.append(f'<g data-plate="{plate:02d}">{shape}</g>')
    parts.append("</g>")
    parts.append(_legend(scale, values, legend_title=legend_title, top=shapes.height))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — names, figures and URLs are escaped above


def legend_entries(
    scale: list[Bucket], values: Mapping[int, Number | None]
) -> list[tuple[str, str]]:
    """(class, text) of each legend swatch: the buckets' ranges, then 0 and "No data" if used."""
    entries = []
    for bucket in scale:
        if bucket.low == bucket.high:
            text = format_number(bucket.low)
        else:
            text = f"{format_number(bucket.low)}–{format_number(bucket.high)}"
        entries.append((bucket.css_class, text))
    present = [values.get(plate) for plate, _name, _region in PROVINCES]
    if any(v is not None and float(v) == 0 for v in present):
        entries.append((ZERO_CLASS, format_number(0)))
    if any(v is None for v in present):
        entries.append((NO_DATA_CLASS, gettext("No data")))
    return entries


def _legend(
    scale: list[Bucket], values: Mapping[int, Number | None], *, legend_title: str, top: int
) -> str:
    parts = [
        f'<g class="map-legend" transform="translate(10 {top + 6})">'
        f'<text class="chart-label" x="0" y="12">{escape(legend_title)}</text>'
    ]
    for index, (css_class, text) in enumerate(legend_entries(scale, values)):
        x = index * 130
        parts.append(
            f'<rect class="map-swatch {css_class}" x="{x}" y="22" width="18" height="18"/>'
            f'<text class="chart-tick" x="{x + 24}" y="36">{escape(text)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


@dataclass(frozen=True)
class MapRow:
    """One province in the map's table view."""

    plate_code: int
    name: str
    value: Number | None
    label: str
    url: str | None


def map_table(
    values: Mapping[int, Number | None],
    *,
    url_for: Callable[[int], str] | None,
    label_for: Callable[[int, Number | None], str],
) -> list[MapRow]:
    """All 81 provinces with their figures, in Turkish alphabetical order (Çorum after Çankırı)."""
    rows = [
        MapRow(
            plate_code=plate,
            name=province_name(plate),
            value=values.get(plate),
            label=label_for(plate, values.get(plate)),
            url=url_for(plate) if url_for else None,
        )
        for plate, _name, _region in PROVINCES
    ]
    return sorted(rows, key=lambda row: sort_key(row.name))

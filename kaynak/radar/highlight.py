"""Where in the source text each extracted field came from, for the review page.

The evidence is found by running the extraction rules' own patterns again (the date and money
finders, the applicant, country and theme gazetteers) and keeping the matches whose reading
equals the field's value: the deadline's date expression, the amount expression, the
applicant-type and country phrases (inside the eligibility sentences when they are there),
the theme keywords. The result is a list of plain segments; the template escapes each one and
wraps the marked ones in ``<mark data-field="…">``, so nothing in the fetched text is ever
rendered as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.radar.extraction import amounts, audience, dates, themes

# The order fields are listed in the legend, and which one wins where two marks overlap.
FIELD_LABELS: dict[str, Promise] = {
    "deadline": _("Deadline"),
    "other_deadlines": _("Other deadlines"),
    "amount": _("Amount"),
    "applicant_types": _("Who may apply"),
    "countries": _("Countries"),
    "themes": _("Themes"),
}
# A theme keyword can appear hundreds of times in a long text: a few marks make the point.
MAX_MARKS_PER_VALUE = 5
DOLLARS = {"CAD", "AUD"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    field: str
    value: str = ""


@dataclass(frozen=True)
class Segment:
    """A piece of the text, marked with the field it is evidence for (or not marked)."""

    text: str
    field: str = ""
    value: str = ""


@dataclass(frozen=True)
class LegendEntry:
    field: str
    label: Promise
    found: bool


@dataclass(frozen=True)
class Highlighted:
    segments: list[Segment]
    legend: list[LegendEntry]

    @property
    def missing(self) -> list[LegendEntry]:
        return [entry for entry in self.legend if not entry.found]


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the blanks a pattern took on either side."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def deadline_spans(text: str, fields: dict[str, Any]) -> Iterator[Span]:
    deadline = _day(fields.get("deadline"))
    others = {_day(item.get("date")) for item in fields.get("other_deadlines") or [] if item}
    others.discard(None)
    found = dates.find_dates(text)
    for item in found:
        if deadline is not None and item.day == deadline:
            yield Span(*_trimmed(text, item.start, item.end), "deadline", deadline.isoformat())
        elif item.day in others:
            start, end = _trimmed(text, item.start, item.end)
            yield Span(start, end, "other_deadlines", item.day.isoformat())
    if deadline is None and fields.get("deadline_kind") == "rolling":
        for match in dates.ROLLING.finditer(text):
            yield Span(match.start(), match.end(), "deadline", "rolling")


def amount_spans(text: str, fields: dict[str, Any]) -> Iterator[Span]:
    wanted = {_number(fields.get("amount_min")), _number(fields.get("amount_max"))}
    wanted.discard(None)
    currency = fields.get("currency") or None
    for money in amounts.find_money(text):
        # "$" reads as USD until the whole text names another dollar.
        same = money.currency == currency or (money.currency == "USD" and currency in DOLLARS)
        if money.value in wanted and (currency is None or same):
            start, end = _trimmed(text, money.start, money.end)
            yield Span(start, end, "amount", f"{money.value:g}")


def _eligibility_ranges(text: str) -> list[tuple[int, int]]:
    """Where the sentences extraction read "who may apply" from stand in the text."""
    ranges = []
    for sentence in audience.eligibility_text(text).split("\n"):
        sentence = sentence.strip()
        if len(sentence) < 3:
            continue
        at = text.find(sentence)
        while at >= 0:
            ranges.append((at, at + len(sentence)))
            at = text.find(sentence, at + len(sentence))
    return ranges


def _pattern_spans(
    text: str,
    pattern: str,
    field: str,
    value: str,
    ranges: list[tuple[int, int]],
    flags: int = re.IGNORECASE,
) -> list[Span]:
    """Matches inside the eligibility sentences when there are any, else anywhere."""
    matches = [m for m in re.finditer(pattern, text, flags) if m.end() > m.start()]
    inside = [m for m in matches if any(a <= m.start() and m.end() <= b for a, b in ranges)]
    chosen = inside or matches
    return [
        Span(m.start(), _word_end(text, m.end()), field, value)
        for m in chosen[:MAX_MARKS_PER_VALUE]
    ]


def _word_end(text: str, end: int) -> int:
    """Gazetteer patterns match stems ("dernek"); the mark covers the whole word ("dernekler")."""
    while end < len(text) and text[end].isalpha():
        end += 1
    return end


def audience_spans(text: str, fields: dict[str, Any]) -> Iterator[Span]:
    ranges = _eligibility_ranges(text)
    types = set(fields.get("applicant_types") or [])
    for pattern, slugs in audience.APPLICANT_GAZETTEER:
        hit = types.intersection(slugs)
        if hit:
            yield from _pattern_spans(
                text, pattern, "applicant_types", ", ".join(sorted(hit)), ranges
            )
    codes = set(fields.get("countries") or [])
    covered: set[str] = set()
    for pattern, group in audience.GROUPS:
        if set(group) <= codes:
            spans = _pattern_spans(text, pattern, "countries", " ".join(group), ranges)
            if spans:
                covered.update(group)
                yield from spans
    for pattern, code in audience.COUNTRIES:
        if code in codes and code not in covered:
            flags = re.IGNORECASE if code not in {"US", "GB"} else 0
            yield from _pattern_spans(text, pattern, "countries", code, ranges, flags)


def theme_spans(text: str, fields: dict[str, Any]) -> Iterator[Span]:
    for slug in fields.get("themes") or []:
        pattern = themes.GAZETTEER.get(slug)
        if pattern:
            yield from _pattern_spans(text, pattern, "themes", slug, [])


def evidence(text: str, fields: dict[str, Any]) -> list[Span]:
    """Non-overlapping spans of evidence, in text order. Where two overlap, the field listed
    first in ``FIELD_LABELS`` wins, then the longer span."""
    order = {name: n for n, name in enumerate(FIELD_LABELS)}
    spans: list[Span] = []
    for finder in (deadline_spans, amount_spans, audience_spans, theme_spans):
        spans.extend(finder(text, fields))
    spans.sort(key=lambda s: (order[s.field], -(s.end - s.start), s.start))
    kept: list[Span] = []
    for span in spans:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    out: list[Segment] = []
    at = 0
    for span in spans:
        if span.start > at:
            out.append(Segment(text[at : span.start]))
        out.append(Segment(text[span.start : span.end], span.field, span.value))
        at = span.end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def _has_value(fields: dict[str, Any], field: str) -> bool:
    if field == "deadline":
        return bool(fields.get("deadline")) or fields.get("deadline_kind") == "rolling"
    if field == "amount":
        return fields.get("amount_min") is not None or fields.get("amount_max") is not None
    return bool(fields.get(field))


def highlight(text: str, fields: dict[str, Any]) -> Highlighted:
    """The text cut into segments with each field's evidence marked, and a legend saying for
    each field with a value whether its evidence was found in the text."""
    spans = evidence(text, fields)
    marked = {span.field for span in spans}
    legend = [
        LegendEntry(field, label, field in marked)
        for field, label in FIELD_LABELS.items()
        if _has_value(fields, field)
    ]
    return Highlighted(segments(text, spans), legend)


def fields_of_reading(reading: dict[str, Any]) -> dict[str, Any]:
    """A call's values as ``services.reading_of`` gives them, in the extraction's shape that
    ``highlight`` reads (``deadline`` rather than ``deadline_date``)."""
    return {
        "deadline": reading.get("deadline_date"),
        "deadline_kind": reading.get("deadline_kind"),
        "other_deadlines": reading.get("other_deadlines") or [],
        "amount_min": reading.get("amount_min"),
        "amount_max": reading.get("amount_max"),
        "currency": reading.get("currency"),
        "applicant_types": reading.get("applicant_types") or [],
        "countries": reading.get("countries") or [],
        "themes": reading.get("themes") or [],
    }

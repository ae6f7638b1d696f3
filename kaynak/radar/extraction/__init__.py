"""Structured fields of one funding announcement, by explainable rules and gazetteers.

``extract(data, kind)`` returns exactly the JSON object of ``kaynak radar extract``:
deadline, deadline_kind, deadline_timezone, amount_min, amount_max, currency,
applicant_types, countries, themes, language. It never raises on any input.
"""

from __future__ import annotations

from typing import Any

from kaynak.radar.extraction.amounts import extract_amount
from kaynak.radar.extraction.audience import extract_audience
from kaynak.radar.extraction.dates import extract_deadline
from kaynak.radar.extraction.language import detect_language
from kaynak.radar.extraction.text import to_text
from kaynak.radar.extraction.themes import extract_themes

KINDS = ("txt", "html", "pdf")
FIELDS = (
    "deadline", "deadline_kind", "deadline_timezone", "amount_min", "amount_max", "currency",
    "applicant_types", "countries", "themes", "language",
)  # fmt: skip


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def extract_text(text: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    result |= extract_deadline(text)
    amount = extract_amount(text)
    result |= {key: _number(value) for key, value in amount.items()}
    result |= extract_audience(text)
    result["themes"] = extract_themes(text)
    result["language"] = detect_language(text)
    return {key: result[key] for key in FIELDS}


def extract(data: str | bytes, kind: str = "txt") -> dict[str, Any]:
    """The fields of one announcement; ``kind`` is ``txt``, ``html`` or ``pdf``."""
    if kind not in KINDS:
        kind = "txt"
    return extract_text(to_text(data, kind))

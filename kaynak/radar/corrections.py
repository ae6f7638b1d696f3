"""Editors' corrections as new labelled cases for the extraction corpus.

Every call an editor corrected (an ``EDITED`` change) becomes one case in the corpus format of
``kaynak/radar/tests/corpus``: ``NNN-name.{txt,html,pdf}`` holds the body the machine read
(the latest raw item fetched before the last correction), ``NNN-name.json`` the extraction
fields (``kaynak.radar.extraction.FIELDS``) as the corrected call states them. Adding the cases
to the corpus and running ``bench/radar_extraction.py`` shows whether a rule change learns from
them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Max, Prefetch
from django.utils.text import slugify

from kaynak.core.text import search_key
from kaynak.radar.extraction import FIELDS
from kaynak.radar.extraction.audience import APPLICANT_TYPE_SLUGS
from kaynak.radar.extraction.themes import THEME_SLUGS
from kaynak.radar.models import ChangeKind, DeadlineKind, Opportunity, RawItem
from kaynak.radar.staff_queries import body_kind

NAME_LENGTH = 40


@dataclass(frozen=True)
class Case:
    name: str  # NNN-name, without a suffix
    kind: str  # txt, html or pdf
    body: bytes
    labels: dict[str, Any]
    opportunity_id: int

    @property
    def files(self) -> dict[str, bytes]:
        labels = json.dumps(self.labels, ensure_ascii=False, indent=2) + "\n"
        return {f"{self.name}.{self.kind}": self.body, f"{self.name}.json": labels.encode()}


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def labels_of(opportunity: Opportunity) -> dict[str, Any]:
    """The call's fields in the corpus's shape (as ``kaynak radar extract`` prints them)."""
    deadline = None
    if opportunity.deadline_kind == DeadlineKind.FIXED and opportunity.deadline_date:
        deadline = opportunity.deadline_date.isoformat()
        if opportunity.deadline_time is not None:
            deadline += f"T{opportunity.deadline_time:%H:%M}"
    types = {t.slug for t in opportunity.applicant_types.all()}
    themes = {t.slug for t in opportunity.themes.all()}
    values = {
        "deadline": deadline,
        "deadline_kind": opportunity.deadline_kind,
        "deadline_timezone": (opportunity.deadline_timezone or None) if deadline else None,
        "amount_min": _number(opportunity.amount_min),
        "amount_max": _number(opportunity.amount_max),
        "currency": opportunity.currency or None,
        "applicant_types": [slug for slug in APPLICANT_TYPE_SLUGS if slug in types],
        "countries": sorted(c.code for c in opportunity.countries.all()),
        "themes": [slug for slug in THEME_SLUGS if slug in themes],
        "language": opportunity.language,
    }
    return {key: values[key] for key in FIELDS}


def _read_body(opportunity: Opportunity) -> RawItem | None:
    """The body the machine read before the editor's last correction (else the latest)."""
    bodies: list[RawItem] = list(opportunity.bodies)  # type: ignore[attr-defined]
    edited_at = opportunity.last_edit_at  # type: ignore[attr-defined]
    before = [raw for raw in bodies if edited_at is None or raw.fetched_at <= edited_at]
    chosen = before or bodies
    return chosen[0] if chosen else None


def _name(number: int, opportunity: Opportunity) -> str:
    slug = slugify(search_key(opportunity.title))[:NAME_LENGTH].strip("-") or "call"
    return f"{number:03d}-{slug}"


def corrected_calls() -> list[Opportunity]:
    """Calls with at least one editor's correction, oldest correction first."""
    bodies = RawItem.objects.exclude(body=b"").order_by("-fetched_at", "-id")
    return list(
        Opportunity.objects.filter(changes__kind=ChangeKind.EDITED)
        .annotate(last_edit_at=Max("changes__at"))
        .prefetch_related(
            "applicant_types",
            "countries",
            "themes",
            Prefetch("raw_items", queryset=bodies, to_attr="bodies"),
        )
        .distinct()
        .order_by("last_edit_at", "id")
    )


def build_cases(*, start: int = 1) -> list[Case]:
    """One case per corrected call that has a body, numbered from ``start``."""
    cases = []
    number = start
    for opportunity in corrected_calls():
        raw = _read_body(opportunity)
        if raw is None:
            continue
        cases.append(
            Case(
                name=_name(number, opportunity),
                kind=body_kind(raw),
                body=bytes(raw.body),
                labels=labels_of(opportunity),
                opportunity_id=opportunity.pk,
            )
        )
        number += 1
    return cases


def next_number(directory: Path) -> int:
    """One after the highest ``NNN-`` already in ``directory`` (1 when there is none)."""
    numbers = [
        int(match[1])
        for path in directory.glob("*.json")
        if (match := re.match(r"(\d{3,})-", path.name))
    ]
    return max(numbers, default=0) + 1


def write_cases(cases: list[Case], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases:
        for filename, data in case.files.items():
            path = directory / filename
            path.write_bytes(data)
            written.append(path)
    return written


def as_zip(cases: list[Case]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for case in cases:
            for filename, data in case.files.items():
                archive.writestr(filename, data)
    return buffer.getvalue()

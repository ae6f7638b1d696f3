"""Each row's values checked and cleaned. A bad value becomes a ``RowProblem``: a code and its
parameters, stored as such (on the import's report) and put into words in the reader's language
when shown."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.directory.importing.mapping import FIELDS
from kaynak.directory.importing.reading import Sheet, SheetRow
from kaynak.directory.models import Organisation, Person
from kaynak.directory.normalize import normalize_email, normalize_phone
from kaynak.directory.places import PROVINCE_NAMES, parse_place
from kaynak.directory.resolution import OrganisationRecord

NAME_LIMIT = Organisation._meta.get_field("name").max_length or 300
CONTACT_NAME_LIMIT = Person._meta.get_field("full_name").max_length or 200
_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")
_PHONE_SEPARATORS = re.compile(r"\s*[;/,|]\s*")

_MESSAGES: dict[str, Promise] = {
    "name_missing": _("The organisation's name is empty."),
    "name_too_long": _("The organisation's name is longer than %(limit)s characters."),
    "province_unknown": _(
        "“%(value)s” is not a province of Turkey: write the province (il), e.g. “İstanbul”, "
        "or its plate code, e.g. “34”."
    ),
    "province_typo": _("“%(value)s” is not a province of Turkey. Did you mean “%(suggestion)s”?"),
    "district_ambiguous": _(
        "“%(value)s” is a district in more than one province (%(provinces)s): write the "
        "province too, e.g. “%(value)s / %(example)s”."
    ),
    "email_invalid": _("“%(value)s” is not an e-mail address."),
    "phone_invalid": _("“%(value)s” is not a phone number."),
    "contact_name_too_long": _("The contact person's name is longer than %(limit)s characters."),
}


@dataclass(frozen=True)
class RowProblem:
    """A bad value in a row: which field, what is wrong (a code), and the details."""

    field: str
    code: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def message(self) -> str:
        """The problem in words, in the active language."""
        return str(_MESSAGES[self.code]) % self.params if self.params else str(_MESSAGES[self.code])

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "params": self.params}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RowProblem:
        return cls(field=data["field"], code=data["code"], params=dict(data.get("params", {})))


@dataclass(frozen=True)
class CleanRow:
    """One data row: what was typed (``values``), what it means, and what is wrong with it."""

    number: int
    line: int
    values: dict[str, str]
    name: str
    province: int | None
    district: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    contact_name: str
    problems: tuple[RowProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problems_by_field(self) -> dict[str, list[str]]:
        """The problems in words, by field, to show next to the value they are about."""
        found: dict[str, list[str]] = {}
        for problem in self.problems:
            found.setdefault(problem.field, []).append(problem.message)
        return found

    @property
    def province_name(self) -> str:
        return PROVINCE_NAMES[self.province] if self.province else ""

    def record(self) -> OrganisationRecord:
        """The row as the resolver reads it: clean values where they are good, else as typed."""
        return OrganisationRecord(
            name=self.name,
            city=self.province_name or self.values.get("city", ""),
            email=self.emails[0] if self.emails else self.values.get("email", ""),
            phone=self.phones[0] if self.phones else self.values.get("phone", ""),
            contact_name=self.contact_name,
        )


def row_values(row: SheetRow, mapping: Mapping[str, int]) -> dict[str, str]:
    """``{field: text}`` of a row under ``mapping``; unmapped fields are empty."""
    return {
        name: row.cells[mapping[name]] if name in mapping and mapping[name] < len(row.cells) else ""
        for name in FIELDS
    }


def _place_problem(text: str) -> tuple[int | None, str, RowProblem | None]:
    place = parse_place(text)
    if place.understood or not place.key:
        return place.province, place.district, None
    if place.district_provinces:
        names = [PROVINCE_NAMES[plate] for plate in place.district_provinces]
        return (
            None,
            "",
            RowProblem(
                "city",
                "district_ambiguous",
                {"value": text, "provinces": ", ".join(names), "example": names[0]},
            ),
        )
    if place.suggestion is not None:
        suggestion = PROVINCE_NAMES[place.suggestion]
        return (
            None,
            "",
            RowProblem("city", "province_typo", {"value": text, "suggestion": suggestion}),
        )
    return None, "", RowProblem("city", "province_unknown", {"value": text})


def clean_row(values: Mapping[str, str], *, number: int, line: int) -> CleanRow:
    """Check and clean one row's values."""
    problems: list[RowProblem] = []
    name = " ".join(values.get("organisation", "").split())
    if not name:
        problems.append(RowProblem("organisation", "name_missing"))
    elif len(name) > NAME_LIMIT:
        problems.append(RowProblem("organisation", "name_too_long", {"limit": str(NAME_LIMIT)}))

    province, district, problem = _place_problem(values.get("city", "").strip())
    if problem:
        problems.append(problem)

    emails: list[str] = []
    for text in _EMAIL_SEPARATORS.split(values.get("email", "").strip()):
        if not text:
            continue
        try:
            emails.append(normalize_email(text))
        except ValidationError:
            problems.append(RowProblem("email", "email_invalid", {"value": text}))

    phones: list[str] = []
    for text in _PHONE_SEPARATORS.split(values.get("phone", "").strip()):
        if not text:
            continue
        try:
            phones.append(normalize_phone(text))
        except ValidationError:
            problems.append(RowProblem("phone", "phone_invalid", {"value": text}))

    contact_name = " ".join(values.get("contact_name", "").split())
    if len(contact_name) > CONTACT_NAME_LIMIT:
        problems.append(
            RowProblem("contact_name", "contact_name_too_long", {"limit": str(CONTACT_NAME_LIMIT)})
        )
    return CleanRow(
        number=number,
        line=line,
        values=dict(values),
        name=name,
        province=province,
        district=district,
        emails=tuple(dict.fromkeys(emails)),
        phones=tuple(dict.fromkeys(phones)),
        contact_name=contact_name,
        problems=tuple(problems),
    )


def clean_rows(sheet: Sheet, mapping: Mapping[str, int]) -> list[CleanRow]:
    """Every data row of ``sheet`` checked and cleaned under ``mapping``."""
    return [
        clean_row(row_values(row, mapping), number=row.number, line=row.line) for row in sheet.rows
    ]


def problem_rows(rows: Sequence[CleanRow]) -> list[int]:
    """The numbers of the rows to fix."""
    return [row.number for row in rows if not row.ok]

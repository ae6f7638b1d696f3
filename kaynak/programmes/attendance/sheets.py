"""An attendance sheet's rows (read and mapped by ``columns``), each matched to a registration
of the activity.

A row is matched within the activity's registrations only, by the first of these that fits:
its registration code, its e-mail, its phone (E.164), its name (Turkish folding, rapidfuzz
similarity ≥ 0.9). A row that fits none may still be a person the directory knows who has a
registration under another e-mail; otherwise it names someone who did not register, whom staff
may add as a walk-in. Several registrations fitting equally well make the row ambiguous: staff
choose. Nothing here writes.
"""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from kaynak.core.text import casefold_tr, search_key, title_tr, upper_tr
from kaynak.directory.importing.reading import Sheet, SheetRow
from kaynak.directory.models import Organisation, Person
from kaynak.directory.normalize import normalize_email, normalize_phone
from kaynak.directory.resolution import (
    SAME_THRESHOLD,
    OrganisationRecord,
    PersonRecord,
    organisation_candidates,
    person_candidates,
)
from kaynak.programmes.models import (
    ACTIVE,
    SEAT_HOLDING,
    Attendance,
    Registration,
    RegistrationStatus,
    Session,
)

NAME_SIMILARITY: Final = 0.9
WALK_IN: Final = "walk-in"
# What staff decide for a row: the registration it is, or a walk-in; no decision leaves it out.
Decision = int | Literal["walk-in"]

_SPLIT_CONTACTS = re.compile(r"\s*[;,/|]\s*|\s+(?=\S+@)")


# --- Rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetEntry:
    """One row of the sheet: what was typed, and the e-mail and phone made comparable."""

    number: int  # 1-based among the data rows
    line: int  # the row of the file, as a spreadsheet program numbers it
    name: str
    email: str
    phone: str
    organisation: str
    code: str
    email_key: str = ""  # normalised e-mail, "" when none or not an e-mail address
    phone_key: str = ""  # E.164, "" when none or not a phone number
    problems: dict[str, str] = field(default_factory=dict)  # field → message

    @property
    def is_blank(self) -> bool:
        return not (self.name or self.email or self.phone or self.code)

    @property
    def display_name(self) -> str:
        """The name as a walk-in's record gets it: a name typed in capitals is capitalised the
        Turkish way ("AYŞE IŞIK" → "Ayşe Işık"); any other is kept as typed."""
        if self.name and self.name == upper_tr(self.name) and self.name != casefold_tr(self.name):
            return title_tr(casefold_tr(self.name))
        return self.name


def _cell(row: SheetRow, mapping: Mapping[str, int], name: str) -> str:
    column = mapping.get(name)
    if column is None or column >= len(row.cells):
        return ""
    return " ".join(row.cells[column].split())


def _clean_email(value: str) -> tuple[str, str]:
    """(normalised first address, problem) of an e-mail cell."""
    if not value:
        return "", ""
    first = next((part for part in _SPLIT_CONTACTS.split(value) if part), value)
    try:
        return normalize_email(first), ""
    except ValidationError as error:
        return "", str(error.messages[0])


def _clean_phone(value: str) -> tuple[str, str]:
    if not value:
        return "", ""
    first = next((part for part in re.split(r"\s*[;,/|]\s*", value) if part), value)
    try:
        return normalize_phone(first), ""
    except ValidationError as error:
        return "", str(error.messages[0])


def sheet_entries(sheet: Sheet, mapping: Mapping[str, int]) -> list[SheetEntry]:
    """The rows of ``sheet`` as entries, by the column ``mapping``."""
    entries = []
    for row in sheet.rows:
        name = _cell(row, mapping, "name") or " ".join(
            part
            for part in (_cell(row, mapping, "first_name"), _cell(row, mapping, "last_name"))
            if part
        )
        email, phone = _cell(row, mapping, "email"), _cell(row, mapping, "phone")
        email_key, email_problem = _clean_email(email)
        phone_key, phone_problem = _clean_phone(phone)
        problems = {
            key: message
            for key, message in (("email", email_problem), ("phone", phone_problem))
            if message
        }
        entries.append(
            SheetEntry(
                number=row.number,
                line=row.line,
                name=name,
                email=email,
                phone=phone,
                organisation=_cell(row, mapping, "organisation"),
                code=_cell(row, mapping, "code").upper().replace(" ", ""),
                email_key=email_key,
                phone_key=phone_key,
                problems=problems,
            )
        )
    return entries


# --- Matching ------------------------------------------------------------------------------


class RowKind(enum.StrEnum):
    MATCHED = "matched"  # a registration with a seat: marked present
    AMBIGUOUS = "ambiguous"  # several registrations fit: staff choose
    NO_SEAT = "no-seat"  # on the waiting list: staff may give a seat and mark
    CANCELLED = "cancelled"  # cancelled or lapsed: staff may register them again as a walk-in
    NOT_REGISTERED = "not-registered"  # staff may add them as a walk-in
    DUPLICATE = "duplicate"  # the same person as an earlier row
    NOTHING = "nothing"  # no name, e-mail, phone or code to go by


@dataclass(frozen=True)
class Match:
    registration: Registration
    how: str  # "code", "email", "phone", "name" or "directory"
    score: float = 1.0  # name similarity; 1.0 for the others


@dataclass
class PlannedRow:
    entry: SheetEntry
    kind: RowKind
    matches: list[Match] = field(default_factory=list)
    present: bool = False  # the one registration matched is marked for this session already
    duplicate_of: int | None = None
    code_not_found: bool = False  # a code was given that no registration of this activity has
    person: Person | None = None  # a walk-in: the person the directory knows them as
    organisation: Organisation | None = None  # a walk-in: the organisation the directory knows

    @property
    def number(self) -> int:
        return self.entry.number

    @property
    def registration(self) -> Registration | None:
        return self.matches[0].registration if len(self.matches) == 1 else None

    @property
    def candidate_ids(self) -> frozenset[int]:
        return frozenset(match.registration.pk for match in self.matches)

    @property
    def default_decision(self) -> Decision | None:
        """What the preview proposes: a registrant with a seat is marked; everyone else waits
        for staff to say so."""
        registration = self.registration
        if self.kind == RowKind.MATCHED and registration is not None:
            return int(registration.pk)
        return None

    @property
    def walk_in_problem(self) -> str:
        """Why this row cannot be added as a walk-in ("" when it can)."""
        if self.kind not in (RowKind.NOT_REGISTERED, RowKind.AMBIGUOUS):
            return str(_("This row is a registration of the activity."))
        if not self.entry.name:
            return str(_("A walk-in needs a name: write it in the file, or leave the row out."))
        if self.entry.problems:
            return str(_("Correct the e-mail or phone in the file before adding this walk-in."))
        return ""


@dataclass(frozen=True)
class SheetPlan:
    session: Session
    rows: list[PlannedRow]

    def of_kind(self, *kinds: RowKind) -> list[PlannedRow]:
        return [row for row in self.rows if row.kind in kinds]

    def count(self, *kinds: RowKind) -> int:
        return len(self.of_kind(*kinds))

    def row(self, number: int) -> PlannedRow:
        """The row numbered ``number`` (``KeyError`` if the sheet has none)."""
        for row in self.rows:
            if row.number == number:
                return row
        raise KeyError(number)


class _Registrations:
    """The activity's registrations, one per person (the live one, else the latest), indexed
    by code, e-mail, phone and folded name."""

    def __init__(self, registrations: Iterable[Registration]) -> None:
        everyone = list(registrations)
        current: dict[int, Registration] = {}
        for registration in everyone:  # oldest first: a later or live one replaces it
            kept = current.get(registration.person_id)
            if kept is None or registration.status in ACTIVE or kept.status not in ACTIVE:
                current[registration.person_id] = registration
        self.current = list(current.values())
        self.by_person = current
        self.by_code = {r.code: current[r.person_id] for r in everyone}
        self.by_email: dict[str, list[Registration]] = defaultdict(list)
        self.by_phone: dict[str, list[Registration]] = defaultdict(list)
        self.names: dict[int, str] = {}
        for registration in self.current:
            person = registration.person
            emails = {registration.email.lower(), *(e.lower() for e in person.emails)}
            for email in emails - {""}:
                self.by_email[email].append(registration)
            for phone in set(person.phones):
                self.by_phone[phone].append(registration)
            self.names[registration.pk] = search_key(person.full_name)

    def by_name(self, name: str, pool: Sequence[Registration] | None = None) -> list[Match]:
        """Registrations whose person's name is at least ``NAME_SIMILARITY`` like ``name``,
        best first; the one exact (folded) name alone when there is exactly one."""
        key = search_key(name)
        if not key:
            return []
        scored = []
        for registration in self.current if pool is None else pool:
            score = fuzz.token_sort_ratio(key, self.names[registration.pk]) / 100
            if score >= NAME_SIMILARITY:
                scored.append(Match(registration, "name", round(score, 3)))
        scored.sort(key=lambda match: -match.score)
        exact = [match for match in scored if match.score == 1.0]
        return exact if len(exact) == 1 else scored

    def match(self, entry: SheetEntry) -> list[Match]:
        if entry.code and entry.code in self.by_code:
            return [Match(self.by_code[entry.code], "code")]
        for how, key, index in (
            ("email", entry.email_key, self.by_email),
            ("phone", entry.phone_key, self.by_phone),
        ):
            found = index.get(key, []) if key else []
            if len(found) == 1:
                return [Match(found[0], how)]
            if found:
                # An organisation's shared address or phone: the name says which of them.
                return self.by_name(entry.name, found) or [Match(r, how) for r in found]
        return self.by_name(entry.name) if entry.name else []


def _known_person(entry: SheetEntry) -> int | None:
    """The person the directory is sure this row is, if any (a name alone is never enough)."""
    if not entry.name or not (entry.email_key or entry.phone_key):
        return None
    record = PersonRecord(
        full_name=entry.name,
        email=entry.email_key,
        phone=entry.phone_key,
        organisation=entry.organisation,
    )
    best = next(iter(person_candidates(record, limit=1)), None)
    return best.id if best is not None and best.score >= SAME_THRESHOLD else None


def _known_organisation(entry: SheetEntry) -> int | None:
    if not entry.organisation:
        return None
    record = OrganisationRecord(name=entry.organisation, email=entry.email_key)
    best = next(iter(organisation_candidates(record, limit=1)), None)
    return best.id if best is not None and best.score >= SAME_THRESHOLD else None


def _kind_of(registration: Registration) -> RowKind:
    if registration.status in SEAT_HOLDING:
        return RowKind.MATCHED
    if registration.status == RegistrationStatus.WAITLISTED:
        return RowKind.NO_SEAT
    return RowKind.CANCELLED


def plan_sheet(session: Session, entries: Sequence[SheetEntry]) -> SheetPlan:
    """What each row of the sheet is for ``session``. Writes nothing."""
    registrations = _Registrations(
        Registration.objects.filter(activity_id=session.activity_id)
        .select_related("person", "organisation")
        .order_by("created_at", "id")
    )
    present = set(
        Attendance.objects.filter(session=session).values_list("registration_id", flat=True)
    )
    rows: list[PlannedRow] = []
    person_ids: dict[int, int] = {}  # row → known person
    organisation_ids: dict[int, int] = {}  # row → known organisation
    for entry in entries:
        matches = registrations.match(entry)
        if not matches:
            person_id = _known_person(entry)
            if person_id is not None and person_id in registrations.by_person:
                matches = [Match(registrations.by_person[person_id], "directory")]
            elif person_id is not None:
                person_ids[entry.number] = person_id
        code_not_found = bool(entry.code) and entry.code not in registrations.by_code
        if len(matches) == 1:
            registration = matches[0].registration
            row = PlannedRow(
                entry,
                _kind_of(registration),
                matches,
                present=registration.pk in present,
                code_not_found=code_not_found,
            )
        elif matches:
            row = PlannedRow(entry, RowKind.AMBIGUOUS, matches, code_not_found=code_not_found)
        elif entry.is_blank:
            row = PlannedRow(entry, RowKind.NOTHING)
        else:
            row = PlannedRow(entry, RowKind.NOT_REGISTERED, code_not_found=code_not_found)
        if row.kind in (RowKind.NOT_REGISTERED, RowKind.AMBIGUOUS):
            organisation_id = _known_organisation(entry)
            if organisation_id is not None:
                organisation_ids[entry.number] = organisation_id
        rows.append(row)
    people = Person.objects.in_bulk(set(person_ids.values()))
    organisations = Organisation.objects.in_bulk(set(organisation_ids.values()))
    first_row_of: dict[tuple[str, object], int] = {}
    for row in rows:
        row.person = people.get(person_ids.get(row.number, 0))
        row.organisation = organisations.get(organisation_ids.get(row.number, 0))
        key = _identity(row)
        if key is None:
            continue
        if key in first_row_of:
            row.kind, row.duplicate_of = RowKind.DUPLICATE, first_row_of[key]
        else:
            first_row_of[key] = row.number
    return SheetPlan(session=session, rows=rows)


def _identity(row: PlannedRow) -> tuple[str, object] | None:
    """Who a row is, to find the same person written twice."""
    if row.registration is not None and row.kind != RowKind.AMBIGUOUS:
        return ("registration", row.registration.pk)
    if row.kind != RowKind.NOT_REGISTERED:
        return None
    if row.person is not None:
        return ("person", row.person.pk)
    entry = row.entry
    return ("typed", entry.email_key or entry.phone_key or search_key(entry.name))

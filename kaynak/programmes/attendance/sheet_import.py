"""Attendance sheets: the uploaded file kept as received, its columns, and the all-or-nothing
service that marks the rows staff accepted present and adds the walk-ins they chose.

Every row of the file ends up in the sheet's report with what became of it — marked present,
already present, given a seat, added as a walk-in, the same person as another row, or left out
and why — so no row is ever dropped without a word.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.directory import services as directory
from kaynak.directory.importing.reading import Sheet
from kaynak.directory.models import Organisation, Person
from kaynak.programmes import services
from kaynak.programmes.attendance.check_in import admit_at_the_door
from kaynak.programmes.attendance.columns import (
    IDENTIFYING,
    clean_mapping,
    guess_mapping,
    read_attendance_sheet,
)
from kaynak.programmes.attendance.sheets import (
    WALK_IN,
    Decision,
    PlannedRow,
    RowKind,
    SheetPlan,
    plan_sheet,
    sheet_entries,
)
from kaynak.programmes.models import (
    Activity,
    AttendanceMethod,
    AttendanceSheet,
    AttendanceSheetStatus,
    Registration,
    RegistrationStatus,
    Session,
)

MAX_ROWS = 3000


class AttendanceSheetError(KaynakError):
    """The sheet cannot be applied as asked; ``rows`` says what is wrong with which row."""

    code = "attendance_sheet"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        rows: Mapping[int, str] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.rows = dict(rows or {})


# --- Uploading and columns -----------------------------------------------------------------


@transaction.atomic
def attendance_sheet_create(
    *, session: Session, data: bytes, filename: str, actor: Any
) -> AttendanceSheet:
    """Keep an uploaded attendance sheet of ``session`` to preview; ``UnreadableFile`` if it is
    not a spreadsheet."""
    sheet = read_attendance_sheet(data, filename)
    if len(sheet.rows) > MAX_ROWS:
        raise AttendanceSheetError(
            gettext_lazy("The sheet has more than %(limit)s rows: is it the right file?")
            % {"limit": MAX_ROWS},
            code="too_many_rows",
        )
    record = AttendanceSheet(
        session=session,
        original_name=filename[:255],
        encoding=sheet.encoding,
        column_mapping=guess_mapping(sheet.headers),
        rows_total=len(sheet.rows),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Under a random name: the file holds personal data, and its own name is guessable.
    stored_name = f"{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"
    record.original_file.save(stored_name, ContentFile(data), save=False)
    record.save()
    log_action(
        "kaynak.programmes.attendance_sheet.uploaded",
        actor=actor,
        target=record,
        data={"session": session.pk, "rows": record.rows_total, "encoding": record.encoding},
    )
    return record


def sheet_of(record: AttendanceSheet) -> Sheet:
    """The kept file, read again."""
    with record.original_file.open("rb") as file:
        data = file.read()
    return read_attendance_sheet(data, record.original_name)


def mapping_of(record: AttendanceSheet, sheet: Sheet) -> dict[str, int]:
    return clean_mapping(record.column_mapping, len(sheet.headers))


def can_match(mapping: Mapping[str, int]) -> bool:
    """Whether the columns chosen can tell anyone apart."""
    return bool(IDENTIFYING & set(mapping))


@transaction.atomic
def attendance_sheet_set_mapping(
    *, record: AttendanceSheet, mapping: Mapping[str, int], actor: Any
) -> AttendanceSheet:
    """Say which column holds what, before the sheet is applied."""
    if record.status == AttendanceSheetStatus.APPLIED:
        raise AttendanceSheetError(
            gettext_lazy("This attendance sheet was applied already."), code="applied"
        )
    new = dict(mapping)
    if new != record.column_mapping:
        log_action(
            "kaynak.programmes.attendance_sheet.mapped",
            actor=actor,
            target=record,
            data={"before": record.column_mapping, "after": new},
        )
        record.column_mapping = new
        record.save(update_fields=["column_mapping"])
    return record


def plan_of(record: AttendanceSheet, mapping: Mapping[str, int] | None = None) -> SheetPlan:
    """What each row of the kept file is, now (by ``mapping``, or the one stored)."""
    sheet = sheet_of(record)
    if mapping is None:
        mapping = mapping_of(record, sheet)
    return plan_sheet(record.session, sheet_entries(sheet, mapping))


# --- Applying ------------------------------------------------------------------------------


def _decision_problem(row: PlannedRow, decision: Decision) -> str:
    if decision == WALK_IN:
        return row.walk_in_problem
    if row.kind == RowKind.DUPLICATE:
        return _("The same person as row %(row)s: leave this row out.") % {"row": row.duplicate_of}
    if decision not in row.candidate_ids:
        return _("Choose one of the registrations offered for this row.")
    return ""


@transaction.atomic
def attendance_sheet_apply(
    *, record: AttendanceSheet, decisions: Mapping[int, Decision], actor: Any
) -> AttendanceSheet:
    """Apply the sheet: for each row with a decision, mark the registration it is present
    (giving a seat to someone on the waiting list, registering again someone who had cancelled)
    or add the walk-in (the directory's person — found, else created — registered by staff
    override, ``walk_in``). Rows without a decision are left out and reported.

    All or nothing: a decision that does not fit its row, or any row that cannot be written,
    raises ``AttendanceSheetError`` naming the rows, and nothing is written.
    """
    session = record.session
    Activity.objects.select_for_update().filter(pk=session.activity_id).first()
    record = AttendanceSheet.objects.select_for_update().get(pk=record.pk)
    if record.status == AttendanceSheetStatus.APPLIED:
        raise AttendanceSheetError(
            gettext_lazy("This attendance sheet was applied already."), code="applied"
        )
    plan = plan_of(record)
    problems = {
        row.number: problem
        for row in plan.rows
        if row.number in decisions and (problem := _decision_problem(row, decisions[row.number]))
    }
    if problems:
        raise AttendanceSheetError(
            gettext_lazy("Nothing was written: see the rows marked below."),
            code="rows",
            rows=problems,
        )
    reason = _("Walk-in, from the attendance sheet “%(name)s”.") % {"name": record.original_name}
    report: list[dict[str, Any]] = []
    for row in plan.rows:
        try:
            report.append(_apply_row(row, decisions.get(row.number), session, actor, reason))
        except KaynakError as error:
            raise AttendanceSheetError(
                gettext_lazy("Nothing was written: see the rows marked below."),
                code="rows",
                rows={row.number: str(error.message)},
            ) from error
    outcomes = [entry["outcome"] for entry in report]
    record.status = AttendanceSheetStatus.APPLIED
    record.report = report
    record.rows_total = len(report)
    record.rows_marked = sum(o in ("marked", "already", "admitted") for o in outcomes)
    record.rows_walk_in = sum(
        o in ("walk-in", "walk-in-known", "registered-again") for o in outcomes
    )
    record.rows_left_out = sum(o in ("left-out", "nothing") for o in outcomes)
    record.applied_at = timezone.now()
    record.applied_by = actor if getattr(actor, "is_authenticated", False) else None
    record.save()
    log_action(
        "kaynak.programmes.attendance_sheet.applied",
        actor=actor,
        target=record,
        data={
            "session": session.pk,
            "marked": record.rows_marked,
            "walk_ins": record.rows_walk_in,
            "left_out": record.rows_left_out,
        },
    )
    return record


def _entry(row: PlannedRow, outcome: str, **more: Any) -> dict[str, Any]:
    return {
        "row": row.number,
        "line": row.entry.line,
        "name": row.entry.name,
        "email": row.entry.email,
        "outcome": outcome,
        "kind": str(row.kind),
        **more,
    }


def _apply_row(
    row: PlannedRow, decision: Decision | None, session: Session, actor: Any, reason: str
) -> dict[str, Any]:
    if row.kind == RowKind.DUPLICATE:
        return _entry(row, "duplicate", of_row=row.duplicate_of)
    if row.kind == RowKind.NOTHING:
        return _entry(row, "nothing")
    if decision is None:
        return _entry(row, "left-out")
    if decision == WALK_IN:
        registration, known = _walk_in(row, session.activity, actor, reason)
        outcome = "walk-in-known" if known else "walk-in"
    else:
        registration = next(m.registration for m in row.matches if m.registration.pk == decision)
        registration.refresh_from_db()
        if registration.status == RegistrationStatus.WAITLISTED:
            admit_at_the_door(registration=registration, by=actor, reason=reason)
            outcome = "admitted"
        elif registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.LAPSED):
            registration = _register_walk_in(
                activity=session.activity,
                person=registration.person,
                organisation=registration.organisation,
                email=registration.email,
                actor=actor,
                reason=reason,
            )
            outcome = "registered-again"
        else:
            outcome = "already" if row.present else "marked"
    services.mark_attendance(
        registration=registration, session=session, method=AttendanceMethod.IMPORT, by=actor
    )
    return _entry(row, outcome, registration=registration.pk, person=registration.person_id)


def _walk_in(
    row: PlannedRow, activity: Activity, actor: Any, reason: str
) -> tuple[Registration, bool]:
    """Register the person a row names, who did not register: the directory's person when it
    knows them, else a new one; the organisation when the directory is sure of it."""
    entry = row.entry
    person: Person | None = row.person
    known = person is not None
    if person is None:
        person = directory.person_create(
            actor=actor,
            full_name=entry.display_name,
            emails=[entry.email_key] if entry.email_key else [],
            phones=[entry.phone_key] if entry.phone_key else [],
        )
    organisation: Organisation | None = row.organisation
    if organisation is not None:
        directory.affiliation_create(actor=actor, person=person, organisation=organisation)
    email = entry.email_key or (person.emails[0] if person.emails else "")
    registration = _register_walk_in(
        activity=activity,
        person=person,
        organisation=organisation,
        email=email,
        actor=actor,
        reason=reason,
    )
    return registration, known


def _register_walk_in(
    *,
    activity: Activity,
    person: Person,
    organisation: Organisation | None,
    email: str,
    actor: Any,
    reason: str,
) -> Registration:
    registration = services.register(
        activity=activity,
        person=person,
        email=email,
        organisation=organisation,
        language=activity.language,
        by=actor,
        override=True,
        reason=reason,
    )
    registration.walk_in = True
    registration.save(update_fields=["walk_in", "updated_at"])
    return registration


# --- The report ----------------------------------------------------------------------------

_OUTCOMES: dict[str, Promise] = {
    "marked": gettext_lazy("Registered: marked present."),
    "already": gettext_lazy("Registered: was marked present already."),
    "admitted": gettext_lazy("On the waiting list: given a seat and marked present."),
    "walk-in": gettext_lazy(
        "Not registered: added as a walk-in (new to the directory) and marked present."
    ),
    "walk-in-known": gettext_lazy(
        "Not registered: added as a walk-in (known to the directory) and marked present."
    ),
    "registered-again": gettext_lazy(
        "Had cancelled: registered again as a walk-in and marked present."
    ),
    "nothing": gettext_lazy("No name, e-mail, phone or code in this row: nothing to mark."),
}
_LEFT_OUT: dict[str, Promise] = {
    RowKind.MATCHED: gettext_lazy("Registered, but you left this row out: not marked."),
    RowKind.AMBIGUOUS: gettext_lazy("Several registrations fit and none was chosen: not marked."),
    RowKind.NO_SEAT: gettext_lazy("On the waiting list and not given a seat: not marked."),
    RowKind.CANCELLED: gettext_lazy("Had cancelled and was not registered again: not marked."),
    RowKind.NOT_REGISTERED: gettext_lazy("Not registered and not added as a walk-in: not marked."),
}


def describe(entry: Mapping[str, Any]) -> str:
    """A report entry in words, in the active language."""
    outcome = entry.get("outcome", "")
    if outcome == "duplicate":
        return _("The same person as row %(row)s.") % {"row": entry.get("of_row")}
    if outcome == "left-out":
        return str(_LEFT_OUT.get(entry.get("kind", ""), _LEFT_OUT[RowKind.NOT_REGISTERED]))
    return str(_OUTCOMES.get(outcome, outcome))


def sheets_of_session(session: Session) -> list[AttendanceSheet]:
    """The attendance sheets uploaded for ``session``, newest first."""
    return list(AttendanceSheet.objects.filter(session=session).select_related("created_by")[:50])

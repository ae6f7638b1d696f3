"""Staff attendance pages of a session: the roll call (one tap per person), QR check-in (camera
or typed code) and attendance sheets (upload → preview → apply, all or nothing → report)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import permission_required
from kaynak.programmes import services
from kaynak.programmes.attendance import sheet_import
from kaynak.programmes.attendance.check_in import check_in
from kaynak.programmes.attendance.forms import (
    AttendanceSheetUploadForm,
    SheetColumnsForm,
    decisions_from,
    default_decisions,
)
from kaynak.programmes.attendance.roll_call import (
    attendance_counts,
    roll_call,
    roll_call_row,
    sessions_for_attendance,
)
from kaynak.programmes.attendance.sheets import (
    Decision,
    PlannedRow,
    RowKind,
    SheetPlan,
)
from kaynak.programmes.models import (
    Attendance,
    AttendanceMethod,
    AttendanceSheet,
    AttendanceSheetStatus,
    Registration,
    Session,
)

PERMISSION = "programmes.mark_attendance"


class StaffRequest(AuthenticatedHttpRequest):
    htmx: HtmxDetails


def _session(session_id: int) -> Session:
    return get_object_or_404(sessions_for_attendance(), pk=session_id)


def _session_context(session: Session, tab: str) -> dict[str, Any]:
    """What every attendance page shows about the session: the activity, its sessions (to
    switch between days) and the three tabs."""
    return {
        "session": session,
        "activity": session.activity,
        "sessions": list(session.activity.sessions.all()),
        "tab": tab,
    }


# --- Roll call -----------------------------------------------------------------------------


@vary_on_headers("HX-Request")
@permission_required(PERMISSION)
def roll_call_page(request: StaffRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    q = request.GET.get("q", "").strip()
    context = {**_session_context(session, "roll-call"), "roll": roll_call(session, q=q), "q": q}
    return render(request, "programmes/attendance/roll_call.html", context)


@require_POST
@permission_required(PERMISSION)
def roll_call_mark(request: StaffRequest, session_id: int, registration_id: int) -> HttpResponse:
    """Mark present (``present=1``) or absent (``present=0``): the state wanted, not a toggle,
    so a double tap or a repeated request changes nothing."""
    session = _session(session_id)
    registration = get_object_or_404(
        Registration.objects.select_related("person", "organisation", "activity"),
        pk=registration_id,
        activity_id=session.activity_id,
    )
    error = ""
    try:
        if request.POST.get("present") == "1":
            services.mark_attendance(
                registration=registration,
                session=session,
                method=AttendanceMethod.ROLL_CALL,
                by=request.user,
            )
        else:
            services.unmark_attendance(registration=registration, session=session, by=request.user)
    except KaynakError as exc:
        error = str(exc.message)
    if not request.htmx:
        if error:
            messages.error(request, error)
        q = request.POST.get("q", "").strip()
        url = reverse("programmes:staff-roll-call", args=[session.pk])
        return redirect(f"{url}?{urlencode({'q': q})}" if q else url)
    present = Attendance.objects.filter(registration=registration, session=session).exists()
    counted_present, registered = attendance_counts(session)
    return render(
        request,
        "programmes/attendance/roll_call_row.html",
        {
            "session": session,
            "row": roll_call_row(registration, present=present),
            "error": error,
            "counts": {"present": counted_present, "registered": registered},
            "oob": True,
        },
    )


# --- QR check-in ---------------------------------------------------------------------------


@vary_on_headers("HX-Request")
@permission_required(PERMISSION)
def check_in_page(request: StaffRequest, session_id: int) -> HttpResponse:
    """GET: the scanner and the code field. POST ``code`` (and ``admit=1`` to give someone on
    the waiting list a seat): check in, and answer with the result."""
    session = _session(session_id)
    result = None
    if request.method == "POST":
        result = check_in(
            session=session,
            scanned=request.POST.get("code", "")[:500],
            by=request.user,
            admit=request.POST.get("admit") == "1",
        )
    present, registered = attendance_counts(session)
    counts = {"present": present, "registered": registered}
    if request.htmx and result is not None:
        return render(
            request,
            "programmes/attendance/check_in_result.html",
            {"session": session, "result": result, "counts": counts, "oob": True},
        )
    context = {**_session_context(session, "check-in"), "result": result, "counts": counts}
    return render(request, "programmes/attendance/check_in.html", context)


# --- Attendance sheets ---------------------------------------------------------------------


@permission_required(PERMISSION)
def sheet_upload(request: StaffRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    form = AttendanceSheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = sheet_import.attendance_sheet_create(
                session=session,
                data=form.data_bytes,
                filename=upload.name or "",
                actor=request.user,
            )
        except KaynakError as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect("programmes:staff-attendance-sheet", record.pk)
    context = {
        **_session_context(session, "sheets"),
        "form": form,
        "sheets": sheet_import.sheets_of_session(session),
    }
    return render(request, "programmes/attendance/sheet_upload.html", context)


def _sheet(sheet_id: int) -> AttendanceSheet:
    return get_object_or_404(
        AttendanceSheet.objects.select_related(
            "session__activity__programme", "session__province", "created_by", "applied_by"
        ),
        pk=sheet_id,
    )


@dataclass(frozen=True)
class RowView:
    """A planned row as the preview shows it: with what is chosen for it and any error."""

    planned: PlannedRow
    chosen: str  # the posted or proposed decision: a registration's id, "walk-in" or ""
    error: str


@dataclass(frozen=True)
class Section:
    kind: str
    title: Promise
    help: Promise
    rows: list[RowView]


_SECTIONS: tuple[tuple[RowKind, Promise, Promise], ...] = (
    (
        RowKind.MATCHED,
        gettext_lazy("Registered"),
        gettext_lazy("Ticked rows are marked present. Untick a row that is not the person."),
    ),
    (
        RowKind.AMBIGUOUS,
        gettext_lazy("Several registrations fit"),
        gettext_lazy("Choose who the row is, add them as a walk-in, or leave the row out."),
    ),
    (
        RowKind.NO_SEAT,
        gettext_lazy("On the waiting list"),
        gettext_lazy("They came without a seat. Tick to give them a seat and mark them present."),
    ),
    (
        RowKind.CANCELLED,
        gettext_lazy("Cancelled registrations"),
        gettext_lazy("They had cancelled. Tick to register them again and mark them present."),
    ),
    (
        RowKind.NOT_REGISTERED,
        gettext_lazy("Not registered"),
        gettext_lazy(
            "They are not registered for this activity. Tick to add them as walk-ins: the "
            "directory's record is used when it knows them, otherwise a new person is added."
        ),
    ),
    (
        RowKind.DUPLICATE,
        gettext_lazy("Written twice"),
        gettext_lazy("The same person as an earlier row: counted once."),
    ),
    (
        RowKind.NOTHING,
        gettext_lazy("Nothing to go by"),
        gettext_lazy("These rows have no name, e-mail, phone or code: nothing is marked."),
    ),
)


def _sections(
    plan: SheetPlan, decisions: Mapping[int, Decision], errors: Mapping[int, str]
) -> list[Section]:
    sections = []
    for kind, title, help_text in _SECTIONS:
        rows = [
            RowView(row, str(decisions.get(row.number, "")), errors.get(row.number, ""))
            for row in plan.of_kind(kind)
        ]
        if rows:
            sections.append(Section(str(kind), title, help_text, rows))
    return sections


def _preview(
    request: StaffRequest,
    record: AttendanceSheet,
    *,
    form: SheetColumnsForm,
    plan: SheetPlan | None,
    decisions: Mapping[int, Decision] | None = None,
    errors: Mapping[int, str] | None = None,
) -> HttpResponse:
    sections = (
        _sections(plan, default_decisions(plan) if decisions is None else decisions, errors or {})
        if plan
        else []
    )
    context = {
        **_session_context(record.session, "sheets"),
        "record": record,
        "sheet": form.sheet,
        "form": form,
        "plan": plan,
        "sections": sections,
        "counts": {
            "registered": plan.count(RowKind.MATCHED) if plan else 0,
            "to_decide": plan.count(RowKind.AMBIGUOUS, RowKind.NO_SEAT, RowKind.CANCELLED)
            if plan
            else 0,
            "not_registered": plan.count(RowKind.NOT_REGISTERED) if plan else 0,
        },
    }
    if request.htmx:
        return render(request, "programmes/attendance/sheet_preview.html#preview", context)
    return render(request, "programmes/attendance/sheet_preview.html", context)


@vary_on_headers("HX-Request")
@permission_required(PERMISSION)
def sheet_page(request: StaffRequest, sheet_id: int) -> HttpResponse:
    """A sheet not yet applied: its columns and the preview of every row. Applied: its report."""
    record = _sheet(sheet_id)
    if record.status == AttendanceSheetStatus.APPLIED:
        entries = [{**entry, "text": sheet_import.describe(entry)} for entry in record.report]
        context = {**_session_context(record.session, "sheets"), "record": record}
        return render(
            request, "programmes/attendance/sheet_report.html", {**context, "entries": entries}
        )
    sheet = sheet_import.sheet_of(record)
    mapping = sheet_import.mapping_of(record, sheet)
    form = SheetColumnsForm(
        request.POST if request.method == "POST" else None, sheet=sheet, mapping=mapping
    )
    if request.method == "POST" and form.is_valid():
        sheet_import.attendance_sheet_set_mapping(
            record=record, mapping=form.mapping, actor=request.user
        )
        if not request.htmx:
            return redirect("programmes:staff-attendance-sheet", record.pk)
        mapping = form.mapping
    plan = sheet_import.plan_of(record, mapping) if sheet_import.can_match(mapping) else None
    return _preview(request, record, form=form, plan=plan)


@require_POST
@permission_required(PERMISSION)
def sheet_apply(request: StaffRequest, sheet_id: int) -> HttpResponse:
    record = _sheet(sheet_id)
    if record.status == AttendanceSheetStatus.APPLIED:
        return redirect("programmes:staff-attendance-sheet", record.pk)
    sheet = sheet_import.sheet_of(record)
    mapping = sheet_import.mapping_of(record, sheet)
    plan = sheet_import.plan_of(record, mapping) if sheet_import.can_match(mapping) else None
    if plan is None:
        return redirect("programmes:staff-attendance-sheet", record.pk)
    decisions = decisions_from(request.POST, plan)
    try:
        record = sheet_import.attendance_sheet_apply(
            record=record, decisions=decisions, actor=request.user
        )
    except sheet_import.AttendanceSheetError as exc:
        messages.error(request, str(exc.message))
        form = SheetColumnsForm(sheet=sheet, mapping=mapping)
        return _preview(request, record, form=form, plan=plan, decisions=decisions, errors=exc.rows)
    messages.success(
        request,
        _(
            "Attendance recorded. Registrants marked present: %(marked)s; walk-ins added: "
            "%(walk_ins)s; rows left out: %(left_out)s."
        )
        % {
            "marked": record.rows_marked,
            "walk_ins": record.rows_walk_in,
            "left_out": record.rows_left_out,
        },
    )
    return redirect("programmes:staff-attendance-sheet", record.pk)


@permission_required(PERMISSION)
def sheet_file(request: StaffRequest, sheet_id: int) -> FileResponse:
    """The kept file, as it was uploaded."""
    record = _sheet(sheet_id)
    return FileResponse(
        record.original_file.open("rb"), as_attachment=True, filename=record.original_name
    )

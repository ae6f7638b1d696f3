"""An activity's participants leave Kaynak in three forms: a CSV (with a BOM, so Turkish Excel
reads UTF-8), an XLSX workbook, and a sign-in sheet PDF for paper attendance (one page per
session). All three carry personal data: the views require ``programmes.export_participants``
and each export is recorded in the audit log."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.db import turkish_order
from kaynak.core.models import CenterSettings
from kaynak.core.printing import file_uri
from kaynak.core.spreadsheets import workbook_bytes
from kaynak.programmes import services
from kaynak.programmes.models import (
    SEAT_HOLDING,
    Activity,
    Attendance,
    Registration,
    RegistrationStatus,
    Session,
)

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection);
# phone numbers in E.164 ("+90 …") are the one harmless exception, and stay as they are.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_NUMBERS = re.compile(r"\+\d{6,15}(, \+\d{6,15})*")
# Empty rows at the end of each sign-in sheet, for people who come without registering.
WALK_IN_ROWS = 5
STATUS_ORDER: dict[str, int] = {
    RegistrationStatus.CONFIRMED: 0,
    RegistrationStatus.OFFERED: 1,
    RegistrationStatus.WAITLISTED: 2,
    RegistrationStatus.CANCELLED: 3,
    RegistrationStatus.LAPSED: 4,
}


def participants(activity: Activity) -> list[Registration]:
    """Every registration of the activity, by status (confirmed first) and then name in
    Turkish alphabetical order, with what the columns need (read in four queries)."""
    registrations = (
        Registration.objects.filter(activity=activity)
        .select_related("person__province", "organisation__province", "activity")
        .prefetch_related(
            "activity__sessions",
            Prefetch("attendances", queryset=Attendance.objects.select_related("session")),
        )
        .order_by(turkish_order("person__full_name"), "pk")
    )
    return sorted(registrations, key=lambda r: STATUS_ORDER.get(r.status, 9))


def _hours(registration: Registration) -> Decimal:
    return sum((a.session.hours for a in registration.attendances.all()), Decimal(0))


def _province(registration: Registration) -> str:
    person, organisation = registration.person, registration.organisation
    province = person.province or (organisation.province if organisation else None)
    return province.name if province else ""


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


def _columns() -> list[tuple[str | Promise, Callable[[Registration], Any]]]:
    return [
        (_("Name"), lambda r: r.person.full_name),
        (_("Organisation"), lambda r: r.organisation.name if r.organisation else ""),
        (_("Province"), _province),
        (_("E-mail"), lambda r: r.email),
        (_("Phone"), lambda r: ", ".join(r.person.phones)),
        (_("Status"), lambda r: r.get_status_display()),
        (
            _("Registered at"),
            lambda r: timezone.localtime(r.created_at).strftime("%d.%m.%Y %H:%M"),
        ),
        (_("Sessions attended"), lambda r: len(r.attendances.all())),
        (_("Hours"), lambda r: float(_hours(r))),
        # has_completed reads the prefetched sessions and attendances: no query per row.
        (_("Completed"), lambda r: _yes_no(services.has_completed(r))),
    ]


def _rows(activity: Activity) -> Iterator[list[Any]]:
    columns = _columns()
    yield [str(title) for title, _value in columns]
    for registration in participants(activity):
        yield [value(registration) for _title, value in columns]


def _safe_text(value: Any) -> Any:
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PHONE_NUMBERS.fullmatch(value)
    ):
        return "'" + value
    return value


@transaction.atomic
def _record_export(*, activity: Activity, file_format: str, actor: Any) -> None:
    log_action(
        "kaynak.programmes.participants.exported",
        actor=actor,
        target=activity,
        data={"format": file_format},
    )


def participants_csv(*, activity: Activity, actor: Any) -> bytes:
    """The participant list as CSV (UTF-8 with a BOM)."""
    _record_export(activity=activity, file_format="csv", actor=actor)
    text = io.StringIO()
    writer = csv.writer(text)
    for row in _rows(activity):
        writer.writerow([_safe_text(value) for value in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def participants_xlsx(*, activity: Activity, actor: Any) -> bytes:
    """The participant list as an XLSX workbook."""
    _record_export(activity=activity, file_format="xlsx", actor=actor)
    return workbook_bytes([(_("Participants"), _rows(activity))])


# The sign-in sheet ------------------------------------------------------------------------------


def signin_registrations(activity: Activity) -> QuerySet[Registration]:
    """Who is expected in the room: those holding a seat, in Turkish alphabetical order."""
    return (
        Registration.objects.filter(activity=activity, status__in=SEAT_HOLDING)
        .select_related("person", "organisation")
        .order_by(turkish_order("person__full_name"), "pk")
    )


def signin_sheet_html(activity: Activity) -> str:
    sessions: list[Session] = list(activity.sessions.select_related("province"))
    registrations = list(signin_registrations(activity))
    center = CenterSettings.current()
    return render_to_string(
        "programmes/staff/signin_sheet.html",
        {
            "activity": activity,
            "sessions": sessions,
            "registrations": registrations,
            "walk_in_rows": range(len(registrations) + 1, len(registrations) + 1 + WALK_IN_ROWS),
            "center": center,
            "logo_uri": file_uri(center.logo),
            "printed_at": timezone.localtime(),
        },
    )


def signin_sheet_document(activity: Activity) -> Any:
    """The sign-in sheet laid out by WeasyPrint (its ``pages``; ``write_pdf()`` for the file)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    stylesheet = finders.find("programmes/signin-sheet.css")
    assert isinstance(stylesheet, str), "programmes/signin-sheet.css is missing"
    # Only local files (the logo, the stylesheet): nothing on a sheet is fetched from the web.
    fetcher = URLFetcher(allowed_protocols=("file", "data"))
    html = HTML(string=signin_sheet_html(activity), url_fetcher=fetcher)
    return html.render(stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)])


def signin_sheet_pdf(*, activity: Activity, actor: Any) -> bytes:
    """A sign-in sheet for paper attendance: one page per session (more when the list is
    long), with the registrants in Turkish alphabetical order, their registration code and an
    empty signature column."""
    _record_export(activity=activity, file_format="sign-in-sheet", actor=actor)
    pdf: bytes = signin_sheet_document(activity).write_pdf()
    return pdf

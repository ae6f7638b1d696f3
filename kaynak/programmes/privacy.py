"""Trainings and a person's rights under KVKK and the GDPR: their part of the data export, and
what erasure does to this app's rows.

Found and imported by ``kaynak.directory.privacy`` (the directory may not import this app; it
registers itself instead). The export section "trainings" lists the person's registrations with
their sessions, attendance, certificates and (non-anonymous) feedback. The erasure step
"trainings" removes what identifies them from the rows of this app — the e-mail address,
answers and staff note of each registration, the name on their certificates, the comments of
their feedback, their calendar address, their rows in attendance sheets' reports — and keeps
every attendance mark (and so every ledger delivery), so reported figures do not change.
docs/privacy.md ("Trainings") says exactly what is touched and what is not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Min, Prefetch, Q
from django.utils import timezone

from kaynak.core.models import AuditEntry
from kaynak.core.text import search_key
from kaynak.directory.models import Person
from kaynak.directory.normalize import normalize_phone
from kaynak.directory.privacy import (
    Erasure,
    register_erasure_step,
    register_export_section,
    register_snapshot_row_eraser,
)
from kaynak.programmes.models import (
    ACTIVE,
    AttendanceSheet,
    AttendanceSheetStatus,
    CalendarFeed,
    Certificate,
    FeedbackResponse,
    Registration,
    Session,
    Trainer,
    calendar_key,
    registration_code,
)
from kaynak.programmes.registering import calendar_feed_stop
from kaynak.programmes.services import cancel_registration

# The report keys of an attendance sheet's row (``sheet_import._entry``) that hold what was typed.
SHEET_TEXT_KEYS = ("name", "email", "phone")


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


# The export -------------------------------------------------------------------------------------


def registrations_of_person(person: Person) -> list[Registration]:
    """Every registration of ``person``, cancelled ones included, oldest first, with the
    activity's sessions, the attendance marks and the certificates loaded."""
    return list(
        Registration.objects.filter(person=person)
        .select_related("activity__programme", "organisation")
        .prefetch_related(
            Prefetch(
                "activity__sessions",
                queryset=Session.objects.select_related("province").order_by("starts_at", "pk"),
            ),
            "attendances",
            Prefetch("certificates", queryset=Certificate.objects.order_by("issued_at", "pk")),
        )
        .order_by("created_at", "pk")
    )


def _sessions(registration: Registration) -> list[dict[str, Any]]:
    marks = {mark.session_id: mark for mark in registration.attendances.all()}
    sessions = []
    for session in registration.activity.sessions.all():
        mark = marks.get(session.pk)
        sessions.append(
            {
                "title": session.title,
                "starts_at": _iso(session.starts_at),
                "ends_at": _iso(session.ends_at),
                "online": session.online,
                "province": session.province.name if session.province else None,
                "venue": session.venue,
                "attended": mark is not None,
                "attendance_method": mark.method if mark else None,
                "attendance_marked_at": _iso(mark.marked_at) if mark else None,
            }
        )
    return sessions


def _certificate(certificate: Certificate) -> dict[str, Any]:
    return {
        "code": certificate.code,
        "holder_name": certificate.holder_name,
        "activity": certificate.activity_title,
        "first_day": _iso(certificate.first_day),
        "last_day": _iso(certificate.last_day),
        "hours": str(certificate.hours),
        "issued_at": _iso(certificate.issued_at),
        "valid": certificate.is_valid,
        "revoked_at": _iso(certificate.revoked_at),
        "revoked_reason": certificate.revoked_reason,
    }


def _feedback(response: FeedbackResponse) -> dict[str, Any]:
    return {
        "content": response.content,
        "trainer": response.trainer,
        "organisation": response.organisation,
        "knowledge_before": response.knowledge_before,
        "knowledge_after": response.knowledge_after,
        "comment": response.comment,
        "submitted_at": _iso(response.submitted_at),
    }


def _registration(
    registration: Registration, feedback: Iterable[FeedbackResponse]
) -> dict[str, Any]:
    activity = registration.activity
    organisation = registration.organisation
    return {
        "activity": activity.title,
        "activity_id": activity.pk,
        "kind": activity.kind,
        "programme": activity.programme.name,
        "status": registration.status,
        "registered_at": _iso(registration.created_at),
        "cancelled_at": _iso(registration.cancelled_at),
        "organisation": organisation.name if organisation else None,
        "organisation_id": organisation.pk if organisation else None,
        "email": registration.email,
        "language": registration.language,
        "answers": registration.answers,
        "code": registration.code,
        "walk_in": registration.walk_in,
        "added_by_staff": registration.added_by_id is not None,
        "staff_note": registration.staff_note,
        "email_bounced_at": _iso(registration.email_bounced_at),
        "sessions": _sessions(registration),
        "certificates": [_certificate(c) for c in registration.certificates.all()],
        "feedback": [_feedback(response) for response in feedback],
    }


@register_export_section("trainings")
def trainings_section(person: Person) -> dict[str, Any]:
    """The person's registrations (with sessions, attendance, certificates and their
    non-anonymous feedback), whether they have a calendar address, and their trainer
    profiles."""
    registrations = registrations_of_person(person)
    feedback: dict[int, list[FeedbackResponse]] = defaultdict(list)
    # Anonymous answers keep no link to a registration: they are nobody's, and not here.
    responses = FeedbackResponse.objects.filter(registration__in=registrations).order_by(
        "submitted_at", "pk"
    )
    for response in responses:
        assert response.registration_id is not None
        feedback[response.registration_id].append(response)
    feed = CalendarFeed.objects.filter(person=person).first()
    return {
        "registrations": [_registration(r, feedback[r.pk]) for r in registrations],
        # Its address is a secret key: that it exists is theirs to know, the key is not data.
        "calendar_feed": {"created_at": _iso(feed.created_at)} if feed else None,
        "trainer_profiles": [
            {"name": t.name, "title": t.title, "bio": t.bio, "email": t.email}
            for t in Trainer.objects.filter(person=person).order_by("pk")
        ],
    }


# Erasure ----------------------------------------------------------------------------------------


def _has_started(registration: Registration, now: dt.datetime) -> bool:
    first = registration.activity.sessions.aggregate(first=Min("starts_at"))["first"]
    return first is not None and first <= now


def _cancel_upcoming(registrations: Iterable[Registration], erasure: Erasure) -> int:
    """Cancel the live registrations for activities that have not started: an erased person
    can no longer be written to, and their seat goes to the next on the waiting list.
    Returns how many were cancelled. Activities under way or over keep theirs (attendance)."""
    now = timezone.now()
    cancelled = 0
    for registration in registrations:
        if (
            registration.status in ACTIVE
            and not _has_started(registration, now)
            and not registration.attendances.exists()
        ):
            cancel_registration(registration=registration, by=erasure.actor)
            cancelled += 1
    return cancelled


def _anonymise_registrations(registrations: list[Registration]) -> None:
    """No address, answers or staff note; a new code, so the signed links and the QR code in
    the mails already sent stop working."""
    now = timezone.now()
    for registration in registrations:
        registration.email = ""
        registration.answers = {}
        registration.staff_note = ""
        registration.code = registration_code()
        registration.updated_at = now
    Registration.objects.bulk_update(
        registrations, ["email", "answers", "staff_note", "code", "updated_at"]
    )


def _anonymise_certificates(certificates: list[Certificate], erasure: Erasure) -> None:
    """The anonymous name on each certificate; a valid one stays valid (the training was
    completed), and the public check shows the anonymous name."""
    for certificate in certificates:
        certificate.holder_name = erasure.person.full_name[:200]
        certificate.revoked_reason = str(erasure.scrub(certificate.revoked_reason))[:250]
    Certificate.objects.bulk_update(certificates, ["holder_name", "revoked_reason"])


class _SheetRows:
    """Tells whether a row of an attendance sheet's report is the erased person's: linked to
    them (their person or registration), the same row as one of theirs, or — when linked to
    nobody — carrying their name, e-mail address or phone number."""

    def __init__(self, erasure: Erasure, registration_ids: set[int]) -> None:
        self.person_ids = erasure.ids
        self.registration_ids = registration_ids
        self.names = {search_key(name) for name in erasure.names} - {""}
        self.contacts = {contact.casefold() for contact in erasure.contacts}

    def _phone(self, value: str) -> str:
        try:
            return normalize_phone(value)
        except ValidationError:
            return ""

    def _carries(self, entry: Mapping[str, Any]) -> bool:
        for key in SHEET_TEXT_KEYS:
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                continue
            folded = value.casefold()
            if any(contact in folded for contact in self.contacts):
                return True
            if key == "name" and search_key(value) in self.names:
                return True
            if key == "phone" and self._phone(value) in self.contacts:
                return True
        return False

    def theirs(self, report: list[Any]) -> set[int]:
        """The indexes of the report's entries that are the person's."""
        found = set()
        rows: dict[Any, int] = {}
        for index, entry in enumerate(report):
            if not isinstance(entry, dict):
                continue
            rows[entry.get("row")] = index
            linked = entry.get("person") is not None or entry.get("registration") is not None
            if (
                entry.get("person") in self.person_ids
                or entry.get("registration") in self.registration_ids
                or (not linked and self._carries(entry))
            ):
                found.add(index)
        # "The same person as row N": theirs when row N is.
        for index, entry in enumerate(report):
            if isinstance(entry, dict) and rows.get(entry.get("of_row")) in found:
                found.add(index)
        return found


def _erase_from_attendance_sheets(erasure: Erasure, registration_ids: set[int]) -> list[int]:
    """Their rows in the reports of applied attendance sheets lose the name, address and
    phone typed (the outcome stays, so the sheet's counts still add up). Returns the ids of
    the sheets changed: their kept files still hold the row as it was received."""
    rows = _SheetRows(erasure, registration_ids)
    changed: list[AttendanceSheet] = []
    # A scan of every applied sheet's report (no index serves it): erasure is rare.
    applied = AttendanceSheet.objects.filter(status=AttendanceSheetStatus.APPLIED).only("report")
    for sheet in applied.order_by("pk").iterator(chunk_size=50):
        report = sheet.report if isinstance(sheet.report, list) else []
        indexes = rows.theirs(report)
        for index in indexes:
            entry = report[index]
            for key in SHEET_TEXT_KEYS:
                if entry.get(key):
                    entry[key] = erasure.person.full_name if key == "name" else ""
        if indexes:
            changed.append(sheet)
    AttendanceSheet.objects.bulk_update(changed, ["report"], batch_size=50)
    return sorted(sheet.pk for sheet in changed)


def _erase_from_audit(
    erasure: Erasure, registrations: list[Registration], certificates: list[Certificate]
) -> None:
    """Entries about their registrations name them as they are now (a registration reads
    "person · activity") and lose the staff's reasons (as the staff note goes); entries about
    their certificates lose the names printed on them. (The directory then takes their
    addresses and phones out of every entry.)"""
    registration_type = ContentType.objects.get_for_model(Registration)
    certificate_type = ContentType.objects.get_for_model(Certificate)
    now_named = {str(r.pk): str(r)[:200] for r in registrations}
    wanted = Q(content_type=registration_type, object_id__in=sorted(now_named)) | Q(
        content_type=certificate_type, object_id__in=sorted(str(c.pk) for c in certificates)
    )
    changed = []
    for entry in AuditEntry.objects.filter(wanted).iterator(chunk_size=500):
        data = erasure.scrub(entry.data)
        if entry.content_type_id == registration_type.pk:
            entry.object_repr = now_named[entry.object_id]
            if isinstance(data, dict) and data.get("reason"):
                data["reason"] = ""
        entry.data = data
        changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["object_repr", "data"], batch_size=500)


@register_erasure_step("trainings")
def erase_trainings(erasure: Erasure) -> dict[str, Any]:
    """Erase what this app keeps about the person (see the module's docstring); attendance
    and the ledger's deliveries stay. Returns counts and ids for the erasure's audit entry."""
    registrations = list(
        Registration.objects.filter(person_id__in=erasure.ids)
        .select_related("activity", "person")
        .order_by("pk")
    )
    certificates = list(Certificate.objects.filter(registration__in=registrations).order_by("pk"))
    # The address they registered with and the names printed for them identify them too.
    erasure.identified_by(
        names=[certificate.holder_name for certificate in certificates],
        contacts=[registration.email for registration in registrations],
    )
    cancelled = _cancel_upcoming(registrations, erasure)
    _anonymise_registrations(registrations)
    _anonymise_certificates(certificates, erasure)
    comments = (
        FeedbackResponse.objects.filter(registration__in=registrations)
        .exclude(comment="")
        .update(comment="")
    )
    calendar = calendar_feed_stop(person=erasure.person, actor=erasure.actor)
    registration_ids = {registration.pk for registration in registrations}
    sheets = _erase_from_attendance_sheets(erasure, registration_ids)
    _erase_from_audit(erasure, registrations, certificates)
    summary: dict[str, Any] = {
        "registrations": len(registrations),
        "registrations_cancelled": cancelled,
        "certificates_renamed": len(certificates),
        "feedback_comments_removed": comments,
        "calendar_feed_removed": calendar,
        # Their kept files still hold the rows as received (docs/privacy.md).
        "attendance_sheets_with_kept_file": sheets,
        # A trainer's profile is public and staff's to edit (docs/privacy.md).
        "trainer_profiles_kept": list(
            Trainer.objects.filter(person_id__in=erasure.ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }
    return {name: value for name, value in summary.items() if value}


@register_snapshot_row_eraser("programmes.registration")
def _registration_in_a_merge(fields: dict[str, Any], erasure: Erasure) -> None:
    """A registration of theirs that a merge set aside comes back, on undo, as erasure leaves
    a live one."""
    fields.update(email="", answers={}, staff_note="", code=registration_code())


@register_snapshot_row_eraser("programmes.calendarfeed")
def _calendar_in_a_merge(fields: dict[str, Any], erasure: Erasure) -> None:
    """A calendar address of theirs that a merge set aside comes back, on undo, under a key
    nobody knows."""
    fields["key"] = calendar_key()

"""Check-in at the door: a registration code, scanned from the QR code of the confirmation or
typed from it, marks the registrant present (method "qr") and answers in one clear sentence."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaynak.core.audit import log_action
from kaynak.programmes import services
from kaynak.programmes.links import registration_from_token
from kaynak.programmes.models import (
    CODE_ALPHABET,
    SEAT_HOLDING,
    Activity,
    Attendance,
    AttendanceMethod,
    Registration,
    RegistrationStatus,
    Session,
)
from kaynak.programmes.services import RegistrationError

# A code inside other text ("KAYNAK:7KQ2M9XA", "Kod: 7KQ2-M9XA"), perhaps split in two halves
# as it is printed.
_CODE_IN_TEXT = re.compile(
    rf"(?<![0-9A-Z])([{CODE_ALPHABET}]{{4}})[\s\-‐‑–—]?([{CODE_ALPHABET}]{{4}})(?![0-9A-Z])"
)
_TYPED_CODE = re.compile(rf"[{CODE_ALPHABET}]{{6,12}}")
# People type codes with spaces or dashes in them ("7KQ2 M9XA"), on a Turkish keyboard too.
_TYPING_NOISE = re.compile(r"[\s\-‐‑–—_.:/]+")
_TURKISH_UPPER = str.maketrans({"ı": "I", "i": "I", "ş": "S", "ğ": "G", "ü": "U", "ö": "O"})


class CheckInOutcome(enum.StrEnum):
    CHECKED_IN = "checked-in"
    ALREADY = "already"
    OTHER_ACTIVITY = "other-activity"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckIn:
    """What a scanned or typed code came to."""

    outcome: CheckInOutcome
    code: str  # the code as understood ("" when nothing was given)
    registration: Registration | None = None
    attendance: Attendance | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (CheckInOutcome.CHECKED_IN, CheckInOutcome.ALREADY)

    @property
    def message(self) -> str:
        """One sentence for the person at the door, in the current language."""
        registration = self.registration
        if registration is None:
            if not self.code:
                return _("Scan a QR code or type a registration code.")
            return _("No registration has the code “%(code)s”. Check it and try again.") % {
                "code": self.code
            }
        name = registration.person.full_name
        if self.outcome == CheckInOutcome.CHECKED_IN:
            return _("%(name)s is checked in.") % {"name": name}
        if self.outcome == CheckInOutcome.ALREADY:
            marked = timezone.localtime(self.attendance.marked_at) if self.attendance else None
            return _("%(name)s was already checked in (%(time)s).") % {
                "name": name,
                "time": f"{marked:%H:%M}" if marked else "",
            }
        if self.outcome == CheckInOutcome.OTHER_ACTIVITY:
            return _(
                "%(name)s is not registered for this activity: the code is for “%(activity)s”."
            ) % {"name": name, "activity": registration.activity.title}
        if self.outcome == CheckInOutcome.WAITLISTED:
            return _("%(name)s is on the waiting list and has no seat yet.") % {"name": name}
        return _("%(name)s has no registration for this activity any more (%(status)s).") % {
            "name": name,
            "status": registration.get_status_display(),
        }


def code_from_scan(text: str) -> str:
    """The registration code in what was scanned or typed: the code itself (in any case, with
    spaces or dashes), a text holding it, or a link to the registration's signed page."""
    text = text.strip()
    if not text:
        return ""
    if "/" in text:
        # The QR code of a confirmation may hold the registrant's own page: its signed token
        # names the registration.
        parts = [part for part in urlsplit(text).path.split("/") if part]
        for part in reversed(parts):
            registration = registration_from_token(part)
            if registration is not None:
                return registration.code
    typed = _TYPING_NOISE.sub("", text).translate(_TURKISH_UPPER).upper()
    if _TYPED_CODE.fullmatch(typed):
        return typed
    found = _CODE_IN_TEXT.findall(text.upper())
    return "".join(found[-1]) if found else typed[:40]


@transaction.atomic
def admit_at_the_door(*, registration: Registration, by: Any, reason: str) -> Registration:
    """Give a seat to someone on the waiting list who came to a session anyway (staff decide at
    the door: the room has the chair). Idempotent for a registration that holds a seat."""
    Activity.objects.select_for_update().filter(pk=registration.activity_id).first()
    registration.refresh_from_db()
    if registration.status in SEAT_HOLDING:
        return registration
    if registration.status != RegistrationStatus.WAITLISTED:
        raise RegistrationError(
            _("Only someone on the waiting list can be given a seat at the door."),
            code="not_waitlisted",
        )
    registration.status = RegistrationStatus.CONFIRMED
    registration.offer_expires_at = None
    registration.staff_note = reason.strip()[:250]
    registration.save(update_fields=["status", "offer_expires_at", "staff_note", "updated_at"])
    log_action(
        "kaynak.programmes.registration.admitted",
        actor=by,
        target=registration,
        data={"reason": reason.strip()},
    )
    return registration


@transaction.atomic
def check_in(*, session: Session, scanned: str, by: Any, admit: bool = False) -> CheckIn:
    """Check in the registrant whose code was scanned or typed, for ``session``.

    Only a registration of this activity that holds a seat is marked (a seat offered and not yet
    taken is taken by coming). Someone on the waiting list is marked only with ``admit``: staff
    give them a seat at the door (``admit_at_the_door``)."""
    code = code_from_scan(scanned)
    registration = (
        Registration.objects.select_related("person", "organisation", "activity")
        .filter(code=code)
        .first()
        if code
        else None
    )
    if registration is None:
        return CheckIn(CheckInOutcome.UNKNOWN, code)
    if registration.activity_id != session.activity_id:
        return CheckIn(CheckInOutcome.OTHER_ACTIVITY, code, registration)
    earlier = Attendance.objects.filter(registration=registration, session=session).first()
    if earlier is not None:
        return CheckIn(CheckInOutcome.ALREADY, code, registration, earlier)
    if registration.status == RegistrationStatus.WAITLISTED:
        if not admit:
            return CheckIn(CheckInOutcome.WAITLISTED, code, registration)
        admit_at_the_door(
            registration=registration, by=by, reason=_("Given a seat at the door (check-in).")
        )
    if registration.status not in SEAT_HOLDING:
        return CheckIn(CheckInOutcome.CANCELLED, code, registration)
    attendance = services.mark_attendance(
        registration=registration, session=session, method=AttendanceMethod.QR, by=by
    )
    return CheckIn(CheckInOutcome.CHECKED_IN, code, registration, attendance)

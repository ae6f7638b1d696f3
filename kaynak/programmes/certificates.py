"""Certificates of completion: issue (one or a whole activity), re-issue after a name
correction, revoke with a reason, find by code, and render as PDF.

A certificate is a snapshot: the name, activity title, days and hours are copied onto it when it
is issued, so correcting a person's name later does not silently change a certificate someone
already printed; it is re-issued instead (the old one revoked as "name corrected", pointing at
its replacement). At most one valid certificate per registration (a database constraint).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import segno
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.db import turkish_order
from kaynak.core.errors import KaynakError
from kaynak.core.models import CenterSettings
from kaynak.core.printing import file_uri, font_uri, pdf_from_html
from kaynak.programmes import links
from kaynak.programmes.models import (
    CODE_ALPHABET,
    Activity,
    Attendance,
    Certificate,
    CertificateSignature,
    Registration,
    RegistrationStatus,
    Session,
)


class CertificateError(KaynakError):
    code = "certificate"


HOLDER_NAME_LENGTH = 200  # Certificate.holder_name's max_length

# Stored as the reason of a certificate replaced after a name correction; shown translated.
NAME_CORRECTED = "name corrected"


# Completion -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    """How far a registrant got: the sessions they attended out of the activity's sessions.

    The rule is ``services.has_completed``'s (a confirmed seat and at least the activity's
    ``completion_percent`` of its sessions), computed here from rows loaded once for a whole
    activity; a test keeps the two in step.
    """

    registration: Registration
    attended: tuple[Session, ...]
    total: int

    @property
    def attended_count(self) -> int:
        return len(self.attended)

    @property
    def completed(self) -> bool:
        if self.total == 0 or self.registration.status != RegistrationStatus.CONFIRMED:
            return False
        percent = self.registration.activity.completion_percent
        return self.attended_count * 100 >= percent * self.total

    @property
    def hours(self) -> Decimal:
        return sum((session.hours for session in self.attended), Decimal(0))

    @property
    def first_day(self) -> dt.date | None:
        return timezone.localdate(self.attended[0].starts_at) if self.attended else None

    @property
    def last_day(self) -> dt.date | None:
        return timezone.localdate(self.attended[-1].ends_at) if self.attended else None


def completion_of(registration: Registration) -> Completion:
    """One registration's completion (two queries)."""
    sessions = Session.objects.filter(activity_id=registration.activity_id)
    attended_ids = set(registration.attendances.values_list("session_id", flat=True))
    ordered = list(sessions)
    return Completion(
        registration=registration,
        attended=tuple(session for session in ordered if session.pk in attended_ids),
        total=len(ordered),
    )


def _refusal(completion: Completion, valid: Certificate | None) -> CertificateError | None:
    """Why no certificate may be issued for this registration now, or None."""
    registration = completion.registration
    activity = registration.activity
    name = registration.person.full_name
    if not activity.certificates:
        return CertificateError(_("This activity gives no certificates."), code="no_certificates")
    if registration.person.erased_at is not None:
        return CertificateError(_("This person's data has been erased."), code="erased")
    if valid is not None:
        return CertificateError(
            _("%(name)s already has a valid certificate (%(code)s).")
            % {"name": name, "code": valid.code},
            code="already",
        )
    if registration.status != RegistrationStatus.CONFIRMED:
        return CertificateError(
            _("%(name)s has no confirmed seat (%(status)s).")
            % {"name": name, "status": registration.get_status_display()},
            code="no_seat",
        )
    if completion.total == 0:
        return CertificateError(_("This activity has no sessions yet."), code="no_sessions")
    if not completion.completed:
        return CertificateError(
            _(
                "%(name)s attended %(attended)s of %(total)s sessions; a certificate needs "
                "%(percent)s%% attendance."
            )
            % {
                "name": name,
                "attended": completion.attended_count,
                "total": completion.total,
                "percent": activity.completion_percent,
            },
            code="not_completed",
        )
    return None


def _issue(completion: Completion, by: Any, *, bulk: bool) -> Certificate:
    registration = completion.registration
    assert completion.first_day is not None
    assert completion.last_day is not None
    certificate = Certificate.objects.create(
        registration=registration,
        holder_name=_clean_name(registration.person.full_name),
        activity_title=registration.activity.title,
        first_day=completion.first_day,
        last_day=completion.last_day,
        hours=completion.hours,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
    )
    log_action(
        "kaynak.programmes.certificate.issued",
        actor=by,
        target=certificate,
        data={
            "registration": registration.pk,
            "holder_name": certificate.holder_name,
            "hours": str(certificate.hours),
            "bulk": bulk,
        },
    )
    return certificate


def _clean_name(name: str) -> str:
    return " ".join(name.split())


# Issuing ----------------------------------------------------------------------------------------


@transaction.atomic
def issue_certificate(*, registration: Registration, by: Any = None) -> Certificate:
    """Issue the certificate of a registrant who completed the activity; a CertificateError
    says why not (no certificates, not completed, already has one …)."""
    # The activity's lock serialises this with a bulk issue of the same activity.
    Activity.objects.select_for_update().get(pk=registration.activity_id)
    registration = Registration.objects.select_related("activity", "person").get(pk=registration.pk)
    valid = registration.certificates.filter(revoked_at__isnull=True).first()
    completion = completion_of(registration)
    refusal = _refusal(completion, valid)
    if refusal is not None:
        raise refusal
    return _issue(completion, by, bulk=False)


@dataclass
class BulkIssue:
    """What a bulk issue did: the certificates issued and who was skipped, with the reason."""

    issued: list[Certificate] = field(default_factory=list)
    skipped: list[tuple[Registration, str]] = field(default_factory=list)


@transaction.atomic
def issue_certificates(*, activity: Activity, by: Any = None) -> BulkIssue:
    """Issue a certificate to every confirmed registrant of ``activity`` who completed it and has
    no valid one; the others are reported as skipped with the reason. All or nothing."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity.certificates:
        raise CertificateError(_("This activity gives no certificates."), code="no_certificates")
    result = BulkIssue()
    for row in certificate_rows(activity):
        if row.registration.status != RegistrationStatus.CONFIRMED:
            continue  # cancelled or waiting: not a participant
        refusal = _refusal(row.completion, row.valid)
        if refusal is not None:
            result.skipped.append((row.registration, str(refusal.message)))
        else:
            result.issued.append(_issue(row.completion, by, bulk=True))
    log_action(
        "kaynak.programmes.certificate.bulk_issued",
        actor=by,
        target=activity,
        data={
            "issued": [certificate.code for certificate in result.issued],
            "skipped": [registration.pk for registration, _reason in result.skipped],
        },
    )
    return result


@transaction.atomic
def reissue_certificate(
    *, certificate: Certificate, by: Any = None, holder_name: str = ""
) -> Certificate:
    """After a name correction: revoke ``certificate`` ("name corrected") and issue its
    replacement with the corrected name (typed, or the person's name as it is now) and the same
    activity, days and hours."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("registration__person")
        .get(pk=certificate.pk)
    )
    if certificate.revoked_at is not None:
        raise CertificateError(
            _("This certificate was revoked on %(date)s; it cannot be re-issued.")
            % {"date": format_date(timezone.localtime(certificate.revoked_at), "d.m.Y")},
            code="revoked",
        )
    name = _clean_name(holder_name) or _clean_name(certificate.registration.person.full_name)
    if name == certificate.holder_name:
        raise CertificateError(
            _(
                "The name is the same as on the certificate. Correct the person's name, or type "
                "the corrected name, then re-issue."
            ),
            code="same_name",
        )
    if len(name) > HOLDER_NAME_LENGTH:
        raise CertificateError(_("The name is too long."), code="name_too_long")
    now = timezone.now()
    certificate.revoked_at = now
    certificate.revoked_reason = NAME_CORRECTED
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    replacement = Certificate.objects.create(
        registration=certificate.registration,
        holder_name=name,
        activity_title=certificate.activity_title,
        first_day=certificate.first_day,
        last_day=certificate.last_day,
        hours=certificate.hours,
        issued_at=now,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
    )
    certificate.replaced_by = replacement
    certificate.save(update_fields=["replaced_by"])
    log_action(
        "kaynak.programmes.certificate.revoked",
        actor=by,
        target=certificate,
        data={"reason": NAME_CORRECTED, "replaced_by": replacement.code},
    )
    log_action(
        "kaynak.programmes.certificate.reissued",
        actor=by,
        target=replacement,
        data={"replaces": certificate.code, "old_name": certificate.holder_name, "new_name": name},
    )
    return replacement


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, reason: str, by: Any = None) -> Certificate:
    """Revoke ``certificate``; the public check then says so, with the date and ``reason``."""
    reason = " ".join(reason.split())
    if not reason:
        raise CertificateError(_("Say why the certificate is revoked."), code="reason")
    if len(reason) > 250:
        raise CertificateError(_("Keep the reason under 250 characters."), code="reason_too_long")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise CertificateError(
            _("This certificate was already revoked on %(date)s.")
            % {"date": format_date(timezone.localtime(certificate.revoked_at), "d.m.Y")},
            code="revoked",
        )
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    log_action(
        "kaynak.programmes.certificate.revoked",
        actor=by,
        target=certificate,
        data={"reason": reason},
    )
    return certificate


# Reading ----------------------------------------------------------------------------------------


def normalise_code(text: str) -> str:
    """A code as typed ("abcd-efgh 23") → as stored ("ABCDEFGH23")."""
    return re.sub(r"[\s\-.]", "", text).upper()


def looks_like_code(code: str) -> bool:
    return 6 <= len(code) <= 12 and all(ch in CODE_ALPHABET for ch in code)


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with ``code`` (typed in any case, with spaces or dashes), or None."""
    code = normalise_code(code)
    if not looks_like_code(code):
        return None
    return (
        Certificate.objects.select_related("replaced_by", "registration__activity")
        .filter(code=code)
        .first()
    )


def revocation_reason(certificate: Certificate) -> str:
    """The reason a certificate was revoked, in the language of the page."""
    if certificate.revoked_reason == NAME_CORRECTED:
        return str(_("The name was corrected; a new certificate replaces this one."))
    return certificate.revoked_reason


@dataclass(frozen=True)
class CertificateRow:
    """One registrant on an activity's certificates page."""

    registration: Registration
    completion: Completion
    valid: Certificate | None
    revoked: tuple[Certificate, ...]

    @property
    def can_issue(self) -> bool:
        return _refusal(self.completion, self.valid) is None


def certificate_rows(activity: Activity) -> list[CertificateRow]:
    """Everyone confirmed for ``activity`` (and anyone else who holds a certificate for it),
    in Turkish alphabetical order, with their completion and certificates. Four queries,
    however many registrants."""
    registrations = list(
        Registration.objects.filter(activity=activity)
        .filter(Q(status=RegistrationStatus.CONFIRMED) | Q(certificates__isnull=False))
        .distinct()
        .select_related("person", "organisation", "activity")
        .order_by(turkish_order("person__full_name"), "id")
    )
    sessions = list(activity.sessions.all())
    attended: defaultdict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in Attendance.objects.filter(
        registration__activity=activity
    ).values_list("registration_id", "session_id"):
        attended[registration_id].add(session_id)
    valid: dict[int, Certificate] = {}
    revoked: defaultdict[int, list[Certificate]] = defaultdict(list)
    for certificate in Certificate.objects.filter(registration__activity=activity).select_related(
        "replaced_by"
    ):
        if certificate.revoked_at is None:
            valid[certificate.registration_id] = certificate
        else:
            revoked[certificate.registration_id].append(certificate)
    return [
        CertificateRow(
            registration=registration,
            completion=Completion(
                registration=registration,
                attended=tuple(s for s in sessions if s.pk in attended[registration.pk]),
                total=len(sessions),
            ),
            valid=valid.get(registration.pk),
            revoked=tuple(revoked[registration.pk]),
        )
        for registration in registrations
    ]


# Presenting -------------------------------------------------------------------------------------


def format_hours(hours: Decimal) -> str:
    """18.00 → "18", 17.50 → "17,5" (in Turkish) / "17.5" (in English)."""
    value = hours.quantize(Decimal("0.01"))
    if value == value.to_integral_value():
        return number_format(int(value))
    return number_format(value.normalize())


def format_days(first: dt.date, last: dt.date) -> str:
    """A span of days in the active language: "12 Mart 2026", "10–12 Mart 2026",
    "28 Şubat – 2 Mart 2026", "30 Aralık 2025 – 2 Ocak 2026"."""
    if first == last:
        return format_date(first, "j F Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{format_date(first, 'j')}–{format_date(last, 'j F Y')}"
    if first.year == last.year:
        return f"{format_date(first, 'j F')} – {format_date(last, 'j F Y')}"
    return f"{format_date(first, 'j F Y')} – {format_date(last, 'j F Y')}"


def verification_url(certificate: Certificate, language: str | None = None) -> str:
    """The absolute address of the certificate's public check (what its QR code opens)."""
    with translation.override(language or certificate.registration.language):
        return links.absolute(reverse("programmes:certificate", kwargs={"code": certificate.code}))


def certificate_pdf_url(certificate: Certificate) -> str:
    """The absolute address a registrant downloads the PDF from, without an account."""
    registration = certificate.registration
    with translation.override(registration.language):
        return links.absolute(
            reverse(
                "programmes:certificate-pdf",
                kwargs={"code": certificate.code, "token": links.registration_token(registration)},
            )
        )


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code of ``data`` (segno escapes nothing it needs to: ``data`` is ours)."""
    return mark_safe(segno.make(data, error="m").svg_inline(scale=4, border=0, omitsize=True))  # noqa: S308


def certificate_pdf(
    template: str,
    context: dict[str, Any],
    *,
    language: str,
    verification_url: str,
    issued_at: dt.datetime,
    revoked: bool,
) -> bytes:
    """A certificate as an A4 landscape PDF in ``language``: ``template`` extends
    programmes/certificates/frame.html (the center's name and logo, the signatures, the date of
    issue, a QR code to its public check) and fills its blocks from ``context``. The trainings'
    certificates and the school's graduation certificates are made here."""
    center = CenterSettings.current()
    signatures = [
        {"name": s.name, "title": s.title, "image": file_uri(s.image) if s.image else ""}
        for s in CertificateSignature.objects.filter(is_active=True)
    ]
    with translation.override(language):
        html = render_to_string(
            template,
            {
                **context,
                "center_name": center.name,
                "logo": file_uri(center.logo) if center.logo else "",
                "signatures": signatures,
                "issued_on": format_date(timezone.localtime(issued_at), "j F Y"),
                "verification_url": verification_url,
                "qr": qr_svg(verification_url),
                "font_regular": font_uri("DejaVuSans.ttf"),
                "font_bold": font_uri("DejaVuSans-Bold.ttf"),
                "language": language,
                "revoked": revoked,
            },
        )
    return pdf_from_html(html)


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate in the registrant's language."""
    language = certificate.registration.language
    with translation.override(language):
        context = {
            "certificate": certificate,
            "days": format_days(certificate.first_day, certificate.last_day),
            "hours": format_hours(certificate.hours),
            "revoked_reason": revocation_reason(certificate),
        }
    return certificate_pdf(
        "programmes/certificates/pdf.html",
        context,
        language=language,
        verification_url=verification_url(certificate, language),
        issued_at=certificate.issued_at,
        revoked=certificate.revoked_at is not None,
    )


def pdf_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


__all__ = [
    "BulkIssue",
    "CertificateError",
    "CertificateRow",
    "Completion",
    "certificate_by_code",
    "certificate_pdf_url",
    "certificate_rows",
    "completion_of",
    "format_days",
    "format_hours",
    "issue_certificate",
    "issue_certificates",
    "normalise_code",
    "reissue_certificate",
    "render_certificate_pdf",
    "revocation_reason",
    "revoke_certificate",
    "verification_url",
]

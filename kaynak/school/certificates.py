"""The graduation certificate: an A4 landscape PDF like the trainings' certificates (their
signatures, fonts and QR code), and its public check by code."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from kaynak.programmes import links
from kaynak.programmes.certificates import (
    certificate_pdf,
    format_hours,
    looks_like_code,
    normalise_code,
)
from kaynak.school.models import Graduation


def graduation_by_code(code: str) -> Graduation | None:
    """The graduation with ``code`` (typed in any case, with spaces or dashes), or None."""
    code = normalise_code(code)
    if not looks_like_code(code):
        return None
    return Graduation.objects.filter(code=code).first()


def language_of(graduation: Graduation) -> str:
    return str(graduation.participant.person.language or "tr")


def verification_url(graduation: Graduation, language: str | None = None) -> str:
    """The absolute address of the graduation's public check (what its QR code opens)."""
    with translation.override(language or language_of(graduation)):
        return links.absolute(reverse("school:graduation", kwargs={"code": graduation.code}))


def render_graduation_pdf(graduation: Graduation, language: str | None = None) -> bytes:
    """The graduation certificate as a PDF in the holder's language (or ``language``), in the
    trainings' certificate frame."""
    language = language or language_of(graduation)
    with translation.override(language):
        context = {"graduation": graduation, "hours": format_hours(graduation.hours)}
    return certificate_pdf(
        "school/graduation_pdf.html",
        context,
        language=language,
        verification_url=verification_url(graduation, language),
        issued_at=graduation.issued_at,
        revoked=graduation.revoked_at is not None,
    )


def pdf_filename(graduation: Graduation) -> str:
    return f"graduation-{graduation.code}.pdf"

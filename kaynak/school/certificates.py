"""The graduation certificate: an A4 landscape PDF like the trainings' certificates (their
signatures, fonts and QR code), and its public check by code."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date

from kaynak.core.models import CenterSettings
from kaynak.core.printing import file_uri, font_uri
from kaynak.programmes import links
from kaynak.programmes.certificates import format_hours, looks_like_code, normalise_code, qr_svg
from kaynak.programmes.models import CertificateSignature
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
    """The graduation certificate as a PDF in the holder's language (or ``language``)."""
    language = language or language_of(graduation)
    center = CenterSettings.current()
    signatures = [
        {"name": s.name, "title": s.title, "image": file_uri(s.image) if s.image else ""}
        for s in CertificateSignature.objects.filter(is_active=True)
    ]
    with translation.override(language):
        url = verification_url(graduation, language)
        html = render_to_string(
            "school/graduation_pdf.html",
            {
                "graduation": graduation,
                "center_name": center.name,
                "logo": file_uri(center.logo) if center.logo else "",
                "signatures": signatures,
                "hours": format_hours(graduation.hours),
                "issued_on": format_date(timezone.localtime(graduation.issued_at), "j F Y"),
                "verification_url": url,
                "qr": qr_svg(url),
                "font_regular": font_uri("DejaVuSans.ttf"),
                "font_bold": font_uri("DejaVuSans-Bold.ttf"),
                "language": language,
            },
        )
    import weasyprint  # imported when a PDF is made, not with the URLconf

    # Only local files and data: URIs; a certificate never fetches anything from the network.
    fetcher = weasyprint.URLFetcher(allowed_protocols=("file", "data"))
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf


def pdf_filename(graduation: Graduation) -> str:
    return f"graduation-{graduation.code}.pdf"

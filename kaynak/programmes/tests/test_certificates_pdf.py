"""The certificate PDF: a real PDF whose text layer has the Turkish letters right, in the
registrant's language, with the center's logo, the signatures and the code to check it by."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from kaynak.core.models import CenterSettings
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes import certificates
from kaynak.programmes.models import Certificate, CertificateSignature
from kaynak.programmes.tests.factories import RegistrationFactory, past_activity_with_sessions

pytestmark = [pytest.mark.django_db, pytest.mark.needs_tool("lib:pango-1.0")]

NAME = "Işıl Çağlar Şahinoğlu"


def pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream of the PDF, inflated (WeasyPrint compresses them all with Flate)."""
    streams = []
    for match in re.finditer(rb"(?<!end)stream\r?\n", pdf):
        start = match.end()
        end = pdf.find(b"endstream", start)
        try:
            streams.append(zlib.decompressobj().decompress(pdf[start:end]))
        except zlib.error:
            streams.append(pdf[start:end])
    return streams


def pdf_text(pdf: bytes) -> str:
    """The PDF's text layer as a reader (search, copy, a screen reader) gets it: the glyph codes
    of each text run mapped through its font's ToUnicode table. Runs are joined by newlines."""
    streams = pdf_streams(pdf)
    tables = []
    for stream in streams:
        if b"beginbfchar" not in stream and b"beginbfrange" not in stream:
            continue
        table: dict[str, str] = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for code, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                table[code.decode().lower()] = bytes.fromhex(text.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
            for low, high, first in re.findall(
                rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
            ):
                width = len(low)
                for offset in range(int(high, 16) - int(low, 16) + 1):
                    code = f"{int(low, 16) + offset:0{width}x}"
                    table[code] = chr(int(first, 16) + offset)
        tables.append(table)
    runs = []
    for stream in streams:
        for array in re.findall(rb"\[(.*?)\]\s*TJ", stream, re.S):
            codes = [c.decode().lower() for c in re.findall(rb"<([0-9a-fA-F]+)>", array)]
            glyphs = [code[i : i + 4] for code in codes for i in range(0, len(code), 4)]
            found = [t for t in tables if all(g in t for g in glyphs)]
            assert found, f"glyphs without a Unicode mapping: {glyphs}"
            runs.append("".join(found[0][g] for g in glyphs))
    return "\n".join(runs)


def certificate(language: str = "tr", **kwargs) -> Certificate:
    activity = past_activity_with_sessions(1, title="Derneklerde Mali Yönetim Eğitimi")
    registration = RegistrationFactory.create(
        activity=activity, person=PersonFactory.create(full_name=NAME), language=language
    )
    values = {
        "holder_name": NAME,
        "activity_title": activity.title,
        "first_day": dt.date(2026, 3, 10),
        "last_day": dt.date(2026, 3, 12),
        "hours": Decimal("17.50"),
        **kwargs,
    }
    return Certificate.objects.create(registration=registration, **values)


def png(colour: str) -> ContentFile[bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), colour).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def test_the_certificate_is_a_pdf_whose_text_has_the_turkish_name_letter_for_letter():
    pdf = certificates.render_certificate_pdf(certificate())

    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert NAME in text
    assert "Derneklerde Mali Yönetim Eğitimi" in text


def test_every_letter_of_the_certificate_has_a_glyph():
    pdf = certificates.render_certificate_pdf(certificate())

    # Glyph 0 is .notdef, the empty box a font draws for a letter it does not have.
    runs = b"".join(re.findall(rb"\[(.*?)\]\s*TJ", b"".join(pdf_streams(pdf)), re.S))
    assert runs
    assert b"<0000>" not in runs


def test_the_certificate_is_one_a4_landscape_page():
    pdf = certificates.render_certificate_pdf(certificate())

    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", b"".join(pdf_streams(pdf)))
    boxes += re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(set(boxes)) == 1
    width, height = (float(value) for value in boxes[0])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    assert len(re.findall(rb"/Type\s*/Page\b", b"".join(pdf_streams(pdf)) + pdf)) == 1


def test_the_certificate_speaks_the_registrants_language():
    turkish = pdf_text(certificates.render_certificate_pdf(certificate("tr")))
    english = pdf_text(certificates.render_certificate_pdf(certificate("en")))

    assert "10–12 Mart 2026" in turkish
    assert "17,5" in turkish
    assert "10–12 March 2026" in english
    assert "17.5" in english
    assert "Certificate of completion" in english


def test_the_certificate_shows_its_code_and_the_address_that_checks_it():
    issued = certificate()

    text = pdf_text(certificates.render_certificate_pdf(issued))

    assert issued.code in text
    assert certificates.verification_url(issued) in text.replace("\n", "")


def test_the_centers_name_logo_and_signatures_are_printed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    center = CenterSettings.current()
    center.name_tr = "Sivil Toplum Destek Merkezi"
    center.logo.save("logo.png", png("navy"))
    center.save()
    signature = CertificateSignature.objects.create(name="Dr. Ayşe Öztürk", title="Genel Müdür")
    signature.image.save("imza.png", png("black"))
    CertificateSignature.objects.create(name="Emre Çelik", title="Eğitmen", order=2)
    CertificateSignature.objects.create(name="Eski İmza", is_active=False)

    pdf = certificates.render_certificate_pdf(certificate())

    text = pdf_text(pdf)
    assert "Sivil Toplum Destek Merkezi" in text
    assert text.index("Dr. Ayşe Öztürk") < text.index("Emre Çelik")
    assert "Genel Müdür" in text
    assert "Eski İmza" not in text
    images = re.findall(rb"/Subtype\s*/Image", b"".join(pdf_streams(pdf)) + pdf)
    assert len(images) == 2  # the logo and the one signature with an image


def test_a_revoked_certificate_says_so_on_the_pdf():
    issued = certificate("en")
    certificates.revoke_certificate(certificate=issued, reason="Issued by mistake")
    issued.refresh_from_db()

    text = pdf_text(certificates.render_certificate_pdf(issued))

    assert "REVOKED" in text


def test_markup_in_a_name_is_printed_as_text_not_followed():
    issued = certificate(holder_name='<img src="http://127.0.0.1:9/x.png">')

    text = pdf_text(certificates.render_certificate_pdf(issued))

    assert '<img src="http://127.0.0.1:9/x.png">' in text  # escaped, printed as text

"""The receipt of a submitted application: a PDF with the call, the reference, the
organisation, the applicant, the time in Istanbul, the answers, file names and people."""

from __future__ import annotations

import datetime as dt

import pytest

from kaynak.calls import receipts
from kaynak.calls.models import Application, ApplicationFile, ApplicationPerson, QuestionKind
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db

OPTIONS = [{"key": "evet", "tr": "Evet", "en": "Yes"}, {"key": "hayir", "tr": "Hayır", "en": "No"}]


@pytest.fixture
def application() -> Application:
    call = CallFactory.create(title="Örgütsel Mentorluk Programı 2027 Başvuruları")
    QuestionFactory.create(
        call=call, key="ihtiyac", kind=QuestionKind.LONG_TEXT, label="İhtiyacınızı anlatın."
    )
    ever = QuestionFactory.create(
        call=call, key="daha-once", kind=QuestionKind.CHOICE, options=OPTIONS, label="Daha önce?"
    )
    QuestionFactory.create(
        call=call,
        key="hangisi",
        kind=QuestionKind.SHORT_TEXT,
        label="Hangi program?",
        show_if=ever,
        show_if_values=["evet"],
    )
    QuestionFactory.create(call=call, key="butce", kind=QuestionKind.NUMBER, label="Bütçe")
    QuestionFactory.create(call=call, key="rapor", kind=QuestionKind.FILE, label="Rapor")
    application = ApplicationFactory.create(
        call=call,
        answers={"ihtiyac": "Gönüllü yönetimi öğrenmek.", "daha-once": "hayir", "butce": "1250.5"},
        submitted_at=dt.datetime(2027, 3, 15, 13, 59, 30, tzinfo=dt.UTC),
    )
    ApplicationFile.objects.create(
        application=application,
        question_key="rapor",
        file="2027/03/abc",
        original_name="faaliyet-raporu-2026.pdf",
        content_type="application/pdf",
        size=1200,
    )
    ApplicationPerson.objects.create(
        application=application, full_name="Elif Kaya", email="elif@ornek.org", role="Başkan"
    )
    return application


def test_the_receipt_shows_what_was_submitted_in_the_applicants_language(
    application: Application,
) -> None:
    html = receipts.receipt_html(application)
    assert application.code in html
    assert "Örgütsel Mentorluk Programı 2027 Başvuruları" in html
    assert application.organisation is not None
    assert application.organisation.name in html
    assert application.person.full_name in html
    assert "15 Mart 2027, 16:59:30" in html  # Istanbul time
    assert "Gönüllü yönetimi öğrenmek." in html
    assert "Hayır" in html
    assert "1.250,5" in html
    assert "faaliyet-raporu-2026.pdf" in html
    assert "Elif Kaya" in html
    assert "Hangi program?" not in html  # not asked, so not on the receipt


def test_an_english_application_gets_an_english_receipt(application: Application) -> None:
    application.language = "en"
    html = receipts.receipt_html(application)
    assert "15 March 2027, 16:59:30" in html
    assert "Answers as submitted" in html


@pytest.mark.needs_tool("lib:pango-1.0")
def test_the_receipt_is_a_pdf(application: Application) -> None:
    pdf = receipts.receipt_pdf(application)
    assert pdf.startswith(b"%PDF-")
    assert receipts.receipt_filename(application) == f"basvuru-{application.code}.pdf"

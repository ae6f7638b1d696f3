"""The public request form: sending a question, errors beside the fields, library suggestions
while typing, the "sent" page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from kaynak.directory.models import ConsentPurpose, ConsentRecord, Organisation, Person
from kaynak.directory.tests.factories import OrganisationFactory, province
from kaynak.helpdesk.forms import CONSENT_TEXT_VERSION
from kaynak.helpdesk.models import Queue, Request
from kaynak.helpdesk.tests.factories import category, eu_queue, support_queue
from kaynak.helpdesk.views.public import SENT_SALT
from kaynak.library.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "helpdesk-files"


def url(name: str, language: str = "tr", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"helpdesk:{name}", kwargs=kwargs or None)


def filled(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "queue": support_queue().pk,
        "category": category("legal").pk,
        "subject": "Genel kurul ertelemesi",
        "body": "Genel kurulumuzu ertelemek istiyoruz, nasıl yapabiliriz?",
        "full_name": "Zeynep Çelik",
        "email": "Zeynep@Kadin-Dayanisma.org.tr",
        "phone": "",
        "organisation_name": "Kadın Dayanışma Derneği",
        "organisation_province": province(6).pk,
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_the_home_page_lists_what_the_desk_answers_in_turkish_and_english(client: Client) -> None:
    turkish = client.get(url("home"))
    english = client.get(url("home", "en"))
    assert turkish.status_code == english.status_code == 200
    assert url("home", "en").startswith("/en/")
    assert category("legal").name_tr in turkish.text
    assert category("legal").name_en in english.text
    assert 'id="request-form"' in turkish.text
    assert url("eu-projects") in turkish.text  # the EU Support Unit's public list


def test_the_queue_choice_shows_only_with_more_than_one_active_queue(client: Client) -> None:
    page = HTMLParser(client.get(url("home")).text)
    assert page.css_first("select[name=queue]") is not None
    Queue.objects.filter(pk=eu_queue().pk).update(is_active=False)
    page = HTMLParser(client.get(url("home")).text)
    assert page.css_first("select[name=queue]") is None
    assert page.css_first("input[type=hidden][name=queue]") is not None


def test_sending_the_form_creates_a_request_with_its_person_organisation_and_consent(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("home"), filled())
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.subject == "Genel kurul ertelemesi"
    assert request.category == category("legal")
    assert request.requester_email == "zeynep@kadin-dayanisma.org.tr"
    assert request.requester is not None
    assert request.requester.emails == ["zeynep@kadin-dayanisma.org.tr"]
    assert request.organisation is not None
    assert request.organisation.name == "Kadın Dayanışma Derneği"
    consent = ConsentRecord.objects.get(person=request.requester)
    assert consent.purpose == ConsentPurpose.DATA_PROCESSING
    assert consent.text_version == CONSENT_TEXT_VERSION
    assert [m.to for m in mail.outbox] == [["zeynep@kadin-dayanisma.org.tr"]]
    sent = client.get(response["Location"])
    assert request.token in sent.text
    assert "zeynep@kadin-dayanisma.org.tr" in sent.text


def test_a_known_organisation_is_found_not_duplicated(client: Client) -> None:
    known = OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(6))
    client.post(url("home"), filled(organisation_name="Kadın Dayanışma Derneği"))
    assert Request.objects.get().organisation == known
    assert Organisation.objects.filter(name="Kadın Dayanışma Derneği").count() == 1


def test_a_second_request_from_the_same_address_reuses_the_person(client: Client) -> None:
    client.post(url("home"), filled())
    client.post(
        url("home"), filled(subject="Vergi muafiyeti", email="zeynep@kadin-dayanisma.org.tr")
    )
    assert Request.objects.count() == 2
    assert Person.objects.count() == 1


def test_errors_show_beside_the_fields_and_keep_what_was_typed(client: Client) -> None:
    response = client.post(
        url("home", "en"), filled(email="not-an-address", consent="", organisation_province="")
    )
    assert response.status_code == 200
    assert not Request.objects.exists()
    assert not Person.objects.exists()
    page = HTMLParser(response.text)
    assert page.css_first("#id_email_error") is not None
    assert page.css_first("#id_consent_error") is not None
    assert page.css_first("#id_organisation_province_error") is not None
    subject = page.css_first("#id_subject")
    assert subject is not None
    assert subject.attributes["value"] == "Genel kurul ertelemesi"
    body = page.css_first("#id_body")
    assert body is not None
    assert "ertelemek istiyoruz" in body.text()


def test_a_category_of_another_queue_is_refused(client: Client) -> None:
    eu_category = eu_queue().categories.first()
    assert eu_category is not None
    response = client.post(url("home", "en"), filled(category=eu_category.pk))
    assert not Request.objects.exists()
    assert HTMLParser(response.text).css_first("#id_category_error") is not None


def test_an_attachment_is_kept_and_a_dangerous_one_refuses_the_whole_request(
    client: Client,
) -> None:
    bad = SimpleUploadedFile("fatura.pdf.exe", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(url("home", "en"), {**filled(), "attachments": [bad]})
    assert response.status_code == 200
    assert not Request.objects.exists()
    assert not Person.objects.exists()
    assert HTMLParser(response.text).css_first("#id_attachments_error") is not None
    good = SimpleUploadedFile("tuzuk.pdf", PDF, content_type="application/pdf")
    response = client.post(url("home"), {**filled(), "attachments": [good]})
    assert response.status_code == 302
    message = Request.objects.get().messages.get(direction="in")
    assert [a.name for a in message.attachments.all()] == ["tuzuk.pdf"]


def test_an_attachment_over_the_limit_is_explained_beside_the_field(
    client: Client, settings: Any
) -> None:
    settings.HELPDESK_MAX_ATTACHMENT_BYTES = 20
    big = SimpleUploadedFile("tuzuk.pdf", PDF, content_type="application/pdf")
    response = client.post(url("home", "en"), {**filled(), "attachments": [big]})
    assert not Request.objects.exists()
    error = HTMLParser(response.text).css_first("#id_attachments_error")
    assert error is not None
    assert "tuzuk.pdf" in error.text()


def test_suggestions_show_matching_library_articles(client: Client) -> None:
    ResourceFactory.create(title="Genel kurul nasıl ertelenir?", slug="genel-kurul-erteleme")
    ResourceFactory.create(title="Bağış kampanyası izinleri", slug="bagis-izinleri")
    response = client.get(url("suggest"), {"subject": "genel kurulu ertelemek", "body": ""})
    assert response.status_code == 200
    assert "Genel kurul nasıl ertelenir?" in response.text
    assert "Bağış kampanyası izinleri" not in response.text
    nothing = client.get(url("suggest"), {"subject": "", "body": ""})
    assert nothing.text.strip() == ""


def test_the_sent_page_refuses_a_forged_token(client: Client) -> None:
    assert client.get(url("sent", token="forged")).status_code == 404
    other_salt = signing.dumps(1, salt="something-else")
    assert client.get(url("sent", token=other_salt)).status_code == 404
    assert signing.loads(signing.dumps(1, salt=SENT_SALT), salt=SENT_SALT) == 1


def test_the_home_page_takes_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    client.get(url("home"))  # warm the session and the center's settings
    with django_assert_num_queries(8):
        response = client.get(url("home"))
    assert reverse("helpdesk:home") in response.text  # the navigation links here too

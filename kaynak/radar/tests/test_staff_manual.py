"""Manual entry: an address, pasted text or an uploaded file becomes a draft (or opens the call
the radar already knows), with clear errors and nothing typed lost."""

from __future__ import annotations

import datetime as dt
import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.radar import manual
from kaynak.radar.fetching import FetchFailure, FetchResult
from kaynak.radar.models import Opportunity, OpportunityStatus, RawItem, RawRole

pytestmark = pytest.mark.django_db

ANNOUNCEMENT = """Kadın Kooperatiflerine Destek Programı
Programın amacı kırsal alanda kadınların ekonomik hayata katılımını desteklemektir.
Son başvuru tarihi: 15 Aralık 2026 saat 17:00
Proje başına azami destek tutarı 750.000 TL'dir.
Uygun başvuru sahipleri: dernekler ve vakıflar.
"""
PAGE = f"<html><body><h1>Kültür Sanat Hibeleri</h1><p>{ANNOUNCEMENT}</p></body></html>"


@pytest.fixture
def editor_user() -> User:
    return StaffFactory.create(roles=[Role.RADAR_EDITOR])


@pytest.fixture
def editor(editor_user: User) -> Client:
    client = Client()
    client.force_login(editor_user)
    return client


class PageFetcher:
    """Serves one page (or a failure) for any address, as the guarded fetcher would."""

    def __init__(self, body: bytes, status: int = 200, error: Any = None) -> None:
        self.body, self.status, self.error = body, status, error

    def fetch(self, url: str, **kwargs: Any) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=url,
            status=self.status,
            headers={"content-type": "text/html; charset=utf-8"},
            body=self.body,
            sha256=hashlib.sha256(self.body).hexdigest(),
            fetched_at=datetime.now(UTC),
            error=self.error,
        )


def test_pasted_text_becomes_a_draft_and_opens_for_review(editor: Client) -> None:
    response = editor.post(
        url("radar:staff-manual", language="en"),
        {"how": "text", "text-text": ANNOUNCEMENT, "text-title": "", "text-url": ""},
        follow=True,
    )

    call = Opportunity.objects.get()
    assert call.status == OpportunityStatus.DRAFT
    assert call.title == "Kadın Kooperatiflerine Destek Programı"
    assert response.redirect_chain[-1][0] == url("radar:staff-opportunity", call.pk, language="en")
    assertContains(response, "A new draft was made: check its fields.")
    assertContains(response, '<mark data-field="deadline"')


def test_the_same_text_again_opens_the_known_call_and_says_so(editor: Client) -> None:
    data = {"how": "text", "text-text": ANNOUNCEMENT, "text-title": "Kadın Kooperatifleri"}
    editor.post(url("radar:staff-manual", language="en"), data)

    response = editor.post(url("radar:staff-manual", language="en"), data, follow=True)

    assert Opportunity.objects.count() == 1
    assertContains(response, "This is a call the radar already knows")


def test_empty_text_is_explained_and_the_title_typed_stays(editor: Client) -> None:
    response = editor.post(
        url("radar:staff-manual", language="en"),
        {"how": "text", "text-text": "   ", "text-title": "Başlığım", "text-url": "nope"},
    )

    assert response.status_code == 400
    form = response.context["forms"]["text"]
    assert form.errors["text"] == ["This field is required."]
    assert form.errors["url"] == ["Enter a valid URL."]
    assertContains(response, 'value="Başlığım"', status_code=400)
    assert not Opportunity.objects.exists()


def test_an_address_is_fetched_through_the_guarded_fetcher(editor: Client, monkeypatch) -> None:
    monkeypatch.setattr(manual, "default_fetcher", lambda: PageFetcher(PAGE.encode()))

    response = editor.post(
        url("radar:staff-manual", language="en"),
        {"how": "url", "url-url": "https://vakif.example.org/hibeler/2026"},
    )

    call = Opportunity.objects.get()
    assert response["Location"] == url("radar:staff-opportunity", call.pk, language="en")
    assert call.url == "https://vakif.example.org/hibeler/2026"
    assert RawItem.objects.get().role == RawRole.MANUAL


def test_an_address_that_cannot_be_read_is_explained_beside_it(editor: Client, monkeypatch) -> None:
    monkeypatch.setattr(
        manual,
        "default_fetcher",
        lambda: PageFetcher(b"", status=404, error=FetchFailure.HTTP_STATUS),
    )

    response = editor.post(
        url("radar:staff-manual", language="en"),
        {"how": "url", "url-url": "https://vakif.example.org/yok"},
    )

    assert response.status_code == 400
    [error] = response.context["forms"]["url"].errors["url"]
    assert error.startswith("The address could not be read")
    assertContains(response, 'value="https://vakif.example.org/yok"', status_code=400)


def test_an_uploaded_html_file_becomes_a_draft(editor: Client) -> None:
    upload = SimpleUploadedFile("ilan.html", PAGE.encode(), content_type="text/html")

    response = editor.post(
        url("radar:staff-manual", language="en"), {"how": "file", "file-file": upload}
    )

    call = Opportunity.objects.get()
    assert response["Location"] == url("radar:staff-opportunity", call.pk, language="en")
    assert call.deadline_date == dt.date(2026, 12, 15)


def test_a_file_over_ten_megabytes_is_refused(editor: Client) -> None:
    upload = SimpleUploadedFile("buyuk.txt", b"a" * (10 * 1024 * 1024 + 1))

    response = editor.post(
        url("radar:staff-manual", language="en"), {"how": "file", "file-file": upload}
    )

    assert response.status_code == 400
    assert response.context["forms"]["file"].errors["file"] == ["The file is larger than 10 MB."]


def test_an_unsupported_file_is_explained(editor: Client) -> None:
    upload = SimpleUploadedFile("resim.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)

    response = editor.post(
        url("radar:staff-manual", language="en"), {"how": "file", "file-file": upload}
    )

    assertContains(response, "This file type is not supported", status_code=400)


def test_the_turkish_page_takes_entries_too(editor: Client) -> None:
    response = editor.post(
        url("radar:staff-manual", language="tr"),
        {"how": "text", "text-text": ANNOUNCEMENT},
    )

    assert response.status_code == 302
    assert Opportunity.objects.count() == 1

"""The one-click satisfaction page: a GET never records, a POST does, a bad link explains."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from kaynak.helpdesk import services, tokens
from kaynak.helpdesk.models import Request, SatisfactionResponse
from kaynak.helpdesk.tests.factories import RequestFactory, agent

pytestmark = pytest.mark.django_db


def resolved() -> Request:
    request = RequestFactory.create()
    services.resolve(request=request, actor=agent(), notify=False)
    return request


def link(request: Request, language: str = "tr") -> str:
    with translation.override(language):
        return reverse(
            "helpdesk:satisfaction",
            kwargs={"token": tokens.satisfaction_token(request.pk, request.token)},
        )


def test_the_mails_link_opens_the_page_with_its_score_chosen(client: Client, settings: Any) -> None:
    request = resolved()
    address = services.satisfaction_url(request, 3)
    assert address.startswith(settings.SITE_URL)
    response = client.get(address.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    pressed = HTMLParser(response.text).css("button[name=score][aria-pressed=true]")
    assert [b.attributes["value"] for b in pressed] == ["3"]
    assert not SatisfactionResponse.objects.exists()


def test_opening_the_link_with_a_score_preselects_it_but_records_nothing(client: Client) -> None:
    request = resolved()
    response = client.get(link(request) + "?score=4")
    assert response.status_code == 200
    assert not SatisfactionResponse.objects.exists()
    pressed = HTMLParser(response.text).css("button[name=score][aria-pressed=true]")
    assert [b.attributes["value"] for b in pressed] == ["4"]


def test_one_click_records_the_score_and_the_comment(client: Client) -> None:
    request = resolved()
    response = client.post(link(request, "en"), {"score": "5", "comment": "Çok yardımcı oldunuz"})
    assert response.status_code == 200
    answer = SatisfactionResponse.objects.get(request=request)
    assert (answer.score, answer.comment) == (5, "Çok yardımcı oldunuz")
    assert "5 of 5" in response.text


def test_a_second_answer_replaces_the_first_and_the_page_says_it_was_answered(
    client: Client,
) -> None:
    request = resolved()
    client.post(link(request), {"score": "2"})
    again = client.get(link(request, "en"))
    assert "already answered" in again.text
    client.post(link(request), {"score": "4"})
    assert SatisfactionResponse.objects.get(request=request).score == 4


def test_a_score_out_of_range_is_explained_and_not_recorded(client: Client) -> None:
    request = resolved()
    response = client.post(link(request, "en"), {"score": "9"})
    assert response.status_code == 200
    assert not SatisfactionResponse.objects.exists()
    assert HTMLParser(response.text).css_first("#id_score_error") is not None


def test_a_forged_link_shows_a_clear_page(client: Client) -> None:
    request = resolved()
    good = tokens.satisfaction_token(request.pk, request.token)
    for token in ("forged", good[:-3] + "abc"):
        with translation.override("en"):
            page = reverse("helpdesk:satisfaction", kwargs={"token": token})
        assert client.get(page).status_code == 404
        response = client.post(page, {"score": "5"})
        assert response.status_code == 404
        assert "This link does not work" in response.text
    assert not SatisfactionResponse.objects.exists()


def test_a_request_not_resolved_yet_cannot_be_rated(client: Client) -> None:
    request = RequestFactory.create()
    page = client.get(link(request, "en"))
    assert "not resolved yet" in page.text
    assert HTMLParser(page.text).css_first("button[name=score]") is None
    client.post(link(request, "en"), {"score": "5"})
    assert not SatisfactionResponse.objects.exists()


def test_the_page_speaks_turkish_and_english(client: Client) -> None:
    request = resolved()
    turkish, english = client.get(link(request)), client.get(link(request, "en"))
    assert turkish.status_code == english.status_code == 200
    for response, language in ((turkish, "tr"), (english, "en")):
        html = HTMLParser(response.text).css_first("html")
        assert html is not None
        assert html.attributes["lang"] == language

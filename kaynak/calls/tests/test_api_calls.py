"""The public calls API: published calls (open only, by programme) in the house list envelope,
one call with its questions in the request's language, drafts 404 in the house error format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kaynak.calls.models import CallStatus, QuestionKind
from kaynak.calls.tests.factories import CallFactory, QuestionFactory
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def in_days(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_the_list_has_published_calls_in_the_house_envelope(client: Client) -> None:
    published = CallFactory.create()
    CallFactory.create(status=CallStatus.DRAFT, published_at=None)
    body = client.get("/api/v1/calls").json()
    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (1, 1, 1, 50)
    item = body["items"][0]
    assert item["slug"] == published.slug
    assert item["is_open"] is True
    assert item["programme"]["slug"] == published.programme.slug


def test_the_list_filters_open_calls_and_a_programme(client: Client) -> None:
    school = ProgrammeFactory.create(slug="okul")
    open_school = CallFactory.create(programme=school)
    CallFactory.create(programme=school, opens_at=in_days(-30), closes_at=in_days(-1))
    CallFactory.create()
    slugs = [
        c["slug"] for c in client.get("/api/v1/calls?open=true&programme=okul").json()["items"]
    ]
    assert slugs == [open_school.slug]
    assert client.get("/api/v1/calls?programme=okul").json()["count"] == 2


def test_a_call_has_its_questions_in_the_requests_language(client: Client) -> None:
    call = CallFactory.create(title="Okul", title_en="School")
    scope = QuestionFactory.create(
        call=call,
        key="kapsam",
        kind=QuestionKind.CHOICE,
        max_words=None,
        label="Kapsam",
        label_en="Scope",
        options=[{"key": "yes", "tr": "Evet", "en": "Yes"}, {"key": "no", "tr": "Hayır", "en": ""}],
    )
    QuestionFactory.create(
        call=call,
        key="ayrinti",
        label="Ayrıntı",
        label_en="",
        show_if=scope,
        show_if_values=["yes"],
    )
    english = client.get(f"/api/v1/calls/{call.slug}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["title"] == "School"
    first, second = english["questions"]
    assert (first["key"], first["kind"], first["label"], first["required"]) == (
        "kapsam",
        "choice",
        "Scope",
        True,
    )
    assert first["options"] == [{"key": "yes", "label": "Yes"}, {"key": "no", "label": "Hayır"}]
    assert second["label"] == "Ayrıntı"  # no English label: the Turkish one
    assert second["show_if"] == {"question": "kapsam", "values": ["yes"]}
    assert second["max_words"] == 300

    turkish = client.get(f"/api/v1/calls/{call.slug}", HTTP_ACCEPT_LANGUAGE="tr").json()
    assert turkish["title"] == "Okul"
    assert turkish["questions"][0]["options"][0]["label"] == "Evet"


def test_a_draft_is_404_in_the_house_error_format(client: Client) -> None:
    draft = CallFactory.create(status=CallStatus.DRAFT, published_at=None)
    response = client.get(f"/api/v1/calls/{draft.slug}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}

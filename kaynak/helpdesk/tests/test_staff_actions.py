"""The actions on a request's page: each changes the request through its service, and a refusal
is shown beside its form with what was typed kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

from kaynak.accounts.models import User
from kaynak.accounts.tests.helpers import url
from kaynak.helpdesk import services
from kaynak.helpdesk.models import (
    Attachment,
    Direction,
    InternalNote,
    Message,
    Priority,
    Request,
    RequestStatus,
)
from kaynak.helpdesk.tests.factories import (
    CannedReplyFactory,
    RequestFactory,
    agent,
    category,
    eu_queue,
    support_queue,
)
from kaynak.ledger.models import Delivery
from kaynak.library.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def one(html: Any, selector: str) -> LexborNode:
    """The one element ``selector`` finds in a page (text or parsed) or a node; it must exist."""
    root = HTMLParser(html) if isinstance(html, str) else html
    node = root.css_first(selector)
    assert node is not None, selector
    return node


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "helpdesk-files"


@pytest.fixture
def me() -> User:
    return agent(full_name="Ayşe Yılmaz")


@pytest.fixture
def client(me: User) -> Client:
    client = Client()
    client.force_login(me)
    return client


def received(language: str = "tr") -> Request:
    return services.submit_request(
        queue=support_queue(),
        subject="Dernek tüzüğü değişikliği",
        body="Genel kurulda tüzük değişikliği nasıl yapılır?",
        requester=services.Requester(
            full_name="Zeynep Çelik",
            email="zeynep@kadin-dayanisma.org.tr",
            organisation_name="Kadın Dayanışma Derneği",
        ),
        language=language,
    )


def act(client: Client, request: Request, action: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url("helpdesk:staff-request-action", request.token, action), data or {})


# Answering --------------------------------------------------------------------------------------


def test_a_reply_is_sent_with_an_attachment_and_sets_the_first_response(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    request = received()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            client,
            request,
            "reply",
            {
                "reply-body": "Genel kurul kararı gerekir.",
                "reply-attachments": SimpleUploadedFile("rehber.pdf", PDF),
                "send": "send",
            },
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert request.first_response_at is not None
    answer = Message.objects.get(request=request, direction=Direction.OUT, is_automatic=False)
    assert answer.body == "Genel kurul kararı gerekir."
    assert Attachment.objects.get(message=answer).name == "rehber.pdf"
    assert [m.to for m in mail.outbox] == [["zeynep@kadin-dayanisma.org.tr"]]


def test_send_and_wait_pauses_and_send_and_resolve_resolves_with_one_delivery(
    client: Client,
) -> None:
    request = received()
    act(client, request, "reply", {"reply-body": "Tüzüğünüzü gönderir misiniz?", "send": "wait"})
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    act(client, request, "resume")
    act(client, request, "reply", {"reply-body": "Tamamdır.", "send": "resolve"})
    request.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED
    assert Delivery.objects.filter(organisation=request.organisation).count() == 1


def test_a_canned_reply_sent_without_typing_is_filled_in_by_the_service(client: Client) -> None:
    request = received()
    canned = CannedReplyFactory.create(queue=support_queue())
    act(client, request, "reply", {"reply-canned": canned.pk, "send": "send"})
    answer = Message.objects.get(request=request, direction=Direction.OUT, is_automatic=False)
    assert answer.body.startswith(f"Merhaba Zeynep Çelik, {request.token} numaralı")
    assert "Ayşe Yılmaz" in answer.body


def test_an_empty_reply_is_refused_beside_its_form(client: Client) -> None:
    request = received()
    response = act(client, request, "reply", {"reply-body": "  ", "send": "send"})
    assert response.status_code == 400
    form = one(response.text, "#reply-form")
    assert "Write an answer or choose a canned reply." in form.text() or "yazın" in form.text()
    assert not Message.objects.filter(request=request, is_automatic=False, direction="out")


def test_a_refused_attachment_shows_why_and_keeps_the_typed_answer(client: Client) -> None:
    request = received()
    response = act(
        client,
        request,
        "reply",
        {
            "reply-body": "Ekteki programı kurun.",
            "reply-attachments": SimpleUploadedFile("kur.exe", b"MZ\x90\x00" + b"\x00" * 64),
            "send": "send",
        },
    )
    assert response.status_code == 400
    form = one(response.text, "#reply-form")
    assert form.css_first(".errorlist") is not None
    assert "Ekteki programı kurun." in one(form, "textarea").text()
    assert not Message.objects.filter(request=request, is_automatic=False, direction="out")


def test_replying_to_a_closed_request_shows_the_services_refusal(client: Client) -> None:
    request = received()
    services.close(request=request)
    response = act(client, request, "reply", {"reply-body": "Yine de yazıyorum.", "send": "send"})
    assert response.status_code == 400
    assert "Yine de yazıyorum." in response.text


# Composing (htmx) -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "greeting"), [("tr", "Merhaba Zeynep Çelik"), ("en", "Hello Zeynep Çelik")]
)
def test_the_canned_insert_renders_its_variables_in_the_requests_language(
    client: Client, language: str, greeting: str
) -> None:
    request = received(language=language)
    canned = CannedReplyFactory.create(queue=None)
    response = client.get(
        url("helpdesk:staff-request-compose", request.token, language="tr"),
        {"reply-canned": str(canned.pk), "reply-body": "Ek not."},
        headers={"HX-Request": "true"},
    )
    textarea = one(response.text, "textarea#reply-body")
    text = textarea.text()
    assert text.startswith("Ek not.")
    assert greeting in text
    assert request.token in text
    assert "Ayşe Yılmaz" in text


def test_a_canned_reply_of_another_queue_is_not_inserted(client: Client) -> None:
    request = received()
    foreign = CannedReplyFactory.create(queue=eu_queue())
    response = client.get(
        url("helpdesk:staff-request-compose", request.token), {"reply-canned": foreign.pk}
    )
    assert "Merhaba" not in one(response.text, "textarea").text()


def test_the_article_picker_finds_library_articles_and_inserts_their_link(client: Client) -> None:
    request = received(language="en")
    article = ResourceFactory.create(title="Dernek tüzüğü nasıl değiştirilir")
    found = client.get(
        url("helpdesk:staff-request-articles", request.token), {"article_q": "dernek tüzüğü"}
    )
    assert article.title in found.text
    inserted = client.get(
        url("helpdesk:staff-request-compose", request.token),
        {"article": article.slug, "reply-body": "Şu yazıya bakın:"},
    )
    text = one(inserted.text, "textarea").text()
    assert text.startswith("Şu yazıya bakın:")
    assert text.endswith(url("library:resource", article.slug, language="en"))
    assert text.split()[-1].startswith("http")


# Notes and mentions ----------------------------------------------------------------------------


def test_a_note_mentioning_a_colleague_mails_them_after_the_commit(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = agent(full_name="Mehmet Kaya", email="mehmet@kaynak.example")
    request = received()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(
            client,
            request,
            "note",
            {"note-body": "Vergi kısmına bakar mısın?", "note-mentions": [colleague.pk]},
        )
        assert mail.outbox == []  # not before the commit
    note = InternalNote.objects.get(request=request)
    assert list(note.mentions.all()) == [colleague]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["mehmet@kaynak.example"]
    assert "Ayşe Yılmaz" in sent.subject
    assert f"#{request.token}" in sent.subject
    assert "Vergi kısmına bakar mısın?" in sent.body
    assert url("helpdesk:staff-request", request.token) in sent.body


def test_a_colleague_of_another_queue_cannot_be_mentioned(client: Client) -> None:
    outsider = agent(queue=eu_queue())
    request = received()
    response = act(
        client, request, "note", {"note-body": "Bakar mısın?", "note-mentions": [outsider.pk]}
    )
    assert response.status_code == 400
    assert "Bakar mısın?" in one(response.text, "#note-form textarea").text()
    assert not InternalNote.objects.filter(request=request).exists()


# Assignment, priority, category ----------------------------------------------------------------


def test_take_it_assign_priority_and_category(client: Client, me: User) -> None:
    colleague = agent()
    request = received()
    act(client, request, "assign", {"take": "1"})
    request.refresh_from_db()
    assert request.assignee == me
    act(client, request, "assign", {"assign-assignee": colleague.pk})
    act(client, request, "priority", {"priority-priority": Priority.URGENT})
    act(client, request, "category", {"category-category": category("finance-tax").pk})
    request.refresh_from_db()
    assert request.assignee == colleague
    assert request.priority == Priority.URGENT
    assert request.category == category("finance-tax")


def test_assigning_someone_outside_the_queue_is_refused(client: Client) -> None:
    outsider = agent(queue=eu_queue())
    request = received()
    response = act(client, request, "assign", {"assign-assignee": outsider.pk})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.assignee is None


# Status buttons ---------------------------------------------------------------------------------


def test_the_status_buttons_walk_the_lifecycle(client: Client) -> None:
    request = received()
    steps = [
        ("wait", RequestStatus.WAITING),
        ("resume", RequestStatus.OPEN),
        ("resolve", RequestStatus.RESOLVED),
        ("reopen", RequestStatus.OPEN),
        ("close", RequestStatus.CLOSED),
    ]
    for action, status in steps:
        response = act(client, request, action)
        assert response.status_code == 302, action
        request.refresh_from_db()
        assert request.status == status, action


def test_a_status_change_the_service_refuses_is_shown_as_a_message(client: Client) -> None:
    request = received()
    response = act(client, request, "reopen")
    assert response.status_code == 400
    errors = HTMLParser(response.text).css_first("#status-actions .errorlist")
    assert errors is not None
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW


def test_spam_and_not_spam(client: Client) -> None:
    request = received()
    act(client, request, "spam")
    request.refresh_from_db()
    assert request.is_spam
    assert request.status == RequestStatus.CLOSED
    act(client, request, "not-spam")
    request = Request.objects.get(pk=request.pk)
    assert not request.is_spam
    assert request.status == RequestStatus.OPEN


# Merging ----------------------------------------------------------------------------------------


def test_merging_asks_to_confirm_with_the_targets_subject_then_merges(client: Client) -> None:
    source = received()
    target = RequestFactory.create(subject="Tüzük değişikliği (ilk talep)")
    asked = act(client, source, "merge", {"merge-target": target.token.lower()})
    assert asked.status_code == 200
    assert "Tüzük değişikliği (ilk talep)" in one(asked.text, "#merge-form").text()
    source.refresh_from_db()
    assert source.merged_into is None
    merged = act(client, source, "merge", {"merge-target": target.token, "merge-confirm": "True"})
    assert merged.status_code == 302
    assert merged["Location"] == url("helpdesk:staff-request", target.token)
    source = Request.objects.get(pk=source.pk)
    assert source.merged_into == target
    assert Message.objects.filter(request=target).exists()


def test_merging_into_an_unknown_or_foreign_code_is_refused(client: Client) -> None:
    source = received()
    foreign = RequestFactory.create(queue=eu_queue())
    for code in ("DN-XXXXXX", foreign.token, source.token):
        response = act(client, source, "merge", {"merge-target": code, "merge-confirm": "True"})
        assert response.status_code == 400, code
    source.refresh_from_db()
    assert source.merged_into is None

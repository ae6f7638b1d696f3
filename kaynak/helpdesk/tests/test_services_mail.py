"""The desk's outgoing mail: the resolution mail asks for satisfaction with signed one-click
links; nothing goes to spam or erased requesters; the tasks run the services."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from kaynak.helpdesk import services, tasks, tokens
from kaynak.helpdesk.mail import send_request_message
from kaynak.helpdesk.models import Direction, Request
from kaynak.helpdesk.services import Requester
from kaynak.helpdesk.tests.factories import agent, support_queue

pytestmark = pytest.mark.django_db


def _satisfaction(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(token)


# The satisfaction page comes with the desk's pages; this stands in for its route.
urlpatterns = [
    path(
        "destek/",
        include(
            (
                [path("memnuniyet/<str:token>/", _satisfaction, name="satisfaction")],
                "helpdesk",
            )
        ),
    )
]


def new_request(language: str = "tr") -> Request:
    return services.submit_request(
        queue=support_queue(),
        subject="Yardım toplama izni",
        body="İzin almamız gerekiyor mu?",
        requester=Requester(full_name="Ali Vural", email="ali@umut.org.tr"),
        language=language,
    )


@pytest.mark.urls(__name__)
def test_the_resolution_mail_carries_five_signed_one_click_links(
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = new_request()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(request=request, actor=agent())
    [sent] = mail.outbox
    links = [word for word in sent.body.split() if word.startswith("http")]
    assert len(links) == 5
    assert links[4].endswith("?score=5")
    token = urlsplit(links[0]).path.rstrip("/").rsplit("/", 1)[-1]
    assert tokens.read_satisfaction_token(token) == (request.pk, request.token)
    services.record_satisfaction(token=token, score=5)


def test_the_resolution_mail_asks_how_we_did_with_a_link_to_the_satisfaction_page(
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = new_request(language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(request=request, actor=agent())
    [sent] = mail.outbox
    assert "resolved" in sent.body
    assert "How did we do?" in sent.body
    # One link per score, each signed for this request (the signature carries its second, so
    # compare what it names, not its text).
    links = re.findall(r"https?://\S+/satisfaction/([^/\s]+)/\?score=(\d)", str(sent.body))
    assert [score for _token, score in links] == ["1", "2", "3", "4", "5"]
    for token, _score in links:
        assert tokens.read_satisfaction_token(token) == (request.pk, request.token)


def test_nothing_is_mailed_for_a_request_marked_as_spam() -> None:
    request = new_request()
    services.mark_spam(request=request, actor=agent())
    confirmation = request.messages.get(direction=Direction.OUT)
    assert send_request_message(confirmation.pk) is False
    assert mail.outbox == []


def test_the_mail_task_sends_and_the_periodic_tasks_run_the_services(
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = new_request()
    confirmation = request.messages.get(direction=Direction.OUT)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_request_mail.enqueue(message_id=confirmation.pk)
    assert len(mail.outbox) == 1
    assert tasks.check_sla.call() == 0
    assert tasks.close_resolved.call() == 0

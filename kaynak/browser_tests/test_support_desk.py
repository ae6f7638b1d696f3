"""The support desk's whole journey in a real browser: an NGO asks a question on the web; the
confirmation reaches a real SMTP server on loopback; an agent answers with a canned reply; the
requester answers that mail and `kaynak mail-in`'s SMTP listener threads it into the same
request (quoted history cut); the agent resolves it; the requester rates the answer from the
mail; the resolved request is one delivery on the reach page."""

from __future__ import annotations

import email
import email.policy
import re
import smtplib
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role
from kaynak.accounts.tests import conftest as accounts_fixtures
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.models import Province
from kaynak.directory.tests.factories import OrganisationFactory
from kaynak.helpdesk.management.commands.mail_in import smtp_controller
from kaynak.helpdesk.models import CannedReply, Direction, Request, RequestStatus
from kaynak.helpdesk.services import receive_mail
from kaynak.helpdesk.tests.factories import support_queue
from kaynak.ledger.models import Delivery

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

smtp_server = accounts_fixtures.smtp_server  # the center's outgoing mail, on 127.0.0.1
ORGANISATION = "Ege Çevre ve Doğa Koruma Derneği"
REQUESTER = "ayse@egecevre.org.tr"
LINK = re.compile(r"https?://\S+")


def english(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def store(raw: bytes) -> None:
    """The desk's own handler, in the listener's thread. That thread's connection is closed
    after each mail for real: Django's SQLite backend ignores close() on an in-memory test
    database, and an open connection left in that thread would break later tests (and keep
    PostgreSQL from dropping the test database)."""
    try:
        receive_mail(raw)
    finally:
        BaseDatabaseWrapper.close(connection)


@pytest.fixture
def mail_in() -> Iterator[int]:
    """`kaynak mail-in`'s SMTP listener on 127.0.0.1, storing with the desk's handler."""
    port = free_port()
    controller = smtp_controller(store, host="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def log_in(page: Page, live_server: LiveServer, user: object) -> None:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def requester_reply(answer: EmailMessage, text: str) -> bytes:
    """The requester's mail program answering ``answer``: threaded by its Message-ID, the
    whole earlier mail quoted below, as Thunderbird writes it."""
    quoted = "\n".join(f"> {line}" for line in answer.get_content().splitlines())
    reply = EmailMessage(policy=email.policy.SMTP)
    reply["From"] = f"Ayşe Demir <{REQUESTER}>"
    reply["To"] = answer["From"]
    reply["Subject"] = f"Re: {answer['Subject']}"
    reply["Message-ID"] = "<c0ffee.1@egecevre.org.tr>"
    reply["In-Reply-To"] = answer["Message-ID"]
    reply["References"] = f"{answer.get('References', '')} {answer['Message-ID']}".strip()
    reply.set_content(f"{text}\n\n26.11.2026 10:12 tarihinde {answer['From']} yazdı:\n{quoted}\n")
    return reply.as_bytes()


def test_a_web_request_is_answered_threaded_by_mail_resolved_rated_and_counted(
    page: Page,
    live_server: LiveServer,
    smtp_server: accounts_fixtures.SMTPServer,
    mail_in: int,
) -> None:
    izmir = Province.objects.get(plate_code=35)
    OrganisationFactory.create(name=ORGANISATION, province=izmir)
    queue = support_queue()
    agent = StaffFactory.create(roles=[Role.SUPPORT_AGENT], full_name="Deniz Kaya")
    queue.agents.add(agent)
    CannedReply.objects.create(
        queue=queue,
        title="Aid collection permit",
        body_tr="Sayın {requester_name}, yardım toplama izni için valiliğe başvurulur.",
        body_en="Dear {requester_name}, the aid-collection permit is asked from the governorship"
        " of the province ({token}).",
    )

    # An NGO asks on the web, in English; the organisation is the one the directory knows.
    page.goto(english("helpdesk:home"))
    page.get_by_label("Who should answer").select_option(label=queue.name_en)
    page.get_by_label("Topic").select_option(label=f"{queue.name_en} · Fundraising")
    page.get_by_label("Subject").fill("Aid collection for the flood")
    page.get_by_role("textbox", name="Your question").fill(
        "Do we need a permit to collect aid for the flood?"
    )
    page.get_by_label("Full name").fill("Ayşe Demir")
    page.get_by_label("E-mail address").fill(REQUESTER)
    page.get_by_label("Organisation's name").fill(ORGANISATION)
    page.get_by_label("Organisation's province").select_option("35")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="Your question was sent")).to_be_visible()
    request = Request.objects.get()
    expect(page.get_by_text(request.token)).to_be_visible()
    assert getattr(request.organisation, "name", None) == ORGANISATION

    # The confirmation reaches the requester, its subject carrying the request's code.
    [confirmation] = smtp_server.received
    assert confirmation.recipients == [REQUESTER]
    assert f"[#{request.token}]" in confirmation.message["Subject"]

    # The agent answers from the request page with the canned reply, filled in for her.
    log_in(page, live_server, agent)
    page.goto(english("helpdesk:staff-inbox"))
    page.get_by_role("link", name="Aid collection for the flood").click()
    page.get_by_label("Canned reply").select_option(label="Aid collection permit")
    page.get_by_role("button", name="Insert").click()
    answer_box = page.locator("#reply-form textarea")
    expect(answer_box).to_have_value(re.compile(r"^Dear Ayşe Demir, the aid-collection permit"))
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Your answer was sent.")).to_be_visible()
    answer = smtp_server.received[-1]
    assert answer.recipients == [REQUESTER]
    assert f"({request.token})" in answer.text

    # The requester answers that mail; the relay hands it to `kaynak mail-in`.
    raw = requester_reply(answer.message, "Thank you. Which documents do we attach?")
    with smtplib.SMTP("127.0.0.1", mail_in, timeout=10) as relay:
        assert relay.sendmail(REQUESTER, [answer.message["From"]], raw) == {}
    assert Request.objects.count() == 1
    incoming = request.messages.filter(direction=Direction.IN).order_by("sent_at", "pk")
    assert incoming.count() == 2
    latest = incoming.last()
    assert latest is not None
    assert latest.body == "Thank you. Which documents do we attach?"
    assert "governorship" in latest.quoted

    # The agent sees it in the same request and resolves it.
    page.reload()
    expect(page.get_by_text("Which documents do we attach?")).to_be_visible()
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.get_by_text("The request is resolved.")).to_be_visible()
    request.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED

    # The resolution mail asks "How did we do?"; the requester gives 5 from it.
    resolution = smtp_server.received[-1]
    score_links = [link for link in LINK.findall(resolution.text) if "score=5" in link]
    assert len(score_links) == 1
    page.context.clear_cookies()
    link = urlsplit(score_links[0])  # the site's public address; here, the live server
    page.goto(f"{link.path}?{link.query}")
    page.get_by_role("button", name="5", exact=True).click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert request.satisfaction.score == 5

    # One delivery for the organisation and the person, on the reach page.
    [delivery] = Delivery.objects.filter(kind__slug="support", withdrawn_at=None)
    assert getattr(delivery.organisation, "name", None) == ORGANISATION
    assert delivery.person == request.requester
    log_in(page, live_server, StaffFactory.create(roles=[Role.ME_OFFICER]))
    page.goto(english("ledger:names") + "?measure=organisations&kind=support")
    expect(page.get_by_role("cell", name=ORGANISATION)).to_be_visible()

"""The agents' inbox and request page: who may open them (in Turkish and English), the inbox's
filters, counts and bounded queries, and the timeline as agents read it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.helpdesk import services
from kaynak.helpdesk.models import Channel, Direction, Priority, Request, RequestStatus
from kaynak.helpdesk.tests.factories import (
    MessageFactory,
    RequestFactory,
    agent,
    category,
    eu_queue,
    support_queue,
)

pytestmark = pytest.mark.django_db


def one(html: Any, selector: str) -> LexborNode:
    """The one element ``selector`` finds in a page (text or parsed) or a node; it must exist."""
    root = HTMLParser(html) if isinstance(html, str) else html
    node = root.css_first(selector)
    assert node is not None, selector
    return node


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "helpdesk-files"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes(response: Any) -> list[str]:
    page = HTMLParser(response.text)
    return [node.text(strip=True) for node in page.css("tr.request-row td:first-child code")]


def received(**kwargs: Any) -> Request:
    """A request as the services make it (with SLA dues)."""
    request = services.submit_request(
        queue=kwargs.pop("queue", support_queue()),
        subject=kwargs.pop("subject", "Dernek tüzüğü değişikliği"),
        body=kwargs.pop("body", "Genel kurulda tüzük değişikliği nasıl yapılır?"),
        requester=services.Requester(
            full_name=kwargs.pop("full_name", "Zeynep Çelik"),
            email=kwargs.pop("email", "zeynep@kadin-dayanisma.org.tr"),
        ),
        **kwargs,
    )
    return request


# Who may open what ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["tr", "en"])
def test_visitors_are_sent_to_log_in(client: Client, language: str) -> None:
    request = RequestFactory.create()
    for name, args in [
        ("helpdesk:staff-inbox", ()),
        ("helpdesk:staff-request", (request.token,)),
        ("helpdesk:staff-request-new", ()),
        ("helpdesk:staff-quarantine", ()),
    ]:
        response = client.get(url(name, *args, language=language))
        assert response.status_code == 302, name
        assert "login" in response["Location"] or "giris" in response["Location"], name


@pytest.mark.parametrize("language", ["tr", "en"])
def test_members_and_other_staff_get_not_found(language: str) -> None:
    request = RequestFactory.create()
    for user in (UserFactory.create(), StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])):
        client = logged_in(user)
        for name, args in [
            ("helpdesk:staff-inbox", ()),
            ("helpdesk:staff-request", (request.token,)),
            ("helpdesk:staff-quarantine", ()),
        ]:
            assert client.get(url(name, *args, language=language)).status_code == 404, name


@pytest.mark.parametrize("language", ["tr", "en"])
def test_an_agent_sees_only_the_requests_of_their_queues(language: str) -> None:
    mine = RequestFactory.create(subject="Vergi muafiyeti")
    theirs = RequestFactory.create(queue=eu_queue(), subject="Hibe sözleşmesi")
    client = logged_in(agent())
    inbox = client.get(url("helpdesk:staff-inbox", language=language))
    assert inbox.status_code == 200
    assert codes(inbox) == [mine.token]
    assert (
        client.get(url("helpdesk:staff-request", mine.token, language=language)).status_code == 200
    )
    assert (
        client.get(url("helpdesk:staff-request", theirs.token, language=language)).status_code
        == 404
    )
    refused = client.post(url("helpdesk:staff-request-action", theirs.token, "close"))
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RequestStatus.NEW


def test_a_center_admin_sees_every_queue() -> None:
    one = RequestFactory.create()
    two = RequestFactory.create(queue=eu_queue())
    client = logged_in(StaffFactory.create(roles=[Role.CENTER_ADMIN]))
    assert sorted(codes(client.get(url("helpdesk:staff-inbox")))) == sorted([one.token, two.token])
    assert client.get(url("helpdesk:staff-request", two.token)).status_code == 200


# The inbox --------------------------------------------------------------------------------------


def test_the_inbox_hides_closed_spam_and_merged_requests_by_default() -> None:
    open_one = RequestFactory.create(status=RequestStatus.OPEN)
    RequestFactory.create(status=RequestStatus.CLOSED)
    RequestFactory.create(status=RequestStatus.CLOSED, is_spam=True)
    RequestFactory.create(status=RequestStatus.OPEN, merged_into=open_one)
    client = logged_in(agent())
    assert codes(client.get(url("helpdesk:staff-inbox"))) == [open_one.token]
    assert len(codes(client.get(url("helpdesk:staff-inbox") + "?status=all"))) == 4
    assert len(codes(client.get(url("helpdesk:staff-inbox") + "?status=spam"))) == 1


def test_the_inbox_filters_by_assignee_priority_category_channel_and_status() -> None:
    me = agent()
    colleague = agent()
    finance = category("finance-tax")
    mine = RequestFactory.create(assignee=me, priority=Priority.HIGH, category=finance)
    theirs = RequestFactory.create(
        assignee=colleague, category=category("legal"), channel=Channel.PHONE
    )
    nobodys = RequestFactory.create(status=RequestStatus.WAITING, category=finance)
    client = logged_in(me)
    inbox = url("helpdesk:staff-inbox")
    assert codes(client.get(inbox + "?assignee=me")) == [mine.token]
    assert codes(client.get(inbox + "?assignee=nobody")) == [nobodys.token]
    assert codes(client.get(inbox + f"?assignee={colleague.pk}")) == [theirs.token]
    assert codes(client.get(inbox + "?priority=high")) == [mine.token]
    assert codes(client.get(inbox + f"?category={category('legal').pk}")) == [theirs.token]
    assert codes(client.get(inbox + "?channel=phone")) == [theirs.token]
    assert codes(client.get(inbox + "?status=waiting")) == [nobodys.token]


def test_the_text_search_folds_turkish_letters_and_finds_codes_names_and_addresses() -> None:
    istanbul = RequestFactory.create(subject="İstanbul şubesi açılışı")
    other = RequestFactory.create(subject="Bağış kampanyası", requester_name="Çiğdem Işık")
    client = logged_in(agent())
    inbox = url("helpdesk:staff-inbox")
    assert codes(client.get(inbox + "?q=ISTANBUL")) == [istanbul.token]
    assert codes(client.get(inbox + "?q=subesi")) == [istanbul.token]
    assert codes(client.get(inbox + "?q=cigdem isik")) == [other.token]
    assert codes(client.get(inbox + f"?q={other.token.lower()}")) == [other.token]
    assert codes(client.get(inbox + f"?q={other.requester_email}")) == [other.token]


def test_the_inbox_shows_breached_and_due_soon_requests_and_sorts_the_most_urgent_first() -> None:
    now = timezone.now()
    later = RequestFactory.create(first_response_due=now + dt.timedelta(days=3))
    breached = RequestFactory.create(first_response_due=now - dt.timedelta(hours=1))
    warned = RequestFactory.create(
        first_response_due=now + dt.timedelta(hours=1), first_response_warned_at=now
    )
    client = logged_in(agent())
    inbox = url("helpdesk:staff-inbox")
    page = client.get(inbox)
    assert codes(page) == [breached.token, warned.token, later.token]
    assert 'class="sla-breached"' in page.text
    assert 'class="sla-warned"' in page.text
    assert codes(client.get(inbox + "?sla=breached")) == [breached.token]
    assert codes(client.get(inbox + "?sla=warned")) == [warned.token]
    assert codes(client.get(inbox + "?sla=ok")) == [later.token]
    newest_first = codes(client.get(inbox + "?sort=received"))
    assert newest_first == [warned.token, breached.token, later.token]


def test_the_inbox_counts_requests_per_status() -> None:
    RequestFactory.create_batch(2, status=RequestStatus.NEW)
    RequestFactory.create(status=RequestStatus.WAITING)
    client = logged_in(agent())
    counts = HTMLParser(client.get(url("helpdesk:staff-inbox")).text)
    assert one(counts, ".count-new").text(strip=True).endswith("2")
    assert one(counts, ".count-waiting").text(strip=True).endswith("1")
    assert one(counts, ".count-open").text(strip=True).endswith("0")


def test_htmx_gets_only_the_results_and_a_browser_the_whole_page() -> None:
    RequestFactory.create()
    client = logged_in(agent())
    partial = client.get(url("helpdesk:staff-inbox"), headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="results"')
    assert "<html" not in partial.text
    full = client.get(url("helpdesk:staff-inbox"))
    assert "<html" in full.text
    assert 'id="results"' in full.text


def test_the_inbox_takes_a_bounded_number_of_queries(django_assert_num_queries: Any) -> None:
    me = agent()
    client = logged_in(me)
    RequestFactory.create_batch(3, assignee=me)
    client.get(url("helpdesk:staff-inbox"))  # warm the session and caches
    with django_assert_num_queries(13) as few:
        client.get(url("helpdesk:staff-inbox"))
    RequestFactory.create_batch(12, assignee=me)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("helpdesk:staff-inbox"))
    assert len(codes(response)) == 15


# The request page -------------------------------------------------------------------------------


def test_the_request_page_shows_the_thread_quoted_history_folded_and_html_sanitised() -> None:
    request = RequestFactory.create()
    MessageFactory.create(
        request=request,
        body="Teşekkürler, bir sorum daha var.",
        quoted="> Önceki yanıtınız",
        html_sanitised="<p>Temizlenmiş <b>metin</b></p>",
    )
    MessageFactory.create(
        request=request,
        direction=Direction.IN,
        body="<script>alert(1)</script>",
        refused_attachments=[{"name": "kurulum.exe", "reason": "Programs are not accepted."}],
    )
    client = logged_in(agent())
    page = client.get(url("helpdesk:staff-request", request.token))
    assert page.status_code == 200
    tree = HTMLParser(page.text)
    details = [node.text() for node in tree.css(".timeline details")]
    assert any("Önceki yanıtınız" in text for text in details)
    assert tree.css_first(".mail-html b") is not None
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "kurulum.exe" in page.text


def test_notes_look_different_and_name_the_mentioned_colleagues() -> None:
    me = agent(full_name="Ayşe Yılmaz")
    colleague = agent(full_name="Mehmet Kaya")
    request = RequestFactory.create()
    services.add_note(
        request=request, actor=me, body="Mali müşavire soralım.", mentions=[colleague]
    )
    page = logged_in(me).get(url("helpdesk:staff-request", request.token, language="en"))
    note = one(page.text, ".timeline li.note")
    assert "Mali müşavire soralım." in note.text()
    assert "@Mehmet Kaya" in note.text()


def test_status_changes_from_the_audit_log_appear_in_the_timeline() -> None:
    me = agent()
    request = received()
    services.assign(request=request, assignee=me, actor=me)
    services.wait_for_requester(request=request, actor=me)
    page = logged_in(me).get(url("helpdesk:staff-request", request.token, language="en"))
    events = [node.text() for node in HTMLParser(page.text).css(".timeline li.event")]
    assert any("Assignee changed" in text for text in events)
    assert any("Waiting for the requester" in text for text in events)
    assert "Clock paused" in page.text


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_requester_and_organisation_link_to_their_directory_pages(language: str) -> None:
    request = RequestFactory.create()
    assert request.requester is not None
    assert request.organisation is not None
    person_page = url("directory:staff_person", request.requester.pk, language=language)
    organisation_page = url("directory:staff_detail", request.organisation.pk, language=language)
    admin = logged_in(StaffFactory.create(roles=[Role.CENTER_ADMIN]))
    page = admin.get(url("helpdesk:staff-request", request.token, language=language))
    assert f'href="{person_page}"' in page.text
    assert f'href="{organisation_page}"' in page.text


def test_filtering_by_another_teams_queue_shows_nothing_of_it() -> None:
    mine = RequestFactory.create(priority=Priority.HIGH)
    RequestFactory.create(queue=eu_queue(), priority=Priority.HIGH)
    client = logged_in(agent())
    response = client.get(url("helpdesk:staff-inbox") + f"?queue={eu_queue().pk}&priority=high")
    assert codes(response) == [mine.token]
    assert one(response.text, "form.filters .errorlist") is not None

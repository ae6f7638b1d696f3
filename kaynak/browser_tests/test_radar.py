"""The funding radar's whole journey in a real browser: the demo funder sites (served on
127.0.0.1) are scanned into drafts; a visitor saves a search and confirms it from the mail a real
SMTP server received; the radar editor corrects one draft, publishes it and rejects an event
announcement that is not a call; the weekly digest reaches the subscriber through the SMTP
server with the published call only, and its one-click unsubscribe link stops it."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role
from kaynak.accounts.tests import conftest as accounts_fixtures
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.radar.alert_tasks import digest_weekly
from kaynak.radar.demo_site import create_demo_sources, serve_demo_site
from kaynak.radar.fetching import Fetcher
from kaynak.radar.models import ChangeKind, Opportunity, OpportunityStatus, SavedSearch
from kaynak.radar.scanning import scan_source

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

smtp_server = accounts_fixtures.smtp_server  # a real SMTP server on 127.0.0.1, per test

CALL = "Kadın Kooperatifleri Hibe Programı 2027"
EVENT = "Kadın Hakları Belgeseli Gösterim Programı (duyuru)"
LINK = re.compile(r"https?://\S+")


def english(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def test_scan_subscribe_review_publish_and_receive_the_digest(
    page: Page,
    live_server: LiveServer,
    smtp_server: accounts_fixtures.SMTPServer,
    settings: Any,
) -> None:
    settings.SITE_URL = live_server.url  # links in mails lead to the live server
    # The demo funder sites are scanned: every call becomes a draft.
    with serve_demo_site() as base_url, Fetcher(allow_loopback=True, host_delay=0) as fetcher:
        for source in create_demo_sources(base_url):
            scan_source(source=source, fetcher=fetcher, concurrency=2)
    assert Opportunity.objects.filter(status=OpportunityStatus.DRAFT).count() >= 10
    assert not Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).exists()

    # A visitor saves the search "women" from the listing; nothing is sent before she confirms.
    page.goto(english("radar:list") + "?themes=women")
    page.get_by_role("link", name="Save this search").click()
    page.get_by_label("Your e-mail address").fill("gonul@kadindayanisma.org.tr")
    page.get_by_role("button", name="Save the search").click()
    [confirmation] = smtp_server.received
    assert confirmation.recipients == ["gonul@kadindayanisma.org.tr"]
    confirm_link = next(link for link in links_in(confirmation.text) if "/confirm/" in link)
    page.goto(confirm_link)
    page.get_by_role("button", name="Yes, confirm").click()
    expect(page.get_by_role("heading", name="Your search is confirmed")).to_be_visible()
    assert SavedSearch.objects.get(email="gonul@kadindayanisma.org.tr").active

    # The radar editor opens the call from the queue, corrects the grant size and publishes it.
    client = Client()
    client.force_login(StaffFactory.create(roles=[Role.RADAR_EDITOR]))
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(english("radar:staff-drafts"))
    page.get_by_role("link", name=CALL).click()
    expect(page.locator("mark[data-field=deadline]").first).to_be_visible()
    page.get_by_label("Largest grant").fill("400.000")
    page.get_by_role("button", name="Save and publish").click()
    call = Opportunity.objects.get(title=CALL)
    assert call.status == OpportunityStatus.PUBLISHED
    assert call.amount_max == Decimal("400000")
    assert call.changes.filter(kind=ChangeKind.EDITED).exists()

    # The film screening is an event, not a call: rejected with a reason.
    page.goto(english("radar:staff-drafts"))
    page.get_by_role("link", name=EVENT).click()
    page.get_by_label("Reason for rejection").fill("Bir gösterim duyurusu; hibe değil.")
    page.get_by_role("button", name="Reject").click()
    assert Opportunity.objects.get(title=EVENT).status == OpportunityStatus.REJECTED

    # The public listing shows the published call.
    page.goto(english("radar:list") + "?themes=women")
    expect(page.get_by_role("link", name=CALL)).to_be_visible()
    expect(page.get_by_text(EVENT)).to_have_count(0)

    # The weekly digest reaches the subscriber through the SMTP server.
    assert digest_weekly.call() == 1
    digest = smtp_server.received[-1]
    assert digest.recipients == ["gonul@kadindayanisma.org.tr"]
    assert CALL in digest.text
    assert EVENT not in digest.text
    assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = digest.message["List-Unsubscribe"].strip("<>")

    # One click on the mail's unsubscribe link, as a mail program does it, stops the search.
    answer = page.request.post(unsubscribe)
    assert answer.ok
    assert not SavedSearch.objects.get(email="gonul@kadindayanisma.org.tr").active
    assert digest_weekly.call() == 0

"""The weekly digest: what it tells (new matches, notable changes, closing soon, each as the
search's switches say), never twice, never a dismissed call, never an empty mail, one mail per
address in its language, at most 15 calls with "and N more", with the one-click unsubscribe
headers — and through a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as django_mail

from kaynak.accounts.tests import conftest as accounts_fixtures
from kaynak.core.models import CenterSettings
from kaynak.radar import alerts, services
from kaynak.radar.alert_tasks import digest_weekly
from kaynak.radar.models import (
    ChangeKind,
    ChangeOrigin,
    DigestEntry,
    Opportunity,
    OpportunityChange,
    SavedSearch,
)
from kaynak.radar.tests.factories import OpportunityFactory, SavedSearchFactory, in_days

pytestmark = pytest.mark.django_db

smtp_server = accounts_fixtures.smtp_server  # a real SMTP server on 127.0.0.1, per test

ISTANBUL = ZoneInfo("Europe/Istanbul")
MONDAY = dt.datetime(2027, 3, 1, 8, 0, tzinfo=ISTANBUL)
LINK = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture(autouse=True)
def _monday_morning(time_machine):
    time_machine.move_to(MONDAY)
    CenterSettings.objects.update_or_create(
        pk=1, defaults={"name_tr": "Sivil Toplum Merkezi", "name_en": "Civil Society Centre"}
    )


def ago(days: float) -> dt.datetime:
    return MONDAY - dt.timedelta(days=days)


def search(**kwargs) -> SavedSearch:
    kwargs.setdefault("language", "en")  # the English texts below; Turkish is tested on its own
    kwargs.setdefault("confirmed_at", ago(14))
    kwargs.setdefault("last_digest_at", ago(7))
    kwargs.setdefault("query", {"themes": ["women"]})
    kwargs.setdefault("name", "Kadın istihdamı")
    return SavedSearchFactory.create(**kwargs)


def call(title: str, *, published_days_ago: float = 1, **kwargs) -> Opportunity:
    kwargs.setdefault("themes", ["women"])
    return OpportunityFactory.create(title=title, published_at=ago(published_days_ago), **kwargs)


def deadline_moved(opportunity: Opportunity, *, days_ago: float = 1) -> OpportunityChange:
    """A scan found the deadline extended (a notable change)."""
    at = ago(days_ago)
    old = opportunity.deadline_date
    assert old is not None
    new = old + dt.timedelta(days=14)
    opportunity.deadline_date = new
    opportunity.changed_at = at
    services._refresh_derived(opportunity)
    opportunity.save()
    return OpportunityChange.objects.create(
        opportunity=opportunity,
        at=at,
        origin=ChangeOrigin.SCAN,
        kind=ChangeKind.DEADLINE,
        fields={"deadline_date": [old.isoformat(), new.isoformat()]},
        notable=True,
    )


def test_a_new_matching_call_is_sent_and_a_call_of_another_theme_is_not(mailoutbox):
    search()
    call("Kadın Kooperatifleri Hibe Programı")
    call("Orman Yangınları Sonrası Ağaçlandırma", themes=["environment"])

    assert alerts.send_weekly_digests() == 1

    [message] = mailoutbox
    assert message.to == [SavedSearch.objects.get().email]
    assert "Kadın Kooperatifleri Hibe Programı" in message.body
    assert "Ağaçlandırma" not in message.body
    html = message.alternatives[0].content
    assert "Kadın Kooperatifleri Hibe Programı" in html


def test_nothing_matched_means_no_mail_at_all(mailoutbox):
    search()
    call("Orman Yangınları Sonrası Ağaçlandırma", themes=["environment"])
    call("Eski bir kadın programı", published_days_ago=30)  # told long ago: before the last digest

    assert alerts.send_weekly_digests() == 0
    assert mailoutbox == []


def test_a_call_is_never_told_twice_even_when_the_digest_runs_again(mailoutbox):
    saved = search(last_digest_at=None)  # first digest: news since the confirmation
    call("Kadın Girişimciliği Destek Programı")

    assert alerts.send_weekly_digests() == 1
    # Someone runs it again at once: the same call is not news.
    assert alerts.send_weekly_digests() == 0
    assert len(mailoutbox) == 1
    assert DigestEntry.objects.filter(search=saved).count() == 1


def test_a_dismissed_call_never_comes_back(mailoutbox):
    saved = search()
    dismissed = call("Kadın Sağlığı Projeleri")
    call("Kadın Emeği Görünür Olsun")
    alerts.dismiss(email=saved.email, opportunity=dismissed)

    alerts.send_weekly_digests()

    [message] = mailoutbox
    assert "Kadın Emeği Görünür Olsun" in message.body
    assert "Kadın Sağlığı Projeleri" not in message.body


def change_days(opportunity: Opportunity) -> list[str]:
    return opportunity.changes.get().fields["deadline_date"]


def test_a_deadline_extension_is_told_once_with_the_old_date_when_changes_are_on(mailoutbox):
    search(language="en")
    extended = call("Kadın Kooperatifleri Hibe Programı", published_days_ago=20)
    deadline_moved(extended)

    alerts.send_weekly_digests()

    [message] = mailoutbox
    assert "Kadın Kooperatifleri Hibe Programı" in message.body
    old, new = (dt.date.fromisoformat(day) for day in change_days(extended))
    assert f"Changed (deadline was {old.day} March 2027)" in message.body
    assert f"Deadline: Wednesday {new.day} April 2027" in message.body
    mailoutbox.clear()
    assert alerts.send_weekly_digests() == 0


def test_changes_are_not_told_when_that_switch_is_off(mailoutbox):
    search(notify_changes=False)
    deadline_moved(call("Kadın Kooperatifleri Hibe Programı", published_days_ago=20))

    assert alerts.send_weekly_digests() == 0


def test_closing_soon_is_told_only_when_switched_on_and_only_once(mailoutbox):
    closing = call("Son Hafta: Kadın Hakları Fonu", published_days_ago=20, deadline_date=in_days(3))
    search(notify_closing=False, email="kapali@example.org")
    on = search(notify_closing=True, email="acik@example.org")

    assert alerts.send_weekly_digests() == 1

    [message] = mailoutbox
    assert message.to == [on.email]
    assert closing.title in message.body
    assert "Closing within 7 days" in message.body
    assert alerts.send_weekly_digests() == 1 - 1


def test_one_mail_per_address_combines_its_searches_and_says_which_search_found_each_call(
    mailoutbox,
):
    search(name="Kadın", email="dernek@example.org")
    search(name="Çevre", email="dernek@example.org", query={"themes": ["environment"]})
    call("Kadın Kooperatifleri Hibe Programı")
    call("Orman Yangınları Sonrası Ağaçlandırma", themes=["environment"])

    assert alerts.send_weekly_digests() == 1

    [message] = mailoutbox
    body = message.body
    assert "Why: your search “Kadın”" in body
    assert "Why: your search “Çevre”" in body
    # Soonest deadline first, and each call once.
    assert body.count("Kadın Kooperatifleri Hibe Programı") == 1


def test_the_digest_is_short_sorted_by_deadline_and_links_to_the_rest(mailoutbox):
    search(query={"themes": ["women"]})
    for days in range(40, 20, -1):  # 20 calls, created latest deadline first
        call(f"Kadın programı {days}", deadline_date=in_days(days))

    alerts.send_weekly_digests()

    [message] = mailoutbox
    titles = re.findall(r"^\d+\. (Kadın programı \d+)$", message.body, re.MULTILINE)
    assert titles == [f"Kadın programı {days}" for days in range(21, 21 + alerts.DIGEST_LIMIT)]
    assert "And 5 more for “Kadın istihdamı”" in message.body
    assert "/funding/?themes=women" in message.body
    # The five not shown were not recorded as told.
    assert DigestEntry.objects.count() == alerts.DIGEST_LIMIT


def test_the_digest_speaks_the_language_of_the_search(mailoutbox):
    search(language="tr")
    call("Kadın Kooperatifleri Hibe Programı")

    alerts.send_weekly_digests()

    [message] = mailoutbox
    assert message.subject.startswith("[Sivil Toplum Merkezi]")
    # Turkish pages have no /en/ prefix; an English search's links have it.
    assert "/en/" not in message.body
    mailoutbox.clear()
    search(language="en", email="english@example.org")
    call("Women in Cooperatives Grant", language="en")
    alerts.send_weekly_digests()
    [english] = mailoutbox
    assert english.subject.startswith("[Civil Society Centre]")
    assert "/en/" in english.body


def test_the_digest_carries_one_click_unsubscribe_headers_and_every_link(mailoutbox):
    saved = search()
    found = call("Kadın Kooperatifleri Hibe Programı")

    alerts.send_weekly_digests()

    [message] = mailoutbox
    headers = message.extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<https?://\S+/alerts/manage/\S+/stop-all/>", headers["List-Unsubscribe"])
    links = LINK.findall(message.body)
    assert any(f"/alerts/manage/{saved.token}/stop/" in link for link in links)
    assert any(f"/alerts/manage/{saved.token}/stop-all/" in link for link in links)
    assert any(f"/call/{found.pk}/" in link for link in links)
    assert any("/alerts/not-relevant/" in link for link in links)


def test_a_search_not_confirmed_or_stopped_gets_nothing(mailoutbox):
    search(confirmed_at=None, email="bekleyen@example.org")
    search(unsubscribed_at=ago(2), email="ayrilan@example.org")
    call("Kadın Kooperatifleri Hibe Programı")

    assert alerts.send_weekly_digests() == 0
    assert mailoutbox == []


def test_a_mail_that_cannot_go_is_told_again_next_time(mailoutbox, monkeypatch):
    saved = search()
    call("Kadın Kooperatifleri Hibe Programı")

    def refuse(message):
        raise OSError("mail server unreachable")

    monkeypatch.setattr("kaynak.radar.mail.send", refuse)
    assert alerts.send_weekly_digests() == 0
    saved.refresh_from_db()
    assert saved.last_digest_at == ago(7)
    assert DigestEntry.objects.count() == 0

    monkeypatch.undo()
    assert alerts.send_weekly_digests() == 1


def test_a_second_worker_finds_the_searches_claimed_and_sends_nothing(mailoutbox):
    saved = search()
    call("Kadın Kooperatifleri Hibe Programı")
    # Another worker claimed the search a moment ago (its conditional UPDATE won).
    stale = SavedSearch.objects.get(pk=saved.pk)
    SavedSearch.objects.filter(pk=saved.pk).update(last_digest_at=MONDAY)

    claim = alerts._claim_and_build(stale.email, MONDAY)

    assert claim is None
    assert mailoutbox == []


def test_unconfirmed_searches_older_than_a_week_are_deleted(mailoutbox, time_machine):
    pending = search(confirmed_at=None, email="unutulan@example.org")
    SavedSearch.objects.filter(pk=pending.pk).update(created_at=ago(8))
    fresh = search(confirmed_at=None, email="yeni@example.org")

    alerts.send_weekly_digests()

    assert list(SavedSearch.objects.filter(confirmed_at__isnull=True)) == [fresh]


def test_the_weekly_task_sends_the_digest_through_a_real_smtp_server(smtp_server):
    saved = search()
    call("Kadın Kooperatifleri Hibe Programı")

    assert digest_weekly.call() == 1

    [received] = smtp_server.received
    assert received.recipients == [saved.email]
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received.message["List-Unsubscribe"].startswith("<http")
    assert "Kadın Kooperatifleri Hibe Programı" in received.text
    html = received.message.get_body(preferencelist=("html",))
    assert html is not None
    assert "Kadın Kooperatifleri Hibe Programı" in html.get_content()
    assert django_mail.outbox == []

"""Saved searches: double opt-in that cannot be skipped, no mail bombing, a verified user's
search active at once, "My saved searches", the subscriber's token page, one-click unsubscribe
without a login or CSRF token, and "not relevant"."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import User
from kaynak.accounts.tests.factories import UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.radar import alerts
from kaynak.radar.models import Dismissal, SavedSearch
from kaynak.radar.tests.factories import OpportunityFactory, SavedSearchFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s<>\"]+")


def path_of(link: str) -> str:
    return urlsplit(link).path


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client: Client, email: str, *, query: str = "themes=women&q=kooperatif", language="tr"):
    return client.post(
        url("radar:subscribe", language=language) + f"?{query}",
        {
            "query": query,
            "email": email,
            "name": "Kadın kooperatifleri",
            "notify_new": "on",
            "notify_changes": "on",
        },
    )


def test_an_anonymous_visitor_gets_one_confirmation_mail_and_nothing_is_active_before(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "Dernek@Example.org", language="en")

    assertContains(response, "dernek@example.org")
    search = SavedSearch.objects.get()
    assert search.email == "dernek@example.org"
    assert search.query == {"q": "kooperatif", "themes": ["women"]}
    assert search.confirmed_at is None
    assert not search.active
    [message] = mailoutbox
    assert message.to == ["dernek@example.org"]
    [link] = [link for link in LINK.findall(message.body) if "/alerts/confirm/" in link]
    # Opening the link (a mail scanner does) confirms nothing: it asks.
    page = client.get(path_of(link))
    assertContains(page, "Yes, confirm")
    search.refresh_from_db()
    assert search.confirmed_at is None
    # The person presses the button.
    client.post(path_of(link))
    search.refresh_from_db()
    assert search.active


def test_a_second_request_for_the_same_address_within_the_hour_is_refused_politely(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "dernek@example.org", language="en")
        response = ask(client, "dernek@example.org", query="themes=youth", language="en")

    assert response.status_code == 200
    assertContains(response, "less than an hour ago")
    assertContains(response, 'value="dernek@example.org"')  # what was typed is kept
    assert SavedSearch.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_new_confirmation_may_go_after_an_hour(client, time_machine, mailoutbox):
    time_machine.move_to(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))
    ask(client, "dernek@example.org")
    time_machine.move_to(dt.datetime(2027, 3, 1, 10, 1, tzinfo=dt.UTC))
    ask(client, "dernek@example.org", query="themes=youth")
    assert SavedSearch.objects.count() == 2


def test_a_bad_address_is_explained_next_to_the_field(client):
    response = ask(client, "dernek@", language="en")

    assert response.status_code == 200
    assertContains(response, "Enter a valid email address")
    assert SavedSearch.objects.count() == 0


def test_a_confirmation_link_expires_after_seven_days(client, time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))
    search = SavedSearchFactory.create(confirmed_at=None)
    token = alerts.confirmation_token(search)
    time_machine.move_to(dt.datetime(2027, 3, 8, 9, 1, tzinfo=dt.UTC))

    response = client.post(url("radar:confirm-search", token, language="en"))

    assert response.status_code == 404
    assertContains(response, "expired", status_code=404)
    search.refresh_from_db()
    assert search.confirmed_at is None


def test_a_forged_confirmation_link_confirms_nothing(client):
    search = SavedSearchFactory.create(confirmed_at=None)
    token = alerts.confirmation_token(search)

    response = client.post(url("radar:confirm-search", token[:-2] + "xx"))

    assert response.status_code == 404
    search.refresh_from_db()
    assert search.confirmed_at is None


def test_a_user_with_a_verified_address_follows_a_search_at_once(mailoutbox):
    user = UserFactory.create()
    client = logged_in(user)

    response = client.post(
        url("radar:subscribe") + "?themes=women",
        {"query": "themes=women", "name": "Kadın", "notify_new": "on"},
    )

    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert search.user == user
    assert search.email == user.email
    assert search.active
    assert mailoutbox == []


def test_a_user_whose_address_is_not_verified_confirms_it_like_anyone(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory.create(verified_email=False)
    client = logged_in(user)

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, user.email)

    assert not SavedSearch.objects.get().active
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_save_page_shows_the_search_in_words(client, language):
    response = client.get(url("radar:subscribe", language=language) + "?themes=women&q=kooperatif")

    assertContains(response, "kooperatif")
    assertContains(response, "Kadın" if language == "tr" else "Women")
    assertContains(response, 'name="email"')


def test_my_saved_searches_can_be_renamed_switched_stopped_and_deleted():
    user = UserFactory.create()
    mine = SavedSearchFactory.create(user=user, email=user.email, name="Eski ad")
    client = logged_in(user)

    page = client.get(url("radar:my-searches", language="en"))
    assertContains(page, "Eski ad")

    prefix = f"s{mine.pk}"
    client.post(
        url("radar:my-search-update", mine.pk),
        {f"{prefix}-name": "Yeni ad", f"{prefix}-notify_closing": "on"},
    )
    mine.refresh_from_db()
    assert (mine.name, mine.notify_new, mine.notify_changes, mine.notify_closing) == (
        "Yeni ad",
        False,
        False,
        True,
    )
    client.post(url("radar:my-search-update", mine.pk), {"stop": "1"})
    mine.refresh_from_db()
    assert mine.unsubscribed_at is not None
    client.post(url("radar:my-search-update", mine.pk), {"delete": "1"})
    assert not SavedSearch.objects.filter(pk=mine.pk).exists()


def test_switching_everything_off_is_explained_and_changes_nothing():
    user = UserFactory.create()
    mine = SavedSearchFactory.create(user=user, email=user.email, name="Ad")
    client = logged_in(user)

    response = client.post(
        url("radar:my-search-update", mine.pk, language="en"), {f"s{mine.pk}-name": "Başka"}
    )

    assertContains(response, "Choose at least one kind of news", status_code=400)
    mine.refresh_from_db()
    assert mine.name == "Ad"


def test_someone_elses_saved_search_is_not_found():
    owner, other = UserFactory.create(), UserFactory.create()
    theirs = SavedSearchFactory.create(user=owner, email=owner.email)

    response = logged_in(other).post(url("radar:my-search-update", theirs.pk), {"delete": "1"})

    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


def test_my_saved_searches_asks_a_visitor_to_log_in(client):
    response = client.get(url("radar:my-searches"))
    assert response.status_code == 302


def test_a_subscriber_manages_the_searches_of_the_address_through_the_token_link(client):
    first = SavedSearchFactory.create(email="dernek@example.org", name="Birinci")
    second = SavedSearchFactory.create(email="dernek@example.org", name="İkinci")
    SavedSearchFactory.create(email="baska@example.org", name="Başkasının")

    page = client.get(url("radar:manage-searches", first.token))

    assertContains(page, "Birinci")
    assertContains(page, "İkinci")
    assertNotContains(page, "Başkasının")
    client.post(
        url("radar:manage-searches", first.token),
        {"search": second.pk, f"s{second.pk}-name": "Yeni", f"s{second.pk}-notify_new": "on"},
    )
    second.refresh_from_db()
    assert (second.name, second.notify_changes) == ("Yeni", False)


def test_an_unknown_token_finds_nothing(client):
    SavedSearchFactory.create()
    assert client.get(url("radar:manage-searches", "yok")).status_code == 404
    assert client.post(url("radar:unsubscribe-all", "yok")).status_code == 404


def test_one_click_unsubscribe_works_without_login_or_csrf_token():
    first = SavedSearchFactory.create(email="dernek@example.org")
    second = SavedSearchFactory.create(email="dernek@example.org")
    other = SavedSearchFactory.create(email="baska@example.org")
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        url("radar:unsubscribe-all", first.token),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    for search in (first, second, other):
        search.refresh_from_db()
    assert first.unsubscribed_at
    assert second.unsubscribed_at
    assert other.active


def test_opening_the_unsubscribe_link_asks_before_stopping(client):
    search = SavedSearchFactory.create()

    page = client.get(url("radar:unsubscribe-all", search.token, language="en"))

    assertContains(page, "Yes, stop all of them")
    search.refresh_from_db()
    assert search.active


def test_one_search_is_stopped_and_the_others_keep_going(client):
    first = SavedSearchFactory.create(email="dernek@example.org")
    second = SavedSearchFactory.create(email="dernek@example.org")

    client.post(url("radar:unsubscribe", first.token))

    for search in (first, second):
        search.refresh_from_db()
    assert not first.active
    assert second.active


def test_stopping_one_search_needs_the_pages_csrf_token():
    search = SavedSearchFactory.create()
    response = Client(enforce_csrf_checks=True).post(url("radar:unsubscribe", search.token))
    assert response.status_code == 403
    search.refresh_from_db()
    assert search.active


def test_not_relevant_asks_then_dismisses_the_call_for_the_address(client):
    search = SavedSearchFactory.create(email="dernek@example.org")
    opportunity = OpportunityFactory.create(title="Gençlik Değişim Programı")
    token = alerts.dismissal_token(search, opportunity)

    page = client.get(url("radar:not-relevant", token, language="en"))
    assertContains(page, "Gençlik Değişim Programı")
    assert not Dismissal.objects.exists()

    client.post(url("radar:not-relevant", token, language="en"))
    client.post(url("radar:not-relevant", token, language="en"))  # twice: still one
    assert list(Dismissal.objects.values_list("email", "opportunity")) == [
        ("dernek@example.org", opportunity.pk)
    ]


def test_a_forged_not_relevant_link_dismisses_nothing(client):
    search = SavedSearchFactory.create()
    opportunity = OpportunityFactory.create()
    token = alerts.dismissal_token(search, opportunity)

    response = client.post(url("radar:not-relevant", token.replace(":", ";", 1)))

    assert response.status_code == 404
    assert not Dismissal.objects.exists()


def test_the_confirmation_mail_speaks_the_language_of_the_page_it_was_asked_from(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "dernek@example.org", language="en")

    [message] = mailoutbox
    assert "within 7 days" in message.body
    [link] = LINK.findall(message.body)
    assert path_of(link).startswith("/en/funding/alerts/confirm/")
    assert SavedSearch.objects.get().language == "en"


def test_my_saved_searches_reads_the_same_number_of_queries_for_many_searches(
    django_assert_num_queries,
):
    user = UserFactory.create()
    client = logged_in(user)
    SavedSearchFactory.create(user=user, email=user.email, query={"themes": ["women"]})
    client.get(url("radar:my-searches"))
    with django_assert_num_queries(10) as few:
        client.get(url("radar:my-searches"))
    for n in range(8):
        SavedSearchFactory.create(
            user=user, email=user.email, name=f"Arama {n}", query={"countries": ["TR"]}
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("radar:my-searches"))
    assertContains(response, "Arama 7")


def test_once_confirmed_the_address_may_save_another_search_at_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "dernek@example.org")
    alerts.confirm(search=SavedSearch.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "dernek@example.org", query="themes=youth")

    assert SavedSearch.objects.count() == 2
    assert len(mailoutbox) == 2

"""The staff "Erişim" page: who may see it, what it shows, and the names behind each number."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.core.models import Theme
from kaynak.directory.models import Organisation
from kaynak.directory.normalize import organisation_search_text
from kaynak.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    province,
    service_kind,
)
from kaynak.ledger import queries
from kaynak.ledger.models import Delivery, RecordedService
from kaynak.ledger.services import record_delivery


def url(name: str, language: str = "tr", **params: str) -> str:
    with translation.override(language):
        path = reverse(name)
    if params:
        path += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return path


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def me_officer(db: None) -> User:
    return StaffFactory.create(roles=[Role.ME_OFFICER])


@pytest.fixture
def me_client(me_officer: User) -> Client:
    return logged_in(me_officer)


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def link_of(html: str, text: str) -> str:
    """The href of the link around ``<strong>text</strong>`` or ``>text</a>``."""
    match = re.search(rf'<a href="([^"]+)">(?:<strong>)?{re.escape(text)}\b', html)
    assert match, f"no link around {text!r}"
    return match.group(1).replace("&amp;", "&")


def bulk_reach(organisations: int, *, on: dt.date, themes: list[Theme] | None = None) -> None:
    """``organisations`` new organisations, each reached once on ``on`` (in bulk, for volume)."""
    made = Organisation.objects.bulk_create(
        Organisation(
            name=f"Toplu Örnek Derneği {i}",
            province=province(34 if i % 2 else 6),
            search_text=organisation_search_text(f"Toplu Örnek Derneği {i}"),
        )
        for i in range(organisations)
    )
    source = RecordedServiceFactory.create(date=on)
    source_type = ContentType.objects.get_for_model(RecordedService)
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            kind=service_kind("training"),
            organisation=organisation,
            date=on,
            province=organisation.province,
            source_type=source_type,
            source_id=str(source.pk),
        )
        for organisation in made
    )
    if themes:
        Delivery.themes.through.objects.bulk_create(
            Delivery.themes.through(delivery=delivery, theme=theme)
            for delivery in deliveries
            for theme in themes
        )


# Who may see it --------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client, db):
    page = url("ledger:reach")

    response = client.get(page)

    assertRedirects(
        response, f"{reverse('account_login')}?next={page}", fetch_redirect_response=False
    )


def test_a_member_without_a_staff_role_gets_not_found(db):
    response = logged_in(UserFactory.create()).get(url("ledger:reach"))

    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.SUPPORT_AGENT, Role.RADAR_EDITOR])
def test_staff_who_do_not_report_on_reach_get_not_found(db, role):
    client = logged_in(StaffFactory.create(roles=[role]))

    assert client.get(url("ledger:reach")).status_code == 404
    assert client.get(url("ledger:names", measure="organisations")).status_code == 404


@pytest.mark.parametrize("role", [Role.ME_OFFICER, Role.PROGRAMME_COORDINATOR, Role.CENTER_ADMIN])
def test_me_officers_coordinators_and_center_admins_see_it(db, role):
    client = logged_in(StaffFactory.create(roles=[role]))

    assert client.get(url("ledger:reach")).status_code == 200
    assert client.get(url("ledger:names", measure="organisations")).status_code == 200


def test_the_staff_start_page_links_to_it_for_those_who_may_see_it(db):
    me = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))
    agent = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))

    assertContains(me.get(url("portal:staff")), f'href="{url("ledger:reach")}"')
    assertNotContains(agent.get(url("portal:staff")), f'href="{url("ledger:reach")}"')


# What it shows ---------------------------------------------------------------------------------


def test_without_a_filter_it_shows_the_latest_year_with_deliveries(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach")))

    assert '<h2 id="period">2025</h2>' in html
    assert '<option value="2025" selected>2025</option>' in html
    # 2025: one support request to A.
    assert re.search(r"<strong>1</strong> Organisations reached", html) or re.search(
        r"<strong>1</strong> \S+", html
    )
    assert link_of(html, "1").endswith("start=2025-01-01&end=2025-12-31&measure=organisations")


def test_counting_again_without_a_filter_counts_the_latest_year(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach", recount="1")))

    assert '<h2 id="period">2025</h2>' in html


def test_headline_figures_of_a_year_link_to_their_names(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach", year="2024")))

    figures = re.findall(r'<a href="([^"]+)"><strong>([\d.]+)</strong>', html)
    measures = {
        parse_qs(urlsplit(href.replace("&amp;", "&")).query)["measure"][0]: int(value)
        for href, value in figures
    }
    # From the hand-built ledger: A, B, C and p1, p2, p3; A and C new; A had two services.
    assert measures == {
        "organisations": 3,
        "people": 3,
        "new-organisations": 2,
        "new-people": 3,
        "multi-service": 1,
    }


def test_every_number_in_the_breakdowns_links_to_exactly_the_names_behind_it(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach", year="2024")))

    links = re.findall(r'<td class="number"><a href="([^"]+)">([\d.]+)</a></td>', html)
    # 4 regions, 4 provinces, 4 themes (with "not recorded"), 5 services; two numbers each.
    assert len(links) == 2 * (4 + 4 + 4 + 5)
    for href, value in links:
        names_page = main_html(me_client.get(href.replace("&amp;", "&")))
        shown = re.findall(r"<tr>\s*<td>([^<]+)</td>", names_page)
        assert len(shown) == int(value), href


def test_the_names_behind_istanbul_are_b_and_its_member(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach", year="2024")))
    istanbul = html[html.index('<th scope="row">İstanbul</th>') :]

    organisations = me_client.get(link_of(istanbul, "1"))

    assertContains(organisations, "İstanbul Kadın Dayanışma Vakfı")
    assertNotContains(organisations, "Ankara Çevre Derneği")
    people = re.search(r'href="([^"]+measure=people)"', istanbul)
    assert people
    assertContains(me_client.get(people.group(1).replace("&amp;", "&")), "Şule Işık")


def test_breakdowns_are_in_turkish_order_with_not_recorded_last(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach", year="2024")))
    provinces = html[html.index('<th scope="col">') :]

    rows = re.findall(r'<th scope="row">([^<]+)</th>', provinces)
    assert rows[:4] == ["Batı Anadolu", "Ege", "İstanbul", rows[3]]
    assert rows[4:8] == ["Ankara", "İstanbul", "İzmir", rows[7]]
    assert rows[3] == rows[7] != "İzmir"  # "not recorded", last in both


def test_the_english_page_speaks_english_and_orders_english_names(ledger, db):
    client = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))

    html = main_html(client.get(url("ledger:reach", language="en", year="2024")))

    assert "Organisations reached" in html
    assert '<th scope="row">Istanbul</th>' in html
    assert '<th scope="row">Environment and climate</th>' in html
    assert "Not recorded" in html


def test_numbers_have_the_thousands_separator_of_the_language(db, me_client):
    bulk_reach(1200, on=dt.date(2024, 6, 1))

    turkish = main_html(me_client.get(url("ledger:reach", year="2024")))
    english = main_html(me_client.get(url("ledger:reach", language="en", year="2024")))

    assert "<strong>1.200</strong>" in turkish
    assert "<strong>1,200</strong>" in english


def test_a_filter_change_from_htmx_gets_the_form_and_figures_only(ledger, me_client):
    response = me_client.get(
        url("ledger:reach", year="2024", kind="support"), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-target="#reach"' in html
    # Support in 2024: A and C.
    assert re.search(r"<strong>2</strong>", html)


def test_going_back_in_history_gets_the_whole_page(ledger, me_client):
    response = me_client.get(
        url("ledger:reach", year="2024"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_a_service_and_place_filter_narrow_the_figures(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach", year="2024", province="6")))

    # Ankara in 2024: A (organisation) and p2 (person).
    figures = re.findall(r"<strong>([\d.]+)</strong>", html)
    assert figures[:2] == ["1", "1"]
    assert '<option value="6" selected>Ankara</option>' in html


def test_a_quarter_of_a_year(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach", "en", year="2024", quarter="4")))

    assert '<h2 id="period">2024 · 4th quarter (October–December)</h2>' in html
    # October–December 2024: C (November) and A (December); D's training is withdrawn.
    assert re.findall(r"<strong>([\d.]+)</strong>", html)[:2] == ["2", "0"]
    assert link_of(html, "2").startswith(
        url("ledger:names", "en") + "?start=2024-10-01&end=2024-12-31"
    )


def test_a_range_of_dates_replaces_the_year(ledger, me_client):
    turkish = main_html(
        me_client.get(url("ledger:reach", year="2024", start="2024-06-01", end="2025-06-30"))
    )
    english = main_html(
        me_client.get(url("ledger:reach", "en", start="2024-06-01", end="2025-06-30"))
    )

    assert '<h2 id="period">01 Haz 2024 – 30 Haz 2025</h2>' in turkish
    assert '<h2 id="period">06/01/2024 – 06/30/2025</h2>' in english
    html = turkish
    # 1 June 2024 – 30 June 2025: B (through p1), C, A; p1, p2, p3.
    assert re.findall(r"<strong>([\d.]+)</strong>", html)[:2] == ["3", "3"]


def test_a_range_that_ends_before_it_starts_is_explained_next_to_its_end(ledger, me_client):
    html = main_html(me_client.get(url("ledger:reach", "en", start="2024-06-01", end="2024-05-01")))

    end_field = html[html.index('<label for="id_end">') : html.index('<label for="id_kind">')]
    assert "The range ends before it starts." in end_field
    # What was typed stays in the form, and no figure is shown for a filter that makes no sense.
    assert 'value="2024-06-01"' in html
    assert 'value="2024-05-01"' in html
    assert "<strong>" not in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2024-06-01"}, "end", "Give the last day of the range too."),
        ({"end": "2024-06-01"}, "start", "Give the first day of the range too."),
        ({"quarter": "2"}, "quarter", "Choose the year of the quarter."),
        ({"province": "99"}, "province", "Select a valid choice."),
        ({"start": "31.02.2024", "end": "2024-03-01"}, "start", "Enter a valid date."),
    ],
)
def test_bad_filters_are_explained_next_to_their_field(ledger, me_client, params, field, message):
    with translation.override("en"):
        html = main_html(me_client.get(url("ledger:reach", language="en", **params)))

    start = html.index(f'<label for="id_{field}">')
    assert message in html[start : start + 1500]
    assert 'aria-invalid="true"' in html


def add_reach_in_more_places() -> None:
    bulk_reach(300, on=dt.date(2024, 2, 2), themes=list(Theme.objects.all()[:5]))
    for plate in (1, 7, 21, 55, 65):
        person = PersonFactory.create(province=province(plate))
        record_delivery(
            kind="festival",
            source=RecordedServiceFactory.create(),
            date=dt.date(2024, 9, 1),
            person=person,
            organisation=OrganisationFactory.create(province=province(plate)),
        )


def test_counting_takes_the_same_queries_however_much_there_is(
    ledger, me_client, django_assert_num_queries
):
    counted = url("ledger:reach", year="2024", recount="1")
    me_client.get(counted)  # the center's settings row is created once
    with django_assert_num_queries(24):
        me_client.get(counted)

    add_reach_in_more_places()

    with django_assert_num_queries(24):
        me_client.get(counted)


def test_figures_counted_a_moment_ago_are_shown_again_without_counting(
    ledger, me_client, django_assert_num_queries
):
    first = main_html(me_client.get(url("ledger:reach", "en", year="2024")))
    add_reach_in_more_places()

    with django_assert_num_queries(12):  # the user, the filter's choices, no counting
        again = main_html(me_client.get(url("ledger:reach", "en", year="2024")))
    link = re.search(r'<a href="([^"]+)"[^>]*>Count again now</a>', again)
    assert link
    recount = link.group(1).replace("&amp;", "&")
    counted = main_html(me_client.get(recount))

    assert re.findall(r"<strong>([\d,]+)</strong>", again) == re.findall(
        r"<strong>([\d,]+)</strong>", first
    )
    assert "counted again when the ledger changes (at most once a minute)" in again
    assert "recount=1" in recount
    # 3 organisations before; 305 more now (300 in bulk and 5 at the festival).
    assert re.findall(r"<strong>([\d,]+)</strong>", counted)[0] == "308"


def record_one_more(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record_delivery(
            kind="festival",
            source=RecordedServiceFactory.create(),
            date=dt.date(2024, 9, 1),
            organisation=OrganisationFactory.create(province=province(7)),
        )


def test_a_delivery_recorded_within_the_minute_waits_for_the_next_count(
    ledger, me_client, django_capture_on_commit_callbacks
):
    first = main_html(me_client.get(url("ledger:reach", "en", year="2024")))
    record_one_more(django_capture_on_commit_callbacks)

    again = main_html(me_client.get(url("ledger:reach", "en", year="2024")))

    assert re.findall(r"<strong>([\d,]+)</strong>", again)[0] == "3"
    assert re.findall(r"<strong>([\d,]+)</strong>", first)[0] == "3"


def test_a_delivery_recorded_here_is_counted_once_the_kept_figures_are_a_minute_old(
    ledger, me_client, django_capture_on_commit_callbacks, monkeypatch
):
    first = main_html(me_client.get(url("ledger:reach", "en", year="2024")))
    record_one_more(django_capture_on_commit_callbacks)
    monkeypatch.setattr(queries, "RECOUNT_AFTER_CHANGE_SECONDS", 0)

    again = main_html(me_client.get(url("ledger:reach", "en", year="2024")))

    assert re.findall(r"<strong>([\d,]+)</strong>", first)[0] == "3"
    assert re.findall(r"<strong>([\d,]+)</strong>", again)[0] == "4"


# The names behind a number ---------------------------------------------------------------------


def test_the_names_are_paginated_in_turkish_order(db, me_client, django_assert_num_queries):
    bulk_reach(60, on=dt.date(2024, 6, 1))
    Organisation.objects.filter(name="Toplu Örnek Derneği 0").update(name="Çınar Derneği")
    Organisation.objects.filter(name="Toplu Örnek Derneği 1").update(name="Zümrüt Derneği")
    Organisation.objects.filter(name="Toplu Örnek Derneği 2").update(name="Cevher Derneği")
    names_url = url("ledger:names", start="2024-01-01", end="2024-12-31", measure="organisations")

    me_client.get(names_url)  # the center's settings row is created once
    with django_assert_num_queries(15):
        first = main_html(me_client.get(names_url))
    second = main_html(me_client.get(names_url + "&page=2"))

    first_names = re.findall(r"<tr>\s*<td>([^<]+)</td>", first)
    second_names = re.findall(r"<tr>\s*<td>([^<]+)</td>", second)
    assert len(first_names) == 50
    assert len(second_names) == 10
    # C before Ç, Ç before the Ts, Z last; the page links keep the filter.
    assert first_names[:2] == ["Cevher Derneği", "Çınar Derneği"]
    assert second_names[-1] == "Zümrüt Derneği"
    assert "<strong>60</strong>" in first
    assert "start=2024-01-01&amp;end=2024-12-31&amp;measure=organisations&amp;page=2" in first
    assert "01 Haz 2024" in first or "1 Haz 2024" in first  # first reached, as Turkish shows dates


def test_the_names_page_describes_the_filter_and_leads_back(ledger, me_client):
    response = me_client.get(
        url("ledger:names", start="2024-01-01", end="2024-12-31", theme="none", measure="people")
    )

    html = main_html(response)
    assert "Can Öztürk" in html
    assert "Ilgaz Demir" in html
    assert "Şule Işık" not in html  # p1 came for B, whose themes were recorded
    assert "<dd>2024</dd>" in html
    assert (
        f'href="{url("ledger:reach")}?start=2024-01-01&amp;end=2024-12-31&amp;theme=none"' in html
    )


def test_an_unknown_measure_is_not_found(ledger, me_client):
    assert me_client.get(url("ledger:names", measure="everyone")).status_code == 404


def test_a_broken_names_link_explains_itself(ledger, me_client):
    html = main_html(
        me_client.get(url("ledger:names", start="2024-05-01", end="2024-01-01", measure="people"))
    )

    assert "<table" not in html
    assert 'role="alert"' in html

"""The staff impact dashboard, against the worked fixture of conftest.py."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.impact import figures
from kaynak.impact.dashboard import Drilldowns
from kaynak.impact.figures import BREAKDOWNS, Scope, compute_figures
from kaynak.impact.models import Measure
from kaynak.impact.services import TargetData
from kaynak.impact.tests.conftest import YEAR, Fixture, computed, manual

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dashboard(client: Client, language: str = "en", **params: str) -> Any:
    return client.get(url("impact:staff-dashboard", language=language), params)


def link_of(page: str, pattern: str) -> str:
    """The href of the first link whose markup after the href matches ``pattern``."""
    found = re.search(r'<a class="[\w-]+" href="([^"]+)"[^>]*>' + pattern, page)
    assert found, f"no link matching {pattern!r}"
    return html.unescape(found.group(1))


def names_listed(client: Client, href: str) -> set[str]:
    response = client.get(href)
    assert response.status_code == 200
    return {subject.name for subject, _first in response.context["rows"]}


def test_the_headline_shows_the_worked_figures_of_the_fixture(
    ledger: Fixture, me_officer: User
) -> None:
    response = dashboard(logged_in(me_officer), year="2025")
    assert response.status_code == 200
    cards = [(card.value, card.label) for card in response.context["cards"]]
    assert cards == [
        ("3", "organisations reached"),
        ("3", "people reached"),
        ("6", "service deliveries"),
        ("15", "hours of service"),
        ("2", "provinces reached"),
    ]
    assertContains(response, "<strong>6</strong> service deliveries", html=False)


def test_the_headline_organisations_and_people_open_their_names(
    ledger: Fixture, me_officer: User
) -> None:
    client = logged_in(me_officer)
    cards = dashboard(client, year="2025").context["cards"]
    organisations, people = cards[0], cards[1]
    assert names_listed(client, organisations.url) == {
        "Ankara Çevre Derneği",
        "İstanbul Kadın Vakfı",
        "Çankaya Gençlik Derneği",
    }
    listed = client.get(people.url).context["rows"]
    assert {person.full_name for person, _first in listed} == {
        "Şule Işık",
        "Can Öztürk",
        "Ilgaz Demir",
    }
    assert cards[2].url is None  # deliveries have no names page of their own


def test_clicking_ankara_on_the_map_lists_exactly_a_and_c(
    ledger: Fixture, me_officer: User
) -> None:
    client = logged_in(me_officer)
    page = dashboard(client, year="2025").content.decode()
    href = link_of(page, r"\s*<title>Ankara: 2 organisations, 2 people</title>")
    assert 'data-plate="06"' in page
    assert names_listed(client, href) == {"Ankara Çevre Derneği", "Çankaya Gençlik Derneği"}


def test_each_bar_opens_the_organisations_behind_it(ledger: Fixture, me_officer: User) -> None:
    client = logged_in(me_officer)
    page = dashboard(client, year="2025").content.decode()
    support = link_of(page, r"<title>Support request: 2</title>")
    training = link_of(page, r"<title>Training: 2</title>")
    foundation = link_of(page, r"<title>Foundation: 1</title>")
    assert names_listed(client, support) == {"Ankara Çevre Derneği", "Çankaya Gençlik Derneği"}
    assert names_listed(client, training) == {"Ankara Çevre Derneği", "İstanbul Kadın Vakfı"}
    assert names_listed(client, foundation) == {"İstanbul Kadın Vakfı"}


def test_the_table_views_show_people_and_deliveries_and_link_to_names(
    ledger: Fixture, me_officer: User
) -> None:
    client = logged_in(me_officer)
    response = dashboard(client, year="2025")
    by_quarter = response.context["trends"][1].table
    first_quarter = by_quarter.rows[0]
    assert [cell.text for cell in first_quarter] == ["2025 Q1", "3", "1", "3"]
    assert names_listed(client, first_quarter[1].url) == {
        "Ankara Çevre Derneği",
        "İstanbul Kadın Vakfı",
        "Çankaya Gençlik Derneği",
    }
    regions = response.context["regions"].rows
    assert {row[0].text: (row[1].text, row[2].text) for row in regions} == {
        "West Anatolia": ("2", "2"),
        "Istanbul": ("1", "1"),
    }


def test_the_drilldowns_are_the_figures_modules_for_every_row(
    ledger: Fixture, me_officer: User
) -> None:
    scope = Scope(*YEAR)
    counted = compute_figures(scope)
    links = Drilldowns(scope)
    for name in BREAKDOWNS:
        for row in getattr(counted, name):
            assert links.reach_filter(name, row.key) == figures.drilldown(scope, name, row.key)
    for plate in (1, 6, 34, 81):
        expected = figures.drilldown(scope, "by_province", str(plate))
        assert links.reach_filter("by_province", str(plate)) == expected
    assert links.reach_filter("by_month", "2025-2") == figures.drilldown(
        scope, "by_month", "2025-2"
    )
    assert links.reach_filter("by_kind", "no-such-kind") is None


def test_progress_to_target_shows_value_target_percent_and_variance(
    ledger: Fixture, me_officer: User
) -> None:
    computed(
        me_officer,
        Measure.ORGANISATIONS,
        code="O1",
        targets=[TargetData("2025", *YEAR, Decimal(4))],
    )
    manual(me_officer, code="M1")
    response = dashboard(logged_in(me_officer), year="2025")
    lines = {line.figure.code: line for line in response.context["indicators"]}
    assert (lines["O1"].value, lines["O1"].target, lines["O1"].variance) == ("3", "4", "−1")
    assert lines["O1"].progress is not None
    assertContains(response, "3 of 4 (75%)")
    assert (lines["M1"].value, lines["M1"].progress) == ("no data", None)


def test_an_invalid_period_shows_the_error_beside_the_fields_and_keeps_the_input(
    ledger: Fixture, me_officer: User
) -> None:
    response = dashboard(logged_in(me_officer), start="2025-05-01", end="2025-01-01")
    assert response.status_code == 200
    assertContains(response, "The range ends before it starts.")
    assertContains(response, 'value="2025-05-01"')
    assert "cards" not in response.context


def test_an_unknown_programme_is_an_error_and_a_known_one_narrows_the_figures(
    ledger: Fixture, me_officer: User
) -> None:
    client = logged_in(me_officer)
    wrong = dashboard(client, year="2025", programme="Nope")
    assert "programme" in wrong.context["form"].errors
    assert "cards" not in wrong.context
    narrowed = dashboard(client, year="2025", programme="Kapasite")
    assert [card.value for card in narrowed.context["cards"]] == ["1", "1", "1", "3", "1"]
    assertContains(narrowed, '<option value="Kapasite" selected>', html=False)


def test_a_period_without_deliveries_says_so_and_still_lists_the_indicators(
    ledger: Fixture, me_officer: User
) -> None:
    computed(me_officer, Measure.ORGANISATIONS, code="O1")
    response = dashboard(logged_in(me_officer), year="2020")
    assert response.status_code == 200
    assertContains(response, "No deliveries in this period")
    assert [line.value for line in response.context["indicators"]] == ["no data"]
    assertNotContains(response, 'class="chart-svg turkey-map"', html=False)


def test_visitors_log_in_and_staff_without_the_right_get_a_404(db: None) -> None:
    page = url("impact:staff-dashboard", language="en")
    assert Client().get(page).status_code == 302
    agent = StaffFactory.create(roles=[Role.SUPPORT_AGENT])
    assert logged_in(agent).get(page).status_code == 404
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    assert logged_in(coordinator).get(page).status_code == 200


@pytest.mark.parametrize(("language", "written"), [("tr", "1.500"), ("en", "1,500")])
def test_numbers_are_written_the_way_the_pages_language_writes_them(
    ledger: Fixture, me_officer: User, language: str, written: str
) -> None:
    computed(
        me_officer,
        Measure.ORGANISATIONS,
        code="O1",
        targets=[TargetData("2025", *YEAR, Decimal(1500))],
    )
    response = dashboard(logged_in(me_officer), language, year="2025")
    line = response.context["indicators"][0]
    assert line.target == written
    assertContains(response, f">{written}", html=False)


def test_the_start_page_and_the_indicators_page_link_to_the_dashboard(db: None) -> None:
    link = f'href="{url("impact:staff-dashboard", language="en")}"'
    officer = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))
    assert link in officer.get(url("portal:staff", language="en")).content.decode()
    assert link in officer.get(url("impact:staff-indicators", language="en")).content.decode()
    editor = logged_in(StaffFactory.create(roles=[Role.RADAR_EDITOR]))
    assert link not in editor.get(url("portal:staff", language="en")).content.decode()


def grow(ledger: Fixture) -> None:
    """More organisations, people, provinces, themes and deliveries than the fixture."""
    themes = list(Theme.objects.all()[:4])
    for number, plate in enumerate((1, 7, 16, 35, 42, 55, 61, 63)):
        organisation = OrganisationFactory.create(province=province(plate))
        organisation.themes.set(themes[: 1 + number % 4])
        ledger.organisations[f"x{number}"] = organisation
        ledger.people[f"q{number}"] = PersonFactory.create(province=province(plate))
        kind = "training" if number % 2 else "support"
        day = dt.date(2025, 1 + number, 3)
        ledger.record(f"x{number}", kind, day, organisation=f"x{number}", person=f"q{number}")


def test_the_page_costs_the_same_queries_whatever_the_size_of_the_ledger(
    ledger: Fixture, me_officer: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = logged_in(me_officer)
    computed(me_officer, Measure.ORGANISATIONS, code="O1")
    dashboard(client, year="2025")  # the session and the like, read once
    with CaptureQueriesContext(connection) as small:
        dashboard(client, year="2025")
    grow(ledger)
    with django_assert_num_queries(len(small.captured_queries)):
        response = dashboard(client, year="2025")
    assert response.context["cards"][4].value == "10"


def test_the_donor_report_of_the_period_is_one_click_away_for_whoever_makes_reports(
    ledger: Fixture, me_officer: User
) -> None:
    response = dashboard(logged_in(me_officer), year="2025", quarter="2", programme="Kapasite")
    link = re.search(r'href="([^"]*/staff/reports/new/\?[^"]*)"', response.content.decode())
    assert link is not None
    form = logged_in(me_officer).get(html.unescape(link.group(1))).context["form"]
    assert (form.initial["year"], form.initial["quarter"], form.initial["programme"]) == (
        "2025",
        "2",
        "Kapasite",
    )
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    assertNotContains(dashboard(logged_in(coordinator), year="2025"), "/staff/reports/new/")

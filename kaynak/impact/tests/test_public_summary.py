"""The public impact summary: only when the center switches it on, without names, and with
small people figures hidden."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import User
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import CenterSettings
from kaynak.impact.dashboard import people_phrase, shown_people
from kaynak.impact.models import Measure
from kaynak.impact.services import TargetData
from kaynak.impact.tests.conftest import YEAR, Fixture, computed
from kaynak.portal.forms import CenterSettingsForm

pytestmark = pytest.mark.django_db


def switch(on: bool) -> None:
    center = CenterSettings.current()
    center.public_impact_summary = on
    center.save()


def summary(language: str = "en", **params: str) -> Any:
    return Client().get(url("impact:public-summary", language=language), params)


def test_the_summary_is_not_there_until_the_center_switches_it_on(ledger: Fixture) -> None:
    assert summary(year="2025").status_code == 404
    home = Client().get(url("portal:home", language="en"))
    assertNotContains(home, f'href="{url("impact:public-summary", language="en")}"')
    switch(True)
    assert summary(year="2025").status_code == 200
    home = Client().get(url("portal:home", language="en"))
    assertContains(home, f'href="{url("impact:public-summary", language="en")}"')


def test_the_center_settings_form_has_the_switch() -> None:
    assert "public_impact_summary" in CenterSettingsForm.base_fields


def test_it_shows_the_headline_and_only_the_public_indicators(
    ledger: Fixture, me_officer: User
) -> None:
    switch(True)
    computed(
        me_officer,
        Measure.ORGANISATIONS,
        code="PUB1",
        is_public=True,
        targets=[TargetData("2025", *YEAR, Decimal(6))],
    )
    computed(me_officer, Measure.ORGANISATIONS, code="INTERNAL1")
    response = summary(year="2025")
    assert [line.figure.code for line in response.context["indicators"]] == ["PUB1"]
    assertContains(response, "PUB1")
    assertNotContains(response, "INTERNAL1")
    assertContains(response, "3 of 6 (50%)")
    # Three people in all: fewer than five.
    assert [card.value for card in response.context["cards"]] == ["3", "<5", "6", "15", "2"]


@pytest.mark.parametrize("language", ["tr", "en"])
def test_there_are_no_links_to_names_on_the_public_page(ledger: Fixture, language: str) -> None:
    switch(True)
    page = summary(language, year="2025").content.decode()
    assert url("ledger:names", language=language) not in page
    assert "/erisim/" not in page
    assert "/reach/" not in page
    assert 'class="map-link"' not in page
    assert 'a class="chart-item"' not in page


def test_a_province_with_one_person_shows_fewer_than_five(ledger: Fixture) -> None:
    switch(True)
    response = summary(year="2025")
    istanbul = next(row for row in response.context["map"].table.rows if row[0].text == "Istanbul")
    assert [cell.text for cell in istanbul] == ["Istanbul", "1", "<5"]
    assert all(cell.url is None for cell in istanbul)
    assertContains(response, "<title>Istanbul: 1 organisation, &lt;5 people</title>", html=False)
    by_kind = {row[0].text: row[2].text for row in response.context["breakdowns"][0].table.rows}
    assert by_kind == {"Training": "<5", "Support request": "<5"}
    assertNotContains(response, "1 person", html=False)


def test_the_staff_dashboard_shows_small_people_figures_as_they_are(
    ledger: Fixture, me_officer: User
) -> None:
    client = Client()
    client.force_login(me_officer)
    response = client.get(url("impact:staff-dashboard", language="en"), {"year": "2025"})
    assertContains(response, "<title>Istanbul: 1 organisation, 1 person</title>", html=False)


def test_small_people_figures_are_hidden_only_from_one_to_four() -> None:
    assert [shown_people(n, public=True) for n in (0, 1, 4, 5)] == ["0", "<5", "<5", "5"]
    assert shown_people(3, public=False) == "3"
    assert people_phrase(1, public=True) == "<5 people"
    assert people_phrase(1, public=False) == "1 person"


def test_the_year_is_one_that_has_deliveries_or_this_year(ledger: Fixture) -> None:
    switch(True)
    response = summary(year="1990")
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert "cards" not in response.context
    years = [value for value, _label in response.context["form"].fields["year"].choices]
    assert {"2024", "2025"} <= set(years)


def test_a_year_without_deliveries_says_so(db: None) -> None:
    switch(True)
    response = summary()
    assert response.status_code == 200
    assertContains(response, "No deliveries in this period")


def test_the_turkish_page_writes_numbers_the_turkish_way(ledger: Fixture, me_officer: User) -> None:
    switch(True)
    computed(
        me_officer,
        Measure.ORGANISATIONS,
        code="PUB1",
        is_public=True,
        targets=[TargetData("2025", *YEAR, Decimal(1500))],
    )
    assertContains(summary("tr", year="2025"), "1.500")
    assertContains(summary("en", year="2025"), "1,500")


def test_an_indicator_counting_fewer_than_five_people_is_hidden_with_its_progress(
    ledger: Fixture, me_officer: User
) -> None:
    switch(True)
    computed(
        me_officer,
        Measure.PEOPLE,
        code="PUB2",
        is_public=True,
        targets=[TargetData("2025", *YEAR, Decimal(10))],
    )
    [line] = summary(year="2025").context["indicators"]
    # Three people, a target of ten: neither 3 nor the variance −7 nor 30% is shown.
    assert (line.value, line.variance, line.percent, line.progress) == ("<5", "—", "—", None)
    staff = Client()
    staff.force_login(me_officer)
    [line] = staff.get(url("impact:staff-dashboard", language="en"), {"year": "2025"}).context[
        "indicators"
    ]
    assert line.value == "3"

"""The impact API: indicator results (JSON and CSV) for M&E staff, the open-data CSV for
everyone once the center shows its impact in public, and periods that are not valid explained
in the house error format and the request's language."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, api_token_for
from kaynak.core.models import CenterSettings
from kaynak.impact import exports
from kaynak.impact.models import Measure
from kaynak.impact.services import TargetData
from kaynak.impact.tests.conftest import Q1, YEAR, Fixture, computed, manual

API = "/api/v1/impact"


def bearer(user: User) -> dict[str, str]:
    _token, raw = api_token_for(user)
    return {"Authorization": f"Bearer {raw}"}


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def switch_public_summary(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    """Turn the center's public impact summary on or off (the field, once it exists)."""
    center = CenterSettings.current()
    if hasattr(center, "public_impact_summary"):
        center.public_impact_summary = on
        center.save()
    else:
        monkeypatch.setattr(exports, "public_impact_summary_on", lambda: on)


@pytest.fixture
def indicators(ledger: Fixture, me_officer: User) -> None:
    computed(
        me_officer,
        Measure.ORGANISATIONS,
        code="O1",
        targets=[TargetData("2025", *YEAR, Decimal(4))],
        baseline_value=Decimal("1.50"),
    )
    manual(me_officer, code="M1")


def test_results_of_a_year_equal_the_hand_count(indicators: None, me_officer: User) -> None:
    response = Client().get(f"{API}/indicators", {"year": "2025"}, headers=bearer(me_officer))
    assert response.status_code == 200
    manual_result, organisations = response.json()
    # 2025: organisations A, B, C = 3 against a target of 4 (see conftest).
    assert organisations == {
        "code": "O1",
        "name_tr": "Gösterge O1",
        "name_en": "Indicator O1",
        "level": "output",
        "unit": "organisations",
        "method": "computed",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "value": 3.0,
        "target": {"label": "2025", "start": "2025-01-01", "end": "2025-12-31", "value": 4.0},
        "variance": -1.0,
        "percent_of_target": 75.0,
        "baseline": 1.5,
        "has_data": True,
    }
    assert manual_result["code"] == "M1"
    no_data = ("value", "target", "variance", "percent_of_target", "has_data")
    assert [manual_result[name] for name in no_data] == [None, None, None, None, False]


def test_a_quarter_and_a_range_of_dates_choose_the_period(
    indicators: None, me_officer: User
) -> None:
    client = Client(headers=bearer(me_officer))
    by_quarter = client.get(f"{API}/indicators", {"year": "2025", "quarter": "2"}).json()
    # Q2 2025: A only (d4, d5); the year's target holds the quarter.
    assert (by_quarter[1]["start"], by_quarter[1]["end"]) == ("2025-04-01", "2025-06-30")
    assert by_quarter[1]["value"] == 1.0
    by_dates = client.get(f"{API}/indicators", {"start": "2025-01-01", "end": "2025-03-31"})
    assert by_dates.json()[1]["value"] == 3.0  # Q1: A, B, C
    assert by_dates.json()[1]["start"] == Q1[0].isoformat()


def test_the_csv_holds_the_same_results(indicators: None, me_officer: User) -> None:
    response = Client().get(
        f"{API}/indicators.csv", {"year": "2025", "quarter": "1"}, headers=bearer(me_officer)
    )
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    assert 'filename="kaynak-gostergeler-2025-q1.csv"' in response["Content-Disposition"]
    rows = read_csv(response.content)
    assert [(r["code"], r["value"], r["target"]) for r in rows] == [
        ("M1", "", ""),
        ("O1", "3", "4"),
    ]


def test_visitors_must_authenticate_and_staff_need_the_right(
    indicators: None, client: Client
) -> None:
    for path in ("indicators", "indicators.csv"):
        response = client.get(f"{API}/{path}")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
        agent = StaffFactory.create(roles=[Role.SUPPORT_AGENT])
        refused = client.get(f"{API}/{path}", headers=bearer(agent))
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "permission_denied"
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    assert client.get(f"{API}/indicators", headers=bearer(coordinator)).status_code == 200


@pytest.mark.parametrize(
    ("query", "language", "field", "message"),
    [
        ({"start": "2025-02-30", "end": "2025-03-31"}, "en", "start", "Enter a valid date."),
        ({"start": "2025-06-01", "end": "2025-03-31"}, "en", "end", "The range ends before"),
        ({"quarter": "2"}, "en", "year", "Give the year of the quarter too."),
        ({"start": "2025-01-01"}, "en", "end", "Give the last day of the range too."),
        ({"start": "yarın", "end": "2025-03-31"}, "tr", "start", "Geçerli bir tarih girin."),
    ],
)
@pytest.mark.parametrize("path", ["indicators", "indicators.csv", "open-data.csv"])
def test_a_wrong_period_is_a_422_explained_in_the_request_language(
    me_officer: User,
    path: str,
    query: dict[str, str],
    language: str,
    field: str,
    message: str,
) -> None:
    response = Client().get(
        f"{API}/{path}", query, headers=bearer(me_officer) | {"Accept-Language": language}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_period"
    assert message in error["message"]
    assert error["details"][0]["field"] == field


def test_the_open_data_is_hidden_until_the_center_shows_its_impact(
    ledger: Fixture, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch_public_summary(monkeypatch, False)
    hidden = client.get(f"{API}/open-data.csv", {"year": "2025"})
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    agent = StaffFactory.create(roles=[Role.SUPPORT_AGENT])
    refused = client.get(f"{API}/open-data.csv", {"year": "2025"}, headers=bearer(agent))
    assert refused.status_code == 404
    switch_public_summary(monkeypatch, True)
    shown = client.get(f"{API}/open-data.csv", {"year": "2025"})
    assert shown.status_code == 200
    assert 'filename="kaynak-acik-veri-2025.csv"' in shown["Content-Disposition"]
    assert len(read_csv(shown.content)) == 5


def test_staff_with_the_right_read_the_open_data_even_when_it_is_not_public(
    ledger: Fixture, me_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch_public_summary(monkeypatch, False)
    response = Client().get(
        f"{API}/open-data.csv",
        {"start": "2025-01-01", "end": "2025-03-31"},
        headers=bearer(me_officer),
    )
    assert response.status_code == 200
    rows = read_csv(response.content)
    # Q1: A and C in Ankara (no people), p1 for B in İstanbul (1 person: suppressed).
    assert [(r["province_code"], r["service_kind"], r["people"]) for r in rows] == [
        ("6", "training", "0"),
        ("6", "support", "0"),
        ("34", "training", ""),
    ]


def test_each_indicator_costs_one_query_more(
    ledger: Fixture, me_officer: User, django_assert_num_queries: Any
) -> None:
    client = Client(headers=bearer(me_officer))
    computed(me_officer, Measure.ORGANISATIONS, code="O1")
    computed(me_officer, Measure.PEOPLE, code="O2")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/indicators").status_code == 200
        return len(queries)

    count()  # the first use of a token notes when it was used
    two = count()
    computed(me_officer, Measure.DELIVERIES, code="O3")
    computed(me_officer, Measure.HOURS, code="O4")
    assert count() == two + 2
    # The token, the user and their roles; six prefetches; one query per indicator.
    with django_assert_num_queries(two + 2):
        client.get(f"{API}/indicators")


def test_the_open_data_costs_a_few_queries_whatever_the_ledger(
    ledger: Fixture, me_officer: User, django_assert_max_num_queries: Any
) -> None:
    headers = bearer(me_officer)
    # The token and the user's rights, the switch, three for the figures.
    with django_assert_max_num_queries(8):
        response = Client().get(f"{API}/open-data.csv", {"year": "2025"}, headers=headers)
    assert response.status_code == 200

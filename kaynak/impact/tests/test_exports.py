"""Exports: the indicator results as CSV, the open-data set with small people figures suppressed,
and the staff and public downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.models import CenterSettings
from kaynak.directory.tests.factories import (
    PersonFactory,
    RecordedServiceFactory,
    province,
    service_kind,
)
from kaynak.impact import exports, results
from kaynak.impact.exports import OpenDataRow
from kaynak.impact.models import Measure
from kaynak.impact.services import IndicatorFilters, TargetData
from kaynak.impact.tests.conftest import Q1, YEAR, Fixture, computed, manual
from kaynak.ledger.services import record_delivery


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read Turkish letters"
    return list(csv.DictReader(io.StringIO(text[1:])))


def year_results(actor: User) -> list[results.Result]:
    return results.indicator_table(results.indicators_for_table(), start=YEAR[0], end=YEAR[1])


def three_indicators(actor: User) -> None:
    computed(
        actor,
        Measure.ORGANISATIONS,
        code="O1",
        targets=[TargetData("2025", *YEAR, Decimal(4))],
        baseline_value=Decimal("1.50"),
    )
    manual(actor, code="M1")
    computed(
        actor,
        Measure.PEOPLE,
        code="O2",
        filters=IndicatorFilters(kinds=[service_kind("school")]),
        targets=[TargetData("2025", *YEAR, Decimal(10))],
    )


# Indicator results -----------------------------------------------------------------------------


def test_the_results_csv_holds_each_indicator_against_its_target(
    ledger: Fixture, me_officer: User
) -> None:
    three_indicators(me_officer)
    with translation.override("en"):
        rows = read_csv(exports.indicator_results_csv(year_results(me_officer)))
    assert list(rows[0]) == list(exports.INDICATOR_COLUMNS)
    assert [r["code"] for r in rows] == ["M1", "O1", "O2"]  # their order: position, code
    # 2025: organisations A, B, C = 3 against a target of 4 (see conftest).
    assert rows[1] == {
        "code": "O1",
        "name": "Indicator O1",
        "level": "output",
        "unit": "organisations",
        "method": "computed",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "value": "3",
        "target_label": "2025",
        "target": "4",
        "variance": "-1",
        "percent_of_target": "75",
        "baseline": "1.5",
    }


def test_no_data_is_an_empty_cell_never_a_zero(ledger: Fixture, me_officer: User) -> None:
    three_indicators(me_officer)
    with translation.override("tr"):
        rows = read_csv(exports.indicator_results_csv(year_results(me_officer)))
    manual_row, school_row = rows[0], rows[2]
    assert manual_row["code"] == "M1"
    assert manual_row["name"] == "Üretilen yayınlar"  # in the language asked for
    for row in (manual_row, school_row):
        assert row["value"] == row["variance"] == row["percent_of_target"] == ""
    assert school_row["target"] == "10"
    assert manual_row["target"] == manual_row["target_label"] == ""


def test_text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(
    ledger: Fixture, me_officer: User
) -> None:
    computed(me_officer, Measure.ORGANISATIONS, code="=HYPERLINK(1)")
    rows = read_csv(exports.indicator_results_csv(year_results(me_officer)))
    assert rows[0]["code"] == "'=HYPERLINK(1)"


def test_numbers_are_written_for_machines() -> None:
    assert exports.decimal_text(Decimal("1234.50")) == "1234.5"
    assert exports.decimal_text(Decimal("-3.00")) == "-3"
    assert exports.decimal_text(Decimal("1E+3")) == "1000"
    assert exports.machine_text(None) == ""
    assert exports.machine_text(True) == "true"
    assert exports.machine_text(dt.date(2025, 4, 1)) == "2025-04-01"


# Open data -------------------------------------------------------------------------------------


def test_the_open_data_set_equals_the_hand_count_with_small_figures_suppressed(
    ledger: Fixture, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3), translation.override("en"):
        rows = exports.open_data_rows(*YEAR)
    # Q1: A (training) and C (support) in Ankara, p1 for B in İstanbul (training);
    # Q2: p2 for A (training), A and p3 (support) in Ankara. d6 is 2024, d8 withdrawn.
    assert [row.cells() for row in rows] == [
        (2025, 1, 6, "Ankara", "training", "Training", 1, 0, False),
        (2025, 1, 6, "Ankara", "support", "Support request", 1, 0, False),
        (2025, 1, 34, "İstanbul", "training", "Training", 1, None, True),
        (2025, 2, 6, "Ankara", "training", "Training", 1, None, True),
        (2025, 2, 6, "Ankara", "support", "Support request", 1, None, True),
    ]


def people_in(plate: int, kind: str, count: int, date: dt.date) -> None:
    source = RecordedServiceFactory.create(kind=service_kind(kind), date=date)
    for _ in range(count):
        record_delivery(
            kind=kind,
            source=source,
            date=date,
            person=PersonFactory.create(province=province(plate)),
        )


def test_a_province_with_three_people_is_suppressed_and_so_is_the_next_smallest(
    db: None,
) -> None:
    day = dt.date(2025, 8, 1)
    people_in(35, "training", 3, day)
    people_in(35, "support", 6, day)
    people_in(35, "coaching", 8, day)
    people_in(6, "support", 5, day)  # another province: its 5 is published as it is
    rows = {(row.province_code, row.kind_slug): row for row in exports.open_data_rows(*YEAR)}

    def shown(plate: int, kind: str) -> tuple[int | None, bool]:
        return rows[plate, kind].people, rows[plate, kind].people_suppressed

    assert shown(35, "training") == (None, True)
    # Otherwise İzmir's total of 17 people less 6 and 8 would give the 3 back.
    assert shown(35, "support") == (None, True)
    assert shown(35, "coaching") == (8, False)
    assert shown(6, "support") == (5, False)


def row(kind: str, people: int, *, plate: int | None = 6, quarter: int = 1) -> OpenDataRow:
    return OpenDataRow(2025, quarter, plate, "", kind, kind, 1, people, False)


def test_secondary_suppression_skips_zeros_and_needs_exactly_one_hidden_cell() -> None:
    suppressed = exports.suppress_small_people_counts(
        [
            row("training", 2),
            row("support", 0),
            row("coaching", 9),
            row("webinar", 7),
            # Two hidden in this group already: neither hides the other's neighbours.
            row("training", 1, quarter=2),
            row("support", 4, quarter=2),
            row("coaching", 20, quarter=2),
            # The province not recorded is a group of its own.
            row("training", 12, plate=None),
        ]
    )
    assert [r.people for r in suppressed] == [None, 0, 9, None, None, None, 20, 12]
    assert [r.people_suppressed for r in suppressed] == [
        True,
        False,
        False,
        True,
        True,
        True,
        False,
        False,
    ]


def test_organisations_are_never_suppressed(ledger: Fixture) -> None:
    rows = read_csv(exports.open_data_csv(*YEAR))
    assert [r["organisations"] for r in rows] == ["1"] * 5
    assert [r["people"] for r in rows] == ["0", "0", "", "", ""]
    assert [r["people_suppressed"] for r in rows] == ["false", "false", "true", "true", "true"]


def test_no_column_holds_a_name_or_an_address(ledger: Fixture) -> None:
    text = exports.open_data_csv(*YEAR)
    assert list(read_csv(text)[0]) == list(exports.OPEN_DATA_COLUMNS)
    for organisation in ledger.organisations.values():
        assert organisation.name not in text
    for person in ledger.people.values():
        assert person.full_name not in text
        for email in person.emails:
            assert email not in text
        assert "@" not in text


def test_a_period_with_no_delivery_gives_the_header_only(ledger: Fixture) -> None:
    assert read_csv(exports.open_data_csv(*exports.period_from_query({"year": "2023"}))) == []


# Periods ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "period"),
    [
        ({"year": "2025"}, YEAR),
        ({"year": "2025", "quarter": "1"}, Q1),
        ({"start": "2025-01-01", "end": "2025-03-31", "year": "2024"}, Q1),
    ],
)
def test_the_period_is_read_as_the_indicator_page_reads_it(
    query: dict[str, str], period: tuple[dt.date, dt.date]
) -> None:
    assert exports.period_from_query(query) == period


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2025-13-01", "end": "2025-12-31"}, "start", "Enter a valid date."),
        ({"start": "2025-05-01", "end": "2025-04-01"}, "end", "The range ends before it starts."),
        ({"quarter": "2"}, "year", "Give the year of the quarter too."),
        ({"year": "2025", "quarter": "5"}, "quarter", "Select a valid choice."),
    ],
)
def test_a_wrong_period_is_explained(query: dict[str, str], field: str, message: str) -> None:
    with translation.override("en"), pytest.raises(exports.PeriodError) as raised:
        exports.period_from_query(query, quarter_needs_year=True)
    assert message in raised.value.errors[field][0]


def test_file_names_name_the_period() -> None:
    assert exports.period_slug(*YEAR) == "2025"
    assert exports.period_slug(*Q1) == "2025-q1"
    assert exports.period_slug(dt.date(2025, 1, 1), dt.date(2025, 3, 15)) == (
        "2025-01-01_2025-03-15"
    )


# Downloads -------------------------------------------------------------------------------------


def url(name: str, language: str = "tr") -> str:
    with translation.override(language):
        return reverse(name)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def switch_public_summary(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    """Turn the center's public impact summary on or off (the field, once it exists)."""
    center = CenterSettings.current()
    if hasattr(center, "public_impact_summary"):
        center.public_impact_summary = on
        center.save()
    else:
        monkeypatch.setattr(exports, "public_impact_summary_on", lambda: on)


def test_staff_download_the_results_of_the_page_period(ledger: Fixture, me_officer: User) -> None:
    three_indicators(me_officer)
    response = logged_in(me_officer).get(
        url("impact:staff-results-csv"), {"year": "2025", "quarter": "1"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="kaynak-gostergeler-2025-q1.csv"' in response["Content-Disposition"]
    rows = read_csv(response.content.decode("utf-8"))
    # Q1 2025: A, B and C.
    assert [(r["code"], r["value"]) for r in rows] == [("M1", ""), ("O1", "3"), ("O2", "")]


def test_the_indicator_page_links_to_both_downloads_with_its_period(
    ledger: Fixture, me_officer: User
) -> None:
    page = logged_in(me_officer).get(url("impact:staff-indicators"), {"year": "2025"})
    html = page.content.decode()
    assert f'href="{url("impact:staff-results-csv")}?year=2025"' in html
    assert f'href="{url("impact:staff-open-data-csv")}?year=2025"' in html


def test_downloads_need_the_right_to_view_indicators(ledger: Fixture) -> None:
    for name in ("impact:staff-results-csv", "impact:staff-open-data-csv"):
        assert Client().get(url(name)).status_code == 302
        agent = StaffFactory.create(roles=[Role.SUPPORT_AGENT])
        assert logged_in(agent).get(url(name)).status_code == 404


def test_a_wrong_period_in_a_download_is_a_bad_request(me_officer: User) -> None:
    response = logged_in(me_officer).get(
        url("impact:staff-open-data-csv", "en"), {"start": "2025-05-01", "end": "2025-04-01"}
    )
    assert response.status_code == 400
    assert "The range ends before it starts." in response.content.decode()


def test_the_public_open_data_is_there_only_when_the_center_shows_its_impact(
    ledger: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch_public_summary(monkeypatch, False)
    assert Client().get(url("impact:open-data-csv"), {"year": "2025"}).status_code == 404
    switch_public_summary(monkeypatch, True)
    response = Client().get(url("impact:open-data-csv"), {"year": "2025"})
    assert response.status_code == 200
    assert 'filename="kaynak-acik-veri-2025.csv"' in response["Content-Disposition"]
    assert len(read_csv(response.content.decode("utf-8"))) == 5

"""Indicator values against a hand-computed expectation (see conftest's table)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaynak.accounts.models import User
from kaynak.core.models import ApplicantType, Province, Region
from kaynak.directory.merging.services import organisation_merge
from kaynak.directory.models import Gender
from kaynak.directory.privacy import person_erase
from kaynak.directory.tests.factories import province, service_kind
from kaynak.impact import results, services
from kaynak.impact.models import Indicator, Measure, Reached
from kaynak.impact.services import IndicatorFilters, TargetData
from kaynak.impact.tests.conftest import Q1, Q2, Q3, YEAR, Fixture, computed, manual, theme
from kaynak.ledger import outcomes
from kaynak.ledger.services import withdraw_delivery


def value_of(actor: User, measure: Measure, period: tuple[dt.date, dt.date] = YEAR, **kw):
    indicator = computed(actor, measure, **kw)
    start, end = period
    return results.indicator_result(indicator, start=start, end=end).value


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        (Measure.ORGANISATIONS, 3),
        (Measure.PEOPLE, 3),
        (Measure.DELIVERIES, 6),
        (Measure.HOURS, 15),
    ],
)
def test_each_measure_counts_the_year_as_worked_out_on_paper(
    ledger: Fixture, me_officer: User, measure: Measure, expected: int
) -> None:
    assert value_of(me_officer, measure) == Decimal(expected)


@pytest.mark.parametrize(
    ("period", "organisations", "people", "deliveries", "hours"),
    [(Q1, 3, 1, 3, 12), (Q2, 1, 2, 3, 3), (Q3, None, None, None, None)],
)
def test_each_quarter_counts_its_own_deliveries(
    ledger: Fixture,
    me_officer: User,
    period: tuple[dt.date, dt.date],
    organisations: int | None,
    people: int | None,
    deliveries: int | None,
    hours: int | None,
) -> None:
    measured = {
        measure: value_of(me_officer, measure, period, code=f"T-{measure}") for measure in Measure
    }
    assert measured == {
        Measure.ORGANISATIONS: organisations,
        Measure.PEOPLE: people,
        Measure.DELIVERIES: deliveries,
        Measure.HOURS: hours,
    }


def test_a_service_kind_filter_counts_only_that_service(ledger: Fixture, me_officer: User) -> None:
    training = IndicatorFilters(kinds=[service_kind("training")])
    support = IndicatorFilters(kinds=[service_kind("support")])
    assert value_of(me_officer, Measure.ORGANISATIONS, code="a", filters=training) == 2
    assert value_of(me_officer, Measure.PEOPLE, code="b", filters=training) == 2
    assert value_of(me_officer, Measure.HOURS, code="c", filters=training) == 15
    assert value_of(me_officer, Measure.ORGANISATIONS, code="d", filters=support) == 2
    assert value_of(me_officer, Measure.PEOPLE, code="e", filters=support) == 1
    assert value_of(me_officer, Measure.HOURS, code="f", filters=support) == 0
    both = IndicatorFilters(kinds=[service_kind("training"), service_kind("support")])
    assert value_of(me_officer, Measure.DELIVERIES, code="g", filters=both) == 6


def test_province_and_region_filters_count_the_deliveries_made_there(
    ledger: Fixture, me_officer: User
) -> None:
    istanbul = IndicatorFilters(provinces=[province(34)])
    ankara = IndicatorFilters(provinces=[province(6)])
    west_anatolia = IndicatorFilters(regions=[Region.objects.get(code="TR5")])
    either = IndicatorFilters(provinces=[province(34)], regions=[Region.objects.get(code="TR5")])
    assert value_of(me_officer, Measure.ORGANISATIONS, code="a", filters=istanbul) == 1
    assert value_of(me_officer, Measure.PEOPLE, code="b", filters=istanbul) == 1
    assert value_of(me_officer, Measure.ORGANISATIONS, code="c", filters=ankara) == 2
    assert value_of(me_officer, Measure.DELIVERIES, code="d", filters=ankara) == 5
    assert value_of(me_officer, Measure.DELIVERIES, code="e", filters=west_anatolia) == 5
    assert value_of(me_officer, Measure.DELIVERIES, code="f", filters=either) == 6
    nowhere = IndicatorFilters(provinces=[Province.objects.get(plate_code=65)])
    assert value_of(me_officer, Measure.ORGANISATIONS, code="g", filters=nowhere) is None


def test_theme_filter_counts_a_delivery_once_whatever_its_other_themes(
    ledger: Fixture, me_officer: User
) -> None:
    ledger.deliveries["d5"].themes.add(theme("women"))
    environment = IndicatorFilters(themes=[theme("environment")])
    two_themes = IndicatorFilters(themes=[theme("environment"), theme("women")])
    assert value_of(me_officer, Measure.ORGANISATIONS, code="a", filters=environment) == 1
    assert value_of(me_officer, Measure.PEOPLE, code="b", filters=environment) == 1
    assert value_of(me_officer, Measure.DELIVERIES, code="c", filters=environment) == 3
    assert value_of(me_officer, Measure.DELIVERIES, code="d", filters=two_themes) == 3


def test_organisation_type_programme_and_gender_filters(ledger: Fixture, me_officer: User) -> None:
    foundations = IndicatorFilters(
        organisation_types=[ApplicantType.objects.get(slug="foundation")]
    )
    assert value_of(me_officer, Measure.ORGANISATIONS, code="a", filters=foundations) == 1
    assert value_of(me_officer, Measure.PEOPLE, code="b", filters=foundations) == 1
    assert value_of(me_officer, Measure.DELIVERIES, code="c", programme="Kapasite") == 1
    assert value_of(me_officer, Measure.PEOPLE, code="d", gender=Gender.WOMAN) == 2
    assert value_of(me_officer, Measure.ORGANISATIONS, code="e", gender=Gender.WOMAN) == 1
    assert value_of(me_officer, Measure.PEOPLE, code="f", gender=Gender.MAN) == 1


def test_first_time_and_returning_split_by_when_someone_was_first_reached(
    ledger: Fixture, me_officer: User
) -> None:
    first, again = Reached.FIRST_TIME, Reached.RETURNING
    assert value_of(me_officer, Measure.ORGANISATIONS, code="a", reached=first) == 2
    assert value_of(me_officer, Measure.ORGANISATIONS, code="b", reached=again) == 1
    assert value_of(me_officer, Measure.PEOPLE, code="c", reached=first) == 3
    assert value_of(me_officer, Measure.PEOPLE, code="d", reached=again) == 0
    # In Q2 organisation A was reached before (February): it returns.
    assert value_of(me_officer, Measure.ORGANISATIONS, Q2, code="e", reached=first) == 0
    assert value_of(me_officer, Measure.ORGANISATIONS, Q2, code="f", reached=again) == 1
    # Deliveries by their subject: d4 (p2, new) and d7 (p3, new) first-time; d5 (A) returning.
    assert value_of(me_officer, Measure.DELIVERIES, Q2, code="g", reached=first) == 2
    assert value_of(me_officer, Measure.DELIVERIES, Q2, code="h", reached=again) == 1


def test_the_target_whose_period_holds_the_one_asked_for_is_picked(
    ledger: Fixture, me_officer: User
) -> None:
    indicator = computed(
        me_officer,
        Measure.ORGANISATIONS,
        targets=[
            TargetData("2025 Q1", *Q1, value=Decimal(4)),
            TargetData("2025 Q2", *Q2, value=Decimal(2)),
            TargetData("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), value=Decimal(10)),
        ],
        baseline_value=Decimal(1),
    )
    q1 = results.indicator_result(indicator, start=Q1[0], end=Q1[1])
    assert q1.value == 3
    assert q1.target is not None
    assert q1.target.label == "2025 Q1"
    assert q1.variance == -1
    assert q1.percent_of_target == Decimal("75.0")
    assert q1.baseline == 1
    march = results.indicator_result(indicator, start=dt.date(2025, 3, 1), end=Q1[1])
    assert march.target is not None
    assert march.target.label == "2025 Q1"
    # The year is not held by any one target: no target, no variance.
    year = results.indicator_result(indicator, start=YEAR[0], end=YEAR[1])
    assert (year.target, year.variance, year.percent_of_target) == (None, None, None)


def test_a_year_target_applies_to_each_of_its_quarters(ledger: Fixture, me_officer: User) -> None:
    indicator = computed(
        me_officer, Measure.DELIVERIES, targets=[TargetData("2025", *YEAR, value=Decimal(12))]
    )
    table = results.indicator_table(
        results.indicators_for_table().filter(pk=indicator.pk), start=Q2[0], end=Q2[1]
    )
    assert [(r.value, r.variance, r.percent_of_target) for r in table] == [
        (Decimal(3), Decimal(-9), Decimal("25.0"))
    ]


def test_a_filter_that_selects_nothing_is_no_data_not_an_error(
    ledger: Fixture, me_officer: User
) -> None:
    coaching = IndicatorFilters(kinds=[service_kind("coaching")])
    result = results.indicator_result(
        computed(me_officer, Measure.PEOPLE, filters=coaching), start=YEAR[0], end=YEAR[1]
    )
    assert result.value is None
    assert not result.has_data


def test_first_time_is_zero_not_no_data_when_everyone_selected_returns(
    ledger: Fixture, me_officer: User
) -> None:
    support_in_march = IndicatorFilters(kinds=[service_kind("support")])
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    # d3: C, reached in 2024 already.
    assert (
        value_of(me_officer, Measure.ORGANISATIONS, march, filters=support_in_march,
                 reached=Reached.FIRST_TIME)
        == 0
    )  # fmt: skip


# The three cases of issue 8, item 6.


def test_a_merged_organisation_counts_once(ledger: Fixture, me_officer: User) -> None:
    indicator = computed(me_officer, Measure.ORGANISATIONS)
    first_time = computed(me_officer, Measure.ORGANISATIONS, code="T2", reached=Reached.FIRST_TIME)
    assert results.indicator_result(indicator, start=YEAR[0], end=YEAR[1]).value == 3
    organisation_merge(
        survivor=ledger.organisations["A"],
        merged=ledger.organisations["C"],
        values={},
        actor=me_officer,
    )
    assert results.indicator_result(indicator, start=YEAR[0], end=YEAR[1]).value == 2
    # C's 2024 training now belongs to A: A was reached before 2025, only B is new.
    assert results.indicator_result(first_time, start=YEAR[0], end=YEAR[1]).value == 1
    deliveries = computed(me_officer, Measure.DELIVERIES, code="T3")
    assert results.indicator_result(deliveries, start=YEAR[0], end=YEAR[1]).value == 6


def test_a_withdrawn_attendance_no_longer_counts(ledger: Fixture, me_officer: User) -> None:
    measured = {m: computed(me_officer, m, code=f"T-{m}") for m in Measure}

    def values() -> dict[Measure, Decimal | None]:
        return {
            m: results.indicator_result(i, start=YEAR[0], end=YEAR[1]).value
            for m, i in measured.items()
        }

    assert values() == {"organisations": 3, "people": 3, "deliveries": 6, "hours": 15}
    withdraw_delivery(
        source=ledger.sources["d2"],
        organisation=ledger.organisations["B"],
        person=ledger.people["p1"],
    )
    assert values() == {"organisations": 2, "people": 2, "deliveries": 5, "hours": 9}


def test_an_erased_persons_deliveries_still_count(ledger: Fixture, me_officer: User) -> None:
    people = computed(me_officer, Measure.PEOPLE)
    hours = computed(me_officer, Measure.HOURS, code="T2")
    women = computed(me_officer, Measure.PEOPLE, code="T3", gender=Gender.WOMAN)
    person_erase(person=ledger.people["p1"], actor=me_officer)
    assert results.indicator_result(people, start=YEAR[0], end=YEAR[1]).value == 3
    assert results.indicator_result(hours, start=YEAR[0], end=YEAR[1]).value == 15
    # Erasure clears the gender: the erased woman is no longer counted as one.
    assert results.indicator_result(women, start=YEAR[0], end=YEAR[1]).value == 1


# Manual and outcome indicators.


def test_manual_values_sum_the_approved_ones_within_the_period(
    ledger: Fixture, me_officer: User, center_admin: User
) -> None:
    indicator = manual(me_officer)

    def enter(period: tuple[dt.date, dt.date], value: str, decide: str = "approve") -> None:
        entered = services.manual_value_enter(
            indicator=indicator,
            period_start=period[0],
            period_end=period[1],
            value=value,
            actor=me_officer,
        )
        if decide == "approve":
            services.manual_value_approve(value=entered, actor=center_admin)
        elif decide == "reject":
            services.manual_value_reject(value=entered, reason="Kanıt yok", actor=center_admin)

    enter(Q1, "5")
    enter(Q2, "7,5")
    enter(Q2, "100", decide="")
    enter(Q2, "50", decide="reject")
    enter(YEAR, "20")
    assert results.indicator_result(indicator, start=YEAR[0], end=YEAR[1]).value == Decimal("32.50")
    assert results.indicator_result(indicator, start=Q1[0], end=Q1[1]).value == 5
    nothing = results.indicator_result(indicator, start=Q3[0], end=Q3[1])
    assert nothing.value is None
    assert not nothing.has_data


def test_an_outcome_indicator_reads_the_registered_measure(
    db: None, me_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outcomes, "_measures", {})
    outcomes.register(
        "test-gain", "Test", lambda start, end: Decimal("1.5") if start.month == 1 else None
    )
    indicator = services.indicator_create(
        indicator=Indicator(
            code="OC1", name_tr="Kazanım", name_en="Gain", unit="score", method="outcome",
            outcome_slug="test-gain",
        ),
        filters=IndicatorFilters(),
        actor=me_officer,
    )  # fmt: skip
    assert results.indicator_result(indicator, start=Q1[0], end=Q1[1]).value == Decimal("1.5")
    assert results.indicator_result(indicator, start=Q2[0], end=Q2[1]).value is None

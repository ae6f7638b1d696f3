"""Computed indicators read from the ledger's summary tables give exactly the value counted from
the deliveries — "no data" and 0 included — for every filter the summary keeps; the others, and
periods that are not whole quarters, are still counted from the deliveries."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaynak.accounts.models import User
from kaynak.core.models import Province, Region, Theme
from kaynak.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    province,
    service_kind,
)
from kaynak.impact.models import Indicator, Measure, Method
from kaynak.impact.results import (
    NOT_SUMMARISED,
    indicator_table,
    indicators_for_table,
    ledger_value,
    summary_value,
)
from kaynak.impact.tests.conftest import Q1, Q2, Q3, YEAR, Fixture, computed
from kaynak.ledger.models import ServiceKind
from kaynak.ledger.services import record_delivery, withdraw_delivery

pytestmark = pytest.mark.django_db

PERIODS = [
    Q1,
    Q2,
    Q3,
    YEAR,
    (dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
    (dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
]
KINDS: list[tuple[str, ...]] = [
    (),
    ("training",),
    ("support",),
    ("training", "support"),
    ("webinar",),
]
THEMES: list[tuple[str, ...]] = [(), ("environment",), ("women",), ("environment", "women")]
# (provinces, regions): Ankara, İstanbul, İzmir (nothing there), Ankara's region, both
PLACES: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
    ((), ()),
    ((6,), ()),
    ((34,), ()),
    ((35,), ()),
    ((), (6,)),
    ((34,), (6,)),
]


def indicator(measure: str) -> Indicator:
    made: Indicator = Indicator.objects.create(
        code=f"S-{measure}",
        name_tr=measure,
        name_en=measure,
        unit=measure,
        method=Method.COMPUTED,
        measure=measure,
    )
    return made


def with_filters(
    made: Indicator,
    kinds: tuple[str, ...],
    themes: tuple[str, ...],
    places: tuple[tuple[int, ...], tuple[int, ...]],
) -> Indicator:
    """``made`` with these filters, read back as the indicator table reads it."""
    made.kinds.set(ServiceKind.objects.filter(slug__in=kinds))
    made.themes.set(Theme.objects.filter(slug__in=themes))
    made.provinces.set(Province.objects.filter(plate_code__in=places[0]))
    made.regions.set(Region.objects.filter(provinces__plate_code__in=places[1]))
    return indicators_for_table().get(pk=made.pk)


def assert_same_value_both_ways(made: Indicator, periods: list[tuple[dt.date, dt.date]]) -> int:
    """The summary answers (it keeps every filter of ``made``) with the ledger's value;
    returns how many of the values were "no data"."""
    no_data = 0
    for start, end in periods:
        fast = summary_value(made, start=start, end=end)
        assert fast is not NOT_SUMMARISED
        slow = ledger_value(made, start=start, end=end)
        assert fast == slow, (made.measure, start, end, fast, slow)
        no_data += fast is None
    return no_data


@pytest.mark.parametrize("measure", [m.value for m in Measure])
def test_the_summary_gives_the_ledgers_value_for_every_filter_it_keeps(
    ledger: Fixture, measure: str
) -> None:
    made = indicator(measure)
    themes = THEMES if measure in (Measure.ORGANISATIONS, Measure.PEOPLE) else [()]
    no_data = 0
    for kinds, theme_slugs, places in itertools.product(KINDS, themes, PLACES):
        no_data += assert_same_value_both_ways(
            with_filters(made, kinds, theme_slugs, places), PERIODS
        )
    assert no_data  # the combinations include filters that select nothing


def test_the_fixture_year_read_from_the_summary_is_the_one_worked_out_on_paper(
    ledger: Fixture,
) -> None:
    expected = {"organisations": 3, "people": 3, "deliveries": 6, "hours": 15}
    for measure, value in expected.items():
        made = indicators_for_table().get(pk=indicator(measure).pk)
        assert summary_value(made, start=YEAR[0], end=YEAR[1]) == Decimal(value)


def test_deliveries_without_the_subject_are_zero_and_no_deliveries_are_no_data(
    ledger: Fixture,
) -> None:
    # Q2 support: d5 (organisation A) and d7 (p3, no organisation); support in İstanbul: none.
    people = with_filters(indicator("people"), ("support",), (), ((), ()))
    assert summary_value(people, start=Q1[0], end=Q1[1]) == 0  # d3: C, nobody
    organisations = with_filters(indicator("organisations"), ("support",), (), ((34,), ()))
    assert summary_value(organisations, start=Q2[0], end=Q2[1]) is None


def test_filters_the_summary_does_not_keep_and_partial_quarters_read_the_ledger(
    ledger: Fixture, me_officer: User
) -> None:
    made = indicators_for_table().get(
        pk=computed(me_officer, Measure.ORGANISATIONS, programme="Kapasite").pk
    )
    assert summary_value(made, start=YEAR[0], end=YEAR[1]) is NOT_SUMMARISED
    deliveries = with_filters(indicator("deliveries"), (), ("environment",), ((), ()))
    assert summary_value(deliveries, start=YEAR[0], end=YEAR[1]) is NOT_SUMMARISED
    plain = with_filters(indicator("hours"), (), (), ((), ()))
    assert summary_value(plain, start=dt.date(2025, 2, 1), end=YEAR[1]) is NOT_SUMMARISED
    # … and still counted right from the deliveries: d1 and d2, 6 hours each, in February.
    [result] = indicator_table([plain], start=dt.date(2025, 2, 1), end=dt.date(2025, 2, 28))
    assert result.value == Decimal(12)


def test_the_indicator_table_costs_one_query_per_indicator(
    ledger: Fixture, django_assert_num_queries: Any
) -> None:
    for measure in Measure:
        with_filters(indicator(measure), ("training",), (), ((), (6,)))
    indicators = list(indicators_for_table())
    with django_assert_num_queries(len(indicators)):
        results = indicator_table(indicators, start=YEAR[0], end=YEAR[1])
    # Training in Ankara's region: d1 (A) and d4 (p2 for A), 6 + 3 hours.
    assert {result.indicator.measure: result.value for result in results} == {
        "organisations": Decimal(1),
        "people": Decimal(1),
        "deliveries": Decimal(2),
        "hours": Decimal(9),
    }


# Random ledgers: the summary path equals the ledger path whatever was recorded and withdrawn.

deliveries = st.lists(
    st.tuples(
        st.integers(0, 2) | st.none(),  # organisation
        st.integers(0, 2) | st.none(),  # person
        st.sampled_from(["training", "support", "webinar"]),
        st.sampled_from([dt.date(2025, 3, 31), dt.date(2025, 4, 1), dt.date(2025, 8, 9)]),
        st.sampled_from([None, 6, 34]),
        st.lists(st.sampled_from(["women", "environment", "youth"]), unique=True),
        st.sampled_from([None, Decimal("1.25"), Decimal("2")]),
        st.booleans(),  # withdrawn afterwards
    ).filter(lambda row: row[0] is not None or row[1] is not None),
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=deliveries, filters=st.tuples(st.sampled_from(KINDS), st.sampled_from(THEMES)))
def test_on_random_ledgers_the_summary_gives_the_ledgers_value(
    rows: list[Any], filters: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    with transaction.atomic():
        organisations = OrganisationFactory.create_batch(3)
        people = PersonFactory.create_batch(3)
        for org, person, kind, date, plate, slugs, hours, withdrawn in rows:
            source = RecordedServiceFactory.create(kind=service_kind(kind), date=date)
            subject: dict[str, Any] = {
                "organisation": None if org is None else organisations[org],
                "person": None if person is None else people[person],
            }
            record_delivery(
                kind=kind,
                source=source,
                date=date,
                province=province(plate) if plate else None,
                themes=list(Theme.objects.filter(slug__in=slugs)),
                quantity=hours,
                **subject,
            )
            if withdrawn:
                withdraw_delivery(source=source, **subject)
        kinds, theme_slugs = filters
        periods = [
            (dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
            (dt.date(2025, 4, 1), dt.date(2025, 9, 30)),
            (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ]
        for measure in Measure:
            themes = theme_slugs if measure in (Measure.ORGANISATIONS, Measure.PEOPLE) else ()
            for places in PLACES[:3]:
                assert_same_value_both_ways(
                    with_filters(indicator(measure), kinds, themes, places), periods
                )
                Indicator.objects.filter(code=f"S-{measure}").delete()
        transaction.set_rollback(True)

"""The quarter masks (``OrganisationQuarters``, ``PersonQuarters``): one integer per subject,
service kind and epoch of 60 quarters whose bits are the quarters it was reached in, kept by the
summary triggers; ``distinct_count`` reads them when no theme or province is asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, Literal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaynak.core.models import Theme
from kaynak.directory.merging.services import merge_undo, organisation_merge
from kaynak.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    service_kind,
)
from kaynak.ledger import summary
from kaynak.ledger.models import Delivery, RecordedService
from kaynak.ledger.services import record_delivery, withdraw_delivery
from kaynak.ledger.summary import Quarter, quarter_epoch_and_bit

pytestmark = pytest.mark.django_db


def source(date: dt.date, kind: str = "training") -> RecordedService:
    service: RecordedService = RecordedServiceFactory.create(kind=service_kind(kind), date=date)
    return service


def bit(year: int, quarter: int) -> int:
    return 1 << quarter_epoch_and_bit(Quarter(year, quarter).code)[1]


def epoch(year: int, quarter: int) -> int:
    return quarter_epoch_and_bit(Quarter(year, quarter).code)[0]


def counted_from_ledger(
    subject: Literal["organisation", "person"],
    start: dt.date,
    end: dt.date,
    kinds: Collection[int] = (),
) -> int:
    deliveries = Delivery.objects.filter(
        withdrawn_at__isnull=True, date__range=(start, end), **{f"{subject}__isnull": False}
    )
    if kinds:
        deliveries = deliveries.filter(kind__in=kinds)
    return deliveries.values(subject).distinct().count()


def test_an_epoch_is_sixty_quarters_and_the_years_of_a_report_share_one():
    assert epoch(2015, 1) == epoch(2022, 1) == epoch(2025, 4) == epoch(2029, 4)
    assert epoch(2030, 1) == epoch(2029, 4) + 1
    assert epoch(2014, 4) == epoch(2015, 1) - 1
    assert quarter_epoch_and_bit(Quarter(2015, 1).code)[1] == 0
    assert quarter_epoch_and_bit(Quarter(2029, 4).code)[1] == 59


def test_recording_sets_the_quarters_bit_for_the_kind_and_for_any_kind():
    organisation = OrganisationFactory.create()
    person = PersonFactory.create()
    training, support = source(dt.date(2025, 2, 3)), source(dt.date(2025, 8, 1), "support")
    record_delivery(
        kind="training",
        source=training,
        date=training.date,
        organisation=organisation,
        person=person,
    )
    record_delivery(kind="support", source=support, date=support.date, organisation=organisation)

    e = epoch(2025, 1)
    training_id, support_id = service_kind("training").pk, service_kind("support").pk
    assert summary.quarter_masks() == {
        ("organisation", organisation.pk, training_id, e): bit(2025, 1),
        ("organisation", organisation.pk, support_id, e): bit(2025, 3),
        ("organisation", organisation.pk, 0, e): bit(2025, 1) | bit(2025, 3),
        ("person", person.pk, training_id, e): bit(2025, 1),
        ("person", person.pk, 0, e): bit(2025, 1),
    }


def test_withdrawing_clears_a_bit_only_when_no_other_delivery_of_that_quarter_is_left():
    organisation = OrganisationFactory.create()
    first, second = source(dt.date(2025, 1, 10)), source(dt.date(2025, 3, 20), "support")
    record_delivery(kind="training", source=first, date=first.date, organisation=organisation)
    record_delivery(kind="support", source=second, date=second.date, organisation=organisation)
    e, q1 = epoch(2025, 1), bit(2025, 1)

    withdraw_delivery(source=first, organisation=organisation)
    # The training row goes; "any kind" keeps the quarter: the support delivery is still there.
    assert summary.quarter_masks() == {
        ("organisation", organisation.pk, service_kind("support").pk, e): q1,
        ("organisation", organisation.pk, 0, e): q1,
    }

    withdraw_delivery(source=second, organisation=organisation)
    assert summary.quarter_masks() == {}


def test_a_delivery_with_two_themes_and_a_second_province_keeps_one_bit():
    organisation = OrganisationFactory.create()
    training = source(dt.date(2025, 5, 5))
    record_delivery(kind="training", source=training, date=training.date, organisation=organisation)
    delivery = Delivery.objects.get()
    delivery.themes.set(Theme.objects.filter(slug__in=["women", "children"]))
    Delivery.objects.filter(pk=delivery.pk).update(province=None)
    assert summary.quarter_masks() == summary.quarter_masks_from_ledger()
    assert summary.quarter_masks()[("organisation", organisation.pk, 0, epoch(2025, 2))] == bit(
        2025, 2
    )
    delivery.themes.set([])
    assert summary.quarter_masks() == summary.quarter_masks_from_ledger()


def test_a_merge_moves_the_masks_and_undoing_it_moves_them_back():
    left, right = OrganisationFactory.create_batch(2)
    for organisation, date in ((left, dt.date(2025, 1, 5)), (right, dt.date(2025, 4, 5))):
        service = source(date)
        record_delivery(kind="training", source=service, date=date, organisation=organisation)
    before = summary.quarter_masks()

    record = organisation_merge(survivor=left, merged=right, values={}, actor=None)
    e = epoch(2025, 1)
    assert summary.quarter_masks()[("organisation", left.pk, 0, e)] == bit(2025, 1) | bit(2025, 2)
    assert ("organisation", right.pk, 0, e) not in summary.quarter_masks()
    assert summary.distinct_count("organisation", dt.date(2025, 1, 1), dt.date(2025, 6, 30)) == (
        1,
        True,
    )

    merge_undo(record=record, actor=None)
    assert summary.quarter_masks() == before


def test_a_period_across_two_epochs_counts_a_subject_reached_in_both_once():
    both, late = OrganisationFactory.create_batch(2)
    for organisation, date in (
        (both, dt.date(2029, 11, 1)),
        (both, dt.date(2030, 2, 1)),
        (late, dt.date(2030, 3, 1)),
    ):
        service = source(date)
        record_delivery(kind="training", source=service, date=date, organisation=organisation)
    training = service_kind("training").pk
    # Long enough to be read from the masks (summary._masks_from): 2029 Q1 to 2030 Q1.
    start, end = dt.date(2029, 1, 1), dt.date(2030, 3, 31)
    assert summary._quarter_count(*summary._quarters(start, end)) >= summary._masks_from([1])

    assert summary.distinct_count("organisation", start, end) == (2, True)
    assert summary.distinct_count("organisation", start, end, kinds=[training]) == (2, True)
    assert summary.distinct_count("organisation", start, dt.date(2029, 12, 31)) == (1, True)
    assert summary.distinct_count("organisation", dt.date(2030, 1, 1), end) == (2, True)
    assert summary.distinct_count("person", start, end) == (0, True)
    assert summary.distinct_count("organisation", dt.date(2031, 1, 1), dt.date(2031, 12, 31)) == (
        0,
        False,
    )


def test_distinct_count_from_the_masks_is_one_query(django_assert_num_queries):
    organisation = OrganisationFactory.create()
    training = source(dt.date(2025, 2, 3))
    record_delivery(kind="training", source=training, date=training.date, organisation=organisation)
    kinds = [service_kind("training").pk, service_kind("support").pk]
    with django_assert_num_queries(1):
        assert summary.distinct_count(
            "organisation", dt.date(2022, 1, 1), dt.date(2025, 12, 31), kinds=kinds
        ) == (1, True)


YEARS = [2014, 2015, 2024, 2025, 2029, 2030]
deliveries = st.lists(
    st.tuples(
        st.integers(0, 3),  # organisation or none
        st.integers(0, 3),  # person or none
        st.sampled_from(["training", "support"]),
        st.sampled_from(YEARS),
        st.integers(1, 12),
        st.booleans(),  # withdrawn afterwards
    ),
    max_size=15,
)
periods = st.tuples(
    st.sampled_from(YEARS), st.integers(1, 4), st.integers(0, 12)
)  # start year and quarter, quarters after it
kind_choices = st.sampled_from([(), ("training",), ("support",), ("training", "support")])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(deliveries, st.lists(st.tuples(periods, kind_choices), min_size=1, max_size=4))
def test_distinct_counts_from_the_masks_equal_the_ledgers_for_random_periods(rows, asked):
    with transaction.atomic():
        organisations = OrganisationFactory.create_batch(3)
        people = PersonFactory.create_batch(3)
        for number, (o, p, kind, year, month, withdrawn) in enumerate(rows):
            organisation = organisations[o] if o < 3 else None
            person = people[p] if p < 3 else None
            if organisation is None and person is None:
                continue
            date = dt.date(year, month, 1 + number % 28)
            service = source(date, kind)
            record_delivery(
                kind=kind, source=service, date=date, organisation=organisation, person=person
            )
            if withdrawn:
                withdraw_delivery(source=service, organisation=organisation, person=person)
        assert summary.quarter_masks() == summary.quarter_masks_from_ledger()
        for (year, quarter, more), slugs in asked:
            first = Quarter(year, quarter)
            index = first.year * 4 + first.quarter - 1 + more
            last = Quarter(index // 4, index % 4 + 1)
            start = dt.date(first.year, first.quarter * 3 - 2, 1)
            end = dt.date(last.year, last.quarter * 3, 31 if last.quarter in (1, 4) else 30)
            kinds = [service_kind(slug).pk for slug in slugs]
            any_delivery = Delivery.objects.filter(
                withdrawn_at__isnull=True,
                date__range=(start, end),
                **({"kind__in": kinds} if kinds else {}),
            ).exists()
            subject: Any
            for subject in ("organisation", "person"):
                assert summary.distinct_count(subject, start, end, kinds=kinds) == (
                    counted_from_ledger(subject, start, end, kinds),
                    any_delivery,
                )
        transaction.set_rollback(True)

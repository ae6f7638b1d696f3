"""The reach summary is exact: every figure read from it equals the same figure counted from
the deliveries, whatever sequence of writes brought the ledger there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaynak.core.errors import KaynakError
from kaynak.core.models import Theme
from kaynak.directory.merging.services import merge_undo, organisation_merge, person_merge
from kaynak.directory.models import Organisation, Person
from kaynak.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    province,
    service_kind,
)
from kaynak.ledger import summary
from kaynak.ledger.models import Delivery, RecordedService
from kaynak.ledger.services import record_delivery, withdraw_delivery
from kaynak.ledger.summary import Quarter, QuarterFigures

pytestmark = pytest.mark.django_db

START, END = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
DATES = [dt.date(2024, 3, 31), dt.date(2024, 4, 1), dt.date(2024, 6, 30), dt.date(2025, 11, 5)]
TABLES = [
    "ledger_reachmember",
    "ledger_reachcell",
    "ledger_quarterorganisation",
    "ledger_quarterperson",
    "ledger_quartertotal",
    "ledger_reachperson",
    "ledger_deliverycell",
    "ledger_organisationquarters",
    "ledger_personquarters",
]


def assert_summary_matches_the_ledger() -> None:
    assert summary.distinct_organisations_cube(
        START, END
    ) == summary.distinct_organisations_cube_from_ledger(START, END)
    assert summary.quarter_totals(START, END) == summary.quarter_totals_from_ledger(START, END)
    assert summary.indicator_cells() == summary.indicator_cells_from_ledger()
    assert summary.quarter_masks() == summary.quarter_masks_from_ledger()


def summary_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the summary tables."""
    rows = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 — the names above
            rows[table] = sorted(cursor.fetchall())
    return rows


def themes(*slugs: str) -> list[Theme]:
    return list(Theme.objects.filter(slug__in=slugs))


def source(date: dt.date, kind: str = "training") -> RecordedService:
    service: RecordedService = RecordedServiceFactory.create(kind=service_kind(kind), date=date)
    return service


def test_a_delivery_counts_once_in_each_of_its_themes_and_once_per_organisation():
    women, children = themes("women", "children")
    ankara = OrganisationFactory.create()
    izmir = OrganisationFactory.create(province=province(35))
    training = source(dt.date(2025, 2, 3))
    record_delivery(
        kind="training",
        source=training,
        date=training.date,
        organisation=ankara,
        themes=[women, children],
    )
    record_delivery(
        kind="training",
        source=training,
        date=training.date,
        organisation=ankara,
        person=PersonFactory.create(province=province(6)),
        themes=[women],
    )
    record_delivery(
        kind="training", source=training, date=training.date, organisation=izmir, themes=[]
    )
    record_delivery(
        kind="training", source=training, date=training.date, person=PersonFactory.create()
    )

    training_kind = service_kind("training").pk
    q1 = Quarter(2025, 1)
    assert summary.distinct_organisations_cube(dt.date(2025, 1, 1), dt.date(2025, 3, 31)) == {
        (training_kind, 6, women.pk, q1): 1,
        (training_kind, 6, children.pk, q1): 1,
        (training_kind, 35, None, q1): 1,
    }
    assert summary.quarter_totals(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == {
        q1: QuarterFigures(organisations=2, people=2, deliveries=4)
    }
    assert_summary_matches_the_ledger()


def test_people_and_deliveries_are_kept_by_kind_province_theme_and_quarter():
    women, children = themes("women", "children")
    organisation = OrganisationFactory.create()
    person = PersonFactory.create(province=province(35))
    training = source(dt.date(2025, 2, 3))
    support = source(dt.date(2025, 5, 6), kind="support")
    record_delivery(
        kind="training",
        source=training,
        date=training.date,
        organisation=organisation,
        person=person,
        themes=[women, children],
        quantity=Decimal("2.25"),
    )
    record_delivery(kind="training", source=training, date=training.date, organisation=organisation)
    record_delivery(kind="support", source=support, date=support.date, person=person)

    kind = service_kind("training").pk
    people, cells = summary.indicator_cells()
    assert people == {
        (person.pk, kind, 35, women.pk, 20251): 1,
        (person.pk, kind, 35, children.pk, 20251): 1,
        (person.pk, service_kind("support").pk, 35, 0, 20252): 1,
    }
    assert cells == {
        (kind, 35, 20251): (1, 225),  # a delivery with two themes is one delivery
        (kind, 6, 20251): (1, 0),  # no hours recorded: 0
        (service_kind("support").pk, 35, 20252): (1, 0),
    }
    year = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    assert summary.distinct_count("person", *year) == (1, True)
    assert summary.distinct_count("organisation", *year, kinds=[kind], themes=[women.pk]) == (
        1,
        True,
    )
    # support reached a person only: deliveries, but no organisation
    assert summary.distinct_count("organisation", *year, kinds=[service_kind("support").pk]) == (
        0,
        True,
    )
    assert summary.distinct_count("person", *year, provinces=[34]) == (0, False)
    assert summary.deliveries_and_hours(*year, kinds=[kind]) == (2, Decimal("2.25"))
    assert summary.deliveries_and_hours(*year, provinces=[34]) == (0, Decimal(0))
    assert_summary_matches_the_ledger()


def test_changing_a_deliverys_hours_or_themes_moves_its_summary_rows():
    organisation = OrganisationFactory.create()
    person = PersonFactory.create()
    training = source(dt.date(2025, 2, 3))
    delivery = record_delivery(
        kind="training",
        source=training,
        date=training.date,
        organisation=organisation,
        person=person,
        quantity=Decimal("1.5"),
    )
    Delivery.objects.filter(pk=delivery.pk).update(quantity=Decimal("4.75"))
    assert summary.deliveries_and_hours(dt.date(2025, 1, 1), dt.date(2025, 3, 31)) == (
        1,
        Decimal("4.75"),
    )
    delivery.themes.set(themes("women", "youth"))
    delivery.themes.set(themes("youth"))
    people, _ = summary.indicator_cells()
    assert set(people.values()) == {1}
    assert {key[3] for key in people} == {themes("youth")[0].pk}
    delivery.themes.clear()
    assert_summary_matches_the_ledger()
    Delivery.objects.filter(pk=delivery.pk).update(withdrawn_at=timezone.now())
    assert summary.indicator_cells() == ({}, {})


def test_recording_withdrawing_and_recording_again_leaves_the_figures_as_they_were():
    organisation = OrganisationFactory.create()
    person = PersonFactory.create()
    first = source(dt.date(2024, 5, 2))
    record_delivery(
        kind="training", source=first, date=first.date, organisation=organisation, person=person
    )
    before = summary_rows()

    withdraw_delivery(source=first, organisation=organisation, person=person)
    assert summary.quarter_totals(START, END) == {}
    assert summary.distinct_organisations_cube(START, END) == {}
    withdraw_delivery(source=first, organisation=organisation, person=person)
    record_delivery(
        kind="training", source=first, date=first.date, organisation=organisation, person=person
    )
    record_delivery(
        kind="training", source=first, date=first.date, organisation=organisation, person=person
    )

    assert summary_rows() == before
    assert_summary_matches_the_ledger()


def test_merging_two_organisations_moves_their_rows_and_undoing_the_merge_moves_them_back():
    women = themes("women")
    left = OrganisationFactory.create()
    right = OrganisationFactory.create()
    for organisation in (left, right):
        service = source(dt.date(2025, 4, 9))
        record_delivery(
            kind="training",
            source=service,
            date=service.date,
            organisation=organisation,
            themes=women,
        )
    cell = (service_kind("training").pk, 6, women[0].pk, Quarter(2025, 2))
    quarter = dt.date(2025, 4, 1), dt.date(2025, 6, 30)
    assert summary.distinct_organisations_cube(*quarter) == {cell: 2}

    record = organisation_merge(survivor=left, merged=right, values={}, actor=None)
    assert summary.distinct_organisations_cube(*quarter) == {cell: 1}
    assert summary.quarter_totals(*quarter)[Quarter(2025, 2)] == QuarterFigures(1, 0, 2)
    assert_summary_matches_the_ledger()

    merge_undo(record=record, actor=None)
    assert summary.distinct_organisations_cube(*quarter) == {cell: 2}
    assert_summary_matches_the_ledger()


def test_rebuilding_gives_the_rows_the_triggers_kept():
    women, children = themes("women", "children")
    organisations = OrganisationFactory.create_batch(3)
    people = PersonFactory.create_batch(2)
    for number, date in enumerate(DATES):
        service = source(date, kind=("training", "support")[number % 2])
        for organisation in organisations[: number + 1]:
            record_delivery(
                kind=service.kind.slug,
                source=service,
                date=date,
                organisation=organisation,
                person=people[number % 2],
                themes=[women, children][: number % 3],
            )
    withdraw_delivery(source=service, organisation=organisations[0], person=people[1])
    kept = summary_rows()
    assert kept["ledger_reachmember"]

    call_command("ledger", "rebuild-summary", stdout=None)

    assert summary_rows() == kept


def test_the_rebuild_command_fills_a_summary_the_bulk_load_left_empty():
    organisation = OrganisationFactory.create()
    with summary.suspended():
        service = source(dt.date(2024, 8, 1))
        record_delivery(
            kind="training", source=service, date=service.date, organisation=organisation
        )
        assert summary.quarter_totals(START, END) == {}
    assert summary.quarter_totals(START, END) == {Quarter(2024, 3): QuarterFigures(1, 0, 1)}
    assert_summary_matches_the_ledger()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2025, 1, 2), dt.date(2025, 3, 31)),
        (dt.date(2025, 2, 1), dt.date(2025, 3, 31)),
        (dt.date(2025, 1, 1), dt.date(2025, 3, 30)),
    ],
)
def test_a_period_must_be_made_of_whole_quarters(start, end):
    with pytest.raises(ValueError, match="of a quarter"):
        summary.distinct_organisations_cube(start, end)


# The property: random sequences of record, withdraw, theme changes, delete, merge and undo.

subjects = st.tuples(st.integers(0, 2) | st.none(), st.integers(0, 2) | st.none()).filter(
    lambda subject: subject != (None, None)
)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("record"),
            st.integers(0, 3),  # source
            subjects,
            st.sampled_from(["training", "support"]),
            st.sampled_from(DATES),
            st.sampled_from([None, 6, 34]),
            st.none() | st.lists(st.sampled_from(["women", "children", "youth"]), unique=True),
            st.sampled_from([None, Decimal("0.5"), Decimal("3")]),
        ),
        st.tuples(st.just("hours"), st.integers(0, 20), st.sampled_from([None, Decimal("1.25")])),
        st.tuples(
            st.just("themes"),
            st.integers(0, 20),
            st.lists(st.sampled_from(["women", "children", "youth"]), unique=True),
        ),
        st.tuples(st.just("province"), st.integers(0, 20), st.sampled_from([None, 6, 35])),
        st.tuples(
            st.just("move"),
            st.integers(0, 20),
            # across the quarter masks' epochs too (2030 Q1 starts one)
            st.sampled_from([*DATES, dt.date(2029, 12, 31), dt.date(2030, 1, 1)]),
        ),
        st.tuples(st.just("withdraw"), st.integers(0, 3), subjects),
        st.tuples(st.just("delete"), st.integers(0, 20)),
        st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.just("merge people"), st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.just("undo")),
    ),
    max_size=25,
)


def _apply(operation: tuple[Any, ...], world: dict[str, Any]) -> None:
    """Apply one operation; one about an organisation merged away does nothing."""
    sources: list[RecordedService] = world["sources"]

    def organisation(number: int) -> Organisation | None:
        return Organisation.objects.filter(pk=world["organisations"][number]).first()

    def person(number: int) -> Person | None:
        return Person.objects.filter(pk=world["people"][number]).first()

    def subject(pair: tuple[int | None, int | None]) -> dict[str, Any] | None:
        found = {
            "organisation": organisation(pair[0]) if pair[0] is not None else None,
            "person": person(pair[1]) if pair[1] is not None else None,
        }
        if any(
            number is not None and found[name] is None
            for number, name in zip(pair, ("organisation", "person"), strict=True)
        ):
            return None  # merged away
        return found

    match operation:
        case ("record", number, pair, kind, date, plate, slugs, hours):
            if (who := subject(pair)) is not None:
                record_delivery(
                    kind=kind,
                    source=sources[number],
                    date=date,
                    province=province(plate) if plate else None,
                    themes=None if slugs is None else themes(*slugs),
                    quantity=hours,
                    **who,
                )
        case ("hours", number, hours):
            deliveries = list(Delivery.objects.order_by("pk"))
            if deliveries:
                chosen = deliveries[number % len(deliveries)]
                Delivery.objects.filter(pk=chosen.pk).update(quantity=hours)
        case ("province", number, plate):
            deliveries = list(Delivery.objects.order_by("pk"))
            if deliveries:
                chosen = deliveries[number % len(deliveries)]
                Delivery.objects.filter(pk=chosen.pk).update(
                    province=province(plate) if plate else None
                )
        case ("move", number, date):
            deliveries = list(Delivery.objects.order_by("pk"))
            if deliveries:
                chosen = deliveries[number % len(deliveries)]
                Delivery.objects.filter(pk=chosen.pk).update(date=date)
        case ("themes", number, slugs):
            deliveries = list(Delivery.objects.order_by("pk"))
            if deliveries:
                deliveries[number % len(deliveries)].themes.set(themes(*slugs))
        case ("withdraw", number, pair):
            if (who := subject(pair)) is not None:
                withdraw_delivery(source=sources[number], **who)
        case ("delete", number):
            deliveries = list(Delivery.objects.order_by("pk"))
            if deliveries:
                deliveries[number % len(deliveries)].delete()
        case ("merge", left, right):
            survivor, merged = organisation(left), organisation(right)
            if survivor and merged and survivor != merged:
                world["merges"].append(
                    organisation_merge(survivor=survivor, merged=merged, values={}, actor=None)
                )
        case ("merge people", left, right):
            kept, merged_person = person(left), person(right)
            if kept and merged_person and kept != merged_person:
                world["merges"].append(
                    person_merge(survivor=kept, merged=merged_person, values={}, actor=None)
                )
        case ("undo",):
            if world["merges"]:
                merge_undo(record=world["merges"].pop(), actor=None)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations)
def test_figures_read_from_the_summary_equal_the_figures_counted_from_the_ledger(steps):
    with transaction.atomic():
        organisations = [
            OrganisationFactory.create(province=province(plate)) for plate in (6, 35, 34)
        ]
        organisations[0].themes.set(themes("women", "youth"))
        world: dict[str, Any] = {
            "organisations": [organisation.pk for organisation in organisations],
            "people": [person.pk for person in PersonFactory.create_batch(3)],
            "sources": [source(date) for date in DATES],
            "merges": [],
        }
        for operation in steps:
            try:
                with transaction.atomic():
                    _apply(operation, world)
            except (KaynakError, IntegrityError):
                pass  # refused as a whole: nothing was written
            assert_summary_matches_the_ledger()
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "tampering",
    [
        "UPDATE ledger_reachcell SET organisations = organisations + 1",
        "UPDATE ledger_reachperson SET deliveries = deliveries + 1",
        "UPDATE ledger_deliverycell SET hour_hundredths = hour_hundredths + 1",
        "UPDATE ledger_personquarters SET quarters = quarters | 1",
        "DELETE FROM ledger_organisationquarters WHERE kind = 0",
    ],
)
def test_the_check_command_fails_when_the_summary_differs_from_the_deliveries(tampering):
    organisation = OrganisationFactory.create()
    service = source(dt.date(2024, 8, 1))
    record_delivery(
        kind="training",
        source=service,
        date=service.date,
        organisation=organisation,
        person=PersonFactory.create(),
    )
    call_command("ledger", "rebuild-summary", "--check")

    with connection.cursor() as cursor:
        cursor.execute(tampering)
    with pytest.raises(CommandError, match="differs"):
        call_command("ledger", "rebuild-summary", "--check")

"""record_delivery and withdraw_delivery: one row per source × subject, whatever happens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from kaynak.core.errors import KaynakError
from kaynak.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    province,
    service_kind,
)
from kaynak.ledger.models import Delivery, RecordedService
from kaynak.ledger.services import (
    record_deliveries,
    record_delivery,
    withdraw_deliveries,
    withdraw_delivery,
)
from kaynak.ledger.tests.conftest import theme

pytestmark = pytest.mark.django_db

MARCH = dt.date(2024, 3, 1)


def test_recording_the_same_source_and_person_twice_keeps_one_row_with_the_latest_values():
    source = RecordedServiceFactory.create()
    person = PersonFactory.create()

    first = record_delivery(kind="training", source=source, date=MARCH, person=person)
    again = record_delivery(
        kind="training", source=source, date=dt.date(2024, 3, 2), person=person, activity="2. gün"
    )

    assert Delivery.objects.count() == 1
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.date, again.activity) == (dt.date(2024, 3, 2), "2. gün")


def test_recording_the_same_source_and_organisation_twice_keeps_one_row():
    source = RecordedServiceFactory.create()
    organisation = OrganisationFactory.create()

    record_delivery(kind="support", source=source, date=MARCH, organisation=organisation)
    record_delivery(kind="support", source=source, date=MARCH, organisation=organisation)

    assert Delivery.objects.count() == 1


def test_one_source_has_a_row_for_each_of_its_subjects():
    source = RecordedServiceFactory.create()
    organisation = OrganisationFactory.create()
    ayse, mehmet = PersonFactory.create(), PersonFactory.create()

    record_delivery(kind="training", source=source, date=MARCH, person=ayse)
    record_delivery(
        kind="training", source=source, date=MARCH, person=mehmet, organisation=organisation
    )
    # The organisation itself, as well as a person on its behalf: another subject.
    record_delivery(kind="training", source=source, date=MARCH, organisation=organisation)

    assert Delivery.objects.count() == 3


def test_withdrawing_marks_the_row_and_keeps_it():
    source = RecordedServiceFactory.create()
    person = PersonFactory.create()
    delivery = record_delivery(kind="training", source=source, date=MARCH, person=person)

    assert withdraw_delivery(source=source, person=person) == 1

    delivery.refresh_from_db()
    assert delivery.withdrawn_at is not None
    assert Delivery.objects.count() == 1


def test_withdrawing_twice_withdraws_once():
    source = RecordedServiceFactory.create()
    organisation = OrganisationFactory.create()
    record_delivery(kind="coaching", source=source, date=MARCH, organisation=organisation)

    assert withdraw_delivery(source=source, organisation=organisation) == 1
    assert withdraw_delivery(source=source, organisation=organisation) == 0


def test_withdrawing_one_subject_leaves_the_others_of_the_same_source():
    source = RecordedServiceFactory.create()
    ayse, mehmet = PersonFactory.create(), PersonFactory.create()
    record_delivery(kind="training", source=source, date=MARCH, person=ayse)
    record_delivery(kind="training", source=source, date=MARCH, person=mehmet)

    withdraw_delivery(source=source, person=ayse)

    assert list(
        Delivery.objects.filter(withdrawn_at__isnull=True).values_list("person", flat=True)
    ) == [mehmet.pk]


def test_recording_again_after_a_withdrawal_brings_the_same_row_back():
    source = RecordedServiceFactory.create()
    person = PersonFactory.create()
    delivery = record_delivery(kind="training", source=source, date=MARCH, person=person)
    withdraw_delivery(source=source, person=person)

    again = record_delivery(kind="training", source=source, date=MARCH, person=person)

    assert again.pk == delivery.pk
    again.refresh_from_db()
    assert again.withdrawn_at is None
    assert Delivery.objects.count() == 1


def _row(source: RecordedService, **subject: object) -> Delivery:
    return Delivery(
        kind=service_kind("training"),
        date=MARCH,
        source_type=ContentType.objects.get_for_model(RecordedService),
        source_id=str(source.pk),
        **subject,
    )


def test_the_database_refuses_a_second_row_for_the_same_source_and_person():
    source = RecordedServiceFactory.create()
    person = PersonFactory.create()
    _row(source, person=person).save()

    with pytest.raises(IntegrityError), transaction.atomic():
        _row(source, person=person, organisation=OrganisationFactory.create()).save()


def test_the_database_refuses_a_second_row_for_the_same_source_and_organisation():
    source = RecordedServiceFactory.create()
    organisation = OrganisationFactory.create()
    _row(source, organisation=organisation).save()

    with pytest.raises(IntegrityError), transaction.atomic():
        _row(source, organisation=organisation).save()
    # A person on the organisation's behalf is another subject: allowed.
    _row(source, organisation=organisation, person=PersonFactory.create()).save()
    assert Delivery.objects.count() == 2


def test_the_database_refuses_a_delivery_to_nobody():
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(RecordedServiceFactory.create()).save()


@pytest.mark.parametrize(
    ("kind", "subject", "saved", "code"),
    [
        ("training", False, True, "no_subject"),
        ("juggling", True, True, "unknown_kind"),
        ("training", True, False, "error"),
    ],
)
def test_a_delivery_needs_a_subject_a_known_kind_and_a_saved_source(kind, subject, saved, code):
    source = RecordedServiceFactory.create() if saved else RecordedService(title="x", date=MARCH)
    person = PersonFactory.create() if subject else None

    with pytest.raises(KaynakError) as raised:
        record_delivery(kind=kind, source=source, date=MARCH, person=person)

    assert raised.value.code == code
    assert not Delivery.objects.exists()


def test_province_and_themes_default_to_the_person_then_the_organisation():
    organisation = OrganisationFactory.create(province=province(35))
    organisation.themes.set([theme("environment"), theme("youth")])
    person = PersonFactory.create(province=province(65))
    nowhere = PersonFactory.create(province=None)

    for_person = record_delivery(
        kind="training",
        source=RecordedServiceFactory.create(),
        date=MARCH,
        person=person,
        organisation=organisation,
    )
    for_nowhere = record_delivery(
        kind="training",
        source=RecordedServiceFactory.create(),
        date=MARCH,
        person=nowhere,
        organisation=organisation,
    )

    assert for_person.province_id == 65
    assert for_nowhere.province_id == 35
    assert set(for_person.themes.values_list("slug", flat=True)) == {"environment", "youth"}


def live_subjects(source: RecordedService) -> set[tuple[int | None, int | None]]:
    return set(
        Delivery.objects.filter(source_id=str(source.pk), withdrawn_at__isnull=True).values_list(
            "organisation_id", "person_id"
        )
    )


def test_a_source_with_people_named_has_one_delivery_each_and_none_for_the_organisation_alone():
    source = RecordedServiceFactory.create()
    organisation = OrganisationFactory.create()
    first, second = PersonFactory.create_batch(2)
    fields = {"kind": "coaching", "date": MARCH}

    record_deliveries(source=source, organisation=organisation, people=[], **fields)
    assert live_subjects(source) == {(organisation.pk, None)}

    record_deliveries(source=source, organisation=organisation, people=[first, second], **fields)
    assert live_subjects(source) == {(organisation.pk, first.pk), (organisation.pk, second.pk)}

    record_deliveries(source=source, organisation=organisation, people=[second], **fields)
    assert live_subjects(source) == {(organisation.pk, second.pk)}
    assert Delivery.objects.filter(source_id=str(source.pk)).count() == 3  # withdrawn, kept

    assert withdraw_deliveries(source=source) == 1
    assert live_subjects(source) == set()

"""A person's festival data in their export, and what their erasure keeps and removes."""

from __future__ import annotations

import pytest

from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
from kaynak.festival import participation
from kaynak.festival.models import Badge
from kaynak.festival.tests.factories import FestivalFactory, FestivalSessionFactory
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_export_has_badges_delegations_and_facilitated_sessions():
    festival = FestivalFactory.create()
    person = PersonFactory.create()
    participation.register_organisation(
        festival=festival, organisation=OrganisationFactory.create(), delegates=[person], actor=None
    )
    session = FestivalSessionFactory.create(festival=festival, title="Savunuculuk 101")
    session.facilitators.add(person)

    section = person_data_export(person=person, actor=None)["festival"]

    assert section["badges"][0]["festival"] == festival.name
    assert section["delegations"][0]["festival"] == festival.name
    assert section["facilitated"][0]["title"] == "Savunuculuk 101"


def test_erasure_keeps_used_badges_and_deliveries_and_removes_the_rest():
    used_festival, unused_festival = FestivalFactory.create_batch(2)
    person = PersonFactory.create(full_name="Kerem Doğan")
    used = participation.badge_for(festival=used_festival, person=person)
    participation.check_in(badge=used, actor=None)
    participation.badge_for(festival=unused_festival, person=person)
    session = FestivalSessionFactory.create(
        festival=used_festival, summary="Kerem Doğan ile bir atölye."
    )
    session.facilitators.add(person)

    person_erase(person=person, actor=None)

    assert list(Badge.objects.values_list("pk", flat=True)) == [used.pk]
    assert Delivery.objects.filter(person=person, withdrawn_at__isnull=True).count() == 1
    session.refresh_from_db()
    assert not session.facilitators.exists()
    assert "Kerem Doğan" not in session.summary

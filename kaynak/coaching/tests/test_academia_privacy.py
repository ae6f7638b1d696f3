"""An academic's data in their export, and what their erasure keeps and removes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kaynak.accounts.tests.helpers import url
from kaynak.coaching import academia
from kaynak.coaching.models import AcademicProfile, Partnership
from kaynak.coaching.tests.factories import AcademicProfileFactory, PartnershipFactory
from kaynak.core.models import Theme
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.tests.factories import AffiliationFactory, PersonFactory, province
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_export_has_the_academic_profile_partnerships_and_activities():
    profile = AcademicProfileFactory.create(person=PersonFactory.create(full_name="Nur Tan"))
    profile.themes.set([Theme.objects.get(slug="ageing")])
    partnership = PartnershipFactory.create(academic=profile, title="Yaşlı bakımı")
    member = AffiliationFactory.create(organisation=partnership.organisation).person
    academia.activity_save(
        partnership=partnership,
        kind="training",
        title="Ortak eğitim",
        date=dt.date(2026, 3, 3),
        participants=[member],
        participant_count=3,
        actor=None,
    )

    mine = person_data_export(person=profile.person, actor=None)["academia"]
    theirs = person_data_export(person=member, actor=None)["academia"]

    assert mine["academic_profile"]["institution"] == profile.institution
    assert mine["academic_profile"]["themes"] == ["ageing"]
    assert mine["partnerships"][0]["title"] == "Yaşlı bakımı"
    assert theirs["academic_profile"] is None
    assert theirs["activities"][0]["title"] == "Ortak eğitim"


def test_erasing_an_academic_blanks_the_profile_and_keeps_the_partnership_as_an_academic():
    profile = AcademicProfileFactory.create(person=PersonFactory.create(full_name="Kaan Er"))
    profile.provinces.set([province(35)])
    partnership = PartnershipFactory.create(academic=profile, is_public=True)

    person_erase(person=profile.person, actor=None)

    profile = AcademicProfile.objects.get(pk=profile.pk)
    assert (profile.title, profile.institution, profile.expertise) == ("", "", "")
    assert profile.languages == []
    assert not profile.is_available
    assert not profile.provinces.exists()
    assert Partnership.objects.filter(pk=partnership.pk).exists()
    page = Client().get(url("academia:partnership", partnership.slug, language="en"))
    assert "Kaan Er" not in page.content.decode()
    assert "an academic" in page.content.decode()


def test_erasing_a_participant_takes_them_off_activities_and_keeps_their_delivery():
    partnership = PartnershipFactory.create()
    member = AffiliationFactory.create(organisation=partnership.organisation).person
    activity = academia.activity_save(
        partnership=partnership,
        kind="fieldwork",
        title="Saha",
        date=dt.date(2026, 3, 3),
        participants=[member],
        participant_count=1,
        actor=None,
    )

    person_erase(person=member, actor=None)

    assert not activity.participants.exists()
    assert Delivery.objects.filter(person=member, withdrawn_at__isnull=True).count() == 1


def test_nothing_to_erase_returns_nothing():
    from kaynak.coaching.privacy_academia import erase_academia
    from kaynak.directory.privacy import Erasure

    person = PersonFactory.create()
    erasure = Erasure.__new__(Erasure)
    object.__setattr__(erasure, "ids", frozenset({person.pk}))

    assert erase_academia(erasure) == {}

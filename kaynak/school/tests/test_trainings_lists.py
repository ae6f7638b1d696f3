"""The trainings' public pages leave the school's modules to the cohort: not in the upcoming
list (nor the festival's workshops, which have their own programme), and no public
registration for a school module."""

from __future__ import annotations

import pytest
from django.test import Client

from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes import queries, services
from kaynak.programmes.models import ActivityKind
from kaynak.programmes.services import RegistrationError
from kaynak.programmes.tests.factories import activity_with_sessions

pytestmark = pytest.mark.django_db

REFUSAL = "Places in the school's modules are given to the cohort's participants."


def test_school_modules_and_festival_workshops_are_not_in_the_upcoming_list(
    client: Client,
) -> None:
    training = activity_with_sessions(title="Kaynak Geliştirme")
    module = activity_with_sessions(title="Okul Modülü 3", kind=ActivityKind.SCHOOL_MODULE)
    workshop = activity_with_sessions(
        title="Sivil Sesler Atölyesi", kind=ActivityKind.FESTIVAL_WORKSHOP
    )

    listed = list(queries.upcoming_activities(queries.UpcomingFilters()))
    page = client.get(url("programmes:list"))

    assert listed == [training]
    assert training.title.encode() in page.content
    assert module.title.encode() not in page.content
    assert workshop.title.encode() not in page.content


def test_a_school_module_refuses_public_registration_with_a_clear_message(client: Client) -> None:
    module = activity_with_sessions(kind=ActivityKind.SCHOOL_MODULE)
    person = PersonFactory.create()

    with pytest.raises(RegistrationError, match=REFUSAL):
        services.register(activity=module, person=person, email=person.emails[0])
    page = client.get(url("programmes:activity", module.slug, language="en"))

    assert REFUSAL.encode() in page.content.replace(b"&#x27;", b"'")
    assert not module.registrations.exists()


def test_a_festival_workshop_keeps_public_registration() -> None:
    workshop = activity_with_sessions(kind=ActivityKind.FESTIVAL_WORKSHOP)
    person = PersonFactory.create()

    registration = services.register(activity=workshop, person=person, email=person.emails[0])

    assert registration.status == "confirmed"


def test_staff_still_place_a_participant_in_a_school_module() -> None:
    module = activity_with_sessions(kind=ActivityKind.SCHOOL_MODULE)
    person = PersonFactory.create()

    registration = services.register(
        activity=module, person=person, email=person.emails[0], override=True, reason="Okul"
    )

    assert registration.status == "confirmed"

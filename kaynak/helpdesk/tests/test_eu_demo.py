"""The EU registry's demo: eight projects through the services, half public, meetings with their
deliveries, and nothing twice when it runs again."""

from __future__ import annotations

import random

import pytest
from rich.progress import Progress

from kaynak.core.demo import DemoContext
from kaynak.directory.tests.factories import OrganisationFactory
from kaynak.helpdesk import demo_eu
from kaynak.helpdesk.models import EUProject, TechnicalSupportMeeting
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def context() -> DemoContext:
    return DemoContext(scale="small", rng=random.Random(7), progress=Progress(disable=True))


def test_the_demo_registers_eight_projects_half_public_with_meetings_counted_in_the_ledger() -> (
    None
):
    OrganisationFactory.create_batch(10)
    made = context()

    demo_eu.seed(made)
    demo_eu.seed(context())  # again: nothing more

    assert EUProject.objects.count() == made.created["EU projects"] == 8
    assert EUProject.objects.filter(public_consent=True).count() == 4
    meetings = TechnicalSupportMeeting.objects.count()
    assert 8 <= meetings <= 15
    assert Delivery.objects.filter(kind__slug="eu-support").count() >= meetings
    assert all(p.partners.exists() for p in EUProject.objects.all())

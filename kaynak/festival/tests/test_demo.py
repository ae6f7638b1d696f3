"""The demo festivals: last year's with a full programme made from accepted proposals, badges
checked in and workshops held (festival deliveries from many provinces); next year's with its
call open."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kaynak.calls.models import ApplicationStatus
from kaynak.core.demo import build_demo
from kaynak.festival.models import Festival, FestivalSession, SessionStatus
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_past_festival_with_a_full_programme_and_an_upcoming_one():
    build_demo(scale="small", seed=2018)
    year = timezone.localdate().year

    past = Festival.objects.get(slug=f"sivil-sesler-{year - 1}")
    sessions = FestivalSession.objects.filter(festival=past)
    assert sessions.count() >= 28
    assert sessions.filter(status=SessionStatus.HELD).count() == sessions.count()
    from_proposals = sessions.filter(application__status=ApplicationStatus.ACCEPTED)
    assert from_proposals.count() >= 20
    assert past.venues.count() == 4
    assert past.participations.count() >= 20
    assert past.badges.filter(checked_in_at__isnull=False).count() >= 30
    assert not sessions.filter(status=SessionStatus.PROPOSED).exists()
    deliveries = Delivery.objects.filter(
        kind__slug="festival", withdrawn_at__isnull=True, programme=past.programme.name
    )
    assert (
        deliveries.filter(source_type__model="badge").count()
        == past.badges.filter(checked_in_at__isnull=False).count()
    )
    assert deliveries.filter(source_type__model="festivalsession").exists()
    # People came from many provinces (the deliveries are in the festival's province).
    assert deliveries.values("organisation__province").distinct().count() >= 5

    upcoming = Festival.objects.get(slug=f"sivil-sesler-{year + 1}")
    assert upcoming.call is not None
    assert upcoming.call.is_open()
    assert upcoming.call.applications.filter(status=ApplicationStatus.SUBMITTED).exists()

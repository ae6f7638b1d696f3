"""Placing sessions in the grid: no venue and no facilitator in two places at once, only on
the festival's days; a workshop's registration (its trainings activity) follows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kaynak.core.models import AuditEntry
from kaynak.directory.tests.factories import PersonFactory
from kaynak.festival import services
from kaynak.festival.errors import FestivalError
from kaynak.festival.models import FestivalSession, SessionKind, SessionStatus
from kaynak.festival.tests.factories import (
    FestivalFactory,
    FestivalSessionFactory,
    VenueFactory,
    at,
)
from kaynak.festival.tests.helpers import activity_of
from kaynak.ledger.models import Delivery
from kaynak.programmes.models import ActivityKind, ActivityStatus
from kaynak.programmes.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def festival():
    return FestivalFactory.create()


@pytest.fixture
def salon_a(festival):
    return VenueFactory.create(festival=festival, name="Salon A")


@pytest.fixture
def salon_b(festival):
    return VenueFactory.create(festival=festival, name="Salon B")


def place(session, venue, start: int, end: int, day: dt.date | None = None):
    day = day or session.festival.starts_on
    return services.schedule(
        session=session,
        venue=venue,
        starts_at=at(day, start),
        ends_at=at(day, end),
        actor=None,
    )


def test_scheduling_a_workshop_opens_its_registration_at_that_time_and_place(festival, salon_a):
    session = FestivalSessionFactory.create(festival=festival, title="Hibe Yazımı", capacity=25)

    place(session, salon_a, 10, 12)

    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    activity = activity_of(session)
    assert activity.kind == ActivityKind.FESTIVAL_WORKSHOP
    assert activity.status == ActivityStatus.PUBLISHED
    assert activity.title == "Hibe Yazımı"
    assert activity.capacity == 25
    assert activity.programme == festival.programme
    (only,) = activity.sessions.all()
    assert only.starts_at == at(festival.starts_on, 10)
    assert only.ends_at == at(festival.starts_on, 12)
    assert only.province == festival.province
    assert "Salon A" in only.venue
    assert AuditEntry.objects.filter(action="kaynak.festival.session.scheduled").exists()


def test_moving_a_workshop_moves_its_one_activity_session(festival, salon_a, salon_b):
    session = FestivalSessionFactory.create(festival=festival)
    place(session, salon_a, 10, 12)
    activity_id = FestivalSession.objects.get(pk=session.pk).activity_id

    moved = services.move(
        session=session,
        venue=salon_b,
        starts_at=at(festival.ends_on, 14),
        ends_at=at(festival.ends_on, 15, 30),
        actor=None,
    )

    assert moved.activity_id == activity_id
    (only,) = activity_of(moved).sessions.all()
    assert only.starts_at == at(festival.ends_on, 14)
    assert "Salon B" in only.venue


def test_a_venue_cannot_hold_two_sessions_at_once(festival, salon_a):
    first = FestivalSessionFactory.create(festival=festival, title="Kurumsal İletişim")
    place(first, salon_a, 10, 12)
    second = FestivalSessionFactory.create(festival=festival)

    with pytest.raises(FestivalError) as refused:
        place(second, salon_a, 11, 13)

    assert "Salon A" in str(refused.value.message)
    assert "Kurumsal İletişim" in str(refused.value.message)
    assert "10:00–12:00" in str(refused.value.message)
    assert refused.value.field == "starts_at"
    second.refresh_from_db()
    assert second.status == SessionStatus.PROPOSED
    assert second.activity is None


def test_touching_slots_in_one_venue_are_allowed(festival, salon_a):
    place(FestivalSessionFactory.create(festival=festival), salon_a, 10, 11)

    place(FestivalSessionFactory.create(festival=festival), salon_a, 11, 12)

    assert FestivalSession.objects.filter(status=SessionStatus.SCHEDULED).count() == 2


def test_a_facilitator_cannot_run_two_sessions_at_once(festival, salon_a, salon_b):
    deniz = PersonFactory.create(full_name="Deniz Kaya")
    first = FestivalSessionFactory.create(festival=festival, title="Veriyle Savunuculuk")
    first.facilitators.add(deniz)
    place(first, salon_a, 10, 12)
    second = FestivalSessionFactory.create(festival=festival)
    second.facilitators.add(deniz, PersonFactory.create())

    with pytest.raises(FestivalError) as refused:
        place(second, salon_b, 11, 12)

    message = str(refused.value.message)
    assert "Deniz Kaya" in message
    assert "Veriyle Savunuculuk" in message
    assert "Salon A" in message


def test_the_same_facilitator_may_run_sessions_back_to_back(festival, salon_a, salon_b):
    deniz = PersonFactory.create()
    first = FestivalSessionFactory.create(festival=festival)
    first.facilitators.add(deniz)
    place(first, salon_a, 10, 11)
    second = FestivalSessionFactory.create(festival=festival)
    second.facilitators.add(deniz)

    place(second, salon_b, 11, 12)

    assert FestivalSession.objects.get(pk=second.pk).status == SessionStatus.SCHEDULED


def test_a_session_may_be_moved_within_its_own_slot(festival, salon_a):
    session = FestivalSessionFactory.create(festival=festival)
    place(session, salon_a, 10, 12)

    place(session, salon_a, 11, 13)

    assert FestivalSession.objects.get(pk=session.pk).starts_at == at(festival.starts_on, 11)


def test_a_time_outside_the_festival_days_is_refused(festival, salon_a):
    session = FestivalSessionFactory.create(festival=festival)

    with pytest.raises(FestivalError) as refused:
        place(session, salon_a, 10, 12, day=festival.ends_on + dt.timedelta(days=1))

    assert refused.value.field == "day"
    with pytest.raises(FestivalError):
        place(session, salon_a, 10, 12, day=festival.starts_on - dt.timedelta(days=1))


def test_a_session_must_end_after_it_starts(festival, salon_a):
    with pytest.raises(FestivalError) as refused:
        place(FestivalSessionFactory.create(festival=festival), salon_a, 12, 10)

    assert refused.value.field == "ends_at"


def test_a_venue_of_another_festival_is_refused(festival):
    other = VenueFactory.create()

    with pytest.raises(FestivalError):
        place(FestivalSessionFactory.create(festival=festival), other, 10, 12)


def test_cancelled_sessions_free_their_slot(festival, salon_a):
    first = FestivalSessionFactory.create(festival=festival)
    place(first, salon_a, 10, 12)
    services.cancel(session=first, actor=None, reason="Kolaylaştırıcı hastalandı.")

    place(FestivalSessionFactory.create(festival=festival), salon_a, 10, 12)

    first.refresh_from_db()
    assert first.status == SessionStatus.CANCELLED


def test_cancelling_needs_a_reason(festival):
    with pytest.raises(FestivalError):
        services.cancel(
            session=FestivalSessionFactory.create(festival=festival), actor=None, reason=" "
        )


def test_unscheduling_closes_the_registration_and_frees_the_slot(festival, salon_a):
    session = FestivalSessionFactory.create(festival=festival)
    place(session, salon_a, 10, 12)
    activity = activity_of(session)

    services.unschedule(session=session, actor=None)

    session.refresh_from_db()
    activity.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED
    assert session.venue is None
    assert session.starts_at is None
    assert session.activity is None
    assert activity.status == ActivityStatus.CANCELLED
    place(session, salon_a, 10, 12)
    assert activity_of(session) != activity


def test_talks_need_no_registration_activity(festival, salon_a):
    talk = FestivalSessionFactory.create(festival=festival, kind=SessionKind.PLENARY)

    place(talk, salon_a, 9, 10)

    assert FestivalSession.objects.get(pk=talk.pk).activity is None


def test_marking_a_session_held_records_deliveries_for_the_host_and_facilitators():
    festival = FestivalFactory.create(
        starts_on=timezone.localdate() - dt.timedelta(days=2),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    venue = VenueFactory.create(festival=festival)
    session = FestivalSessionFactory.create(festival=festival)
    facilitators = PersonFactory.create_batch(2)
    session.facilitators.set(facilitators)
    place(session, venue, 10, 12)

    services.mark_held(session=session, actor=None)
    services.mark_held(session=session, actor=None)

    deliveries = Delivery.objects.filter(kind__slug="festival", withdrawn_at__isnull=True)
    assert deliveries.count() == 3
    assert set(deliveries.values_list("organisation", flat=True)) == {session.host_id}
    assert set(deliveries.exclude(person=None).values_list("person", flat=True)) == {
        p.pk for p in facilitators
    }
    assert {d.province_id for d in deliveries} == {festival.province_id}
    assert {d.date for d in deliveries} == {festival.starts_on}

    services.mark_held(session=session, actor=None, held=False)

    assert not Delivery.objects.filter(kind__slug="festival", withdrawn_at__isnull=True).exists()
    assert FestivalSession.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


def test_a_session_that_has_not_started_cannot_be_marked_held(festival, salon_a):
    session = FestivalSessionFactory.create(festival=festival)
    place(session, salon_a, 10, 12)

    with pytest.raises(FestivalError):
        services.mark_held(session=session, actor=None)


def test_registrants_of_a_moved_workshop_keep_their_seats(festival, salon_a, salon_b):
    session = FestivalSessionFactory.create(festival=festival)
    place(session, salon_a, 10, 12)
    activity = activity_of(session)
    registration = RegistrationFactory.create(activity=activity)

    place(session, salon_b, 14, 16)

    registration.refresh_from_db()
    assert registration.activity_id == activity.pk
    assert registration.status == "confirmed"

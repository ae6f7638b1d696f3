"""Seats, the waiting list, offers and attendance: the registration service's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
from kaynak.ledger.models import Delivery
from kaynak.programmes import services
from kaynak.programmes.models import Registration, RegistrationStatus
from kaynak.programmes.services import RegistrationError
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    SessionFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db


def sign_up(activity, **kwargs):
    person = kwargs.pop("person", None) or PersonFactory.create()
    return services.register(activity=activity, person=person, email=person.emails[0], **kwargs)


def statuses(activity) -> list[str]:
    return list(
        Registration.objects.filter(activity=activity)
        .order_by("created_at", "id")
        .values_list("status", flat=True)
    )


def test_registrations_beyond_the_seats_go_to_the_waiting_list():
    activity = activity_with_sessions(1, capacity=2)

    for _ in range(4):
        sign_up(activity)

    assert statuses(activity) == ["confirmed", "confirmed", "waitlisted", "waitlisted"]


def test_the_smallest_room_decides_the_seats():
    activity = ActivityFactory.create(capacity=10)
    SessionFactory.create(activity=activity, starts_at=in_days(5))
    SessionFactory.create(activity=activity, starts_at=in_days(6), capacity=1)

    sign_up(activity)
    sign_up(activity)

    assert statuses(activity) == ["confirmed", "waitlisted"]


def test_a_full_activity_without_a_waiting_list_refuses_with_a_reason():
    activity = activity_with_sessions(1, capacity=1, waitlist=False)
    sign_up(activity)

    with pytest.raises(RegistrationError) as refused:
        sign_up(activity)

    assert refused.value.code == "full"
    assert Registration.objects.filter(activity=activity).count() == 1


def test_the_same_person_cannot_register_twice():
    activity = activity_with_sessions(1)
    person = PersonFactory.create()
    sign_up(activity, person=person)

    with pytest.raises(RegistrationError) as refused:
        sign_up(activity, person=person)

    assert refused.value.code == "twice"


def test_registration_after_the_window_is_refused():
    activity = activity_with_sessions(
        1, registration_closes_at=timezone.now() - dt.timedelta(hours=1)
    )

    with pytest.raises(RegistrationError) as refused:
        sign_up(activity)

    assert refused.value.code == "closed"
    assert not Registration.objects.exists()


def test_registration_closes_when_the_first_session_starts_if_no_window_is_set():
    activity = activity_with_sessions(1, start_in=-1)

    with pytest.raises(RegistrationError):
        sign_up(activity)


def test_one_organisation_gets_no_more_seats_than_its_limit():
    activity = activity_with_sessions(1, seats_per_organisation=2)
    organisation = OrganisationFactory.create()
    sign_up(activity, organisation=organisation)
    sign_up(activity, organisation=organisation)

    with pytest.raises(RegistrationError) as refused:
        sign_up(activity, organisation=organisation)

    assert refused.value.code == "organisation_limit"
    sign_up(activity, organisation=OrganisationFactory.create())  # another one may


def test_staff_may_add_someone_over_the_rules_but_must_say_why():
    activity = activity_with_sessions(1, capacity=1)
    sign_up(activity)

    with pytest.raises(RegistrationError):
        sign_up(activity, override=True)
    added = sign_up(activity, override=True, reason="Eğitmenin davetlisi")

    assert added.status == RegistrationStatus.CONFIRMED
    assert added.staff_note == "Eğitmenin davetlisi"


def test_required_eligibility_questions_must_be_answered():
    activity = activity_with_sessions(
        1, questions=[{"key": "board", "text": "Yönetim kurulu üyesi misiniz?", "required": True}]
    )

    with pytest.raises(RegistrationError) as refused:
        sign_up(activity, answers={"board": " "})

    assert "Yönetim kurulu" in str(refused.value.message)
    assert sign_up(activity, answers={"board": "evet"}).answers == {"board": "evet"}


def test_a_freed_seat_is_offered_to_the_first_waiting_then_taken():
    activity = activity_with_sessions(1, capacity=1, offer_hours=48)
    first = sign_up(activity)
    second = sign_up(activity)
    third = sign_up(activity)

    services.cancel_registration(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()

    assert second.status == RegistrationStatus.OFFERED
    assert second.offer_expires_at is not None
    assert third.status == RegistrationStatus.WAITLISTED
    assert services.accept_offer(registration=second).status == RegistrationStatus.CONFIRMED


def test_an_offer_never_outlives_the_start_of_the_activity():
    activity = activity_with_sessions(1, capacity=1, offer_hours=48, start_in=1)
    first = sign_up(activity)
    second = sign_up(activity)

    services.cancel_registration(registration=first)
    second.refresh_from_db()

    assert second.offer_expires_at == activity.sessions.get().starts_at


def test_a_lapsed_offer_moves_on_to_the_next_and_cannot_be_taken():
    activity = activity_with_sessions(1, capacity=1, offer_hours=48)
    first, second, third = sign_up(activity), sign_up(activity), sign_up(activity)
    services.cancel_registration(registration=first)

    later = timezone.now() + dt.timedelta(hours=49)
    assert services.lapse_offers(now=later) == 1

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.LAPSED
    assert third.status == RegistrationStatus.OFFERED
    with pytest.raises(RegistrationError) as refused:
        services.accept_offer(registration=second)
    assert refused.value.code == "offer_lapsed"


def test_cancelling_twice_changes_nothing_the_second_time():
    activity = activity_with_sessions(1, capacity=1)
    first = sign_up(activity)
    sign_up(activity)
    services.cancel_registration(registration=first)
    services.cancel_registration(registration=first)

    assert statuses(activity) == ["cancelled", "offered"]


def test_someone_who_cancelled_may_register_again():
    activity = activity_with_sessions(1)
    person = PersonFactory.create()
    services.cancel_registration(registration=sign_up(activity, person=person))

    assert sign_up(activity, person=person).status == RegistrationStatus.CONFIRMED


def test_attendance_writes_one_delivery_with_the_hours_attended_and_unmarking_withdraws_it():
    activity = activity_with_sessions(2)
    registration = sign_up(activity, organisation=OrganisationFactory.create())
    day1, day2 = activity.sessions.all()

    services.mark_attendance(registration=registration, session=day1)
    services.mark_attendance(registration=registration, session=day2)
    services.mark_attendance(registration=registration, session=day2)  # idempotent

    delivery = Delivery.objects.get()
    assert delivery.quantity == Decimal("12.00")
    assert delivery.kind.slug == "training"
    assert delivery.person == registration.person
    assert delivery.organisation == registration.organisation
    assert delivery.date == timezone.localdate(day1.starts_at)

    services.unmark_attendance(registration=registration, session=day1)
    delivery.refresh_from_db()
    assert delivery.quantity == Decimal("6.00")
    services.unmark_attendance(registration=registration, session=day2)
    delivery.refresh_from_db()
    assert delivery.withdrawn_at is not None


def test_the_waiting_list_cannot_be_marked_present():
    activity = activity_with_sessions(1, capacity=1)
    sign_up(activity)
    waiting = sign_up(activity)

    with pytest.raises(RegistrationError) as refused:
        services.mark_attendance(registration=waiting, session=activity.sessions.get())

    assert refused.value.code == "no_seat"
    assert not Delivery.objects.exists()


def test_completion_follows_the_activitys_attendance_rule():
    activity = activity_with_sessions(5, completion_percent=80)
    registration = sign_up(activity)
    sessions = list(activity.sessions.all())

    for session in sessions[:3]:
        services.mark_attendance(registration=registration, session=session)
    assert not services.has_completed(registration)
    services.mark_attendance(registration=registration, session=sessions[3])
    assert services.has_completed(registration)

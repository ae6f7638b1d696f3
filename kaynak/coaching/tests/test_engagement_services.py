"""The engagement services: a coaching round's call opens and closes engagements, staff open one
by hand, the action plan (an owner always), sessions as ledger deliveries (organisation and
participants, hours as the quantity; edits move them, deletion withdraws them) and the status
rules. Every refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.calls.decisions import decide
from kaynak.calls.models import ApplicationStatus
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory
from kaynak.coaching import engagements
from kaynak.coaching.errors import CoachingError
from kaynak.coaching.models import Action, CoachingRound, CoachingSession, Engagement
from kaynak.coaching.tests.engagement_helpers import assessed, coach
from kaynak.coaching.tests.factories import (
    ActionFactory,
    EngagementFactory,
    small_instrument,
)
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
from kaynak.ledger.models import Delivery
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def coaching_round(**kwargs: object) -> CoachingRound:
    return CoachingRound.objects.create(
        programme=ProgrammeFactory.create(),
        name="Örgütsel Mentorluk 2026",
        slug="orgutsel-mentorluk-2026",
        instrument=small_instrument(),
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 9, 30),
        **kwargs,
    )


def live(**where: object) -> list[Delivery]:
    return list(Delivery.objects.filter(withdrawn_at__isnull=True, **where).order_by("pk"))


# The calls' decisions ---------------------------------------------------------------------------


def test_accepting_an_application_of_a_rounds_call_opens_a_planned_engagement() -> None:
    round_ = coaching_round(call=CallFactory.create())
    application = ApplicationFactory.create(call=round_.call)

    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    engagement = Engagement.objects.get()
    assert engagement.status == "planned"
    assert engagement.organisation_id == application.organisation_id
    assert engagement.application_id == application.pk
    assert engagement.instrument_id == round_.instrument_id
    assert (engagement.starts_on, engagement.ends_on) == (round_.starts_on, round_.ends_on)


def test_accepting_twice_opens_one_engagement() -> None:
    round_ = coaching_round(call=CallFactory.create())
    application = ApplicationFactory.create(call=round_.call)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    engagements.apply_decision(application=application, previous=ApplicationStatus.SUBMITTED)

    assert Engagement.objects.count() == 1


def test_an_application_without_an_organisation_cannot_be_accepted_into_coaching() -> None:
    round_ = coaching_round(call=CallFactory.create())
    application = ApplicationFactory.create(call=round_.call, organisation=None)

    with pytest.raises(CoachingError):
        decide(application=application, decision=ApplicationStatus.ACCEPTED)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Engagement.objects.exists()


def test_another_programmes_call_opens_nothing() -> None:
    coaching_round(call=CallFactory.create())
    application = ApplicationFactory.create()

    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    assert not Engagement.objects.exists()


def test_un_accepting_before_anything_happened_deletes_the_engagement() -> None:
    round_ = coaching_round(call=CallFactory.create())
    application = ApplicationFactory.create(call=round_.call)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    decide(application=application, decision=ApplicationStatus.WAITLISTED)

    assert not Engagement.objects.exists()


def test_un_accepting_once_a_session_took_place_is_refused_and_rolled_back() -> None:
    round_ = coaching_round(call=CallFactory.create())
    application = ApplicationFactory.create(call=round_.call)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)
    engagement = Engagement.objects.get()
    engagements.session_log(
        engagement=engagement,
        starts_at=timezone.now() - dt.timedelta(days=1),
        minutes=60,
        mode="online",
        actor=None,
    )

    with pytest.raises(CoachingError, match="end it instead"):
        decide(application=application, decision=ApplicationStatus.REJECTED)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert Engagement.objects.filter(pk=engagement.pk).exists()


# Opening and changing an engagement -------------------------------------------------------------


def test_staff_open_one_engagement_per_organisation_and_round() -> None:
    organisation = OrganisationFactory.create()
    round_ = coaching_round()
    the_coach = coach()
    opened = engagements.engagement_open(
        organisation=organisation,
        coach=the_coach,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 9, 30),
        goals="  Mali yönetim  ",
        actor=None,
        round=round_,
    )
    assert (opened.coach, opened.goals, opened.instrument) == (
        the_coach,
        "Mali yönetim",
        round_.instrument,
    )

    with pytest.raises(CoachingError) as refused:
        engagements.engagement_open(
            organisation=organisation,
            coach=None,
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 9, 30),
            goals="",
            actor=None,
            round=round_,
        )
    assert "organisation" in refused.value.fields
    assert Engagement.objects.count() == 1


def test_an_outside_reviewer_cannot_coach() -> None:
    reviewer = StaffFactory.create(roles=[Role.REVIEWER])
    with pytest.raises(CoachingError) as refused:
        engagements.engagement_open(
            organisation=OrganisationFactory.create(),
            coach=reviewer,
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 9, 30),
            goals="",
            actor=None,
            instrument=small_instrument(),
        )
    assert "coach" in refused.value.fields
    assert not Engagement.objects.exists()


def update(engagement: Engagement, **changes: object) -> Engagement:
    values: dict[str, object] = {
        "coach": engagement.coach,
        "starts_on": engagement.starts_on,
        "ends_on": engagement.ends_on,
        "goals": engagement.goals,
        "status": engagement.status,
        "closing_note": "",
        "actor": None,
        **changes,
    }
    return engagements.engagement_update(engagement=engagement, **values)  # type: ignore[arg-type]


def test_completing_needs_the_end_passed_or_a_final_assessment() -> None:
    engagement = EngagementFactory.create()

    with pytest.raises(CoachingError) as refused:
        update(engagement, status="completed")
    assert "status" in refused.value.fields
    engagement.refresh_from_db()
    assert engagement.status == "active"

    assessed(engagement, kind="coach", stage="final", gov=(3, 3), fin=(3, 3))
    assert update(engagement, status="completed").status == "completed"


def test_completing_after_the_end_date_needs_no_final_assessment() -> None:
    engagement = EngagementFactory.create(
        starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 6, 30)
    )
    assert update(engagement, status="completed").status == "completed"


def test_ending_early_needs_a_closing_note() -> None:
    engagement = EngagementFactory.create()

    with pytest.raises(CoachingError) as refused:
        update(engagement, status="ended", closing_note="  ")
    assert "closing_note" in refused.value.fields

    ended = update(engagement, status="ended", closing_note="Dernek faaliyetlerini durdurdu.")
    assert (ended.status, ended.closing_note) == ("ended", "Dernek faaliyetlerini durdurdu.")


# The action plan --------------------------------------------------------------------------------


def test_every_action_needs_an_owner() -> None:
    engagement = EngagementFactory.create()
    dimension = engagement.instrument.dimensions.get(key="fin")

    with pytest.raises(CoachingError) as refused:
        engagements.action_add(
            engagement=engagement, title="Muhasebe yazılımı", dimension=dimension, owner=" ",
            actor=None,
        )  # fmt: skip

    assert refused.value.fields["owner"] == "Every action needs an owner: a person or a role."
    assert not Action.objects.exists()


def test_an_action_needs_a_dimension_of_the_engagements_instrument() -> None:
    engagement = EngagementFactory.create()
    elsewhere = small_instrument().dimensions.get(key="gov")

    with pytest.raises(CoachingError) as refused:
        engagements.action_add(
            engagement=engagement, title="Yönetim kurulu iç yönergesi", dimension=elsewhere,
            owner="Dernek başkanı", actor=None,
        )  # fmt: skip

    assert "dimension" in refused.value.fields


def test_marking_an_action_done_records_the_day_and_undoing_clears_it() -> None:
    action = ActionFactory.create()
    values: dict[str, Any] = {
        "title": action.title,
        "dimension": action.dimension,
        "owner": action.owner,
        "due_on": None,
        "actor": None,
    }

    done = engagements.action_update(
        action=action, status="done", today=dt.date(2026, 4, 2), **values
    )
    assert done.done_on == dt.date(2026, 4, 2)
    again = engagements.action_update(
        action=action, status="done", today=dt.date(2026, 5, 1), **values
    )
    assert again.done_on == dt.date(2026, 4, 2)
    assert engagements.action_update(action=action, status="doing", **values).done_on is None


def test_actions_are_added_at_the_end_of_their_dimension_and_can_be_deleted() -> None:
    engagement = EngagementFactory.create()
    dimension = engagement.instrument.dimensions.get(key="gov")
    first = engagements.action_add(
        engagement=engagement, title="Bir", dimension=dimension, owner="Başkan", actor=None
    )
    second = engagements.action_add(
        engagement=engagement, title="İki", dimension=dimension, owner="Sayman", actor=None
    )
    assert second.position == first.position + 1

    engagements.action_delete(action=first, actor=None)

    assert list(engagement.actions.values_list("title", flat=True)) == ["İki"]


# Sessions and the ledger ------------------------------------------------------------------------


def test_a_session_in_the_future_is_refused() -> None:
    engagement = EngagementFactory.create()
    now = dt.datetime(2026, 4, 1, 10, tzinfo=UTC)

    with pytest.raises(CoachingError) as refused:
        engagements.session_log(
            engagement=engagement,
            starts_at=now + dt.timedelta(hours=2),
            minutes=90,
            mode="online",
            actor=None,
            now=now,
        )

    assert refused.value.fields["starts_at"] == "Log a session once it has taken place."
    assert not CoachingSession.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("minutes", [0, 1441])
def test_a_session_lasts_between_one_minute_and_a_day(minutes: int) -> None:
    with pytest.raises(CoachingError) as refused:
        engagements.session_log(
            engagement=EngagementFactory.create(),
            starts_at=timezone.now() - dt.timedelta(days=1),
            minutes=minutes,
            mode="online",
            actor=None,
        )
    assert "minutes" in refused.value.fields


def test_a_session_is_a_delivery_for_each_participant_on_the_organisations_behalf() -> None:
    engagement = EngagementFactory.create(status="planned")
    people = PersonFactory.create_batch(2)
    # 23:30 in UTC is 02:30 the next day in Istanbul: the delivery is dated in Istanbul.
    starts_at = dt.datetime(2026, 3, 9, 23, 30, tzinfo=UTC)

    session = engagements.session_log(
        engagement=engagement,
        starts_at=starts_at,
        minutes=90,
        mode="in-person",
        participants=people,
        actor=None,
        now=starts_at + dt.timedelta(hours=3),
    )

    deliveries = live()
    # Each subject once: the people who took part, for the organisation (not also the
    # organisation on its own, which would count the session and its hours twice).
    assert [(d.organisation_id, d.person_id) for d in deliveries] == [
        (engagement.organisation_id, people[0].pk),
        (engagement.organisation_id, people[1].pk),
    ]
    assert {d.kind.slug for d in deliveries} == {"coaching"}
    assert {d.quantity for d in deliveries} == {Decimal("1.50")}
    assert {d.date for d in deliveries} == {dt.date(2026, 3, 10)}
    assert {d.source_id for d in deliveries} == {str(session.pk)}
    engagement.refresh_from_db()
    assert engagement.status == "active"


def test_editing_a_session_moves_its_deliveries_and_withdraws_a_removed_participant() -> None:
    engagement = EngagementFactory.create()
    stays, leaves = PersonFactory.create_batch(2)
    session = engagements.session_log(
        engagement=engagement,
        starts_at=timezone.now() - dt.timedelta(days=10),
        minutes=60,
        mode="online",
        participants=[stays, leaves],
        actor=None,
    )
    moved_to = timezone.now() - dt.timedelta(days=3)

    engagements.session_update(
        session=session,
        starts_at=moved_to,
        minutes=120,
        mode="online",
        participants=[stays],
        coach_notes="",
        shared_notes="Bütçe taslağı konuşuldu.",
        follow_ups="",
        actor=None,
    )

    deliveries = live()
    assert [d.person_id for d in deliveries] == [stays.pk]
    assert {d.date for d in deliveries} == {timezone.localtime(moved_to).date()}
    assert {d.quantity for d in deliveries} == {Decimal("2.00")}
    assert Delivery.objects.filter(person=leaves, withdrawn_at__isnull=False).count() == 1
    assert Delivery.objects.count() == 2  # moved, never doubled


def test_a_session_without_participants_is_the_organisations_and_naming_people_replaces_it() -> (
    None
):
    engagement = EngagementFactory.create()
    person = PersonFactory.create()
    when = timezone.now() - dt.timedelta(days=4)
    session = engagements.session_log(
        engagement=engagement, starts_at=when, minutes=60, mode="online", actor=None
    )
    assert [(d.organisation_id, d.person_id) for d in live()] == [
        (engagement.organisation_id, None)
    ]

    engagements.session_update(
        session=session,
        starts_at=when,
        minutes=60,
        mode="online",
        participants=[person],
        coach_notes="",
        shared_notes="",
        follow_ups="",
        actor=None,
    )

    assert [(d.organisation_id, d.person_id) for d in live()] == [
        (engagement.organisation_id, person.pk)
    ]


def test_deleting_a_session_withdraws_every_delivery() -> None:
    engagement = EngagementFactory.create()
    session = engagements.session_log(
        engagement=engagement,
        starts_at=timezone.now() - dt.timedelta(days=2),
        minutes=45,
        mode="phone",
        participants=[PersonFactory.create()],
        actor=None,
    )

    engagements.session_delete(session=session, actor=None)

    assert not CoachingSession.objects.exists()
    assert Delivery.objects.count() == 1
    assert not live()


# Rounds -----------------------------------------------------------------------------------------


def test_a_call_selects_at_most_one_round() -> None:
    call = CallFactory.create()
    values = {
        "programme": ProgrammeFactory.create(),
        "name": "Örgütsel Mentorluk 2026",
        "instrument": small_instrument(),
        "starts_on": dt.date(2026, 3, 1),
        "ends_on": dt.date(2026, 9, 30),
        "actor": None,
        "call": call,
    }
    first = engagements.round_create(**values)  # type: ignore[arg-type]
    assert (first.slug, first.call) == ("orgutsel-mentorluk-2026", call)

    with pytest.raises(CoachingError) as refused:
        engagements.round_create(**values)  # type: ignore[arg-type]

    assert "call" in refused.value.fields
    assert CoachingRound.objects.count() == 1

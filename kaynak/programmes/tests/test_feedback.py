"""The survey after an activity: who is invited and when, one answer each, anonymity, results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kaynak.core.models import AuditEntry
from kaynak.programmes import feedback
from kaynak.programmes.feedback import FeedbackError
from kaynak.programmes.models import (
    ActivityStatus,
    FeedbackInvitation,
    FeedbackResponse,
    RegistrationStatus,
)
from kaynak.programmes.tests.factories import (
    RegistrationFactory,
    SessionFactory,
    TrainerFactory,
    activity_with_sessions,
    attended,
    in_days,
    past_activity_with_sessions,
)

pytestmark = pytest.mark.django_db

GOOD: dict[str, Any] = {
    "content": 5,
    "trainer": 4,
    "organisation": 4,
    "knowledge_before": 2,
    "knowledge_after": 4,
}


@pytest.fixture
def mailed(monkeypatch) -> list[tuple[int, str]]:
    """The registration mails queued: (registration id, message)."""
    sent: list[tuple[int, str]] = []
    monkeypatch.setattr(
        feedback,
        "_mail_on_commit",
        lambda registration, message: sent.append((registration.pk, message)),
    )
    return sent


# Inviting ---------------------------------------------------------------------------------------


def test_those_who_attended_are_invited_once_after_the_last_session(mailed):
    activity = past_activity_with_sessions(2)
    came = attended(RegistrationFactory.create(activity=activity), sessions=1)
    RegistrationFactory.create(activity=activity)  # registered, never came
    cancelled = attended(RegistrationFactory.create(activity=activity))
    cancelled.status = RegistrationStatus.CANCELLED
    cancelled.save()

    first = feedback.invite_due()
    second = feedback.invite_due()

    assert (first, second) == (1, 0)
    assert mailed == [(came.pk, "feedback")]
    assert list(FeedbackInvitation.objects.values_list("registration", flat=True)) == [came.pk]
    assert AuditEntry.objects.filter(action="kaynak.programmes.feedback.invited").count() == 1


def test_no_one_is_invited_before_the_last_session_ends(mailed):
    activity = past_activity_with_sessions(1)
    SessionFactory.create(activity=activity, starts_at=in_days(2))
    attended(RegistrationFactory.create(activity=activity), sessions=1)

    assert feedback.invite_due() == 0
    assert mailed == []


def test_the_last_session_counts_from_its_end_not_its_start(mailed):
    activity = activity_with_sessions(0)
    now = timezone.now()
    SessionFactory.create(
        activity=activity,
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=1),
    )
    attended(RegistrationFactory.create(activity=activity))

    assert feedback.invite_due(now=now) == 0
    assert feedback.invite_due(now=now + dt.timedelta(hours=1, minutes=1)) == 1


def test_activities_without_a_survey_or_long_past_are_not_surveyed(mailed):
    no_survey = past_activity_with_sessions(1, feedback=False)
    attended(RegistrationFactory.create(activity=no_survey))
    long_ago = activity_with_sessions(1, start_in=-40)
    attended(RegistrationFactory.create(activity=long_ago))
    cancelled = past_activity_with_sessions(1)
    attended(RegistrationFactory.create(activity=cancelled))
    cancelled.status = ActivityStatus.CANCELLED
    cancelled.save()

    assert feedback.invite_due() == 0


# Answering --------------------------------------------------------------------------------------


def test_an_answer_is_kept_with_its_registration_when_the_survey_is_not_anonymous():
    registration = attended(RegistrationFactory.create(activity=past_activity_with_sessions(1)))

    response = feedback.submit_feedback(registration=registration, comment=" Çok iyiydi ", **GOOD)

    assert response.registration == registration
    assert response.comment == "Çok iyiydi"
    assert (response.content, response.knowledge_after) == (5, 4)
    assert FeedbackInvitation.objects.get(registration=registration).answered_at is not None


def test_a_second_answer_is_refused_with_a_clear_message():
    registration = attended(RegistrationFactory.create(activity=past_activity_with_sessions(1)))
    feedback.submit_feedback(registration=registration, **GOOD)

    with pytest.raises(FeedbackError) as refused:
        feedback.submit_feedback(registration=registration, **{**GOOD, "content": 1})

    assert refused.value.code == "answered"
    assert "already answered" in str(refused.value.message)
    assert FeedbackResponse.objects.get().content == 5


def test_an_anonymous_answer_keeps_no_link_to_who_gave_it():
    activity = past_activity_with_sessions(1, feedback_anonymous=True)
    registration = attended(RegistrationFactory.create(activity=activity))
    moment = timezone.now()

    response = feedback.submit_feedback(registration=registration, now=moment, **GOOD)

    response.refresh_from_db()
    assert response.registration is None
    invitation = FeedbackInvitation.objects.get(registration=registration)
    assert invitation.answered_at is not None
    # Day stamps only: the answer cannot be matched to the invitation by time.
    local = timezone.localtime(response.submitted_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert local.date() == timezone.localdate(moment)
    assert invitation.answered_at == response.submitted_at
    entry = AuditEntry.objects.get(action="kaynak.programmes.feedback.answered")
    assert entry.object_id == str(activity.pk)
    assert str(registration.pk) not in str(entry.data)


def test_an_anonymous_survey_still_takes_one_answer_per_registration():
    activity = past_activity_with_sessions(1, feedback_anonymous=True)
    registration = attended(RegistrationFactory.create(activity=activity))
    feedback.submit_feedback(registration=registration, **GOOD)

    with pytest.raises(FeedbackError) as refused:
        feedback.submit_feedback(registration=registration, **GOOD)

    assert refused.value.code == "answered"
    assert FeedbackResponse.objects.count() == 1


def test_someone_who_did_not_attend_cannot_answer():
    registration = RegistrationFactory.create(activity=past_activity_with_sessions(1))

    with pytest.raises(FeedbackError) as refused:
        feedback.submit_feedback(registration=registration, **GOOD)

    assert "for those who attended" in str(refused.value.message)
    assert not FeedbackResponse.objects.exists()
    assert not FeedbackInvitation.objects.exists()


def test_the_survey_opens_only_after_the_last_session():
    activity = activity_with_sessions(1, start_in=-1)
    SessionFactory.create(activity=activity, starts_at=in_days(3))
    registration = attended(RegistrationFactory.create(activity=activity), sessions=1)

    with pytest.raises(FeedbackError) as refused:
        feedback.submit_feedback(registration=registration, **GOOD)

    assert refused.value.code == "not_open"


@pytest.mark.parametrize("bad", [0, 6, -1, "5", None])
def test_ratings_outside_one_to_five_are_refused(bad):
    registration = attended(RegistrationFactory.create(activity=past_activity_with_sessions(1)))

    with pytest.raises(FeedbackError) as refused:
        feedback.submit_feedback(registration=registration, **{**GOOD, "organisation": bad})

    assert refused.value.code == "rating"
    assert not FeedbackResponse.objects.exists()


# Results ----------------------------------------------------------------------------------------


def answer(activity, **ratings):
    registration = attended(RegistrationFactory.create(activity=activity))
    return feedback.submit_feedback(registration=registration, **{**GOOD, **ratings})


def test_the_summary_has_averages_distributions_and_the_change_in_knowledge():
    activity = past_activity_with_sessions(1)
    answer(activity, content=5, knowledge_before=1, knowledge_after=4, comment="Harika")
    answer(activity, content=4, knowledge_before=2, knowledge_after=3)
    answer(activity, content=2, knowledge_before=3, knowledge_after=3, comment="Salon soğuktu")
    attended(RegistrationFactory.create(activity=activity))  # came, did not answer
    for registration in activity.registrations.all():
        FeedbackInvitation.objects.get_or_create(registration=registration)
    other = past_activity_with_sessions(1)
    answer(other, content=1)  # another activity's answer is not counted

    summary = feedback.feedback_summary(activities=[activity])

    assert summary.responses == 3
    assert summary.invited == 4
    assert summary.response_rate == 75
    assert summary.ratings["content"].average == pytest.approx(11 / 3)
    assert summary.ratings["content"].distribution == ((1, 0), (2, 1), (3, 0), (4, 1), (5, 1))
    assert summary.ratings["knowledge_before"].average == pytest.approx(2)
    assert summary.ratings["knowledge_after"].average == pytest.approx(10 / 3)
    assert summary.knowledge_change == pytest.approx(4 / 3)
    assert summary.improved == 2
    assert [comment.text for comment in summary.comments] == ["Salon soğuktu", "Harika"]


def test_an_empty_summary_has_no_averages():
    summary = feedback.feedback_summary(activities=[past_activity_with_sessions(1)])

    assert summary.responses == 0
    assert summary.ratings["content"].average is None
    assert summary.knowledge_change is None
    assert summary.response_rate is None


def test_the_summary_takes_a_queryset_of_activities_too(django_assert_num_queries):
    trainer = TrainerFactory.create()
    for content in (5, 3):
        activity = past_activity_with_sessions(1)
        activity.trainers.add(trainer)
        answer(activity, content=content)

    with django_assert_num_queries(3):
        summary = feedback.feedback_summary(activities=trainer.activities.all())

    assert summary.responses == 2
    assert summary.ratings["content"].average == pytest.approx(4)


def test_a_trainers_results_are_given_per_activity():
    trainer = TrainerFactory.create()
    first = past_activity_with_sessions(1)
    second = past_activity_with_sessions(1)
    unanswered = past_activity_with_sessions(1)
    for activity in (first, second, unanswered):
        activity.trainers.add(trainer)
    answer(first, trainer=5)
    answer(first, trainer=3)
    answer(second, trainer=2)

    results = {line.activity: line for line in feedback.trainer_activity_results(trainer)}

    assert set(results) == {first, second}
    assert results[first].responses == 2
    assert results[first].ratings["trainer"].average == pytest.approx(4)
    assert results[second].ratings["trainer"].average == pytest.approx(2)

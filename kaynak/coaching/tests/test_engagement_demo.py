"""The coaching demo: one round, 15 engagements in several provinces (12 completed with a
baseline and a final, 3 active with a baseline only), plans and sessions as the services make
them, the outside coach's account, figures that improve overall."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from rich.progress import Progress

from kaynak.accounts import demo as accounts_demo
from kaynak.accounts.models import Role, User
from kaynak.coaching import demo_coaching, outcomes
from kaynak.coaching.models import Assessment, CoachingRound, CoachingSession, Engagement
from kaynak.core.demo import DemoContext, demo_now
from kaynak.directory import demo as directory_demo
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db

NOW = demo_now(dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC))


def test_the_coaching_demo_has_completed_and_active_engagements_with_believable_figures() -> None:
    context = DemoContext(
        scale="small", rng=random.Random(2018), progress=Progress(disable=True), now=NOW
    )
    accounts_demo.build(context)
    directory_demo.build(context)

    demo_coaching.build(context)

    round_ = CoachingRound.objects.get()
    assert round_.name == "Örgütsel Mentorluk 2025"
    statuses = list(Engagement.objects.values_list("status", flat=True))
    assert sorted(statuses) == ["active"] * 3 + ["completed"] * 12
    provinces = set(Engagement.objects.values_list("organisation__province", flat=True))
    assert len(provinces) >= 5
    coach = User.objects.get(email=demo_coaching.COACH_EMAIL)
    assert Role.COACH in coach.staff_roles
    assert Engagement.objects.filter(coach=coach).count() in (7, 8)
    for engagement in Engagement.objects.all():
        finals = engagement.assessments.filter(stage="final", status="completed").count()
        assert finals == (1 if engagement.status == "completed" else 0)
        assert 5 <= engagement.actions.count() <= 8
        assert engagement.sessions.count() >= 1
        assert engagement.sessions.filter(starts_at__gt=NOW).count() == 0
    assert not Assessment.objects.filter(status="draft").exists()
    assert Delivery.objects.filter(kind__slug="coaching").count() >= CoachingSession.objects.count()
    figures = outcomes.capacity_change(NOW.date() - dt.timedelta(days=800), NOW.date())
    assert figures.engagements == 12
    assert figures.overall_change is not None
    assert figures.overall_change > 0

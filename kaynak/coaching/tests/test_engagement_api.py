"""Engagements over the API: staff see all (bearer token) and filter, a coach theirs, an NGO
admin their organisation's (session) without the coach's notes; another's engagement is a 404
in the house error format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, api_token_for
from kaynak.coaching import engagements
from kaynak.coaching.models import CoachingRound
from kaynak.coaching.tests.engagement_helpers import assessed, coach, ngo_admin
from kaynak.coaching.tests.factories import ActionFactory, EngagementFactory
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def session_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_client(user: User) -> Client:
    _token, raw = api_token_for(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_staff_list_every_engagement_and_filter_by_status_and_round() -> None:
    first = EngagementFactory.create()
    coaching_round = CoachingRound.objects.create(
        programme=ProgrammeFactory.create(),
        name="Örgütsel Mentorluk 2026",
        slug="orgutsel-mentorluk-2026",
        instrument=first.instrument,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 9, 30),
    )
    in_round = EngagementFactory.create(round=coaching_round, status="planned")
    staff = token_client(StaffFactory.create(roles=[Role.ME_OFFICER]))

    assert staff.get("/api/v1/engagements").json()["count"] == 2
    planned = staff.get("/api/v1/engagements?status=planned").json()
    by_round = staff.get(f"/api/v1/engagements?round={coaching_round.slug}").json()

    assert [e["code"] for e in planned["items"]] == [in_round.code]
    assert [e["code"] for e in by_round["items"]] == [in_round.code]
    assert by_round["items"][0]["round"] == "orgutsel-mentorluk-2026"


def test_a_coach_and_an_ngo_admin_list_only_theirs() -> None:
    the_coach = coach()
    coached = EngagementFactory.create(coach=the_coach)
    other = EngagementFactory.create()

    coach_list = session_client(the_coach).get("/api/v1/engagements").json()
    admin_list = session_client(ngo_admin(other.organisation)).get("/api/v1/engagements").json()

    assert [e["code"] for e in coach_list["items"]] == [coached.code]
    assert [e["code"] for e in admin_list["items"]] == [other.code]


def test_the_detail_has_plan_sessions_score_change_and_progress() -> None:
    engagement = EngagementFactory.create(coach=coach())
    ActionFactory.create(engagement=engagement, status="done", owner="Sayman")
    ActionFactory.create(engagement=engagement, status="todo")
    engagements.session_log(
        engagement=engagement,
        starts_at=timezone.now() - dt.timedelta(days=2),
        minutes=90,
        mode="online",
        coach_notes="Özel gözlem",
        shared_notes="Ortak not",
        actor=None,
    )
    assessed(engagement, kind="coach", stage="baseline", gov=(1, 2), fin=(2, 2))
    assessed(engagement, kind="coach", stage="final", gov=(3, 3), fin=(2, 3))

    body = session_client(engagement.coach).get(f"/api/v1/engagements/{engagement.code}").json()  # type: ignore[arg-type]

    assert body["plan_progress"] == {"total": 2, "done": 1, "dropped": 0, "share_done": "50.00"}
    assert (body["sessions"], body["hours"]) == (1, "1.50")
    assert [a["owner"] for a in body["plan"]] == ["Sayman", "Dernek başkanı"]
    assert body["session_list"][0]["coach_notes"] == "Özel gözlem"
    assert body["score_change"][0] == {
        "dimension": "gov",
        "name": "Yönetişim",
        "baseline": "1.50",
        "final": "3.00",
        "change": "1.50",
    }


def test_an_ngo_admin_gets_the_shared_notes_but_not_the_coachs() -> None:
    engagement = EngagementFactory.create()
    engagements.session_log(
        engagement=engagement,
        starts_at=timezone.now() - dt.timedelta(days=2),
        minutes=60,
        mode="phone",
        coach_notes="Özel gözlem",
        shared_notes="Ortak not",
        actor=None,
    )
    client = session_client(ngo_admin(engagement.organisation))

    session = client.get(f"/api/v1/engagements/{engagement.code}").json()["session_list"][0]

    assert session["shared_notes"] == "Ortak not"
    assert session["coach_notes"] is None


def test_another_organisations_engagement_is_a_404_in_the_house_format() -> None:
    engagement = EngagementFactory.create()
    client = session_client(ngo_admin(EngagementFactory.create().organisation))

    response = client.get(f"/api/v1/engagements/{engagement.code}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_without_credentials_the_api_answers_401() -> None:
    assert Client().get("/api/v1/engagements").status_code == 401

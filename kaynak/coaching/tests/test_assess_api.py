"""Assessments over the API: staff who see every assessment get all (filtered by organisation
and status), a member those of the organisations they act for, a coach those of their
engagements; one assessment with its dimension scores and answers; 404 for the rest."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, api_token_for
from kaynak.coaching.tests.assess_support import answered, logged_in, ngo_admin
from kaynak.coaching.tests.factories import EngagementFactory, small_instrument
from kaynak.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ALL_FOUR = {"gov-1": 2, "gov-2": 3, "fin-1": 3, "fin-2": 4}


def staff_client() -> Client:
    officer = StaffFactory.create(roles=[Role.ME_OFFICER])
    _token, secret = api_token_for(officer)
    return Client(headers={"Authorization": f"Bearer {secret}"})


def ids(response: object) -> set[int]:
    return {item["id"] for item in response.json()["items"]}  # type: ignore[attr-defined]


def test_staff_see_every_assessment_and_filter_them() -> None:
    ours = OrganisationFactory.create()
    completed = answered(ALL_FOUR, organisation=ours)
    draft = answered({"gov-1": 2}, organisation=ours, complete=False)
    other = answered(ALL_FOUR)
    client = staff_client()
    assert ids(client.get("/api/v1/assessments")) == {completed.pk, draft.pk, other.pk}
    assert ids(client.get(f"/api/v1/assessments?organisation={ours.pk}")) == {
        completed.pk,
        draft.pk,
    }
    assert ids(client.get("/api/v1/assessments?status=completed")) == {completed.pk, other.pk}


def test_a_member_sees_only_their_organisations_assessments() -> None:
    ours = OrganisationFactory.create()
    mine = answered(ALL_FOUR, organisation=ours)
    other = answered(ALL_FOUR)
    client = logged_in(ngo_admin(ours))
    assert ids(client.get("/api/v1/assessments")) == {mine.pk}
    assert ids(client.get(f"/api/v1/assessments?organisation={other.organisation_id}")) == set()
    response = client.get(f"/api/v1/assessments/{other.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_one_assessment_has_its_dimension_scores_and_answers_with_evidence() -> None:
    ours = OrganisationFactory.create()
    completed = answered(ALL_FOUR, organisation=ours, instrument=small_instrument())
    body = logged_in(ngo_admin(ours)).get(f"/api/v1/assessments/{completed.pk}").json()
    assert body["status"] == "completed"
    assert Decimal(str(body["overall"])) == Decimal("3.00")
    assert [(d["key"], Decimal(str(d["score"]))) for d in body["dimensions"]] == [
        ("gov", Decimal("2.50")),
        ("fin", Decimal("3.50")),
    ]
    assert next((a["question"], a["score"], a["evidence"]) for a in body["answers"]) == (
        "gov-1",
        2,
        "Kanıt gov-1",
    )


def test_a_coach_sees_the_assessments_of_their_engagements_only() -> None:
    coach = StaffFactory.create(roles=[Role.COACH])
    engagement = EngagementFactory.create(coach=coach)
    theirs = answered(
        ALL_FOUR,
        organisation=engagement.organisation,
        instrument=engagement.instrument,
        engagement=engagement,
        kind="coach",
    )
    answered(ALL_FOUR)
    client = logged_in(coach)
    assert ids(client.get("/api/v1/assessments")) == {theirs.pk}


def test_the_api_needs_authentication() -> None:
    assert Client().get("/api/v1/assessments").status_code == 401

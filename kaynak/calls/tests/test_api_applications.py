"""Applications over the API: members see their own, staff every one (with filters), an
assigned reviewer one without names when the review is blind; others get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory, api_token_for
from kaynak.calls import decisions
from kaynak.calls.models import Application, ApplicationPerson, ApplicationStatus, ReviewAssignment
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory
from kaynak.directory import services as directory_services

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    """Staff call with a token; members (who have no tokens) with their session."""
    if user.is_staff:
        _record, token = api_token_for(user)
        return Client(headers={"Authorization": f"Bearer {token}"})
    client = Client()
    client.force_login(user)
    return client


def _own(user: User, **fields: Any) -> Application:
    return ApplicationFactory.create(
        user=user, person=directory_services.person_for_user(user=user), **fields
    )


def test_a_member_lists_only_their_own_applications() -> None:
    member = UserFactory.create()
    mine = _own(member)
    ApplicationFactory.create()
    body = _client(member).get("/api/v1/applications").json()
    assert body["count"] == 1
    assert body["items"][0]["code"] == mine.code
    assert mine.organisation is not None
    assert body["items"][0]["organisation"] == mine.organisation.name


def test_staff_list_every_application_filtered_by_call_and_status() -> None:
    call = CallFactory.create()
    wanted = ApplicationFactory.create(call=call)
    ApplicationFactory.create(call=call, status=ApplicationStatus.WITHDRAWN)
    ApplicationFactory.create()
    staff = _client(StaffFactory.create(roles=[Role.ME_OFFICER]))
    assert staff.get("/api/v1/applications").json()["count"] == 3
    body = staff.get(f"/api/v1/applications?call={call.slug}&status=submitted").json()
    assert [item["code"] for item in body["items"]] == [wanted.code]


def test_a_member_reads_their_application_with_answers_and_people() -> None:
    member = UserFactory.create()
    application = _own(member, answers={"beklenti": "Öğrenmek"})
    ApplicationPerson.objects.create(
        application=application, full_name="Ali Veli", email="ali@ornek.org"
    )
    body = _client(member).get(f"/api/v1/applications/{application.code}").json()
    assert body["answers"] == {"beklenti": "Öğrenmek"}
    assert body["people"] == [{"full_name": "Ali Veli", "email": "ali@ornek.org", "role": ""}]


def test_another_members_application_is_not_found_in_the_house_format() -> None:
    application = ApplicationFactory.create()
    response = _client(UserFactory.create()).get(f"/api/v1/applications/{application.code}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_assigned_reviewer_of_a_blind_call_sees_no_names() -> None:
    reviewer = StaffFactory.create(roles=[Role.REVIEWER])
    application = ApplicationFactory.create(call=CallFactory.create(blind_review=True))
    ApplicationPerson.objects.create(
        application=application, full_name="Ali Veli", email="ali@ornek.org"
    )
    client = _client(reviewer)
    assert client.get(f"/api/v1/applications/{application.code}").status_code == 404
    ReviewAssignment.objects.create(application=application, reviewer=reviewer)
    body = client.get(f"/api/v1/applications/{application.code}").json()
    assert body["organisation"] is None
    assert body["applicant"] is None
    assert body["people"] == []
    # The list is not theirs: reviewers are not staff who view every application.
    assert client.get("/api/v1/applications").json()["count"] == 0


def test_the_api_needs_a_token_or_a_session() -> None:
    assert Client().get("/api/v1/applications").status_code == 401


def test_a_member_sees_a_decision_only_once_they_were_told_it() -> None:
    member = UserFactory.create()
    application = _own(member)
    decided = decisions.decide(application=application, decision=ApplicationStatus.REJECTED)
    client = _client(member)

    listed = client.get("/api/v1/applications").json()["items"][0]
    one = client.get(f"/api/v1/applications/{application.code}").json()
    rejected = client.get("/api/v1/applications?status=rejected").json()
    submitted = client.get("/api/v1/applications?status=submitted").json()
    assert (listed["status"], one["status"], one["decided_at"]) == ("submitted", "submitted", None)
    assert (rejected["count"], submitted["count"]) == (0, 1)

    Application.objects.filter(pk=decided.pk).update(notified_at=decided.decided_at)
    assert client.get(f"/api/v1/applications/{application.code}").json()["status"] == "rejected"
    assert client.get("/api/v1/applications?status=rejected").json()["count"] == 1
    staff = _client(StaffFactory.create(roles=[Role.ME_OFFICER]))
    assert staff.get("/api/v1/applications?status=rejected").json()["count"] == 1

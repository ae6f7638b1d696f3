"""Trainings and events over the API: the public upcoming list, activities and sessions (public
subset for everyone, everything for staff), and registrations (staff only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory, api_token_for
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.programmes import services
from kaynak.programmes.models import ActivityKind, ActivityStatus, Registration, RegistrationStatus
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    SessionFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kaynak.programmes.tests.api_urls")]

PUBLIC_FIELDS = {
    "id",
    "slug",
    "title",
    "kind",
    "programme",
    "topic",
    "themes",
    "language",
    "description",
    "target_audience",
    "trainers",
    "registration_required",
    "seats",
    "seats_left",
    "waitlist",
    "registration_opens_at",
    "registration_closes_at",
    "sessions",
}
STAFF_ONLY_FIELDS = {
    "status",
    "capacity",
    "seats_per_organisation",
    "seats_taken",
    "waiting",
    "questions",
    "offer_hours",
    "completion_percent",
    "certificates",
    "feedback",
    "feedback_anonymous",
    "copied_from_id",
    "published_at",
    "created_at",
    "updated_at",
}
PUBLIC_SESSION_FIELDS = {
    "id",
    "title",
    "starts_at",
    "ends_at",
    "online",
    "province",
    "venue",
    "address",
    "stream_url",
    "recording_url",
}


def bearer(user: User) -> dict[str, str]:
    _token, raw = api_token_for(user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def coordinator() -> dict[str, str]:
    return bearer(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))


@pytest.fixture
def officer() -> dict[str, str]:
    return bearer(StaffFactory.create(roles=[Role.ME_OFFICER]))


def sign_up(activity, **kwargs: Any) -> Registration:
    person = PersonFactory.create()
    return services.register(activity=activity, person=person, email=person.emails[0], **kwargs)


# Activities -------------------------------------------------------------------------------------


def test_the_upcoming_list_is_public_soonest_first_with_the_public_subset(client):
    later = activity_with_sessions(2, title="Stratejik Planlama", start_in=20, capacity=3)
    later.themes.set([Theme.objects.get(slug="environment")])
    sign_up(later)
    sooner = ActivityFactory.create(title="Aylık Webinar: Bağış Toplama", capacity=None)
    SessionFactory.create(
        activity=sooner,
        starts_at=in_days(3),
        online=True,
        province=None,
        meeting_url="https://meet.example.org/gizli",
    )
    activity_with_sessions(1, title="Geçmiş Eğitim", start_in=-3)
    activity_with_sessions(1, title="Taslak", status=ActivityStatus.DRAFT)
    activity_with_sessions(1, title="İptal", status=ActivityStatus.CANCELLED)

    response = client.get("/api/v1/activities/upcoming")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count", "page", "pages", "page_size"}
    assert [item["title"] for item in body["items"]] == [
        "Aylık Webinar: Bağış Toplama",
        "Stratejik Planlama",
    ]
    first, second = body["items"]
    assert set(first) == PUBLIC_FIELDS
    assert set(first["sessions"][0]) == PUBLIC_SESSION_FIELDS
    assert "gizli" not in response.content.decode()
    assert (first["seats"], first["seats_left"]) == (None, None)
    assert (second["seats"], second["seats_left"]) == (3, 2)
    assert second["themes"] == ["environment"]
    assert second["sessions"][0]["province"] == {"plate_code": 6, "name": "Ankara"}


def test_the_upcoming_list_filters_by_province_online_and_kind(client):
    izmir = activity_with_sessions(1, title="İzmir Eğitimi")
    izmir.sessions.update(province=province(35))
    ankara = activity_with_sessions(1, title="Ankara Eğitimi")
    webinar = ActivityFactory.create(title="Webinar", kind=ActivityKind.WEBINAR)
    SessionFactory.create(activity=webinar, online=True, province=None)

    def titles(**params: Any) -> list[str]:
        items = client.get("/api/v1/activities/upcoming", params).json()["items"]
        return sorted(item["title"] for item in items)

    assert titles(province=35) == ["İzmir Eğitimi"]
    assert titles(online="true") == ["Webinar"]
    assert titles(online="false") == sorted([izmir.title, ankara.title])
    assert titles(kind="webinar") == ["Webinar"]
    assert client.get("/api/v1/activities/upcoming", {"kind": "party"}).status_code == 422


def test_a_stream_link_is_public_only_when_no_registration_is_needed(client):
    open_talk = ActivityFactory.create(registration_required=False)
    SessionFactory.create(activity=open_talk, stream_url="https://yayin.example.org/acik")
    closed = ActivityFactory.create()
    SessionFactory.create(activity=closed, stream_url="https://yayin.example.org/kapali")

    body = client.get("/api/v1/activities/upcoming").json()

    streams = {item["id"]: item["sessions"][0]["stream_url"] for item in body["items"]}
    assert streams == {open_talk.pk: "https://yayin.example.org/acik", closed.pk: ""}


def test_the_upcoming_list_costs_the_same_queries_for_many(client, django_assert_num_queries):
    for _ in range(2):
        activity_with_sessions(2)
    client.get("/api/v1/activities/upcoming")
    # The page, its count, themes, trainers, sessions.
    with django_assert_num_queries(5) as few:
        client.get("/api/v1/activities/upcoming")
    for _ in range(8):
        sign_up(activity_with_sessions(3))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/activities/upcoming").json()["count"] == 10


def test_visitors_see_published_activities_and_staff_see_everything(client, officer):
    published = activity_with_sessions(1, title="Yayında")
    draft = activity_with_sessions(1, title="Taslak", status=ActivityStatus.DRAFT)
    draft.sessions.update(meeting_url="https://meet.example.org/oda")

    public = client.get("/api/v1/activities").json()
    staff = client.get("/api/v1/activities", headers=officer).json()

    assert [item["title"] for item in public["items"]] == ["Yayında"]
    assert {item["title"] for item in staff["items"]} == {"Yayında", "Taslak"}
    item = next(item for item in staff["items"] if item["id"] == draft.pk)
    assert set(item) == PUBLIC_FIELDS | STAFF_ONLY_FIELDS
    assert item["status"] == "draft"
    assert item["sessions"][0]["meeting_url"] == "https://meet.example.org/oda"
    assert client.get(f"/api/v1/activities/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/activities/{draft.pk}", headers=officer).status_code == 200
    assert client.get(f"/api/v1/activities/{published.pk}").json()["title"] == "Yayında"
    drafts = client.get("/api/v1/activities", {"status": "draft"}, headers=officer).json()
    assert [item["title"] for item in drafts["items"]] == ["Taslak"]


def test_an_activitys_sessions_in_order(client, officer):
    activity = ActivityFactory.create()
    late = SessionFactory.create(activity=activity, starts_at=in_days(12), capacity=8)
    early = SessionFactory.create(activity=activity, starts_at=in_days(11))

    public = client.get(f"/api/v1/activities/{activity.pk}/sessions").json()
    staff = client.get(f"/api/v1/activities/{activity.pk}/sessions", headers=officer).json()

    assert [s["id"] for s in public] == [early.pk, late.pk]
    assert set(public[0]) == PUBLIC_SESSION_FIELDS
    assert staff[1]["capacity"] == 8
    assert dt.datetime.fromisoformat(public[0]["starts_at"]) == early.starts_at


# Registrations ----------------------------------------------------------------------------------


def test_registrations_are_for_staff_only(client):
    activity = activity_with_sessions(1)
    address = f"/api/v1/activities/{activity.pk}/registrations"

    assert client.get(address).status_code == 401
    client.force_login(UserFactory.create())
    response = client.get(address)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    agent = bearer(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    assert Client().get(address, headers=agent).status_code == 403


def test_staff_list_an_activitys_registrations_in_the_order_they_came(client, officer):
    activity = activity_with_sessions(1, capacity=1)
    first, second = sign_up(activity), sign_up(activity)

    body = client.get(f"/api/v1/activities/{activity.pk}/registrations", headers=officer).json()

    assert [item["id"] for item in body["items"]] == [first.pk, second.pk]
    assert [item["status"] for item in body["items"]] == ["confirmed", "waitlisted"]
    assert body["items"][0]["person"] == {
        "id": first.person.pk,
        "full_name": first.person.full_name,
    }
    waiting = client.get(
        f"/api/v1/activities/{activity.pk}/registrations",
        {"status": "waitlisted"},
        headers=officer,
    ).json()
    assert [item["id"] for item in waiting["items"]] == [second.pk]


def test_staff_register_someone_and_the_rules_apply(client, coordinator):
    activity = activity_with_sessions(1, capacity=1, waitlist=False)
    person = PersonFactory.create(full_name="Özge Işık", emails=["ozge@ornek.org"])
    organisation = OrganisationFactory.create()
    address = f"/api/v1/activities/{activity.pk}/registrations"

    created = client.post(
        address,
        {"person_id": person.pk, "organisation_id": organisation.pk, "language": "en"},
        content_type="application/json",
        headers=coordinator,
    )

    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "confirmed"
    assert body["email"] == "ozge@ornek.org"
    assert body["organisation"] == {"id": organisation.pk, "name": organisation.name}
    assert body["added_by"] is not None
    full = client.post(
        address,
        {"person_id": PersonFactory.create().pk},
        content_type="application/json",
        headers={**coordinator, "Accept-Language": "en"},
    )
    assert full.status_code == 400
    assert full.json()["error"] == {
        "code": "full",
        "message": "This activity is full and keeps no waiting list.",
    }


def test_an_override_through_the_api_needs_a_reason(client, coordinator):
    activity = activity_with_sessions(1, capacity=1, waitlist=False)
    sign_up(activity)
    person = PersonFactory.create()
    address = f"/api/v1/activities/{activity.pk}/registrations"

    refused = client.post(
        address,
        {"person_id": person.pk, "override": True},
        content_type="application/json",
        headers=coordinator,
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "reason"
    assert not Registration.objects.filter(person=person).exists()

    given = client.post(
        address,
        {"person_id": person.pk, "override": True, "reason": "Konuşmacının asistanı"},
        content_type="application/json",
        headers=coordinator,
    )
    assert given.status_code == 201
    assert given.json()["staff_note"] == "Konuşmacının asistanı"
    assert services.seats_taken(activity) == 2


def test_unknown_people_and_readers_cannot_register(client, coordinator, officer):
    activity = activity_with_sessions(1)
    address = f"/api/v1/activities/{activity.pk}/registrations"

    unknown = client.post(
        address, {"person_id": 999999}, content_type="application/json", headers=coordinator
    )
    reader = client.post(
        address,
        {"person_id": PersonFactory.create().pk},
        content_type="application/json",
        headers=officer,
    )

    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "unknown_person"
    assert reader.status_code == 403
    assert not Registration.objects.filter(activity=activity).exists()


def test_staff_cancel_with_a_reason_and_the_seat_goes_to_the_next(client, coordinator):
    activity = activity_with_sessions(1, capacity=1)
    holder, waiting = sign_up(activity), sign_up(activity)
    address = f"/api/v1/registrations/{holder.pk}/cancel"

    no_reason = client.post(
        address, {"reason": ""}, content_type="application/json", headers=coordinator
    )
    assert no_reason.status_code == 422
    cancelled = client.post(
        address, {"reason": "Kurumu ayrıldı"}, content_type="application/json", headers=coordinator
    )

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["staff_note"] == "Kurumu ayrıldı"
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED


def test_the_endpoints_are_described_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()

    assert {
        "/api/v1/activities/upcoming",
        "/api/v1/activities/{activity_id}",
        "/api/v1/activities/{activity_id}/registrations",
        "/api/v1/registrations/{registration_id}/cancel",
    } <= set(schema["paths"])

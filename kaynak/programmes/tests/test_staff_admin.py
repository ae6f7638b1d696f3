"""Trainings and events in the admin: activities and their sessions change through the
catalogue (registrants hear of a moved session), registrations are only read there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.audit import history_for
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes import services
from kaynak.programmes.models import Activity, ActivityStatus, Topic
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    ProgrammeFactory,
    RegistrationFactory,
    activity_with_sessions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(StaffFactory.create(roles=[Role.CENTER_ADMIN]))
    return client


@pytest.fixture
def mails(monkeypatch) -> list[tuple[int, str]]:
    queued: list[tuple[int, str]] = []
    monkeypatch.setattr(
        services,
        "_mail_on_commit",
        lambda registration, message: queued.append((registration.pk, message)),
    )
    return queued


def local(moment: dt.datetime) -> tuple[str, str]:
    moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d}", f"{moment:%H:%M:%S}"


def activity_form(activity: Activity | None, programme_pk: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "programme": programme_pk,
        "kind": "training",
        "title": "Hibe Başvurusu Yazımı",
        "slug": "hibe-basvurusu-yazimi",
        "language": "tr",
        "registration_required": "on",
        "capacity": "20",
        "waitlist": "on",
        "questions": "[]",
        "offer_hours": "48",
        "completion_percent": "80",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    if activity is not None:
        data.update(
            title=activity.title,
            slug=activity.slug,
            capacity=str(activity.capacity),
            programme=activity.programme_id,
        )
        sessions = list(activity.sessions.all())
        data["sessions-TOTAL_FORMS"] = data["sessions-INITIAL_FORMS"] = str(len(sessions))
        for index, session in enumerate(sessions):
            prefix = f"sessions-{index}-"
            data.update(
                {
                    f"{prefix}id": session.pk,
                    f"{prefix}activity": activity.pk,
                    f"{prefix}starts_at_0": local(session.starts_at)[0],
                    f"{prefix}starts_at_1": local(session.starts_at)[1],
                    f"{prefix}ends_at_0": local(session.ends_at)[0],
                    f"{prefix}ends_at_1": local(session.ends_at)[1],
                    f"{prefix}province": session.province_id or "",
                    f"{prefix}venue": session.venue,
                }
            )
    data.update(changes)
    return data


def test_every_programmes_page_of_the_admin_opens(admin_client):
    activity = activity_with_sessions(1)
    RegistrationFactory.create(activity=activity)

    for model in ("programme", "topic", "trainer", "activity", "registration", "attendance"):
        response = admin_client.get(reverse(f"admin:programmes_{model}_changelist"))
        assert response.status_code == 200, model
    change = admin_client.get(reverse("admin:programmes_activity_change", args=[activity.pk]))
    assertContains(change, activity.sessions.get().venue)


def test_an_activity_made_in_the_admin_is_a_draft_made_by_the_catalogue(admin_client):
    programme = ProgrammeFactory.create()

    response = admin_client.post(
        reverse("admin:programmes_activity_add"), activity_form(None, programme.pk)
    )

    assert response.status_code == 302
    activity = Activity.objects.get(slug="hibe-basvurusu-yazimi")
    assert activity.status == ActivityStatus.DRAFT
    assert list(history_for(activity))[-1].action == "kaynak.programmes.activity.created"


def test_a_session_moved_in_the_admin_tells_the_registrants(admin_client, mails):
    activity = activity_with_sessions(1)
    person = PersonFactory.create()
    registration = services.register(activity=activity, person=person, email=person.emails[0])
    mails.clear()
    session = activity.sessions.get()
    moved = timezone.localtime(session.starts_at) + dt.timedelta(days=1)

    response = admin_client.post(
        reverse("admin:programmes_activity_change", args=[activity.pk]),
        activity_form(
            activity,
            activity.programme_id,
            **{
                "sessions-0-starts_at_0": f"{moved:%Y-%m-%d}",
                "sessions-0-ends_at_0": f"{moved:%Y-%m-%d}",
            },
        ),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).date() == moved.date()
    assert mails == [(registration.pk, "changed")]


def test_registrations_are_read_only_in_the_admin(admin_client):
    registration = RegistrationFactory.create()

    assert admin_client.get(reverse("admin:programmes_registration_add")).status_code == 403
    change = admin_client.post(
        reverse("admin:programmes_registration_change", args=[registration.pk]),
        {"status": "cancelled"},
    )
    assert change.status_code == 403
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_drafts_are_published_with_the_admin_action(admin_client):
    draft = activity_with_sessions(1, status=ActivityStatus.DRAFT)
    empty = ActivityFactory.create(status=ActivityStatus.DRAFT)

    admin_client.post(
        reverse("admin:programmes_activity_changelist"),
        {"action": "publish", "_selected_action": [draft.pk, empty.pk]},
    )

    assert Activity.objects.get(pk=draft.pk).status == ActivityStatus.PUBLISHED
    assert Activity.objects.get(pk=empty.pk).status == ActivityStatus.DRAFT


def test_a_topic_is_found_by_its_folded_name(admin_client):
    admin_client.post(
        reverse("admin:programmes_topic_add"),
        {"name_tr": "Örgütsel Güçlenme", "name_en": "Organisational Strength", "slug": "orgut"},
    )

    assert (
        Topic.objects.get(slug="orgut").search_text
        == "orgutsel guclenme organisational strength orgut"
    )
    response = admin_client.get(reverse("admin:programmes_topic_changelist") + "?q=ORGUTSEL")
    assertContains(response, "Örgütsel Güçlenme")

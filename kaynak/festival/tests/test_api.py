"""The festival's public API: published festivals and a festival's schedule with filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kaynak.core.models import Theme
from kaynak.festival.models import FestivalSession
from kaynak.festival.tests.factories import FestivalFactory
from kaynak.festival.tests.helpers import a_programme, activity_of
from kaynak.programmes.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_published_festivals_are_listed_and_unpublished_ones_are_not(client: Client):
    shown = FestivalFactory.create(name="Sivil Sesler 2027")
    FestivalFactory.create(name="Gizli Festival", published_at=None)

    response = client.get("/api/v1/festivals")

    assert response.status_code == 200
    assert [f["name"] for f in response.json()] == [shown.name]
    assert response.json()[0]["province"] == "Ankara"


def test_the_schedule_gives_sessions_with_istanbul_offsets_hosts_and_seats(client: Client):
    programme = a_programme(sessions_per_day=1)
    first = FestivalSession.objects.get(pk=programme.sessions[0].pk)
    RegistrationFactory.create(activity=first.activity)

    response = client.get(f"/api/v1/festivals/{programme.festival.slug}/schedule")

    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == len(programme.sessions)
    row = next(r for r in rows if r["id"] == first.pk)
    assert row["starts_at"].endswith("+03:00")
    assert dt.datetime.fromisoformat(row["starts_at"]) == first.starts_at
    assert first.venue is not None
    assert first.host is not None
    assert row["venue"] == first.venue.name
    assert row["host_organisation"] == first.host.name
    assert row["facilitators"] == [first.facilitators.get().full_name]
    assert row["themes"] == [first.themes.get().slug]
    assert row["seats_left"] == 24
    assert row["registration_slug"] == activity_of(first).slug


def test_the_schedule_filters_by_day_and_theme(client: Client):
    programme = a_programme(sessions_per_day=1)
    festival = programme.festival
    base = f"/api/v1/festivals/{festival.slug}/schedule"
    second_theme = Theme.objects.order_by("position")[1]

    by_day = client.get(base, {"day": festival.ends_on.isoformat()}).json()
    by_theme = client.get(base, {"theme": second_theme.slug}).json()
    unknown = client.get(base, {"theme": "yok-boyle-tema"}).json()

    assert len(by_day) == 2
    assert all(r["starts_at"][:10] == festival.ends_on.isoformat() for r in by_day)
    assert [r["id"] for r in by_theme] == [r["id"] for r in by_day]
    assert unknown == []
    assert client.get(base, {"day": "31-12-2026"}).status_code in (400, 422)


def test_an_unpublished_festival_has_no_public_schedule(client: Client):
    hidden = FestivalFactory.create(published_at=None)

    assert client.get(f"/api/v1/festivals/{hidden.slug}/schedule").status_code == 404

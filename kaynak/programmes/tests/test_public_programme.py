"""A programme's (or talk series') page with all its activities, and the recordings page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.tests.helpers import url
from kaynak.programmes.models import ActivityStatus
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    ProgrammeFactory,
    SessionFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db


def episode(programme, title: str, days: int, recording: str = ""):
    activity = ActivityFactory.create(programme=programme, kind="talk", title=title)
    SessionFactory.create(
        activity=activity,
        online=True,
        province=None,
        starts_at=in_days(days),
        recording_url=recording,
    )
    return activity


def test_a_series_page_lists_coming_and_past_episodes_with_recordings(client):
    series = ProgrammeFactory.create(
        name="Pandemi Söyleşileri", name_en="Pandemic Talks", is_series=True
    )
    episode(series, "1. Bölüm: Dayanışma", -60, "https://video.example.org/bolum-1")
    episode(series, "2. Bölüm: Gönüllülük", -30, "https://video.example.org/bolum-2")
    episode(series, "3. Bölüm: Gelecek", 10)
    ActivityFactory.create(programme=series, title="Taslak Bölüm", status=ActivityStatus.DRAFT)
    activity_with_sessions(1, title="Başka Programın Eğitimi")

    turkish = client.get(url("programmes:programme", series.slug))
    english = client.get(url("programmes:programme", series.slug, language="en"))

    assert turkish.status_code == english.status_code == 200
    assertContains(turkish, "Pandemi Söyleşileri")
    assertContains(english, "Pandemic Talks")
    assert [row.activity.title for row in english.context["upcoming"]] == ["3. Bölüm: Gelecek"]
    assert [row.activity.title for row in english.context["page"].object_list] == [
        "2. Bölüm: Gönüllülük",
        "1. Bölüm: Dayanışma",
    ]
    assertContains(english, "Past episodes")
    assertContains(english, "https://video.example.org/bolum-1")
    assertContains(english, url("programmes:programme-calendar", series.slug, language="en"))
    assertNotContains(english, "Taslak Bölüm")
    assertNotContains(english, "Başka Programın Eğitimi")


def test_an_unknown_programme_is_not_found(client):
    assert client.get(url("programmes:programme", "yok")).status_code == 404


def test_the_programme_page_costs_the_same_queries_for_few_or_many_activities(
    client, django_assert_num_queries
):
    programme = ProgrammeFactory.create()

    def make(count: int, start: int) -> None:
        for i in range(count):
            episode(programme, f"Geçmiş {start + i}", -10 - start - i, "https://v.example.org/x")
            episode(programme, f"Gelecek {start + i}", 10 + start + i)

    make(1, 0)
    client.get(url("programmes:programme", programme.slug))
    with CaptureQueriesContext(connection) as few:
        client.get(url("programmes:programme", programme.slug))
    make(8, 1)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("programmes:programme", programme.slug))
    assert len(response.context["upcoming"]) == 9


def test_the_recordings_page_lists_sessions_with_a_recording_newest_first(client):
    series = ProgrammeFactory.create(name="Aylık Webinarlar")
    episode(series, "Ocak Webinarı", -60, "https://video.example.org/ocak")
    episode(series, "Şubat Webinarı", -30, "https://video.example.org/subat")
    episode(series, "Kayıtsız Webinar", -20)
    hidden = episode(series, "Taslak Webinar", -10, "https://video.example.org/taslak")
    hidden.status = ActivityStatus.DRAFT
    hidden.save()

    turkish = client.get(url("programmes:recordings"))
    english = client.get(url("programmes:recordings", language="en"))

    assert turkish.status_code == english.status_code == 200
    assert [s.activity.title for s in english.context["page"].object_list] == [
        "Şubat Webinarı",
        "Ocak Webinarı",
    ]
    assertContains(english, "https://video.example.org/subat")
    assertNotContains(english, "Kayıtsız Webinar")
    assertNotContains(english, "taslak")


def test_the_recordings_page_costs_the_same_queries_for_few_or_many(
    client, django_assert_num_queries
):
    programme = ProgrammeFactory.create()
    episode(programme, "İlk", -5, "https://v.example.org/1")
    client.get(url("programmes:recordings"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("programmes:recordings"))
    for i in range(10):
        episode(ProgrammeFactory.create(), f"Kayıt {i}", -6 - i, f"https://v.example.org/{i}")

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("programmes:recordings"))
    assert len(response.context["page"].object_list) == 11

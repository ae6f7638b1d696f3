"""The upcoming activities page: what is listed, in which order, the filters, and each row's
dates, place and seats."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.tests.helpers import url
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import province
from kaynak.programmes import services
from kaynak.programmes.models import ActivityStatus
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    RegistrationFactory,
    SessionFactory,
    TopicFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def titles_on(response) -> list[str]:
    return [row.activity.title for row in response.context["rows"]]


def test_published_activities_with_a_session_to_come_are_listed_soonest_first(client):
    later = activity_with_sessions(1, start_in=20, title="Savunuculuk Eğitimi")
    sooner = activity_with_sessions(2, start_in=5, title="Gönüllü Yönetimi Eğitimi")
    activity_with_sessions(1, start_in=8, title="Taslak Eğitim", status=ActivityStatus.DRAFT)
    activity_with_sessions(1, start_in=-3, title="Geçmiş Eğitim")
    # Its first day is over, its second still to come: still listed.
    running = ActivityFactory.create(title="Süren Eğitim")
    SessionFactory.create(activity=running, starts_at=in_days(-1))
    SessionFactory.create(activity=running, starts_at=in_days(12))

    response = client.get(url("programmes:list"))

    assert response.status_code == 200
    assert titles_on(response) == [sooner.title, running.title, later.title]
    assertNotContains(response, "Taslak Eğitim")
    assertNotContains(response, "Geçmiş Eğitim")


def test_rows_show_istanbul_dates_and_times_in_the_page_language(client, time_machine):
    time_machine.move_to(dt.datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    activity = ActivityFactory.create(title="Mali Yönetim Eğitimi")
    SessionFactory.create(
        activity=activity,
        starts_at=dt.datetime(2027, 3, 12, 7, 0, tzinfo=UTC),  # 10:00 in Istanbul
        ends_at=dt.datetime(2027, 3, 12, 13, 30, tzinfo=UTC),
        province=province(34),
    )

    turkish = client.get(url("programmes:list"))
    english = client.get(url("programmes:list", language="en"))

    assertContains(turkish, "12 Mart 2027, Cuma · 10:00–16:30")
    assertContains(turkish, "<p>İstanbul</p>")
    assertContains(english, "12 March 2027, Friday · 10:00–16:30")
    assertContains(english, "<p>Istanbul</p>")


def test_an_online_activity_says_online(client):
    activity = ActivityFactory.create(kind="webinar", title="Dijital Güvenlik Webinarı")
    SessionFactory.create(activity=activity, online=True, province=None, venue="")

    response = client.get(url("programmes:list", language="en"))

    assert response.context["rows"][0].places == ["Online"]
    assertContains(response, "Online")


def test_each_row_says_how_many_seats_are_left_or_why_one_cannot_register(client):
    open_one = activity_with_sessions(1, start_in=3, capacity=5, title="Açık")
    RegistrationFactory.create(activity=open_one)
    RegistrationFactory.create(activity=open_one)
    full = activity_with_sessions(1, start_in=4, capacity=1, title="Dolu")
    RegistrationFactory.create(activity=full)
    RegistrationFactory.create(activity=full, status="waitlisted")
    no_waitlist = activity_with_sessions(1, start_in=5, capacity=1, waitlist=False, title="Yok")
    RegistrationFactory.create(activity=no_waitlist)
    activity_with_sessions(1, start_in=6, registration_closes_at=in_days(-1), title="Kapalı")
    activity_with_sessions(1, start_in=7, registration_required=False, title="Herkese Açık")

    response = client.get(url("programmes:list", language="en"))

    by_title = {row.activity.title: row.availability for row in response.context["rows"]}
    assert by_title["Açık"].seats_left == 3
    assert by_title["Açık"].state == "open"
    assert by_title["Dolu"].state == "waitlist"
    assert by_title["Dolu"].waiting == 1
    assert by_title["Yok"].state == "full"
    assert by_title["Kapalı"].state == "closed"
    assert by_title["Herkese Açık"].state == "no-registration"
    assertContains(response, "Registration open: 3 seats left")
    assertContains(response, "Full: join the waiting list (1 waiting)")
    assertContains(response, "Registration for this activity has closed.")
    assertContains(response, "Open to all: no registration needed")


def test_seats_agree_with_the_registration_service(client):
    activity = ActivityFactory.create(capacity=10, title="Küçük Salon")
    SessionFactory.create(activity=activity, starts_at=in_days(5))
    SessionFactory.create(activity=activity, starts_at=in_days(6), capacity=3)
    RegistrationFactory.create(activity=activity)

    row = client.get(url("programmes:list")).context["rows"][0]

    assert row.availability.seats == services.seats_of(activity) == 3
    assert row.availability.taken == services.seats_taken(activity) == 1
    assert row.availability.seats_left == 2


def test_filters_by_province_region_topic_theme_format_and_month(client, time_machine):
    time_machine.move_to(dt.datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    environment = Theme.objects.get(slug="environment")
    fundraising = TopicFactory.create(slug="kaynak-gelistirme")
    izmir = ActivityFactory.create(title="İzmir Mart", topic=fundraising)
    izmir.themes.set([environment])
    SessionFactory.create(
        activity=izmir, province=province(35), starts_at=dt.datetime(2027, 3, 3, 7, tzinfo=UTC)
    )
    ankara = ActivityFactory.create(title="Ankara Nisan")
    SessionFactory.create(
        activity=ankara, province=province(6), starts_at=dt.datetime(2027, 4, 7, 7, tzinfo=UTC)
    )
    online = ActivityFactory.create(title="Çevrim İçi Mart", kind="webinar")
    SessionFactory.create(
        activity=online,
        online=True,
        province=None,
        starts_at=dt.datetime(2027, 3, 20, 16, tzinfo=UTC),
    )
    listed = client.get(url("programmes:list"))
    assert titles_on(listed) == ["İzmir Mart", "Çevrim İçi Mart", "Ankara Nisan"]

    def titles(**params):
        return titles_on(client.get(url("programmes:list"), params))

    assert titles(province="35") == ["İzmir Mart"]
    assert titles(region="TR3") == ["İzmir Mart"]  # Ege
    assert titles(region="TR5") == ["Ankara Nisan"]  # Batı Anadolu
    assert titles(topic="kaynak-gelistirme") == ["İzmir Mart"]
    assert titles(theme="environment") == ["İzmir Mart"]
    assert titles(format="online") == ["Çevrim İçi Mart"]
    assert titles(format="in-person") == ["İzmir Mart", "Ankara Nisan"]
    assert titles(month="2027-03") == ["İzmir Mart", "Çevrim İçi Mart"]
    assert titles(month="2027-04", format="in-person") == ["Ankara Nisan"]
    assert titles(month="2027-04", province="35") == []


def test_a_bad_filter_is_explained_in_the_page_language_and_left_out(client):
    activity_with_sessions(1, title="Bir Eğitim")

    english = client.get(url("programmes:list", language="en"), {"month": "2019-13", "topic": "x"})
    turkish = client.get(url("programmes:list"), {"province": "99"})

    assert english.status_code == 200
    assert titles_on(english) == ["Bir Eğitim"]
    assertContains(english, "Choose a month from the list (the coming twelve months).")
    assertContains(english, "Some filters could not be used; the others apply.")
    assert set(english.context["form"].errors) == {"month", "topic"}
    assert titles_on(turkish) == ["Bir Eğitim"]
    assert "province" in turkish.context["form"].errors
    assertContains(turkish, 'role="alert"')


def test_a_province_outside_the_chosen_region_is_explained(client):
    activity_with_sessions(1, title="Bir Eğitim")

    response = client.get(url("programmes:list", language="en"), {"province": "6", "region": "TR3"})

    assertContains(response, "Ankara is not in the region")
    assert "region" in response.context["form"].errors
    # The province filter still applies (the factory's sessions are in Ankara).
    assert titles_on(response) == ["Bir Eğitim"]


def test_htmx_gets_only_the_results(client):
    activity_with_sessions(1, title="Bir Eğitim")

    response = client.get(
        url("programmes:list"), {"format": "online"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode().strip()
    assert html.startswith('<section id="results"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_the_list_is_paginated(client):
    for day in range(23):
        activity_with_sessions(1, start_in=2 + day, title=f"Eğitim {day:02d}")

    first = client.get(url("programmes:list"))
    second = client.get(url("programmes:list"), {"page": "2"})

    assert len(first.context["rows"]) == 20
    assert titles_on(second) == ["Eğitim 20", "Eğitim 21", "Eğitim 22"]


def test_the_number_of_queries_does_not_grow_with_the_rows(client, django_assert_num_queries):
    def make(count: int) -> None:
        for _ in range(count):
            activity = activity_with_sessions(2, capacity=3)
            RegistrationFactory.create(activity=activity)
            SessionFactory.create(activity=activity, online=True, province=None)

    make(2)
    client.get(url("programmes:list"))  # once-per-process look-ups (the center's settings …)
    with CaptureQueriesContext(connection) as few:
        client.get(url("programmes:list"))
    make(10)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("programmes:list"))
    assert len(response.context["rows"]) == 12

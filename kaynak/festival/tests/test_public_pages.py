"""The public festival pages: the programme grid with its filters, a session with its
Register button, iCal that parses back, participating organisations, the booklet, my badge."""

from __future__ import annotations

import icalendar
import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.tests.factories import UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.festival import documents, participation
from kaynak.festival.models import FestivalSession
from kaynak.festival.tests.factories import FestivalFactory, FestivalSessionFactory
from kaynak.festival.tests.helpers import a_programme, activity_of, client_for
from kaynak.programmes.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_the_grid_shows_each_day_with_venues_as_columns_and_sessions_by_time(client: Client):
    programme = a_programme()
    festival = programme.festival

    response = client.get(url("festival:programme", festival.slug))

    assertContains(response, "Ana Sahne")
    assertContains(response, "Salon A")
    for session in programme.sessions:
        assertContains(response, session.title)
        assertContains(response, url("festival:session", festival.slug, session.pk))
    assertContains(response, "10:00–11:00")
    assertContains(response, f'id="day-{festival.starts_on.isoformat()}"')
    assertContains(response, f'id="day-{festival.ends_on.isoformat()}"')


def test_the_grid_counts_the_seats_left(client: Client):
    programme = a_programme(sessions_per_day=1)
    session = FestivalSession.objects.get(pk=programme.sessions[0].pk)
    RegistrationFactory.create_batch(3, activity=session.activity)

    response = client.get(url("festival:programme", programme.festival.slug, language="en"))

    assertContains(response, "22 seats left")
    assertContains(response, "25 seats left", count=len(programme.sessions) - 1)


def test_the_grid_filters_by_day_and_theme_with_htmx(client: Client):
    programme = a_programme()
    festival = programme.festival
    first_day = [
        s
        for s in programme.sessions
        if timezone.localtime(s.starts_at).date() == festival.starts_on
    ]
    second_day = [s for s in programme.sessions if s not in first_day]

    response = client.get(
        url("festival:programme", festival.slug),
        {"day": festival.ends_on.isoformat()},
        headers={"HX-Request": "true"},
    )

    assert "<html" not in response.content.decode()
    for session in second_day:
        assertContains(response, session.title)
    for session in first_day:
        assertNotContains(response, session.title)
    second_theme = Theme.objects.order_by("position")[1]
    by_theme = client.get(url("festival:programme", festival.slug), {"theme": second_theme.slug})
    assert [s.title for s in second_day if s.title in by_theme.content.decode()] == [
        s.title for s in second_day
    ]
    assertNotContains(by_theme, first_day[0].title)


def test_a_day_outside_the_festival_is_ignored(client: Client):
    programme = a_programme(sessions_per_day=1)

    response = client.get(url("festival:programme", programme.festival.slug), {"day": "1999-01-01"})

    for session in programme.sessions:
        assertContains(response, session.title)


def test_the_grid_reads_the_same_number_of_queries_however_long_the_programme(
    client: Client, django_assert_max_num_queries
):
    small = a_programme(sessions_per_day=1)
    client.get(url("festival:programme", small.festival.slug))
    with django_assert_max_num_queries(12) as small_queries:
        client.get(url("festival:programme", small.festival.slug))
    large = a_programme(sessions_per_day=4)

    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        client.get(url("festival:programme", large.festival.slug))


def test_a_session_page_names_host_facilitators_themes_and_links_to_registration(client: Client):
    programme = a_programme(sessions_per_day=1)
    session = FestivalSession.objects.get(pk=programme.sessions[0].pk)

    response = client.get(url("festival:session", programme.festival.slug, session.pk))

    assertContains(response, session.title)
    assert session.host is not None
    assertContains(response, session.host.name)
    assertContains(response, session.facilitators.get().full_name)
    assertContains(response, session.themes.get().label)
    assertContains(response, url("programmes:register", activity_of(session).slug))


def test_unscheduled_sessions_and_unpublished_festivals_are_not_public(client: Client):
    programme = a_programme(sessions_per_day=1)
    proposal = FestivalSessionFactory.create(festival=programme.festival)
    hidden = FestivalFactory.create(published_at=None)

    assert (
        client.get(url("festival:session", programme.festival.slug, proposal.pk)).status_code == 404
    )
    assert client.get(url("festival:festival", hidden.slug)).status_code == 404
    assert client.get(url("festival:programme", hidden.slug)).status_code == 404
    assertNotContains(client.get(url("festival:list")), hidden.name)


def test_the_programme_calendar_parses_back_with_every_session_in_istanbul_time(client: Client):
    programme = a_programme(sessions_per_day=1)

    response = client.get(url("festival:calendar", programme.festival.slug))

    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert sorted(str(e["summary"]) for e in events) == sorted(s.title for s in programme.sessions)
    assert {e.decoded("dtstart") for e in events} == {s.starts_at for s in programme.sessions}
    assert next(iter(calendar.walk("VTIMEZONE")))["tzid"] == "Europe/Istanbul"
    assert all("Ana Sahne" in str(e["location"]) or "Salon A" in str(e["location"]) for e in events)


def test_one_session_calendar_has_that_session_only(client: Client):
    programme = a_programme(sessions_per_day=1)
    session = programme.sessions[0]

    response = client.get(url("festival:session-calendar", programme.festival.slug, session.pk))

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == session.title
    assert event.decoded("dtend") == session.ends_at


def test_participating_organisations_are_listed_in_turkish_order_with_provinces(client: Client):
    festival = FestivalFactory.create()
    for name, plate in (("Zeytin Derneği", 35), ("Çınar Vakfı", 6), ("Ceren Kooperatifi", 21)):
        participation.register_organisation(
            festival=festival,
            organisation=OrganisationFactory.create(name=name, province=province(plate)),
            actor=None,
        )

    response = client.get(url("festival:organisations", festival.slug))

    page = response.content.decode()
    assert page.index("Ceren Kooperatifi") < page.index("Çınar Vakfı") < page.index("Zeytin")
    assertContains(response, "İzmir")


def test_the_booklet_is_a_pdf_with_the_days_and_the_organisations_index(client: Client):
    programme = a_programme(sessions_per_day=1)
    participation.register_organisation(
        festival=programme.festival,
        organisation=OrganisationFactory.create(name="Kuşbakışı Derneği"),
        stand="C-3",
        actor=None,
    )

    html = documents.booklet_html(programme.festival)
    response = client.get(url("festival:booklet", programme.festival.slug))

    assert response.content.startswith(b"%PDF-")
    for session in programme.sessions:
        assert session.title in html
        assert session.host is not None
        assert session.host.name in html
    assert "Kuşbakışı Derneği" in html
    assert "C-3" in html


def test_a_member_downloads_their_own_badge_made_from_their_workshop_seat():
    programme = a_programme(sessions_per_day=1)
    user = UserFactory.create()
    person = PersonFactory.create(user=user, full_name="Nur Işık")
    RegistrationFactory.create(
        activity=FestivalSession.objects.get(pk=programme.sessions[0].pk).activity, person=person
    )

    response = client_for(user).get(url("festival:my-badge", programme.festival.slug))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert programme.festival.badges.get().person == person


def test_a_member_without_badge_or_seat_gets_no_badge():
    programme = a_programme(sessions_per_day=1)
    user = UserFactory.create()
    PersonFactory.create(user=user)

    assert (
        client_for(user).get(url("festival:my-badge", programme.festival.slug)).status_code == 404
    )


def test_a_member_registers_their_own_organisation_with_delegates():
    festival = FestivalFactory.create()
    user = UserFactory.create()
    member = PersonFactory.create(user=user)
    own = AffiliationFactory.create(person=member).organisation
    colleague = AffiliationFactory.create(organisation=own).person
    client = client_for(user)

    page = client.get(url("festival:take-part", festival.slug))
    response = client.post(
        url("festival:take-part", festival.slug),
        {"organisation": own.pk, f"o{own.pk}-stand": "E-2", f"o{own.pk}-delegates": [colleague.pk]},
    )

    assertContains(page, own.name)
    assert response.status_code == 302
    assert festival.participations.get().organisation == own
    assert festival.badges.get().person == colleague


def test_a_member_cannot_register_an_organisation_they_do_not_belong_to():
    festival = FestivalFactory.create()
    user = UserFactory.create()
    PersonFactory.create(user=user)
    other = OrganisationFactory.create()

    response = client_for(user).post(
        url("festival:take-part", festival.slug), {"organisation": other.pk}
    )

    assert response.status_code == 404
    assert not festival.participations.exists()

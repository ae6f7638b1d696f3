"""Setting up a festival from the staff pages: a new festival with its call for workshops, its
settings (new days refused while a scheduled session would fall outside them), its venues;
errors next to the field with everything typed kept and nothing written; who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.calls.models import Call, CallStatus
from kaynak.directory.tests.factories import province
from kaynak.festival import services
from kaynak.festival.errors import FestivalError
from kaynak.festival.models import Festival, Venue
from kaynak.festival.tests.factories import FestivalFactory, VenueFactory
from kaynak.festival.tests.helpers import a_programme, client_for
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator() -> Client:
    return client_for(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))


def new_festival_data(**more: str) -> dict[str, str]:
    first = timezone.localdate() + dt.timedelta(days=90)
    return {
        "programme": str(ProgrammeFactory.create(name="Sivil Sesler Festivali").pk),
        "name": "Gençlik Şenliği 2028",
        "slug": "",
        "description": "Gençlik örgütlerinin buluşması.",
        "starts_on": first.isoformat(),
        "ends_on": (first + dt.timedelta(days=2)).isoformat(),
        "province": "35",
        "city": "Konak",
        "venue": "Tarihi Havagazı Fabrikası",
        "call_opens_at": "2027-01-10T09:00",
        "call_closes_at": "2027-02-15T17:00",
        **more,
    }


def settings_data(festival: Festival, **more: str) -> dict[str, str]:
    return {
        "name": festival.name,
        "description": festival.description,
        "starts_on": festival.starts_on.isoformat(),
        "ends_on": festival.ends_on.isoformat(),
        "province": str(festival.province_id),
        "city": festival.city,
        "venue": festival.venue,
        **more,
    }


# A new festival ---------------------------------------------------------------------------------


def test_a_coordinator_creates_a_festival_with_its_draft_call_for_workshops(coordinator: Client):
    data = new_festival_data()
    listing = coordinator.get(url("festival:staff"))
    assertContains(listing, url("festival:staff-new"))
    form = coordinator.get(url("festival:staff-new", language="en"))
    assertContains(form, 'name="call_closes_at"')
    assertContains(form, f'<option value="{data["programme"]}">')  # an active programme

    response = coordinator.post(url("festival:staff-new", language="en"), data)

    festival = Festival.objects.get()
    assertRedirects(
        response,
        url("festival:staff-festival", festival.slug, language="en"),
        target_status_code=200,
    )
    # The address is made from the name, Turkish letters folded.
    assert festival.slug == "genclik-senligi-2028"
    assert (festival.province_id, festival.city) == (35, "Konak")
    assert festival.published_at is None
    call = festival.call
    assert call is not None
    assert call.status == CallStatus.DRAFT
    assert call.programme == festival.programme
    assert timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M") == "2027-02-15 17:00"
    assert call.questions.filter(key="workshop_title").exists()
    page = coordinator.get(url("festival:staff-festival", festival.slug, language="en"))
    assertContains(page, url("calls:staff-call", call.slug, language="en"))
    assertContains(page, "The call for workshops is a draft")


def test_a_typed_address_is_kept_and_a_taken_one_is_refused_next_to_the_field(
    coordinator: Client,
):
    FestivalFactory.create(slug="sivil-sesler-2028")

    response = coordinator.post(
        url("festival:staff-new", language="en"),
        new_festival_data(slug="sivil-sesler-2028", name="Sivil Sesler 2028"),
    )

    assertContains(response, 'id="id_slug_error"', status_code=422)
    assertContains(response, "Another festival already has this address.", status_code=422)
    assertContains(response, 'value="Sivil Sesler 2028"', status_code=422)
    assert Festival.objects.count() == 1
    assert not Call.objects.exists()

    coordinator.post(url("festival:staff-new"), new_festival_data(slug="sivil-sesler-2028-izmir"))
    assert Festival.objects.filter(slug="sivil-sesler-2028-izmir").exists()


def test_the_new_page_s_own_address_cannot_be_a_festival_s(coordinator: Client):
    reserved = url("festival:staff-new").rstrip("/").rsplit("/", 1)[-1]

    response = coordinator.post(url("festival:staff-new"), new_festival_data(slug=reserved))

    assertContains(response, 'id="id_slug_error"', status_code=422)
    assert not Festival.objects.exists()


def test_bad_days_and_call_times_are_explained_next_to_their_fields_and_nothing_is_written(
    coordinator: Client,
):
    data = new_festival_data(
        starts_on="2027-06-12",
        ends_on="2027-06-10",
        call_opens_at="2027-03-01T09:00",
        call_closes_at="2027-02-01T17:00",
    )

    response = coordinator.post(url("festival:staff-new", language="en"), data)

    assertContains(response, 'id="id_ends_on_error"', status_code=422)
    assertContains(response, "The last day cannot be before the first day.", status_code=422)
    assertContains(response, 'id="id_call_closes_at_error"', status_code=422)
    assertContains(response, "must open before its deadline", status_code=422)
    # Everything typed is still there.
    assertContains(response, 'value="2027-06-12"', status_code=422)
    assertContains(response, 'value="2027-02-01T17:00"', status_code=422)
    assertContains(response, "Tarihi Havagazı Fabrikası", status_code=422)
    assert not Festival.objects.exists()
    assert not Call.objects.exists()


def test_a_missing_programme_and_name_are_asked_for(coordinator: Client):
    response = coordinator.post(
        url("festival:staff-new", language="en"), new_festival_data(programme="", name="")
    )

    assertContains(response, 'id="id_programme_error"', status_code=422)
    assertContains(response, 'id="id_name_error"', status_code=422)
    assert not Festival.objects.exists()


def test_the_service_refuses_a_call_with_only_one_of_its_times():
    today = timezone.localdate()
    with pytest.raises(FestivalError) as refused:
        services.festival_create(
            programme=ProgrammeFactory.create(),
            name="Sivil Sesler 2029",
            slug="sivil-sesler-2029",
            starts_on=today + dt.timedelta(days=60),
            ends_on=today + dt.timedelta(days=61),
            province=province(6),
            actor=None,
            call_opens_at=timezone.now(),
        )

    assert refused.value.field == "call_closes_at"
    assert not Festival.objects.exists()


def test_made_addresses_are_numbered_when_taken_and_avoid_the_reserved_ones():
    FestivalFactory.create(slug="sivil-sesler")

    assert services.unique_festival_slug("Sivil Sesler") == "sivil-sesler-2"
    assert services.unique_festival_slug("Yeni", reserved={"yeni"}) == "yeni-2"
    assert services.unique_festival_slug("???") == "festival"


# Settings ---------------------------------------------------------------------------------------


def test_a_coordinator_changes_the_name_days_and_place(coordinator: Client):
    festival = FestivalFactory.create()
    page = coordinator.get(url("festival:staff-festival", festival.slug))
    assertContains(page, url("festival:staff-settings", festival.slug))
    form = coordinator.get(url("festival:staff-settings", festival.slug))
    assertContains(form, f'value="{festival.ends_on.isoformat()}"')
    later = festival.ends_on + dt.timedelta(days=1)

    response = coordinator.post(
        url("festival:staff-settings", festival.slug),
        settings_data(festival, name="Sivil Sesler: Ankara", ends_on=later.isoformat(), city=""),
    )

    assertRedirects(response, url("festival:staff-festival", festival.slug))
    festival.refresh_from_db()
    assert (festival.name, festival.ends_on, festival.city) == ("Sivil Sesler: Ankara", later, "")


def test_new_days_leaving_out_a_scheduled_session_are_refused_with_the_session_named(
    coordinator: Client,
):
    programme = a_programme(sessions_per_day=1)
    festival = programme.festival
    last_day = festival.ends_on
    on_last_day = next(
        s for s in programme.sessions if timezone.localtime(s.starts_at).date() == last_day
    )

    response = coordinator.post(
        url("festival:staff-settings", festival.slug, language="en"),
        settings_data(festival, name="Kısaltılmış", ends_on=festival.starts_on.isoformat()),
    )

    assertContains(response, 'id="id_ends_on_error"', status_code=422)
    assertContains(response, f"“{on_last_day.title}” is in the programme", status_code=422)
    assertContains(response, 'value="Kısaltılmış"', status_code=422)
    festival.refresh_from_db()
    assert (festival.name, festival.ends_on) == (programme.festival.name, last_day)


def test_publishing_from_the_festival_s_page(coordinator: Client):
    festival = FestivalFactory.create(published_at=None)

    coordinator.post(url("festival:staff-publish", festival.slug))

    festival.refresh_from_db()
    assert festival.published_at is not None


# Venues -----------------------------------------------------------------------------------------


def test_a_coordinator_renames_a_venue_and_moves_it_to_the_first_column(coordinator: Client):
    festival = FestivalFactory.create()
    VenueFactory.create(festival=festival, name="Ana Sahne", position=0)
    salon = VenueFactory.create(festival=festival, name="Salon A", position=1)
    page = coordinator.get(url("festival:staff-festival", festival.slug))
    assertContains(page, url("festival:staff-venue-edit", festival.slug, salon.pk))

    response = coordinator.post(
        url("festival:staff-venue-edit", festival.slug, salon.pk),
        {"name": "Büyük  Salon", "capacity": "", "position": "0"},
    )

    assertRedirects(response, url("festival:staff-festival", festival.slug))
    salon.refresh_from_db()
    assert (salon.name, salon.capacity, salon.position) == ("Büyük Salon", None, 0)


def test_a_venue_renamed_like_another_is_refused_next_to_the_name(coordinator: Client):
    festival = FestivalFactory.create()
    VenueFactory.create(festival=festival, name="Ana Sahne", position=0)
    salon = VenueFactory.create(festival=festival, name="Salon A", capacity=40, position=1)

    response = coordinator.post(
        url("festival:staff-venue-edit", festival.slug, salon.pk, language="en"),
        {"name": "ana sahne", "capacity": "80", "position": "3"},
    )

    assertContains(response, 'id="id_name_error"', status_code=422)
    assertContains(response, "already has a venue called", status_code=422)
    assertContains(response, 'value="80"', status_code=422)
    salon.refresh_from_db()
    assert (salon.name, salon.capacity, salon.position) == ("Salon A", 40, 1)


def test_bad_seats_and_position_are_explained(coordinator: Client):
    festival = FestivalFactory.create()
    salon = VenueFactory.create(festival=festival, name="Salon A", capacity=40)

    response = coordinator.post(
        url("festival:staff-venue-edit", festival.slug, salon.pk, language="en"),
        {"name": "Salon B", "capacity": "0", "position": "-1"},
    )

    assertContains(response, 'id="id_capacity_error"', status_code=422)
    assertContains(response, 'id="id_position_error"', status_code=422)
    assertContains(response, 'value="Salon B"', status_code=422)
    assert Venue.objects.get(pk=salon.pk).name == "Salon A"


def test_a_venue_of_another_festival_is_not_found(coordinator: Client):
    festival = FestivalFactory.create()
    elsewhere = VenueFactory.create()

    response = coordinator.get(url("festival:staff-venue-edit", festival.slug, elsewhere.pk))

    assert response.status_code == 404


# Who may ----------------------------------------------------------------------------------------


def setup_pages(festival: Festival, venue: Venue) -> list[str]:
    return [
        url("festival:staff-new"),
        url("festival:staff-settings", festival.slug),
        url("festival:staff-venue-edit", festival.slug, venue.pk),
    ]


def test_visitors_are_sent_to_log_in_and_members_get_not_found():
    venue = VenueFactory.create()
    member = client_for(UserFactory.create())

    for address in setup_pages(venue.festival, venue):
        assert Client().get(address).status_code == 302
        assert member.get(address).status_code == 404
        assert member.post(address, {"name": "X"}).status_code == 404


def test_an_me_officer_reads_the_festival_but_cannot_set_it_up():
    venue = VenueFactory.create(name="Salon A")
    festival = venue.festival
    officer = client_for(StaffFactory.create(roles=[Role.ME_OFFICER]))

    assertNotContains(officer.get(url("festival:staff")), url("festival:staff-new"))
    page = officer.get(url("festival:staff-festival", festival.slug))
    assert page.status_code == 200
    assertNotContains(page, url("festival:staff-settings", festival.slug))
    assertNotContains(page, url("festival:staff-venue-edit", festival.slug, venue.pk))
    for address in setup_pages(festival, venue):
        assert officer.get(address).status_code == 404
    officer.post(url("festival:staff-new"), new_festival_data())
    officer.post(url("festival:staff-settings", festival.slug), settings_data(festival, name="X"))
    officer.post(
        url("festival:staff-venue-edit", festival.slug, venue.pk),
        {"name": "Y", "capacity": "", "position": "0"},
    )

    assert Festival.objects.get().name == festival.name
    assert Venue.objects.get().name == "Salon A"

"""The staff pages: placing a proposal (the clash named next to the field, what was typed
kept), venues, participation, badges PDF, check-in at the door, marking held, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory
from kaynak.festival import documents
from kaynak.festival.models import Badge, FestivalSession, Participation, SessionStatus
from kaynak.festival.tests.factories import BadgeFactory, FestivalFactory, FestivalSessionFactory
from kaynak.festival.tests.helpers import a_programme, activity_of, client_for
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator() -> Client:
    return client_for(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))


def schedule_data(session, venue, day: dt.date, start: str, end: str) -> dict[str, str]:
    prefix = f"s{session.pk}"
    return {
        f"{prefix}-venue": str(venue.pk),
        f"{prefix}-day": day.isoformat(),
        f"{prefix}-start": start,
        f"{prefix}-end": end,
    }


def test_a_coordinator_places_a_proposal_in_the_programme(coordinator: Client):
    programme = a_programme(sessions_per_day=1)
    festival = programme.festival
    proposal = FestivalSessionFactory.create(festival=festival, title="Dijital Güvenlik")

    page = coordinator.get(url("festival:staff-festival", festival.slug))
    assertContains(page, "Dijital Güvenlik")
    response = coordinator.post(
        url("festival:staff-schedule", festival.slug, proposal.pk),
        schedule_data(proposal, programme.main, festival.ends_on, "14:00", "15:30"),
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == SessionStatus.SCHEDULED
    assert timezone.localtime(proposal.starts_at).hour == 14


def test_a_double_booking_is_explained_next_to_the_field_and_the_typing_kept(coordinator: Client):
    programme = a_programme(sessions_per_day=1)
    festival = programme.festival
    taken = programme.sessions[0]
    proposal = FestivalSessionFactory.create(festival=festival)

    response = coordinator.post(
        url("festival:staff-schedule", festival.slug, proposal.pk, language="en"),
        schedule_data(proposal, taken.venue, festival.starts_on, "10:30", "11:30"),
        headers={"HX-Request": "true"},
    )

    # htmx swaps only 2xx answers: the form comes back with its errors as a 200.
    assertContains(response, f"is taken then by “{taken.title}”")
    assertContains(response, f'id="id_s{proposal.pk}-start_error"')
    assertContains(response, 'value="10:30"')
    assert FestivalSession.objects.get(pk=proposal.pk).status == SessionStatus.PROPOSED


def test_a_coordinator_adds_a_venue_and_a_duplicate_name_is_refused(coordinator: Client):
    festival = FestivalFactory.create()
    add = url("festival:staff-venue-add", festival.slug, language="en")

    coordinator.post(add, {"name": "Bahçe", "capacity": "80"})
    again = coordinator.post(add, {"name": "bahçe"})

    assert list(festival.venues.values_list("name", flat=True)) == ["Bahçe"]
    assertContains(again, "already has a venue called", status_code=422)


def test_a_coordinator_registers_an_organisation_with_delegates(coordinator: Client):
    festival = FestivalFactory.create()
    organisation = OrganisationFactory.create(name="Yeşil Adımlar Derneği")
    affiliation = AffiliationFactory.create(organisation=organisation)

    found = coordinator.get(
        url("festival:staff-participations", festival.slug), {"q": "yeşil adım"}
    )
    assertContains(found, "Yeşil Adımlar Derneği")
    coordinator.post(
        url("festival:staff-participation-add", festival.slug, organisation.pk),
        {
            f"o{organisation.pk}-stand": "D-4",
            f"o{organisation.pk}-delegates": [affiliation.person_id],
        },
    )

    assert Participation.objects.get(festival=festival).stand == "D-4"
    assert Badge.objects.get(festival=festival).person_id == affiliation.person_id


def test_badges_print_names_organisations_and_a_qr_of_the_check_in_address(coordinator: Client):
    badge = BadgeFactory.create()
    html = documents.badges_html(badge.festival, [badge], "a4")

    assert badge.person.full_name in html
    assert badge.organisation is not None
    assert badge.organisation.name in html
    assert "<svg" in html
    assert badge.code in html
    assert documents.check_in_url(badge).endswith(f"/{badge.code}/")
    response = coordinator.get(url("festival:staff-badges", badge.festival.slug), {"layout": "a4"})
    assert response.content.startswith(b"%PDF-")


def test_checking_in_at_the_door_then_again_then_undoing(coordinator: Client):
    badge = BadgeFactory.create()
    check_in = url("festival:staff-check-in", badge.festival.slug, language="en")

    first = coordinator.post(check_in, {"code": badge.code.lower()}, headers={"HX-Request": "true"})
    second = coordinator.post(check_in, {"code": badge.code})

    assertContains(first, badge.person.full_name)
    assertContains(first, "Checked in at")
    assertContains(second, "Already checked in at")
    assert Delivery.objects.filter(kind__slug="festival", withdrawn_at__isnull=True).count() == 1
    coordinator.post(url("festival:staff-check-in-undo", badge.festival.slug, badge.code))
    assert Badge.objects.get().checked_in_at is None
    assert not Delivery.objects.filter(kind__slug="festival", withdrawn_at__isnull=True).exists()


def test_an_unknown_code_gets_a_clear_answer(coordinator: Client):
    festival = FestivalFactory.create()

    response = coordinator.post(
        url("festival:staff-check-in", festival.slug, language="en"), {"code": "ZZZZ2222"}
    )

    assertContains(response, "No badge of this festival has the code", status_code=404)


def test_the_qr_address_shows_the_person_and_checks_in_on_confirmation(coordinator: Client):
    badge = BadgeFactory.create()
    address = url("festival:staff-check-in-code", badge.festival.slug, badge.code, language="en")

    shown = coordinator.get(address)
    assert Badge.objects.get().checked_in_at is None
    confirmed = coordinator.post(address)

    assertContains(shown, badge.person.full_name)
    assertContains(confirmed, "Checked in at")
    assert Badge.objects.get().checked_in_at is not None


def test_marking_held_from_the_staff_page_writes_the_deliveries(coordinator: Client):
    today = timezone.localdate()
    programme = a_programme(
        sessions_per_day=1,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today - dt.timedelta(days=2),
    )
    session = programme.sessions[0]

    coordinator.post(url("festival:staff-held", programme.festival.slug, session.pk))

    assert FestivalSession.objects.get(pk=session.pk).status == SessionStatus.HELD
    assert Delivery.objects.filter(kind__slug="festival", withdrawn_at__isnull=True).count() == 2


def test_members_and_other_staff_cannot_see_or_change_the_festival():
    programme = a_programme(sessions_per_day=1)
    festival = programme.festival
    member = client_for(UserFactory.create())
    support = client_for(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    for client in (member, support):
        assert client.get(url("festival:staff-festival", festival.slug)).status_code == 404
        assert client.get(url("festival:staff-check-in", festival.slug)).status_code == 404
    anonymous = Client().get(url("festival:staff-festival", festival.slug))
    assert anonymous.status_code == 302


def test_an_me_officer_reads_but_cannot_schedule_or_check_in():
    programme = a_programme(sessions_per_day=1)
    festival = programme.festival
    officer = client_for(StaffFactory.create(roles=[Role.ME_OFFICER]))
    proposal = FestivalSessionFactory.create(festival=festival)
    badge = BadgeFactory.create(festival=festival)

    assert officer.get(url("festival:staff-festival", festival.slug)).status_code == 200
    refused = officer.post(
        url("festival:staff-schedule", festival.slug, proposal.pk),
        schedule_data(proposal, programme.main, festival.ends_on, "16:00", "17:00"),
    )
    assert refused.status_code == 404
    assert (
        officer.post(
            url("festival:staff-check-in", festival.slug), {"code": badge.code}
        ).status_code
        == 404
    )
    assert FestivalSession.objects.get(pk=proposal.pk).status == SessionStatus.PROPOSED
    assert Badge.objects.get().checked_in_at is None


def test_the_staff_page_links_a_workshop_to_its_roll_call_and_qr_check_in(coordinator: Client):
    programme = a_programme(sessions_per_day=1)
    session = FestivalSession.objects.get(pk=programme.sessions[0].pk)
    first = activity_of(session).sessions.get()

    response = coordinator.get(url("festival:staff-festival", programme.festival.slug))

    assertContains(response, url("programmes:staff-roll-call", first.pk))
    assertContains(response, url("programmes:staff-check-in", first.pk))


def test_without_htmx_a_double_booking_shows_the_whole_page_with_the_error(coordinator: Client):
    programme = a_programme(sessions_per_day=1)
    festival = programme.festival
    taken = programme.sessions[0]
    proposal = FestivalSessionFactory.create(festival=festival)

    response = coordinator.post(
        url("festival:staff-schedule", festival.slug, proposal.pk, language="en"),
        schedule_data(proposal, taken.venue, festival.starts_on, "10:30", "11:30"),
    )

    assertContains(response, f"is taken then by “{taken.title}”", status_code=422)
    assertContains(response, "Waiting to be placed", status_code=422)


def test_the_staff_page_reads_the_same_number_of_queries_however_long_the_programme(
    coordinator: Client, django_assert_max_num_queries
):
    small = a_programme(sessions_per_day=1)
    FestivalSessionFactory.create(festival=small.festival)
    coordinator.get(url("festival:staff-festival", small.festival.slug))
    with django_assert_max_num_queries(40) as small_queries:
        coordinator.get(url("festival:staff-festival", small.festival.slug))
    large = a_programme(sessions_per_day=4)
    FestivalSessionFactory.create_batch(5, festival=large.festival)

    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        coordinator.get(url("festival:staff-festival", large.festival.slug))

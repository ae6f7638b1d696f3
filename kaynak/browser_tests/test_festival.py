"""The festival's whole journey in a real browser: an NGO member proposes a workshop through the
festival's call; staff accept it and place it in the programme grid (a first try that
double-books a venue is refused, naming the clash; then a free slot); the public programme shows
it when filtered by its theme; a visitor registers through the trainings' registration page;
staff print the badges and check her in with the code her badge's QR code holds; the ledger has
her festival delivery."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.calls import building
from kaynak.calls.models import Application, ApplicationStatus
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.festival import services as festival_services
from kaynak.festival.models import Badge, FestivalSession, SessionStatus
from kaynak.festival.tests.factories import FestivalSessionFactory, VenueFactory, at
from kaynak.ledger.models import Delivery
from kaynak.programmes.models import Registration
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = [
    pytest.mark.needs_tool("lib:pango-1.0"),
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ORGANISATION = "Ege Çevre ve Doğa Koruma Derneği"
APPLICANT = "ayse@egecevre.org.tr"
WORKSHOP = "İklim Adaleti için Savunuculuk"


def english(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    """The browser, logged in as ``user`` (staff made by the factory have TOTP set up)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def is_save(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/save/")


@contextmanager
def saves(page: Page, count: int) -> Iterator[None]:
    """Waits, on leaving the ``with`` block, for the answers to ``count`` autosaves of the
    application form (see test_school.py: a field typed and left, or a click on a choice,
    sends one save; waiting for it keeps requests from overlapping)."""
    answered: list[Response] = []

    def record(response: Response) -> None:
        if is_save(response):
            answered.append(response)

    page.on("response", record)
    try:
        yield
        while len(answered) < count:
            page.wait_for_event("response", predicate=is_save)
    finally:
        page.remove_listener("response", record)
    assert all(response.ok for response in answered)


def type_in(page: Page, field: Locator, text: str) -> None:
    """Type ``text`` into ``field`` and leave it, as a person does, until it is saved."""
    with saves(page, 1):
        field.fill(text)
        field.blur()


def test_a_proposed_workshop_is_scheduled_registered_for_and_its_visitor_checked_in(
    page: Page, live_server: LiveServer
) -> None:
    organisation = OrganisationFactory.create(name=ORGANISATION, province=province(35))
    member = UserFactory.create(email=APPLICANT, full_name="Ayşe Demir")
    ayse = PersonFactory.create(user=member, full_name="Ayşe Demir", emails=[APPLICANT])
    AffiliationFactory.create(person=ayse, organisation=organisation, end_date=None)
    coordinator = StaffFactory.create(
        roles=[Role.PROGRAMME_COORDINATOR], full_name="Zeynep Arslan", email="zeynep@merkez.org"
    )
    first_day = timezone.localdate() + dt.timedelta(days=30)
    festival = festival_services.festival_create(
        programme=ProgrammeFactory.create(name="Sivil Sesler Festivali"),
        name="Sivil Sesler 2027",
        slug="sivil-sesler-2027",
        starts_on=first_day,
        ends_on=first_day + dt.timedelta(days=1),
        province=province(6),
        venue="ODTÜ Kültür ve Kongre Merkezi",
        actor=None,
        call_opens_at=timezone.now() - dt.timedelta(days=1),
        call_closes_at=timezone.now() + dt.timedelta(days=14),
    )
    assert festival.call is not None
    building.call_publish(call=festival.call, by=None)
    VenueFactory.create(festival=festival, name="Ana Sahne", position=0)
    salon = VenueFactory.create(festival=festival, name="Salon A", position=1)
    climate, other_theme = Theme.objects.order_by("position")[:2]
    # Salon A is taken on the first morning.
    taken = FestivalSessionFactory.create(festival=festival, title="Hibe Yazımı")
    taken.themes.add(other_theme)
    festival_services.schedule(
        session=taken,
        venue=salon,
        starts_at=at(first_day, 10),
        ends_at=at(first_day, 11, 30),
        actor=None,
    )

    # Ayşe proposes a workshop for her organisation through the festival's call.
    log_in(page, live_server, member)
    page.goto(english("calls:call", festival.call.slug))
    page.get_by_role("link", name="Apply", exact=True).click()
    page.get_by_role("button", name="Start the application").click()
    type_in(page, page.get_by_label("Title of the workshop"), WORKSHOP)
    type_in(
        page,
        page.get_by_label("Summary of the workshop"),
        "Yerel örgütlerle iklim politikaları için bir savunuculuk planı hazırlıyoruz.",
    )
    with saves(page, 1):
        page.get_by_label("Theme of the workshop").select_option(climate.slug)
    with saves(page, 1):
        page.get_by_label("Workshop", exact=True).check()
    type_in(page, page.get_by_label("Length (minutes)"), "90")
    type_in(page, page.get_by_label("Number of participants"), "30")
    type_in(page, page.locator("#id_people-0-full_name"), "Ayşe Demir")
    type_in(page, page.locator("#id_people-0-email"), APPLICANT)
    type_in(page, page.locator("#id_people-0-role"), "Kolaylaştırıcı")
    page.get_by_role("link", name="Review and submit").click()
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Yes, submit the application").click()
    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    application = Application.objects.get(call=festival.call)
    assert application.status == ApplicationStatus.SUBMITTED

    # Staff accept the proposal: it waits to be placed in the programme.
    log_in(page, live_server, coordinator)
    page.goto(english("calls:staff-application", festival.call.slug, application.code))
    page.locator("#id_decision").select_option(label="Accepted")
    page.get_by_role("button", name="Record the decision").click()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    session = FestivalSession.objects.get(application=application)
    assert session.title == WORKSHOP

    # Staff place it where Salon A is already taken: refused, naming the clash.
    page.goto(english("festival:staff-festival", festival.slug))
    card = page.locator(".card", has_text=WORKSHOP)
    form = card.locator(f"#schedule-{session.pk}")
    form.get_by_label("Venue").select_option(label="Salon A")
    form.get_by_label("Day").select_option(first_day.isoformat())
    form.get_by_label("Starts").fill("10:30")
    form.get_by_label("Ends").fill("12:00")
    form.get_by_role("button", name="Place in the programme").click()
    expect(card.get_by_role("alert")).to_contain_text("Salon A is taken then by “Hibe Yazımı”")
    # What was typed stays; a free slot is taken.
    expect(form.get_by_label("Starts")).to_have_value("10:30")
    form.get_by_label("Venue").select_option(label="Ana Sahne")
    form.get_by_role("button", name="Place in the programme").click()
    expect(page.get_by_text(f"“{WORKSHOP}” is in the programme.")).to_be_visible()
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert session.venue == salon.festival.venues.get(name="Ana Sahne")
    page.get_by_role("button", name="Publish the page and programme").click()

    # A visitor finds it in the public programme by its theme.
    page.context.clear_cookies()
    page.goto(english("festival:programme", festival.slug))
    expect(page.get_by_role("link", name="Hibe Yazımı")).to_be_visible()
    page.get_by_label("Theme").select_option(climate.slug)
    expect(page.get_by_role("link", name="Hibe Yazımı")).to_have_count(0)
    page.get_by_role("link", name=WORKSHOP).click()

    # A visitor registers through the trainings' registration page.
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("Full name").fill("Işıl Çağlar")
    page.get_by_label("E-mail address").fill("isil@egecevre.org.tr")
    page.locator("#id_province").select_option("35")
    # She comes on her own: the organisation is left empty.
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You have a seat.")).to_be_visible()
    registration = Registration.objects.get(person__full_name="Işıl Çağlar")
    assert registration.activity == FestivalSession.objects.get(pk=session.pk).activity

    # Staff print the badges: a PDF, with a badge for her.
    log_in(page, live_server, coordinator)
    badges = page.request.get(english("festival:staff-badges", festival.slug))
    assert badges.ok
    assert badges.body().startswith(b"%PDF-")
    badge = Badge.objects.get(festival=festival, person=registration.person)

    # At the door, her badge's QR code opens the check-in address of its code.
    page.goto(english("festival:staff-check-in-code", festival.slug, badge.code))
    expect(page.get_by_text("Işıl Çağlar")).to_be_visible()
    page.get_by_role("button", name="Check in").last.click()
    expect(page.get_by_text(re.compile(r"Checked in at \d\d:\d\d"))).to_be_visible()

    # The check-in is her festival delivery in the ledger.
    deliveries = Delivery.objects.filter(person=registration.person, kind__slug="festival")
    assert deliveries.count() == 1

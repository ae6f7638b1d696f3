"""A training's whole journey in a real browser: two people register for the last seat, the
second waits; the first cancels, the second is offered the seat and takes it; staff check them
in by their QR code's code; the certificate is issued, downloaded as a PDF and verified on the
public page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.directory.tests.factories import OrganisationFactory
from kaynak.programmes.models import Certificate, Registration, RegistrationStatus
from kaynak.programmes.tests.factories import activity_with_sessions

pytestmark = [
    pytest.mark.needs_tool("lib:pango-1.0"),
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def english(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def register(page: Page, activity_slug: str, name: str, email: str, button: str) -> None:
    page.goto(english("programmes:activity", activity_slug))
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.locator("#id_province").select_option("35")
    page.get_by_label("Organisation's name").fill("Ege Çevre ve Doğa Koruma Derneği")
    page.locator("#id_organisation_province").select_option("35")
    # The directory's guard offers the organisation the center already knows: choose it.
    known = page.get_by_label(re.compile("Ege Çevre ve Doğa Koruma Derneği"))
    expect(known).to_be_visible()
    known.check()
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name=button).click()


def test_register_wait_take_the_freed_seat_check_in_and_verify_the_certificate(
    page: Page, live_server: LiveServer
) -> None:
    activity = activity_with_sessions(1, capacity=1, completion_percent=100)
    session = activity.sessions.get()
    organisation = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği", province_id=35
    )

    # Ayşe takes the only seat; Işıl joins the waiting list.
    register(page, activity.slug, "Ayşe Demir", "ayse@egecevre.org.tr", "Register")
    expect(page.get_by_text("You have a seat.")).to_be_visible()
    ayse_page = page.url
    page.context.clear_cookies()
    register(page, activity.slug, "Işıl Çağlar", "isil@egecevre.org.tr", "Join the waiting list")
    expect(page.get_by_text("You are on the waiting list: number 1.")).to_be_visible()
    isil_page = page.url
    assert Registration.objects.filter(organisation=organisation).count() == 2

    # Ayşe cannot come after all: her seat is offered to Işıl, who takes it.
    page.goto(ayse_page)
    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_text("This registration is cancelled.")).to_be_visible()
    page.goto(isil_page)
    expect(page.get_by_text("A seat is offered to you.")).to_be_visible()
    page.get_by_role("button", name="Take the seat").click()
    expect(page.get_by_text("You have a seat.")).to_be_visible()
    isil = Registration.objects.get(person__full_name="Işıl Çağlar")
    assert isil.status == RegistrationStatus.CONFIRMED
    # Her page shows the QR code of her registration code.
    expect(page.get_by_role("img", name=re.compile(isil.code)).locator("svg")).to_have_count(1)
    expect(page.get_by_text(isil.code).first).to_be_visible()

    # At the door, staff check her in with the code her QR code carries.
    client = Client()
    client.force_login(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(english("programmes:staff-check-in", session.pk))
    page.locator("#checkin-code").fill(isil.code.lower())
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("Işıl Çağlar")).to_be_visible()
    assert isil.attendances.count() == 1

    # She completed the training: staff issue the certificates.
    page.goto(english("programmes:staff-certificates", activity.pk))
    page.get_by_role("button", name=re.compile("Issue 1 certificate")).click()
    certificate = Certificate.objects.get(registration=isil)

    # Işıl downloads her certificate from her page; it is a PDF.
    page.goto(isil_page)
    link = page.get_by_role("link", name="Download the certificate (PDF)")
    pdf = page.request.get(link.get_attribute("href") or "")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")

    # Anyone can verify it by its code.
    page.context.clear_cookies()
    page.goto(english("programmes:certificate-check"))
    page.get_by_label("Certificate code").fill(certificate.code)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verdict")).to_have_text("VALID")
    expect(page.get_by_text("Işıl Çağlar")).to_be_visible()
    expect(page.get_by_text(activity.title)).to_be_visible()

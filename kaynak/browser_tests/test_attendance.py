"""Attendance in a real browser on a phone-sized screen: the roll call's search box and one tap,
and QR check-in through the camera (a stand-in camera and QR reader: headless Chromium on Linux
has neither)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes.models import Attendance, AttendanceMethod
from kaynak.programmes.tests.factories import RegistrationFactory, activity_with_sessions

# The live server sees only committed data: these tests run outside a transaction, and the
# reference data the migrations load is restored after each.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE: ViewportSize = {"width": 375, "height": 800}

# Stands in for the phone's camera and the browser's QR reader: the camera shows a blank
# canvas, and the reader "sees" the code put in window.qrInView.
FAKE_CAMERA = """
window.qrInView = "";
window.BarcodeDetector = class {
  constructor(options) { this.formats = options.formats; }
  async detect() { return window.qrInView ? [{ rawValue: window.qrInView }] : []; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return canvas.captureStream(5);
};
"""


def logged_in_staff(page: Page, live_server: LiveServer) -> None:
    client = Client()
    client.force_login(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def turkish(name: str, *args: object) -> str:
    with translation.override("tr"):
        return reverse(name, args=args)


def no_sideways_scrolling(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_the_roll_call_finds_a_name_as_typed_and_one_tap_marks_it(
    page: Page,
    live_server: LiveServer,
) -> None:
    session = activity_with_sessions(1).sessions.get()
    for name in ["Zeynep Kaya", "Çiğdem Işık", "Cem Yıldız", "Şule Aydın"]:
        RegistrationFactory.create(
            activity=session.activity, person=PersonFactory.create(full_name=name)
        )
    logged_in_staff(page, live_server)
    page.set_viewport_size(PHONE)

    page.goto(turkish("programmes:staff-roll-call", session.pk))
    page.locator("#roll-q").fill("CIGDEM ı")
    rows = page.locator("#roll li:visible")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Çiğdem Işık")
    rows.get_by_role("button").click()

    expect(rows.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#attendance-counts")).to_contain_text("1")
    attendance = Attendance.objects.get()
    assert attendance.registration.person.full_name == "Çiğdem Işık"
    assert attendance.method == AttendanceMethod.ROLL_CALL
    assert no_sideways_scrolling(page)

    page.locator("#roll-q").fill("kimse yok")
    expect(page.locator("#roll li:visible")).to_have_count(0)
    expect(page.locator("[data-roll-none]")).to_be_visible()


def test_on_a_phone_a_qr_code_in_front_of_the_camera_checks_the_person_in_once(
    page: Page,
    live_server: LiveServer,
) -> None:
    session = activity_with_sessions(1).sessions.get()
    registration = RegistrationFactory.create(
        activity=session.activity, person=PersonFactory.create(full_name="Ayşe Yılmaz")
    )
    logged_in_staff(page, live_server)
    page.set_viewport_size(PHONE)
    page.add_init_script(FAKE_CAMERA)

    page.goto(turkish("programmes:staff-check-in", session.pk))
    page.locator("#scanner-start").click()
    expect(page.locator("#scanner")).to_be_visible()
    page.evaluate("code => { window.qrInView = code; }", registration.code)

    expect(page.locator(".checkin-answer")).to_have_attribute("data-outcome", "checked-in")
    expect(page.locator(".checkin-answer")).to_contain_text("Ayşe Yılmaz")
    expect(page.locator("#checkin-code")).to_have_value("")
    attendance = Attendance.objects.get()
    assert attendance.method == AttendanceMethod.QR
    assert no_sideways_scrolling(page)
    page.locator("#scanner-stop").click()
    expect(page.locator("#scanner")).to_be_hidden()


def test_without_a_qr_reader_the_page_says_so_and_the_typed_code_works(
    page: Page,
    live_server: LiveServer,
) -> None:
    session = activity_with_sessions(1).sessions.get()
    registration = RegistrationFactory.create(activity=session.activity)
    logged_in_staff(page, live_server)
    page.set_viewport_size(PHONE)
    page.add_init_script("delete window.BarcodeDetector;")

    page.goto(turkish("programmes:staff-check-in", session.pk))
    expect(page.locator("#scanner-note")).to_be_visible()
    expect(page.locator("#scanner-start")).to_be_hidden()
    page.locator("#checkin-code").fill(registration.code.lower())
    page.locator("#checkin-code").press("Enter")

    expect(page.locator(".checkin-answer")).to_have_attribute("data-outcome", "checked-in")
    expect(page.locator("#checkin-code")).to_have_value("")
    assert Attendance.objects.filter(registration=registration).exists()

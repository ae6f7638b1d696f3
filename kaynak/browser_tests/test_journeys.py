"""The journeys people really take, in a real browser."""

from __future__ import annotations

import re
import secrets
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role
from kaynak.accounts.services import member_create, role_grant
from kaynak.core.testing import wait_until

# The live server's requests see only committed data, so the tests run outside a transaction;
# the reference data the migrations load is restored before each test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def url(name: str) -> str:
    """The Turkish URL of ``name``, whatever language this thread last used."""
    with translation.override("tr"):
        return reverse(name)


def at(live_server: LiveServer, path: str) -> re.Pattern[str]:
    """The page at ``path`` on the live server, ignoring a query string."""
    return re.compile(re.escape(live_server.url + path) + r"(\?.*)?$")


def seconds_left_in_totp_period() -> float:
    return mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD


def authenticator_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``, as allauth computes it.

    The server accepts only the current period's code, so a code about to expire would make
    the test fail by chance: like a person, wait for a fresh one.
    """
    wait_until(lambda: seconds_left_in_totp_period() > 5, timeout=mfa_settings.TOTP_PERIOD)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))


def test_visitor_switches_the_site_from_turkish_to_english(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "tr")

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(at(live_server, "/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Türkçe")).to_be_visible()


def test_staff_member_sets_up_two_factor_authentication_before_reaching_the_staff_pages(
    page: Page, live_server: LiveServer
) -> None:
    password = secrets.token_urlsafe(16)
    user = member_create(
        email="ayse.yilmaz@example.org", password=password, full_name="Ayşe Yılmaz", verified=True
    )
    role_grant(user=user, role=Role.PROGRAMME_COORDINATOR, actor=None)

    page.goto(url("account_login"))
    page.locator("input[name=login]").fill("ayse.yilmaz@example.org")
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")

    # Sent to set up TOTP, allauth first asks for the password again, then comes back.
    expect(page).to_have_url(at(live_server, url("account_reauthenticate")))
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(at(live_server, url("mfa_activate_totp")))
    secret_field = page.locator("#authenticator_secret")
    expect(secret_field).not_to_have_value("")
    code_field = page.locator("input[name=code]")
    code_field.fill(authenticator_code(secret_field.input_value()))
    code_field.press("Enter")

    expect(page).to_have_url(at(live_server, url("mfa_view_recovery_codes")))
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    page.goto(url("portal:staff"))

    expect(page).to_have_url(at(live_server, url("portal:staff")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Personel")

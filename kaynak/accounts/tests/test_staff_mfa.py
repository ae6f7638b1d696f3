"""Staff must use two-factor authentication (TOTP); members are never asked to."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import totp_code, url

pytestmark = pytest.mark.django_db

# TOTP codes change every 30 seconds: the clock stands still unless a test moves it.
NOW = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def log_in(client, email, password=PASSWORD):
    return client.post(url("account_login"), {"login": email, "password": password})


def path_of(response):
    return urlsplit(response["Location"]).path


@pytest.mark.parametrize(
    "page",
    ["portal:home", "portal:my", "portal:staff", "accounts:api_tokens", "admin:index"],
)
def test_staff_without_totp_are_sent_to_set_it_up_from_any_page(client, page):
    client.force_login(StaffFactory.create(totp=False))

    response = client.get(url(page))

    assert response.status_code == 302
    assert response["Location"] == url("mfa_activate_totp")


def test_staff_without_totp_are_told_why_in_their_language(client):
    client.force_login(StaffFactory.create(totp=False))

    turkish = client.get(url("portal:home"), follow=True)
    english = client.get(url("portal:home", language="en"), follow=True)

    assert "Personel hesaplarında iki adımlı doğrulama zorunludur" in turkish.content.decode()
    assert "Staff accounts must use two-factor authentication" in english.content.decode()


@pytest.mark.parametrize(
    "page", ["mfa_index", "account_reauthenticate", "account_email", "account_logout"]
)
def test_staff_without_totp_can_reach_the_pages_needed_to_set_it_up(client, page):
    client.force_login(StaffFactory.create(totp=False))

    assert client.get(url(page)).status_code == 200


def test_the_api_is_not_redirected_for_staff_without_totp(client):
    client.force_login(StaffFactory.create(totp=False))

    assert client.get("/api/v1/me").status_code == 200


def test_staff_set_up_totp_after_logging_in_and_then_reach_the_staff_pages(client, frozen_clock):
    staff = StaffFactory.create(totp=False, roles=[Role.SUPPORT_AGENT])

    assert path_of(log_in(client, staff.email)) == url("portal:home")
    assert client.get(url("portal:home"))["Location"] == url("mfa_activate_totp")

    # allauth asks for the password again before a second factor is added.
    to_reauthenticate = client.get(url("mfa_activate_totp"))
    assert path_of(to_reauthenticate) == url("account_reauthenticate")
    reauthenticate_page = client.get(to_reauthenticate["Location"])
    assert reauthenticate_page.status_code == 200
    back = client.post(to_reauthenticate["Location"], {"password": PASSWORD})
    assert path_of(back) == url("mfa_activate_totp")

    activation_page = client.get(url("mfa_activate_totp"))
    assert activation_page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    activated = client.post(url("mfa_activate_totp"), {"code": totp_code(secret)})

    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(url("portal:staff")).status_code == 200


def test_a_wrong_code_does_not_activate_totp(client, frozen_clock):
    staff = StaffFactory.create(totp=False)
    log_in(client, staff.email)
    client.post(client.get(url("mfa_activate_totp"))["Location"], {"password": PASSWORD})
    client.get(url("mfa_activate_totp"))
    wrong = f"{(int(totp_code(client.session['mfa.totp.secret'])) + 1) % 1_000_000:06d}"

    response = client.post(url("mfa_activate_totp"), {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=staff).exists()
    assert client.get(url("portal:staff"))["Location"] == url("mfa_activate_totp")


def test_staff_with_totp_are_asked_for_the_code_when_they_log_in(client, frozen_clock):
    staff = StaffFactory.create(roles=[Role.CENTER_ADMIN])

    response = log_in(client, staff.email)

    assert path_of(response) == url("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert path_of(client.get(url("portal:staff"))) == url("account_login")

    frozen_clock.shift(dt.timedelta(seconds=30))
    done = client.post(url("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})

    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(url("portal:staff")).status_code == 200


def test_a_wrong_code_at_login_keeps_the_staff_member_out(client, frozen_clock):
    staff = StaffFactory.create()
    log_in(client, staff.email)
    wrong = f"{(int(totp_code(TOTP_SECRET)) + 1) % 1_000_000:06d}"

    response = client.post(url("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_members_are_never_asked_to_set_up_two_factor_authentication(client):
    member = UserFactory.create()

    assert path_of(log_in(client, member.email)) == url("portal:home")
    for page in ("portal:home", "portal:my", "account_email", "account_change_password"):
        assert client.get(url(page)).status_code == 200, page

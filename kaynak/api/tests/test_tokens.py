"""Personal API tokens: made on the staff pages, shown once, sent as ``Authorization: Bearer``."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import ApiToken, Role, User
from kaynak.accounts.services import staff_roles_set
from kaynak.accounts.tests.factories import StaffFactory, UserFactory, api_token_for
from kaynak.accounts.tests.helpers import url
from kaynak.core.audit import history_for

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
UNAUTHENTICATED_TR = {
    "error": {
        "code": "unauthenticated",
        "message": "Oturum açın ya da geçerli bir API anahtarı gönderin.",
    }
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def staff() -> User:
    return StaffFactory.create(
        email="elif@kaynak.example", full_name="Elif Yılmaz", roles=[Role.ME_OFFICER]
    )


@pytest.fixture
def staff_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_a_token_made_on_the_page_is_shown_once_and_only_its_hash_is_kept(staff, staff_client):
    response = staff_client.post(url("accounts:api_tokens"), {"name": "Aylık rapor betiği"})

    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("kyn_")
    assertContains(response, f'<code class="token">{raw}</code>', html=True)
    assertContains(response, "bir daha gösterilmeyecek")
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=staff)
    assert token.name == "Aylık rapor betiği"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.name, token.prefix, token.token_hash}
    assert raw.startswith(token.prefix)
    assert history_for(token).get().action == "kaynak.accounts.api_token.created"

    again = staff_client.get(url("accounts:api_tokens"))

    assertNotContains(again, raw)
    assertNotContains(again, 'class="token"')
    assertContains(again, "Aylık rapor betiği")
    assertContains(again, f"<code>{token.prefix}…</code>", html=True)


def test_the_token_list_shows_status_and_offers_revoking_only_active_tokens(staff, staff_client):
    active, _raw = api_token_for(staff, name="Etkin betik")
    revoked, _raw = api_token_for(staff, name="Eski betik")
    staff_client.post(url("accounts:api_token_revoke", revoked.pk))

    response = staff_client.get(url("accounts:api_tokens"))

    assertContains(response, url("accounts:api_token_revoke", active.pk))
    assertNotContains(response, url("accounts:api_token_revoke", revoked.pk))
    assertContains(response, '<span class="badge">etkin</span>', html=True)
    assertContains(response, "tarihinde iptal edildi")
    assertContains(response, "hiç kullanılmadı")


def test_the_token_list_shows_only_ones_own_tokens(staff_client):
    api_token_for(StaffFactory.create(), name="Başkasının betiği")

    assertNotContains(staff_client.get(url("accounts:api_tokens")), "Başkasının betiği")


def test_a_token_needs_a_name_and_the_form_says_so_in_turkish(staff, staff_client):
    response = staff_client.post(url("accounts:api_tokens"), {"name": "   "})

    assert response.status_code == 200
    assert response.context["new_token"] is None
    assertContains(
        response,
        '<ul class="errorlist" id="id_name_error"><li>Bu alan zorunludur.</li></ul>',
        html=True,
    )
    assert not ApiToken.objects.filter(user=staff).exists()


def test_a_too_long_name_is_kept_in_the_form_with_the_error_in_english_on_english_pages(
    staff_client,
):
    name = "x" * 81

    response = staff_client.post(url("accounts:api_tokens", language="en"), {"name": name})

    assertContains(response, f'value="{name}"')
    assertContains(response, "Ensure this value has at most 80 characters (it has 81).")


def test_me_answers_with_the_tokens_owner(staff):
    _token, raw = api_token_for(staff)

    response = Client().get(ME, headers=bearer(raw))

    assert response.status_code == 200
    assert response.json() == {
        "email": "elif@kaynak.example",
        "full_name": "Elif Yılmaz",
        "language": "tr",
        "staff_roles": ["me-officer"],
    }


def test_using_a_token_records_when_it_was_last_used(staff):
    token, raw = api_token_for(staff)

    Client().get(ME, headers=bearer(raw))

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused_in_the_apis_error_format(staff, staff_client):
    token, raw = api_token_for(staff)

    revoked = staff_client.post(url("accounts:api_token_revoke", token.pk))

    assertRedirects(revoked, url("accounts:api_tokens"), fetch_redirect_response=False)
    response = Client().get(ME, headers=bearer(raw))
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_TR
    token.refresh_from_db()
    assert not token.is_active
    assert history_for(token).filter(action="kaynak.accounts.api_token.revoked").exists()


def test_the_error_follows_the_clients_language(staff):
    response = Client().get(ME, headers={**bearer("kyn_not-a-real-token"), "Accept-Language": "en"})

    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "unauthenticated",
        "message": "Log in or send a valid API token.",
    }


@pytest.mark.parametrize("header", ["Bearer kyn_unknown", "Bearer something-else", "Token kyn_x"])
def test_unknown_or_malformed_tokens_are_refused(header):
    response = Client().get(ME, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_TR


def test_someone_who_lost_every_staff_role_can_no_longer_use_their_token(staff):
    _token, raw = api_token_for(staff)
    StaffFactory.create(roles=[Role.CENTER_ADMIN])

    staff_roles_set(user=staff, roles=[], actor=None)

    response = Client().get(ME, headers=bearer(raw))
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_TR


def test_a_deactivated_account_can_no_longer_use_its_token(staff):
    _token, raw = api_token_for(staff)
    User.objects.filter(pk=staff.pk).update(is_active=False)

    assert Client().get(ME, headers=bearer(raw)).status_code == 401


def test_no_one_can_revoke_another_staff_members_token(staff_client):
    others_token, raw = api_token_for(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))

    response = staff_client.post(url("accounts:api_token_revoke", others_token.pk))

    assert response.status_code == 404
    others_token.refresh_from_db()
    assert others_token.is_active
    assert Client().get(ME, headers=bearer(raw)).status_code == 200


def test_revoking_takes_a_post(staff, staff_client):
    token, _raw = api_token_for(staff)

    assert staff_client.get(url("accounts:api_token_revoke", token.pk)).status_code == 405
    token.refresh_from_db()
    assert token.is_active


def test_members_do_not_find_the_token_page(client):
    client.force_login(UserFactory.create())

    assert client.get(url("accounts:api_tokens")).status_code == 404
    assert client.post(url("accounts:api_tokens"), {"name": "x"}).status_code == 404
    assert not ApiToken.objects.exists()

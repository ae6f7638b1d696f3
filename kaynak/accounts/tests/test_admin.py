"""The data administration pages of accounts, for center admins."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import ApiToken, Role, User
from kaynak.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory, api_token_for
from kaynak.accounts.tests.helpers import url
from kaynak.core.audit import history_for

pytestmark = pytest.mark.django_db


def test_the_user_list_has_turkish_columns_from_the_models_verbose_names(center_admin_client):
    response = center_admin_client.get(url("admin:accounts_user_changelist"))

    assert response.status_code == 200
    for heading in ("E-posta adresi", "Ad soyad", "Personel", "Etkin", "Katılma tarihi"):
        assertContains(response, heading)


@pytest.mark.parametrize("term", ["Gülşen", "gulsen.ates", "Ateş Öztürk"])
def test_users_are_found_by_email_or_full_name(center_admin_client, term):
    UserFactory.create(email="gulsen.ates@ornek-stk.org.tr", full_name="Gülşen Ateş Öztürk")
    UserFactory.create(email="baska@ornek-stk.org.tr", full_name="Başka Biri")

    response = center_admin_client.get(url("admin:accounts_user_changelist"), {"q": term})

    assertContains(response, "gulsen.ates@ornek-stk.org.tr")
    assertNotContains(response, "baska@ornek-stk.org.tr")


def test_a_user_is_added_with_an_email_address_and_a_password(center_admin_client):
    response = center_admin_client.post(
        url("admin:accounts_user_add"),
        {
            "email": "Yeni.Uye@Ornek-STK.org.tr",
            "full_name": "Yeni Üye",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="yeni.uye@ornek-stk.org.tr")
    assert user.full_name == "Yeni Üye"
    assert authenticate(email="yeni.uye@ornek-stk.org.tr", password=PASSWORD) == user


def test_the_add_form_refuses_an_address_that_is_taken_whatever_its_case(center_admin_client):
    UserFactory.create(email="var@ornek-stk.org.tr")

    response = center_admin_client.post(
        url("admin:accounts_user_add"),
        {
            "email": "VAR@ornek-stk.org.tr",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    assert User.objects.filter(email__iexact="var@ornek-stk.org.tr").count() == 1


def test_the_user_page_has_no_user_name_and_shows_roles_without_letting_them_change(
    center_admin_client,
):
    colleague = StaffFactory.create(roles=[Role.RADAR_EDITOR])

    response = center_admin_client.get(url("admin:accounts_user_change", colleague.pk))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "username" not in form.fields
    assert "is_staff" not in form.fields  # follows the roles
    assertContains(response, "Fon radarı editörü")
    assertNotContains(response, 'name="role_assignments-0-role"')


def test_the_token_page_shows_the_hash_but_tokens_cannot_be_added_or_edited(
    center_admin, center_admin_client
):
    token, raw = api_token_for(center_admin)

    change = center_admin_client.get(url("admin:accounts_apitoken_change", token.pk))
    add = center_admin_client.get(url("admin:accounts_apitoken_add"))

    assertContains(change, token.token_hash)
    assertNotContains(change, raw)
    assertNotContains(change, 'name="name"')
    assert add.status_code == 403


def test_tokens_are_revoked_from_the_token_list(center_admin, center_admin_client):
    token, _raw = api_token_for(StaffFactory.create())
    already, _raw = api_token_for(center_admin)
    already.revoked_at = already.created_at
    already.save()

    response = center_admin_client.post(
        url("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk, already.pk]},
        follow=True,
    )

    token.refresh_from_db()
    assert not token.is_active
    revoked = history_for(token).get(action="kaynak.accounts.api_token.revoked")
    assert revoked.actor == center_admin
    assertContains(response, "İptal edilen anahtar sayısı: 1.")
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0

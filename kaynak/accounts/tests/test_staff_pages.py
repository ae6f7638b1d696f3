"""The staff accounts pages: center admins invite colleagues and give and take their roles."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.audit import history_for

pytestmark = pytest.mark.django_db


def test_center_admin_sees_the_staff_with_role_badges_and_links_to_edit_them(
    center_admin_client,
):
    colleague = StaffFactory.create(
        full_name="Zeynep Çelik", roles=[Role.SUPPORT_AGENT, Role.RADAR_EDITOR]
    )
    UserFactory.create(full_name="Üye Olan Kişi")

    response = center_admin_client.get(url("accounts:staff_users"))

    assertContains(response, "<title>Personel hesapları · ", html=False)
    assertContains(response, "Zeynep Çelik")
    assertContains(response, '<span class="badge">Destek uzmanı</span>', html=True)
    assertContains(response, '<span class="badge">Fon radarı editörü</span>', html=True)
    assertContains(response, f'href="{url("accounts:staff_user_roles", colleague.pk)}"')
    assertNotContains(response, "Üye Olan Kişi")


def test_the_staff_page_in_english_is_english(center_admin_client):
    StaffFactory.create(roles=[Role.ME_OFFICER])

    response = center_admin_client.get(url("accounts:staff_users", language="en"))

    assertContains(response, '<span class="badge">M&amp;E officer</span>', html=True)
    assertContains(response, "Invite a colleague")


def test_the_staff_page_takes_as_many_queries_for_many_staff_as_for_a_few(center_admin_client):
    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert center_admin_client.get(url("accounts:staff_users")).status_code == 200
        return len(captured)

    StaffFactory.create()
    queries_for_the_page()  # the first page view of all creates the center's settings
    few = queries_for_the_page()
    for role in Role:
        StaffFactory.create(roles=[role, Role.SUPPORT_AGENT])
    assert queries_for_the_page() == few


def test_center_admin_invites_a_colleague_who_is_mailed_a_link_to_set_a_password(
    center_admin, center_admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = center_admin_client.post(
            url("accounts:staff_users"),
            {
                "email": "yeni.kisi@kaynak.example",
                "full_name": "Yeni Kişi",
                "roles": [Role.SUPPORT_AGENT.value, Role.ME_OFFICER.value],
            },
        )

    assertRedirects(response, url("accounts:staff_users"), fetch_redirect_response=False)
    invited = User.objects.get(email="yeni.kisi@kaynak.example")
    assert invited.full_name == "Yeni Kişi"
    assert invited.staff_roles == {Role.SUPPORT_AGENT.value, Role.ME_OFFICER.value}
    assert {entry.actor for entry in history_for(invited)} == {center_admin}
    [message] = mailoutbox
    assert message.to == ["yeni.kisi@kaynak.example"]
    assert "/hesap/password/reset/key/" in message.body
    page = center_admin_client.get(url("accounts:staff_users"))
    assertContains(page, "yeni.kisi@kaynak.example davet edildi")


def test_an_invitation_with_mistakes_keeps_what_was_typed_and_says_what_is_wrong_in_turkish(
    center_admin_client, mailoutbox
):
    response = center_admin_client.post(
        url("accounts:staff_users"), {"email": "yeni@", "full_name": "Yeni Kişi"}
    )

    assert response.status_code == 200
    assertContains(
        response,
        '<ul class="errorlist" id="id_email_error"><li>Geçerli bir e-posta adresi girin.</li></ul>',
        html=True,
    )
    assertContains(response, 'value="yeni@"')
    assertContains(response, 'aria-describedby="id_email_error"')
    assertContains(response, 'value="Yeni Kişi"')
    assertContains(
        response,
        '<ul class="errorlist" id="id_roles_error"><li>Bu alan zorunludur.</li></ul>',
        html=True,
    )
    assertContains(response, '<label for="id_full_name">Ad soyad:</label>', html=True)
    assert not User.objects.filter(email__startswith="yeni").exists()
    assert mailoutbox == []


def test_an_invitation_with_mistakes_on_the_english_page_says_so_in_english(center_admin_client):
    response = center_admin_client.post(
        url("accounts:staff_users", language="en"),
        {"email": "new@", "full_name": "New Person", "roles": [Role.SUPPORT_AGENT.value]},
    )

    assertContains(response, "Enter a valid email address.")
    assertContains(response, 'value="New Person"')
    assertContains(response, 'value="support-agent" id="id_roles_1" checked')


def test_center_admin_sees_a_colleagues_current_roles_ticked(center_admin_client):
    colleague = StaffFactory.create(full_name="Ayşe Doğan", roles=[Role.RADAR_EDITOR])

    response = center_admin_client.get(url("accounts:staff_user_roles", colleague.pk))

    assertContains(response, "<h1>Ayşe Doğan kişisinin rolleri</h1>", html=True)
    assertContains(response, 'value="radar-editor" id="id_roles_2" checked')
    assertNotContains(response, 'value="support-agent" id="id_roles_1" checked')


def test_center_admin_changes_a_colleagues_roles(center_admin, center_admin_client):
    colleague = StaffFactory.create(roles=[Role.RADAR_EDITOR])

    response = center_admin_client.post(
        url("accounts:staff_user_roles", colleague.pk),
        {"roles": [Role.SUPPORT_AGENT.value, Role.PROGRAMME_COORDINATOR.value]},
    )

    assertRedirects(response, url("accounts:staff_users"), fetch_redirect_response=False)
    colleague = User.objects.get(pk=colleague.pk)
    assert colleague.staff_roles == {Role.SUPPORT_AGENT.value, Role.PROGRAMME_COORDINATOR.value}
    assert history_for(colleague).filter(actor=center_admin).count() == 3


def test_taking_every_role_away_ends_a_colleagues_staff_access(center_admin_client):
    colleague = StaffFactory.create(roles=[Role.SUPPORT_AGENT])

    center_admin_client.post(url("accounts:staff_user_roles", colleague.pk), {})

    assert not User.objects.get(pk=colleague.pk).is_staff


def test_the_last_center_admin_is_told_they_cannot_give_up_the_role(
    center_admin, center_admin_client
):
    response = center_admin_client.post(
        url("accounts:staff_user_roles", center_admin.pk), {"roles": [Role.SUPPORT_AGENT.value]}
    )

    assert response.status_code == 200
    assertContains(response, "Merkezin en az bir merkez yöneticisi olmalıdır")
    assert User.objects.get(pk=center_admin.pk).staff_roles == {Role.CENTER_ADMIN.value}


def test_an_unknown_person_is_not_found(center_admin_client):
    assert center_admin_client.get(url("accounts:staff_user_roles", 987654)).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_programme_coordinator_does_not_find_the_staff_pages(coordinator_client, method):
    colleague = StaffFactory.create(roles=[Role.SUPPORT_AGENT])
    send = getattr(coordinator_client, method)

    listing = send(
        url("accounts:staff_users"), {"email": "x@kaynak.example", "roles": ["center-admin"]}
    )
    roles = send(url("accounts:staff_user_roles", colleague.pk), {"roles": ["center-admin"]})

    assert listing.status_code == 404
    assert roles.status_code == 404
    assert not User.objects.filter(email="x@kaynak.example").exists()
    assert User.objects.get(pk=colleague.pk).staff_roles == {Role.SUPPORT_AGENT.value}


def test_a_member_does_not_find_the_staff_pages(client):
    client.force_login(UserFactory.create())

    assert client.get(url("accounts:staff_users")).status_code == 404


@pytest.mark.parametrize("page", ["accounts:staff_users", "accounts:api_tokens"])
def test_visitors_are_sent_to_log_in(client, page):
    response = client.get(url(page))

    assertRedirects(
        response, f"{url('account_login')}?next={url(page)}", fetch_redirect_response=False
    )

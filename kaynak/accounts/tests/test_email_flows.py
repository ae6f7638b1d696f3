"""Sign-up and password reset, with the e-mails going through a real SMTP server on loopback."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail as locmem_mail
from django.test import Client

from kaynak.accounts.models import Role, User
from kaynak.accounts.services import email_verify_by_password_link
from kaynak.accounts.tests.factories import PASSWORD, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.audit import history_for
from kaynak.core.models import CenterSettings

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Yeni-parola-2027"


def test_signup_mails_a_link_that_verifies_the_address_and_logs_the_person_in(client, smtp_server):
    CenterSettings.objects.update_or_create(pk=1, defaults={"name_tr": "Merkez Ankara"})
    response = client.post(
        url("account_signup"),
        {"email": "ayse@ornek-stk.org.tr", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session  # not before the address is proven

    [mail] = smtp_server.received
    assert locmem_mail.outbox == []  # delivered over SMTP, not to Django's test outbox
    assert mail.recipients == ["ayse@ornek-stk.org.tr"]
    assert mail.message["To"] == "ayse@ornek-stk.org.tr"
    # The mail speaks in the center's name, not the server's host name.
    assert mail.message["Subject"].startswith("[Merkez Ankara] ")
    assert "Merkez Ankara" in mail.message.get_body(("plain",)).get_content()
    confirm_path = mail.link_path()

    confirm_page = client.get(confirm_path)
    assert confirm_page.status_code == 200
    assert not EmailAddress.objects.get(email="ayse@ornek-stk.org.tr").verified  # GET only asks

    confirmed = client.post(confirm_path)
    assert confirmed.status_code == 302
    address = EmailAddress.objects.get(email="ayse@ornek-stk.org.tr")
    assert address.verified
    assert address.primary
    assert client.session["_auth_user_id"] == str(address.user_id)
    assert client.get(url("portal:my")).status_code == 200


def test_signup_keeps_the_language_of_the_page_for_the_account_and_the_mail(client, smtp_server):
    client.post(
        url("account_signup", language="en"),
        {"email": "john@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(
        url("account_signup"),
        {"email": "ali@ornek-stk.org.tr", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert User.objects.get(email="john@example.org").language == "en"
    assert User.objects.get(email="ali@ornek-stk.org.tr").language == "tr"
    english, turkish = smtp_server.received
    assert "Confirm Your Email Address" in english.message["Subject"]
    assert english.link_path().startswith("/en/")
    assert "E-posta Adresinizi Onaylayın" in turkish.message["Subject"]
    assert not turkish.link_path().startswith("/en/")


def test_password_reset_mails_a_link_with_which_a_new_password_is_set(client, smtp_server):
    member = UserFactory.create(email="selin@ornek-stk.org.tr")

    response = client.post(url("account_reset_password"), {"email": "selin@ornek-stk.org.tr"})
    assert response.status_code == 302

    [mail] = smtp_server.received
    assert mail.recipients == [member.email]
    key_page = client.get(mail.link_path())
    # allauth moves the key from the URL into the session before showing the form.
    assert key_page.status_code == 302
    form_path = key_page["Location"]
    assert client.get(form_path).status_code == 200

    done = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    login = url("account_login")
    old = client.post(login, {"login": member.email, "password": PASSWORD})
    assert old.status_code == 200
    assert "_auth_user_id" not in client.session
    new = client.post(login, {"login": member.email, "password": NEW_PASSWORD})
    assert new.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_password_reset_link_works_only_once(client, smtp_server):
    member = UserFactory.create()
    client.post(url("account_reset_password"), {"email": member.email})
    [mail] = smtp_server.received
    form_path = client.get(mail.link_path())["Location"]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(mail.link_path())

    assert again.status_code == 200
    assert again.context["token_fail"]


def test_an_invited_colleague_sets_a_password_from_the_mail_and_goes_on_to_set_up_totp(
    center_admin_client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        center_admin_client.post(
            url("accounts:staff_users"),
            {
                "email": "yeni.kisi@kaynak.example",
                "full_name": "Yeni Kişi",
                "roles": [Role.SUPPORT_AGENT.value],
            },
        )
    [invitation] = smtp_server.received
    assert invitation.recipients == ["yeni.kisi@kaynak.example"]

    colleague = Client()
    form_path = colleague.get(invitation.link_path())["Location"]
    colleague.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    logged_in = colleague.post(
        url("account_login"), {"login": "yeni.kisi@kaynak.example", "password": NEW_PASSWORD}
    )

    # The password link proved the address: no second mail to verify it.
    assert EmailAddress.objects.get(email="yeni.kisi@kaynak.example").verified
    assert len(smtp_server.received) == 1
    assert logged_in["Location"] == url("portal:home")
    assert colleague.get(url("portal:staff"))["Location"] == url("mfa_activate_totp")


def test_a_password_link_verifies_only_an_address_that_is_the_accounts_only_one():
    single = UserFactory.create(verified_email=False)
    several = UserFactory.create(verified_email=False)
    EmailAddress.objects.create(user=several, email="ikinci@ornek-stk.org.tr", verified=False)

    assert email_verify_by_password_link(user=single)
    assert not email_verify_by_password_link(user=several)
    assert not email_verify_by_password_link(user=single)  # already verified

    assert EmailAddress.objects.get(user=single).verified
    assert not EmailAddress.objects.filter(user=several, verified=True).exists()
    [entry] = history_for(single)
    assert entry.action == "kaynak.accounts.email.verified"

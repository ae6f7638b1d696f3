"""`kaynak createadmin`: the first center admin, from the command line."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_createadmin_makes_a_center_admin_who_can_log_in_at_once(capsys):
    call_command("createadmin", email="Elif@Kaynak.example", name="Elif Yılmaz", password=PASSWORD)

    admin = User.objects.get(email="elif@kaynak.example")
    assert admin.staff_roles == {Role.CENTER_ADMIN.value}
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=admin).verified
    assert "elif@kaynak.example" in capsys.readouterr().out


def test_createadmin_refuses_a_weak_password_and_creates_nothing():
    with pytest.raises(CommandError):
        call_command("createadmin", email="elif@kaynak.example", password="12345678")

    assert not User.objects.exists()


def test_createadmin_refuses_something_that_is_not_an_email_address():
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("createadmin", email="elif", password=PASSWORD)

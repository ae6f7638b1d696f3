"""Factories for accounts. Staff get their roles through the services, as in real life, so that
``is_staff`` and ``is_superuser`` follow the roles. Use ``UserFactory.create(...)``: it is typed
as returning a ``User``."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from factory.declarations import PostGeneration, Sequence
from factory.django import DjangoModelFactory, Password
from factory.faker import Faker

from kaynak.accounts.models import ApiToken, Role, User
from kaynak.accounts.services import api_token_create, role_grant

PASSWORD = "Kaynak-parola-2026"
# The secret in every factory-made staff member's authenticator app (base32, as allauth keeps it).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _add_email_address(user: User, create: bool, verified: bool | None, **kwargs: Any) -> None:
    if create:
        EmailAddress.objects.create(
            user=user, email=user.email, primary=True, verified=verified is not False
        )


def _grant_roles(user: User, create: bool, roles: list[Role] | None, **kwargs: Any) -> None:
    for role in roles if roles is not None else [Role.PROGRAMME_COORDINATOR]:
        role_grant(user=user, role=role, actor=None)


def _activate_totp(user: User, create: bool, totp: bool | None, **kwargs: Any) -> None:
    if totp is not False:
        TOTP.activate(user, TOTP_SECRET)


class UserFactory(DjangoModelFactory[User]):
    """A member (no staff role) who can log in: ``verified_email=False`` leaves the address
    unverified."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"kisi{n}@ornek-stk.org.tr")
    full_name = Faker("name", locale="tr_TR")
    password = Password(PASSWORD)
    verified_email = PostGeneration(_add_email_address)


class StaffFactory(UserFactory):
    """A staff member with ``roles`` (a programme coordinator unless told) whose authenticator
    app holds ``TOTP_SECRET``; ``totp=False`` has not set up TOTP yet."""

    roles = PostGeneration(_grant_roles)
    totp = PostGeneration(_activate_totp)


def api_token_for(user: User, name: str = "Aylık rapor betiği") -> tuple[ApiToken, str]:
    """A token made as its owner makes one: the record and the token itself."""
    return api_token_create(user=user, name=name)

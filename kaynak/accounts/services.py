"""The verbs of accounts: staff roles and personal API tokens. The only writers of these models."""

from __future__ import annotations

import secrets

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import ApiToken, Role, RoleAssignment, User, hash_token
from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError

TOKEN_PREFIX = "kyn_"  # noqa: S105 — a public marker that lets scanners spot leaked tokens


def _sync_staff_flag(user: User) -> None:
    """Staff roles give access to the staff pages and the admin; no role, no access."""
    roles = set(user.role_assignments.values_list("role", flat=True))
    user._staff_roles = roles
    is_staff = bool(roles)
    is_superuser = Role.CENTER_ADMIN.value in roles
    if (user.is_staff, user.is_superuser) != (is_staff, is_superuser):
        user.is_staff, user.is_superuser = is_staff, is_superuser
        user.save(update_fields=["is_staff", "is_superuser"])


@transaction.atomic
def role_grant(*, user: User, role: Role, actor: User | None) -> RoleAssignment:
    """Give ``user`` a staff role (idempotent)."""
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": actor}
    )
    if created:
        _sync_staff_flag(user)
        log_action(
            "kaynak.accounts.role.granted", actor=actor, target=user, data={"role": role.value}
        )
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: Role, actor: User | None) -> None:
    """Take a staff role away; the last center admin cannot lose the role."""
    if (
        role == Role.CENTER_ADMIN
        and RoleAssignment.objects.filter(role=Role.CENTER_ADMIN).exclude(user=user).count() == 0
        and RoleAssignment.objects.filter(role=Role.CENTER_ADMIN, user=user).exists()
    ):
        raise KaynakError(
            _("The center needs at least one center admin: give the role to someone else first."),
            code="last_center_admin",
        )
    deleted, _rows = RoleAssignment.objects.filter(user=user, role=role).delete()
    if deleted:
        _sync_staff_flag(user)
        log_action(
            "kaynak.accounts.role.revoked", actor=actor, target=user, data={"role": role.value}
        )


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; returns the record and the token, which is never shown again."""
    name = name.strip()
    if not name:
        raise KaynakError(_("Give the token a name, so that you can tell it apart later."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80], prefix=raw[: len(TOKEN_PREFIX) + 6], token_hash=hash_token(raw)
    )
    log_action("kaynak.accounts.api_token.created", actor=user, target=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token at once; requests carrying it are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action("kaynak.accounts.api_token.revoked", actor=actor, target=token)
    return token


def user_for_api_token(raw: str) -> User | None:
    """The active staff user a token belongs to, or ``None``."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not token.user.is_staff:
        return None
    # Write at most once a minute per token: the API may be called in tight loops.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def staff_roles_set(*, user: User, roles: list[Role], actor: User | None) -> None:
    """Make ``user``'s staff roles exactly ``roles``."""
    wanted = set(roles)
    current = {Role(r) for r in user.role_assignments.values_list("role", flat=True)}
    for role in sorted(wanted - current):
        role_grant(user=user, role=role, actor=actor)
    for role in sorted(current - wanted):
        role_revoke(user=user, role=role, actor=actor)


@transaction.atomic
def staff_invite(
    *, request: HttpRequest, email: str, full_name: str, roles: list[Role], actor: User
) -> User:
    """Give a colleague staff roles, creating their account if needed, and mail them a link
    to set their password."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
        # They prove the address by following the password link sent to it.
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    for role in roles:
        role_grant(user=user, role=role, actor=actor)
    log_action(
        "kaynak.accounts.staff.invited",
        actor=actor,
        target=user,
        data={"roles": sorted(r.value for r in roles), "new_account": created},
    )

    def send() -> None:
        # allauth builds the link from the request it finds in its context, which only its
        # middleware sets; set it here too, so that inviting works outside a web request.
        with allauth_context.request_context(request):
            form = ResetPasswordForm(data={"email": email})
            if form.is_valid():
                form.save(request)

    transaction.on_commit(send)
    return user


@transaction.atomic
def email_verify_by_password_link(*, user: User) -> bool:
    """Mark the user's address verified after they set a password from a link mailed to it.

    The link proves the address only when the user has no other: the link itself does not say
    which address it was sent to. Returns whether an address was verified.
    """
    addresses = list(EmailAddress.objects.select_for_update().filter(user=user))
    if len(addresses) != 1 or addresses[0].verified:
        return False
    address = addresses[0]
    address.verified = True
    address.primary = True
    address.save(update_fields=["verified", "primary"])
    log_action(
        "kaynak.accounts.email.verified",
        actor=user,
        target=user,
        data={"email": address.email, "by": "password_link"},
    )
    return True


@transaction.atomic
def member_create(
    *, email: str, password: str | None, full_name: str = "", verified: bool = False
) -> User:
    """Create a member account (e-mail already checked when ``verified``)."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with this e-mail address already exists."))
    user = User(email=email, full_name=full_name)
    if password:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


@transaction.atomic
def center_admin_create(*, email: str, full_name: str, password: str) -> User:
    """Create a center admin who can log in at once (from the command line)."""
    user = member_create(email=email, password=password, full_name=full_name, verified=True)
    role_grant(user=user, role=Role.CENTER_ADMIN, actor=None)
    return user

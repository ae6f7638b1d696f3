"""Named reads of accounts: the center's staff and a user's API tokens."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kaynak.accounts.models import ApiToken, RoleAssignment, User


def staff_with_roles() -> QuerySet[User]:
    """Everyone holding at least one staff role, by e-mail, with their roles prefetched."""
    return (
        User.objects.filter(role_assignments__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
        )
        .order_by("email")
    )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first; other people's tokens are never included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")

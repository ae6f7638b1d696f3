"""The one permission helper: ``can(user, action, obj)``; views, the API and templates use it.

Actions are named ``<app>.<verb>_<thing>`` and their rules live in each app's ``rules.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from kaynak.core.errors import PermissionDenied


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` (to ``obj``, where the rule depends on it)."""
    return bool(user is not None and user.has_perm(action, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def get_object_for_user(user: Any, action: str, queryset: Any, **lookup: Any) -> Any:
    """The object, or 404 when it does not exist *or* the user may not ``action`` it.

    A 404, not a 403, so that one organisation cannot learn what another one has.
    """
    try:
        obj = queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    if not can(user, action, obj):
        raise Http404
    return obj


def permission_required(action: str) -> Callable[..., Any]:
    """View decorator: visitors are sent to log in; members who may not ``action`` get a 404."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

"""Staff pages of accounts: staff accounts and roles (center admins), personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaynak.accounts import queries, services
from kaynak.accounts.forms import ApiTokenForm, StaffInviteForm, StaffRolesForm
from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.accounts.models import ApiToken, Role, User
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import permission_required


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (every role unticked); ``None`` otherwise."""
    return request.POST if request.method == "POST" else None


@permission_required("accounts.manage_staff")
def staff_users(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StaffInviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        user = services.staff_invite(
            request=request,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            roles=[Role(r) for r in form.cleaned_data["roles"]],
            actor=request.user,
        )
        messages.success(
            request,
            _("%(email)s is invited; they set a password from the e-mail.") % {"email": user.email},
        )
        return redirect("accounts:staff_users")
    return render(
        request,
        "accounts/staff_users.html",
        {"staff": queries.staff_with_roles(), "form": form},
    )


@permission_required("accounts.manage_staff")
def staff_user_roles(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id)
    current = sorted(member.staff_roles)
    form = StaffRolesForm(_posted(request), initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_roles_set(
                user=member,
                roles=[Role(r) for r in form.cleaned_data["roles"]],
                actor=request.user,
            )
        except KaynakError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Roles of %(user)s are saved.") % {"user": member})
            return redirect("accounts:staff_users")
    return render(request, "accounts/staff_user_roles.html", {"member": member, "form": form})


# never_cache: the response that shows a new token must not be kept by any cache.
@never_cache
@permission_required("accounts.use_api_tokens")
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(_posted(request))
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _record, new_token = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except KaynakError as exc:
            form.add_error("name", str(exc.message))
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"tokens": queries.api_tokens_of(request.user), "form": form, "new_token": new_token},
    )


@require_POST
@permission_required("accounts.use_api_tokens")
def api_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    # Only one's own tokens: another user's token id answers 404.
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")

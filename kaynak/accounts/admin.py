"""Admin for accounts. Staff roles and tokens change through the services, never by hand:
the roles inline is read-only (roles are edited on the staff pages, which keep ``is_staff`` in
step and write the audit log) and a token can only be revoked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.accounts.models import ApiToken, RoleAssignment, User
from kaynak.accounts.services import api_token_revoke


class UserAddForm(AdminUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        # Addresses are stored in lower case, as the sign-up and invitation do.
        email: str = self.cleaned_data["email"]
        return User.objects.normalize_email(email).lower()


class UserEditForm(UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    fk_name = "user"
    fields = ("role", "granted_by", "granted_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Staff roles (changed on the staff accounts page)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = UserEditForm
    add_form = UserAddForm
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_active", "role_assignments__role", "language")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name", "language")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = (RoleAssignmentInline,)

    def get_inlines(
        self, request: HttpRequest, obj: User | None
    ) -> list[type[InlineModelAdmin[Any, Any]]]:
        # Nothing to show while the user is being added: roles are given on the staff pages.
        return list(self.inlines) if obj is not None else []


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "is_active_display")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix", "user__email", "user__full_name")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "token_hash", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    @admin.display(description=_("active"), boolean=True)
    def is_active_display(self, token: ApiToken) -> bool:
        return token.is_active

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token is shown once, when it is made; only its owner makes one, on their page.
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: AuthenticatedHttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
            revoked += 1
        self.message_user(
            request, _("Tokens revoked: %(count)d.") % {"count": revoked}, messages.SUCCESS
        )

"""Admin for reference data and the audit log. Search folds Turkish letters and case."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from kaynak.core.audit import history_for
from kaynak.core.models import (
    ApplicantType,
    AuditEntry,
    CenterSettings,
    Country,
    Currency,
    Province,
    Region,
    Theme,
)
from kaynak.core.permissions import can
from kaynak.core.text import search_key


class AuditHistoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Show the object's Kaynak audit entries (``log_action``) on its admin "History" page,
    above the admin's own change log."""

    object_history_template = "admin/kaynak_object_history.html"

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> Any:
        obj = self.get_object(request, unquote(object_id))
        context = {**(extra_context or {})}
        if obj is not None:
            context["audit_entries"] = history_for(obj)[:500]
        return super().history_view(request, object_id, context)


class FoldedSearchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Search a column that holds ``search_key()`` text: "istanbul", "İSTANBUL" and "Istanbul"
    all find İstanbul. Set ``folded_search_field``; ``search_fields`` still apply as usual."""

    folded_search_field = "search_text"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        folded = search_key(search_term)
        if not folded:
            return queryset, False
        matches = queryset
        for word in folded.split():
            matches = matches.filter(**{f"{self.folded_search_field}__contains": word})
        exact, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return (matches | exact), may_have_duplicates


class ReferenceDataAdmin(FoldedSearchAdmin):
    """Reference data comes from data migrations; other apps rely on its codes and slugs."""

    search_fields = ["pk"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_tr", "name_en"]


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["plate_code", "name", "name_en", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]


@admin.register(Country)
class CountryAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_tr", "name_en"]


@admin.register(Currency)
class CurrencyAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_tr", "name_en"]


@admin.register(Theme)
class ThemeAdmin(ReferenceDataAdmin):
    list_display = ["slug", "name_tr", "name_en", "position"]


@admin.register(ApplicantType)
class ApplicantTypeAdmin(ReferenceDataAdmin):
    list_display = ["slug", "name_tr", "name_en", "position"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "action", "actor", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_repr", "actor__email"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(CenterSettings)
class CenterSettingsAdmin(AuditHistoryAdmin):
    list_display = ["name_tr", "email", "updated_at"]

    def has_add_permission(self, request: object) -> bool:
        return not CenterSettings.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class RulePermissionAdmin:
    """An admin that asks one of Kaynak's rules (``permission``, through ``can``) instead of
    Django's model permissions, for every view, add, change and delete."""

    permission = ""

    def _allowed(self, request: HttpRequest) -> bool:
        return can(request.user, self.permission)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

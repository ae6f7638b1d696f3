"""The academia programme in the admin. Partnership rounds (which call selects the
organisations, which of its questions hold the needs and the themes) are set up here by
coordinators (``coaching.manage_partnerships``), each change audited. Academics, requests and
partnerships are shown read-only: they change only through the academia pages, whose services
keep the ledger and the library in step."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from kaynak.coaching.models import (
    AcademicProfile,
    Partnership,
    PartnershipRequest,
    PartnershipRound,
)
from kaynak.core.admin import AuditHistoryAdmin, RulePermissionAdmin
from kaynak.core.audit import log_action


@admin.register(PartnershipRound)
class PartnershipRoundAdmin(RulePermissionAdmin, AuditHistoryAdmin):
    permission = "coaching.manage_partnerships"
    list_display = ["name", "programme", "call", "starts_on", "ends_on"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["call"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            f"kaynak.coaching.partnership_round.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            data={"call": obj.call_id},
        )


class ReadOnlyAdmin(RulePermissionAdmin, AuditHistoryAdmin):
    permission = "coaching.view_partnerships"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AcademicProfile)
class AcademicProfileAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "institution", "department", "is_available"]
    list_filter = ["is_available"]
    search_fields = ["person__full_name", "institution", "expertise"]


@admin.register(PartnershipRequest)
class PartnershipRequestAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "round", "province", "status", "created_at"]
    list_filter = ["status", "round"]
    search_fields = ["organisation__name", "needs"]


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "academic", "theme", "province", "status", "is_public"]
    list_filter = ["status", "is_public", "theme"]
    search_fields = ["title", "organisation__name", "academic__person__full_name"]

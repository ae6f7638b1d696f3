"""Coaching engagements in the admin: read only, for looking things up (programme coordinators,
``coaching.manage_coaching``). Engagements, plans and sessions change only through the
engagement pages, whose services keep the ledger's deliveries in step."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from kaynak.coaching.models import Action, CoachingRound, CoachingSession, Engagement
from kaynak.core.admin import AuditHistoryAdmin, RulePermissionAdmin


class ReadOnlyCoachingAdmin(RulePermissionAdmin, AuditHistoryAdmin):
    permission = "coaching.manage_coaching"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(CoachingRound)
class CoachingRoundAdmin(ReadOnlyCoachingAdmin):
    list_display = ["name", "programme", "call", "instrument", "starts_on", "ends_on"]
    list_select_related = ["programme", "call", "instrument"]
    search_fields = ["name", "slug"]


class ActionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Action
    fields = ["dimension", "title", "owner", "due_on", "status", "done_on"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class SessionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CoachingSession
    fields = ["starts_at", "minutes", "mode"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyCoachingAdmin):
    list_display = ["code", "organisation", "coach", "round", "starts_on", "ends_on", "status"]
    list_filter = ["status", "round"]
    list_select_related = ["organisation", "coach", "round"]
    search_fields = ["code", "organisation__name"]
    inlines = [ActionInline, SessionInline]


@admin.register(CoachingSession)
class CoachingSessionAdmin(ReadOnlyCoachingAdmin):
    list_display = ["engagement", "starts_at", "minutes", "mode"]
    list_filter = ["mode"]
    list_select_related = ["engagement__organisation"]
    search_fields = ["engagement__code", "engagement__organisation__name"]
    date_hierarchy = "starts_at"

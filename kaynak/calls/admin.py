"""Admin of calls: read-mostly. Staff who may see calls (``calls.view_staff``) look up a call,
its questions and rubric here; every change goes through the staff pages (``building``), which
keep the form's rules and write the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from kaynak.calls.models import Call, Criterion, Question
from kaynak.core.admin import AuditHistoryAdmin, RulePermissionAdmin


class ViewOnly:
    """Seen here, changed on the staff pages."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class QuestionInline(ViewOnly, RulePermissionAdmin, admin.TabularInline[Question, Call]):
    permission = "calls.view_staff"
    model = Question
    fk_name = "call"
    fields = readonly_fields = (
        "position",
        "key",
        "kind",
        "label",
        "label_en",
        "required",
        "show_if",
    )
    extra = 0


class CriterionInline(ViewOnly, RulePermissionAdmin, admin.TabularInline[Criterion, Call]):
    permission = "calls.view_staff"
    model = Criterion
    fields = readonly_fields = ("position", "name", "name_en", "weight")
    extra = 0


@admin.register(Call)
class CallAdmin(ViewOnly, RulePermissionAdmin, AuditHistoryAdmin):
    permission = "calls.view_staff"
    list_display = ["title", "programme", "status", "opens_at", "closes_at"]
    list_filter = ["status", "programme"]
    search_fields = ["title", "title_en", "slug"]
    inlines = [QuestionInline, CriterionInline]
    readonly_fields = fields = (
        "programme",
        "title",
        "title_en",
        "slug",
        "status",
        "opens_at",
        "closes_at",
        "one_per_organisation",
        "people_label",
        "people_min",
        "people_max",
        "blind_review",
        "reviewers_per_application",
        "spread_threshold",
        "published_at",
    )

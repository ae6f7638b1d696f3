"""Admin for the funding radar. Funders and sources are set up here (a source's settings are
checked by its kind's adapter before saving; health is shown, not edited). Raw items and scans
are read here only: they are the record of what was fetched. Calls change through the review
pages, where every edit is kept as a change; here they are read with their links and changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.admin import AuditHistoryAdmin, FoldedSearchAdmin, RulePermissionAdmin
from kaynak.core.audit import log_action
from kaynak.radar.models import (
    FLAG_AFTER_FAILURES,
    Funder,
    Opportunity,
    OpportunityChange,
    OpportunityLink,
    RawItem,
    ScanRun,
    Source,
)
from kaynak.radar.sources import config_errors

BODY_PREVIEW = 4000


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class EditorsMayAdmin(RulePermissionAdmin):
    """Radar editors (not only center admins) set up funders and sources here: the admin asks
    the radar's own rules, not Django's model permissions."""

    permission = "radar.manage_sources"


class LoggedAdmin(EditorsMayAdmin, AuditHistoryAdmin):
    audit_name = ""

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            f"kaynak.radar.{self.audit_name}.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


@admin.register(Funder)
class FunderAdmin(FoldedSearchAdmin, LoggedAdmin):
    audit_name = "funder"
    list_display = ["name", "name_en", "kind", "country", "website"]
    list_filter = ["kind"]
    list_select_related = ["country"]
    search_fields = ["website"]
    raw_id_fields = ["country"]


class SourceForm(forms.ModelForm[Source]):
    class Meta:
        model = Source
        fields = [
            "name", "funder", "kind", "url", "language", "config", "follow_links", "enabled",
            "frequency", "weekday", "at_time", "next_scan_at",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, config = cleaned.get("kind"), cleaned.get("config")
        if kind and config is not None:
            errors = config_errors(kind, config)
            if errors:
                self.add_error("config", errors)
        if kind and kind != "manual" and not cleaned.get("url"):
            self.add_error("url", _("Every source but a manual one needs an address."))
        return cleaned


class FlaggedFilter(admin.SimpleListFilter):
    title = _("health")
    parameter_name = "health"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("flagged", _("Flagged")), ("failing", _("Failing")), ("healthy", _("Healthy"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "flagged":
            return queryset.filter(consecutive_failures__gte=FLAG_AFTER_FAILURES)
        if self.value() == "failing":
            return queryset.filter(consecutive_failures__gt=0)
        if self.value() == "healthy":
            return queryset.filter(consecutive_failures=0)
        return queryset


@admin.register(Source)
class SourceAdmin(LoggedAdmin):
    audit_name = "source"
    form = SourceForm
    list_display = [
        "name",
        "kind",
        "funder",
        "enabled",
        "last_success_at",
        "consecutive_failures",
        "is_flagged",
        "next_scan_at",
    ]
    list_filter = ["enabled", FlaggedFilter, "kind", "language"]
    list_select_related = ["funder"]
    search_fields = ["name", "url", "starter_key", "funder__name"]
    raw_id_fields = ["funder"]
    readonly_fields = [
        "last_scan_at",
        "last_success_at",
        "consecutive_failures",
        "last_error",
        "starter_key",
    ]
    fieldsets = [
        (None, {"fields": ["name", "funder", "kind", "url", "language"]}),
        (
            _("Reading"),
            {
                "fields": ["config", "follow_links"],
                "description": _(
                    "Settings of the kind, as JSON: CSS selectors for a web page "
                    '({"item", "title", "link", "date", "next"}), a field mapping for a JSON '
                    "API, the query of the EU portal or Grants.gov. See docs/radar.md, Sources."
                ),
            },
        ),
        (_("Schedule"), {"fields": ["enabled", "frequency", "weekday", "at_time", "next_scan_at"]}),
        (
            _("Health"),
            {
                "fields": [
                    "last_scan_at",
                    "last_success_at",
                    "consecutive_failures",
                    "last_error",
                    "starter_key",
                ]
            },
        ),
    ]

    def save_model(
        self, request: HttpRequest, obj: Source, form: ModelForm[Any], change: bool
    ) -> None:
        # Switching a source on plans its next scan by its schedule (as the staff page does);
        # switching it off forgets the plan.
        if "enabled" in form.changed_data and "next_scan_at" not in form.changed_data:
            obj.next_scan_at = obj.next_run_after(timezone.now()) if obj.enabled else None
        super().save_model(request, obj, form, change)

    @admin.display(boolean=True, description=_("flagged"))
    def is_flagged(self, obj: Source) -> bool:
        return obj.flagged


@admin.register(RawItem)
class RawItemAdmin(ReadOnlyMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["fetched_at", "source", "role", "url", "status_code", "outcome", "fetch_error"]
    list_filter = ["role", "outcome", "source"]
    list_select_related = ["source"]
    search_fields = ["url", "item_key", "sha256"]
    date_hierarchy = "fetched_at"
    exclude = ["body"]
    readonly_fields = ["body_size", "body_preview"]

    @admin.display(description=_("body size (bytes)"))
    def body_size(self, obj: RawItem) -> int:
        return len(bytes(obj.body or b""))

    @admin.display(description=_("body (beginning, as text)"))
    def body_preview(self, obj: RawItem) -> str:
        # Shown escaped by the admin, never rendered: fetched HTML is not trusted.
        body = bytes(obj.body or b"")
        if body.startswith(b"%PDF"):
            return "PDF"
        return body[:BODY_PREVIEW].decode("utf-8", errors="replace")


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "started_at",
        "source",
        "trigger",
        "status",
        "new",
        "updated",
        "unchanged",
        "failed",
    ]
    list_filter = ["status", "trigger", "source"]
    list_select_related = ["source"]
    date_hierarchy = "started_at"


class OpportunityLinkInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = OpportunityLink
    fields = ("url", "source", "first_seen_at", "last_seen_at")
    readonly_fields = ("url", "source", "first_seen_at", "last_seen_at")
    extra = 0


class OpportunityChangeInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = OpportunityChange
    fields = ("at", "origin", "kind", "actor", "fields", "note", "notable")
    readonly_fields = ("at", "origin", "kind", "actor", "fields", "note", "notable")
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyMixin, FoldedSearchAdmin, AuditHistoryAdmin):
    list_display = ["title", "status", "funder", "deadline_date", "language", "external_id"]
    list_filter = ["status", "language", "deadline_kind"]
    list_select_related = ["funder"]
    search_fields = ["external_id", "url"]
    date_hierarchy = "deadline_date"
    inlines = [OpportunityLinkInline, OpportunityChangeInline]

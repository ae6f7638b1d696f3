"""Admin of the support desk's set-up: center admins (``helpdesk.manage_queues``) keep the
queues — agents, categories with their themes, SLA targets and business hours — and support
agents keep the canned replies. Requests themselves change only through the agents' pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kaynak.core.admin import AuditHistoryAdmin, RulePermissionAdmin
from kaynak.core.audit import log_action
from kaynak.helpdesk.models import CANNED_VARIABLE, CannedReply, Category, Queue
from kaynak.helpdesk.sla import BusinessCalendar

CANNED_BRACES = re.compile(r"\{([a-z_]+)\}")


class RuleAdmin(RulePermissionAdmin):
    """Center admins set up queues (``helpdesk.manage_queues``); subclasses name another rule."""

    permission = "helpdesk.manage_queues"


class LoggedAdmin(RuleAdmin, AuditHistoryAdmin):
    audit_name = ""

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            f"kaynak.helpdesk.{self.audit_name}.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


class QueueForm(forms.ModelForm[Queue]):
    class Meta:
        model = Queue
        fields = [
            "name_tr", "name_en", "slug", "kind", "email", "token_prefix", "agents",
            "first_response_minutes", "resolution_minutes", "business_hours", "is_default",
            "is_active", "position",
        ]  # fmt: skip
        help_texts = {
            "business_hours": _(
                "Empty: Monday to Friday 09:00–18:00 Türkiye time, closed on Turkish public "
                'holidays. Otherwise for example {"hours": {"mon": ["09:00-12:30", '
                '"13:30-18:00"], "fri": ["09:00-16:00"]}, "closed_dates": ["2026-12-31"]}; a '
                "weekday left out is closed. New targets apply to requests received from now on."
            ),
        }

    def clean_business_hours(self) -> Any:
        config = self.cleaned_data.get("business_hours")
        if config in (None, ""):
            return {}
        if not isinstance(config, dict):
            raise forms.ValidationError(_("Write the business hours as a JSON object."))
        try:
            BusinessCalendar.from_settings(config)
        except ImproperlyConfigured as error:
            raise forms.ValidationError(
                _("These business hours cannot be read: %(reason)s") % {"reason": error}
            ) from error
        return config

    def clean_token_prefix(self) -> str:
        prefix = str(self.cleaned_data.get("token_prefix", "")).strip().upper()
        if not prefix.isascii() or not prefix.isalpha():
            raise forms.ValidationError(_("Use two to four Latin letters, e.g. DN."))
        if not 2 <= len(prefix) <= 4:
            raise forms.ValidationError(_("Use two to four Latin letters, e.g. DN."))
        return prefix


class CategoryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Category
    extra = 0
    fields = ["name_tr", "name_en", "slug", "themes", "position"]
    filter_horizontal = ["themes"]


@admin.register(Queue)
class QueueAdmin(LoggedAdmin):
    audit_name = "queue"
    form = QueueForm
    inlines = [CategoryInline]
    list_display = [
        "name_tr", "kind", "email", "first_response_minutes", "resolution_minutes", "is_default",
        "is_active",
    ]  # fmt: skip
    filter_horizontal = ["agents"]
    prepopulated_fields = {"slug": ["name_en"]}

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # requests keep their queue; deactivate instead


class CannedReplyForm(forms.ModelForm[CannedReply]):
    class Meta:
        model = CannedReply
        fields = ["title", "queue", "body_tr", "body_en", "is_active"]
        help_texts = {
            "body_tr": _(
                "Variables: {requester_name}, {token} (the request's code), {agent_name}, "
                "{organisation}."
            ),
        }

    def _check_variables(self, field: str) -> str:
        text = str(self.cleaned_data.get(field) or "")
        known = {match.group(1) for match in CANNED_VARIABLE.finditer(text)}
        unknown = sorted(set(CANNED_BRACES.findall(text)) - known)
        if unknown:
            raise forms.ValidationError(
                _("Unknown variables: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return text

    def clean_body_tr(self) -> str:
        return self._check_variables("body_tr")

    def clean_body_en(self) -> str:
        return self._check_variables("body_en")


@admin.register(CannedReply)
class CannedReplyAdmin(LoggedAdmin):
    permission = "helpdesk.edit_canned_replies"
    audit_name = "canned_reply"
    form = CannedReplyForm
    list_display = ["title", "queue", "is_active"]
    list_filter = ["queue", "is_active"]
    search_fields = ["title", "body_tr", "body_en"]

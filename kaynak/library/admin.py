"""Admin of the library: library editors (support agents, programme coordinators and center
admins, ``library.edit_resources``) keep categories, series, tags, resources and news here.
Resources and news are written through ``services`` (HTML cleaned, PDF text read, video address
checked), and what a resource lacks is explained next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone

from kaynak.core.admin import AuditHistoryAdmin, RulePermissionAdmin
from kaynak.core.audit import log_action
from kaynak.library import services
from kaynak.library.models import (
    Category,
    NewsPost,
    PublicationStatus,
    Resource,
    Series,
    Tag,
)


class EditorsMayAdmin(RulePermissionAdmin):
    """Library editors (not only center admins) work here: the admin asks the library's own
    rule, not Django's model permissions."""

    permission = "library.edit_resources"


class LoggedAdmin(EditorsMayAdmin, AuditHistoryAdmin):
    audit_name = ""

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            f"kaynak.library.{self.audit_name}.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


@admin.register(Category)
class CategoryAdmin(LoggedAdmin):
    audit_name = "category"
    list_display = ["name_tr", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Series)
class SeriesAdmin(LoggedAdmin):
    audit_name = "series"
    list_display = ["name_tr", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Tag)
class TagAdmin(LoggedAdmin):
    audit_name = "tag"
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


def _date_on_publishing(cleaned: dict[str, Any]) -> dict[str, Any]:
    # Publishing without a date means "now" (as the service does); set here so the
    # "a published item has a date" constraint holds when the form checks it.
    if cleaned.get("status") == PublicationStatus.PUBLISHED and not cleaned.get("published_at"):
        cleaned["published_at"] = timezone.now()
    return cleaned


class ResourceForm(forms.ModelForm[Resource]):
    class Meta:
        model = Resource
        fields = [
            "kind", "title", "slug", "summary", "body", "file", "link_url", "video_url",
            "recording_session", "category", "series", "series_position", "themes", "tags",
            "language", "status", "published_at",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        return _date_on_publishing(super().clean() or {})

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        # The service's own checks, explained next to each field before anything is written.
        for field, message in services.resource_problems(self.instance).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, str(message))


@admin.register(Resource)
class ResourceAdmin(EditorsMayAdmin, AuditHistoryAdmin):
    form = ResourceForm
    list_display = ["title", "kind", "category", "language", "status", "published_at",
                    "helpful_yes", "helpful_no"]  # fmt: skip
    list_filter = ["status", "kind", "category", "language", "series"]
    list_select_related = ["category"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["recording_session"]
    filter_horizontal = ["themes", "tags"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["helpful_yes", "helpful_no"]

    def save_model(
        self, request: HttpRequest, obj: Resource, form: ModelForm[Any], change: bool
    ) -> None:
        services.resource_save(resource=obj, actor=request.user)


class NewsPostForm(forms.ModelForm[NewsPost]):
    class Meta:
        model = NewsPost
        fields = ["title", "slug", "summary", "body", "language", "status", "published_at"]

    def clean(self) -> dict[str, Any]:
        return _date_on_publishing(super().clean() or {})


@admin.register(NewsPost)
class NewsPostAdmin(EditorsMayAdmin, AuditHistoryAdmin):
    form = NewsPostForm
    list_display = ["title", "language", "status", "published_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(
        self, request: HttpRequest, obj: NewsPost, form: ModelForm[Any], change: bool
    ) -> None:
        services.news_save(post=obj, actor=request.user)

"""Instruments and assessments in the admin. Coordinators (``coaching.manage_instruments``)
edit instruments: dimensions inline on the instrument, questions (with their level texts)
inline on a dimension. A version with assessments is frozen: its dimensions and questions are
shown read-only and any change is refused with the reason; the action "Make a new version"
copies it as the next, current version. Assessments are shown read-only (staff who see every
assessment); they change only through the assessment pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kaynak.coaching import assessing
from kaynak.coaching.models import Answer, Assessment, Dimension, Indicator, Instrument
from kaynak.core.admin import AuditHistoryAdmin, RulePermissionAdmin
from kaynak.core.audit import log_action

LEVEL_COUNT = 4


def _instrument_of(obj: Any) -> Instrument | None:
    if isinstance(obj, Instrument):
        return obj
    if isinstance(obj, Dimension):
        return obj.instrument if obj.instrument_id else None
    if isinstance(obj, Indicator):
        return obj.dimension.instrument if obj.dimension_id else None
    return None


def _frozen(obj: Any) -> bool:
    instrument = _instrument_of(obj)
    return instrument is not None and assessing.instrument_is_frozen(instrument)


class DimensionAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Dimension
        fields = ["key", "position", "name", "name_en", "description", "description_en"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        instrument = cleaned.get("instrument") or (
            self.instance.instrument if self.instance.instrument_id else None
        )
        if (
            instrument is not None
            and assessing.instrument_is_frozen(instrument)
            and (self.has_changed() or self.instance.pk is None)
        ):
            raise forms.ValidationError(assessing.frozen_message(instrument))
        return cleaned


class IndicatorAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Indicator
        fields = ["key", "position", "text", "text_en", "levels"]
        help_texts = {
            "levels": _(
                'Four levels, for scores 1 to 4: [{"tr": "…", "en": "…"}, …]. Level 1 is '
                "absent or very weak, level 4 strong and sustained."
            )
        }

    def clean_levels(self) -> Any:
        levels = self.cleaned_data.get("levels")
        if (
            not isinstance(levels, list)
            or len(levels) != LEVEL_COUNT
            or not all(
                isinstance(level, dict) and str(level.get("tr") or "").strip() for level in levels
            )
        ):
            raise forms.ValidationError(
                _("Describe all four levels, each at least in Turkish: {example}").format(
                    example='[{"tr": "…", "en": "…"}, …]'
                )
            )
        return levels

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        dimension = cleaned.get("dimension") or (
            self.instance.dimension if self.instance.dimension_id else None
        )
        if (
            dimension is not None
            and assessing.instrument_is_frozen(dimension.instrument)
            and (self.has_changed() or self.instance.pk is None)
        ):
            raise forms.ValidationError(assessing.frozen_message(dimension.instrument))
        return cleaned


class FrozenInlineMixin:
    """Inline rows of a frozen version are read-only: no adding, changing or deleting."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class InstrumentEditorsMayAdmin(RulePermissionAdmin):
    permission = "coaching.manage_instruments"


class DimensionInline(FrozenInlineMixin, InstrumentEditorsMayAdmin, admin.TabularInline):  # type: ignore[type-arg]
    model = Dimension
    form = DimensionAdminForm
    fields = ["position", "key", "name", "name_en"]
    show_change_link = True
    extra = 0


class IndicatorInline(FrozenInlineMixin, InstrumentEditorsMayAdmin, admin.StackedInline):  # type: ignore[type-arg]
    model = Indicator
    form = IndicatorAdminForm
    fields = ["position", "key", "text", "text_en", "levels"]
    extra = 0


def _warn_if_frozen(request: HttpRequest, obj: Any) -> None:
    instrument = _instrument_of(obj)
    if instrument is not None and assessing.instrument_is_frozen(instrument):
        messages.warning(request, assessing.frozen_message(instrument))


@admin.register(Instrument)
class InstrumentAdmin(InstrumentEditorsMayAdmin, AuditHistoryAdmin):
    list_display = ["name", "slug", "version", "is_current"]
    list_filter = ["slug", "is_current"]
    readonly_fields = ["is_current"]
    fields = ["slug", "version", "name", "name_en", "description", "description_en", "is_current"]
    inlines = [DimensionInline]
    actions = ["make_new_version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The slug and version of a saved instrument identify it; new ones come by the action.
        return ["is_current", "slug", "version"] if obj is not None else ["is_current"]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            _warn_if_frozen(request, self.get_object(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            # A new slug's first version is its current one; another version of a slug is
            # made with the action, never by hand.
            obj.is_current = not Instrument.objects.filter(slug=obj.slug, is_current=True).exists()
        super().save_model(request, obj, form, change)
        log_action(
            f"kaynak.coaching.instrument.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    @admin.action(description=_("Make a new version (copy as the current version)"))
    def make_new_version(self, request: HttpRequest, queryset: QuerySet[Instrument]) -> None:
        made = [
            assessing.instrument_new_version(instrument=instrument, actor=request.user)
            for instrument in queryset.order_by("slug", "version")
        ]
        self.message_user(
            request,
            ngettext(
                "Made %(count)d new version; it is now the current one.",
                "Made %(count)d new versions; they are now the current ones.",
                len(made),
            )
            % {"count": len(made)},
            messages.SUCCESS,
        )


@admin.register(Dimension)
class DimensionAdmin(InstrumentEditorsMayAdmin, AuditHistoryAdmin):
    form = DimensionAdminForm
    list_display = ["name", "key", "instrument", "position"]
    list_filter = ["instrument"]
    list_select_related = ["instrument"]
    inlines = [IndicatorInline]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["instrument", *DimensionAdminForm.Meta.fields]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["fields"] = self.get_fields(request, obj)
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and _frozen(obj):
            return self.get_fields(request, obj)
        return ["instrument"] if obj is not None else []

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            _warn_if_frozen(request, self.get_object(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            f"kaynak.coaching.dimension.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


class AnswerInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Answer
    fields = ("indicator", "score", "evidence")
    readonly_fields = ("indicator", "score", "evidence")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(RulePermissionAdmin, AuditHistoryAdmin):
    """Read-only: assessments change through their pages (drafts) or never (completed)."""

    permission = "coaching.export"
    list_display = [
        "organisation",
        "kind",
        "stage",
        "status",
        "instrument",
        "overall",
        "completed_at",
    ]
    list_filter = ["status", "kind", "stage", "instrument"]
    list_select_related = ["organisation", "instrument"]
    search_fields = ["organisation__name"]
    readonly_fields = (
        "organisation",
        "instrument",
        "engagement",
        "kind",
        "stage",
        "status",
        "created_by",
        "completed_at",
        "completed_by",
        "note",
        "results",
        "overall",
    )
    fields = readonly_fields
    inlines = [AnswerInline]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

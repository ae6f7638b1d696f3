"""Admin for the ledger. Deliveries are written and withdrawn by the services only (the service
apps call them), so here they are read, searched and followed to their source. Service kinds can
be added and renamed: a center offers services of its own. Their slugs never change, because the
apps record deliveries by slug."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from kaynak.core.admin import AuditHistoryAdmin, FoldedSearchAdmin
from kaynak.core.audit import log_action
from kaynak.core.text import search_key
from kaynak.ledger.models import Delivery, RecordedService, ServiceKind


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ServiceKind)
class ServiceKindAdmin(FoldedSearchAdmin, AuditHistoryAdmin):
    list_display = ["name_tr", "name_en", "slug", "position"]
    fields = ["name_tr", "name_en", "slug", "position"]
    ordering = ["position"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["slug"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # deliveries keep their kind for ever

    def save_model(
        self, request: HttpRequest, obj: ServiceKind, form: ModelForm[ServiceKind], change: bool
    ) -> None:
        obj.search_text = search_key(f"{obj.name_tr} {obj.name_en} {obj.slug}")
        super().save_model(request, obj, form, change)
        log_action(
            f"kaynak.ledger.service_kind.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, FoldedSearchAdmin):
    """Search finds deliveries by the organisation's name, folded ("istanbul" finds İstanbul)."""

    folded_search_field = "organisation__search_text"
    list_display = [
        "date",
        "kind",
        "organisation",
        "person",
        "province",
        "activity",
        "withdrawn_at",
    ]
    list_filter = ["kind", ("withdrawn_at", admin.EmptyFieldListFilter), "province__region"]
    list_select_related = ["kind", "organisation", "person", "province"]
    date_hierarchy = "date"
    # A million rows: no second COUNT(*) of the whole table on every page.
    show_full_result_count = False
    readonly_fields = ["source_type", "source_id", "created_at"]


class DeliveryInline(ReadOnlyMixin, GenericTabularInline):
    """The deliveries a recorded service is the source of: one per participant."""

    model = Delivery
    ct_field = "source_type"
    ct_fk_field = "source_id"
    fields = ["organisation", "person", "province", "withdrawn_at"]
    readonly_fields = ["organisation", "person", "province", "withdrawn_at"]
    extra = 0


@admin.register(RecordedService)
class RecordedServiceAdmin(ReadOnlyMixin, admin.ModelAdmin[RecordedService]):
    list_display = ["date", "kind", "title", "programme", "province"]
    list_filter = ["kind"]
    list_select_related = ["kind", "province"]
    search_fields = ["title", "programme"]
    date_hierarchy = "date"
    show_full_result_count = False
    inlines = [DeliveryInline]

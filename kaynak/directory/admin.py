"""Admin for the directory. Organisations and people change through the services (so the audit
log and the search column stay right); the other records are read-only here, and change on the
directory's own pages (affiliations, duplicates, merges, imports) or never (consents)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.admin import AuditHistoryAdmin, FoldedSearchAdmin
from kaynak.directory import services
from kaynak.directory.models import (
    Affiliation,
    ConsentRecord,
    DuplicateCandidate,
    ImportBatch,
    MergeRecord,
    Organisation,
    Person,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _changed_values(form: ModelForm[Any], allowed: frozenset[str]) -> dict[str, Any]:
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name in allowed and name in form.fields
    }


@admin.register(Organisation)
class OrganisationAdmin(FoldedSearchAdmin, AuditHistoryAdmin):
    list_display = ["name", "short_name", "province", "legal_form", "status", "verified"]
    list_filter = ["status", "verified", "public_listing_consent", "legal_form", "province"]
    list_select_related = ["province", "legal_form"]
    search_fields = ["=tax_no", "=association_registry_no", "=foundation_registry_no"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["themes"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False  # no COUNT(*) over the whole table on every search

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Duplicates are merged (reversibly) on the duplicates page, never deleted here.
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: Organisation,
        form: ModelForm[Organisation],
        change: bool,
    ) -> None:
        values = _changed_values(form, services.ORGANISATION_FIELDS)
        themes = form.cleaned_data.get("themes")
        if change:
            # The form already wrote the new values into ``obj``; the service compares them
            # with the record as stored, to log what changed.
            stored = Organisation.objects.get(pk=obj.pk)
            services.organisation_update(
                organisation=stored, actor=request.user, themes=themes, **values
            )
        else:
            name = values.pop("name")
            created = services.organisation_create(
                actor=request.user, name=name, themes=themes or (), **values
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[Organisation],
        formsets: Any,
        change: bool,
    ) -> None:
        # Themes were saved by the service; only inlines (none today) are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Person)
class PersonAdmin(FoldedSearchAdmin, AuditHistoryAdmin):
    list_display = ["full_name", "province", "user", "erased_at"]
    list_filter = [("erased_at", admin.EmptyFieldListFilter), "language", "province"]
    list_select_related = ["province", "user"]
    search_fields = ["=user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["erased_at", "created_at", "updated_at"]
    show_full_result_count = False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A person asking to be forgotten is erased (anonymised) on the staff person page.
        return False

    def save_model(
        self, request: HttpRequest, obj: Person, form: ModelForm[Person], change: bool
    ) -> None:
        values = _changed_values(form, services.PERSON_FIELDS)
        if change:
            stored = Person.objects.get(pk=obj.pk)
            services.person_update(person=stored, actor=request.user, **values)
        else:
            full_name = values.pop("full_name")
            obj.pk = services.person_create(actor=request.user, full_name=full_name, **values).pk
        obj.refresh_from_db()


@admin.register(Affiliation)
class AffiliationAdmin(FoldedSearchAdmin, ReadOnlyAdmin):
    folded_search_field = "person__search_text"
    search_fields = ["role"]
    list_display = ["person", "organisation", "role", "is_admin", "start_date", "end_date"]
    list_filter = ["is_admin", ("end_date", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "organisation"]
    raw_id_fields = ["person", "organisation"]
    actions = ["confirm_admin", "end_affiliation"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Only through the actions below (which call the services); the form stays read-only.
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(request, obj)

    @admin.action(description=_("Confirm as organisation admins"), permissions=["change"])
    def confirm_admin(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[Affiliation]
    ) -> None:
        count = 0
        for affiliation in queryset.filter(end_date__isnull=True, is_admin=False):
            services.affiliation_set_admin(
                affiliation=affiliation, is_admin=True, actor=request.user
            )
            count += 1
        self.message_user(
            request, _("Admins confirmed: %(count)d.") % {"count": count}, messages.SUCCESS
        )

    @admin.action(description=_("End the selected affiliations"), permissions=["change"])
    def end_affiliation(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[Affiliation]
    ) -> None:
        count = 0
        for affiliation in queryset.filter(end_date__isnull=True):
            services.affiliation_end(affiliation=affiliation, actor=request.user)
            count += 1
        self.message_user(
            request, _("Affiliations ended: %(count)d.") % {"count": count}, messages.SUCCESS
        )


@admin.register(ConsentRecord)
class ConsentRecordAdmin(FoldedSearchAdmin, ReadOnlyAdmin):
    folded_search_field = "person__search_text"
    search_fields = ["text_version"]
    list_display = ["person", "purpose", "granted", "text_version", "source", "recorded_at"]
    list_filter = ["purpose", "granted", "text_version"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "recorded_by"]
    date_hierarchy = "recorded_at"


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyAdmin):
    list_display = ["kind", "left_id", "right_id", "score", "status", "created_at", "decided_by"]
    list_filter = ["kind", "status"]
    list_select_related = ["decided_by"]
    search_fields = ["=left_id", "=right_id"]


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnlyAdmin):
    list_display = ["kind", "merged_id", "survivor_id", "merged_at", "merged_by", "undone_at"]
    list_filter = ["kind", ("undone_at", admin.EmptyFieldListFilter)]
    list_select_related = ["merged_by", "undone_by"]
    search_fields = ["=merged_id", "=survivor_id"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "status",
        "rows_total",
        "rows_created",
        "rows_linked",
        "rows_failed",
        "created_at",
        "created_by",
    ]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    search_fields = ["original_name"]
    date_hierarchy = "created_at"

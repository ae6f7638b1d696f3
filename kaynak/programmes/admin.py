"""Admin for trainings and events. Programmes, topics and trainers are plain reference rows and
change here. Activities and their sessions change through the catalogue (so registrants hear of
a moved session and freed seats reach the waiting list); their status changes only through the
actions below or the staff pages. Registrations, attendance, certificates and feedback are read
here and change on the staff pages, through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.admin import AuditHistoryAdmin, FoldedSearchAdmin
from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.text import search_key
from kaynak.programmes import catalogue
from kaynak.programmes.catalogue import ACTIVITY_FIELDS, SESSION_FIELDS, SessionEdit
from kaynak.programmes.models import (
    Activity,
    ActivityStatus,
    Attendance,
    Certificate,
    CertificateSignature,
    FeedbackResponse,
    Programme,
    Registration,
    Session,
    Topic,
    Trainer,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class LoggedAdmin(AuditHistoryAdmin):
    """Reference rows written by the admin itself, each change in the audit log."""

    audit_name = ""

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            f"kaynak.programmes.{self.audit_name}.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


@admin.register(Programme)
class ProgrammeAdmin(LoggedAdmin):
    audit_name = "programme"
    list_display = ["name", "name_en", "slug", "is_series", "is_active"]
    list_filter = ["is_series", "is_active"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Activities keep their programme; an old programme is made inactive instead.
        return False


@admin.register(CertificateSignature)
class CertificateSignatureAdmin(LoggedAdmin):
    audit_name = "certificate_signature"
    list_display = ["name", "title", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Topic)
class TopicAdmin(FoldedSearchAdmin, LoggedAdmin):
    audit_name = "topic"
    list_display = ["name_tr", "name_en", "slug"]
    fields = ["name_tr", "name_en", "slug"]

    def save_model(
        self, request: HttpRequest, obj: Topic, form: ModelForm[Topic], change: bool
    ) -> None:
        obj.search_text = search_key(f"{obj.name_tr} {obj.name_en} {obj.slug}")
        super().save_model(request, obj, form, change)


@admin.register(Trainer)
class TrainerAdmin(LoggedAdmin):
    audit_name = "trainer"
    list_display = ["name", "title", "email", "person"]
    search_fields = ["name", "title", "email"]
    raw_id_fields = ["person"]


class SessionInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Session
    extra = 0
    fields = [
        ("starts_at", "ends_at"),
        "title",
        ("online", "province"),
        ("venue", "capacity"),
        "address",
        ("meeting_url", "stream_url"),
        "recording_url",
    ]


@admin.register(Activity)
class ActivityAdmin(AuditHistoryAdmin):
    list_display = ["title", "programme", "kind", "status", "capacity", "published_at"]
    list_filter = ["status", "kind", "programme", "language"]
    list_select_related = ["programme"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["themes", "trainers"]
    raw_id_fields = ["copied_from"]
    readonly_fields = ["status", "published_at", "copied_from", "created_at", "updated_at"]
    inlines = [SessionInline]
    actions = ["publish"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Registrations and the ledger point here: cancel an activity instead.
        return False

    def save_model(
        self, request: HttpRequest, obj: Activity, form: ModelForm[Activity], change: bool
    ) -> None:
        values = {
            name: form.cleaned_data[name]
            for name in ACTIVITY_FIELDS
            if name in form.cleaned_data and name in form.changed_data
        }
        if change:
            # The form already wrote the new values into ``obj``; the catalogue compares them
            # with the activity as stored. Sessions follow in ``save_formset``.
            stored = Activity.objects.get(pk=obj.pk)
            catalogue.activity_update(
                activity=stored,
                by=request.user,
                programme=form.cleaned_data.get("programme"),
                themes=form.cleaned_data.get("themes"),
                trainers=form.cleaned_data.get("trainers"),
                **values,
            )
        else:
            values.pop("title", None)
            created = catalogue.activity_create(
                by=request.user,
                programme=form.cleaned_data["programme"],
                title=form.cleaned_data["title"],
                themes=form.cleaned_data.get("themes") or (),
                trainers=form.cleaned_data.get("trainers") or (),
                **values,
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def save_related(
        self, request: HttpRequest, form: ModelForm[Activity], formsets: Any, change: bool
    ) -> None:
        # Themes and trainers were saved by the catalogue; the sessions go through it too.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Activity],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        activity = Activity.objects.get(pk=form.instance.pk)
        # The admin's own change message reads these; the audit log names the sessions.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        edits: list[SessionEdit] = []
        for session_form in formset.forms:
            if not session_form.has_changed() and session_form.instance.pk is None:
                continue
            stored = (
                Session.objects.get(pk=session_form.instance.pk)
                if session_form.instance.pk
                else None
            )
            if formset.can_delete and session_form.cleaned_data.get("DELETE"):
                if stored is not None:
                    edits.append(SessionEdit(session=stored, remove=True))
                continue
            values = {
                name: session_form.cleaned_data[name]
                for name in SESSION_FIELDS
                if name in session_form.cleaned_data
            }
            edits.append(SessionEdit(session=stored, values=values))
        if not edits:
            return
        try:
            catalogue.activity_update(activity=activity, by=request.user, sessions=edits)
        except KaynakError as exc:
            # Nothing of the sessions was changed (the catalogue's transaction rolled back).
            self.message_user(request, str(exc.message), messages.ERROR)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Activity]) -> None:
        published = 0
        for activity in queryset.filter(status=ActivityStatus.DRAFT):
            try:
                catalogue.activity_publish(activity=activity, by=request.user)
            except KaynakError as exc:
                self.message_user(request, f"{activity}: {exc.message}", messages.ERROR)
            else:
                published += 1
        self.message_user(
            request, _("Published: %(count)d.") % {"count": published}, messages.SUCCESS
        )


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyMixin, FoldedSearchAdmin, AuditHistoryAdmin):
    """Read here; added, moved and cancelled on the activity's staff page (with a reason)."""

    folded_search_field = "person__search_text"
    search_fields = ["=code", "email"]
    list_display = ["person", "activity", "organisation", "status", "created_at", "walk_in"]
    list_filter = ["status", "walk_in", "language"]
    list_select_related = ["person", "activity", "organisation"]
    raw_id_fields = ["activity", "person", "organisation", "added_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyMixin, admin.ModelAdmin[Attendance]):
    list_display = ["registration", "session", "method", "marked_at", "marked_by"]
    list_filter = ["method"]
    list_select_related = ["registration__person", "registration__activity", "session", "marked_by"]
    raw_id_fields = ["registration", "session", "marked_by"]
    date_hierarchy = "marked_at"
    show_full_result_count = False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyMixin, AuditHistoryAdmin):
    list_display = ["code", "holder_name", "activity_title", "issued_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["=code", "holder_name", "activity_title"]
    raw_id_fields = ["registration", "issued_by", "replaced_by"]
    date_hierarchy = "issued_at"


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(ReadOnlyMixin, admin.ModelAdmin[FeedbackResponse]):
    list_display = ["activity", "content", "trainer", "organisation", "submitted_at"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity", "registration"]
    date_hierarchy = "submitted_at"

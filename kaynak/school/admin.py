"""The school in the admin: read and search; changes go through the staff pages (services)."""

from __future__ import annotations

from django.contrib import admin

from kaynak.programmes.admin import ReadOnlyMixin
from kaynak.school.models import Cohort, CohortModule, Graduation, Participant


@admin.register(Cohort)
class CohortAdmin(ReadOnlyMixin, admin.ModelAdmin[Cohort]):
    list_display = ["name", "year", "status", "required_modules", "call"]
    search_fields = ["name", "slug"]


@admin.register(CohortModule)
class CohortModuleAdmin(ReadOnlyMixin, admin.ModelAdmin[CohortModule]):
    list_display = ["cohort", "position", "activity"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyMixin, admin.ModelAdmin[Participant]):
    list_display = ["person", "organisation", "cohort", "status", "enrolled_at"]
    list_filter = ["status", "cohort"]
    search_fields = ["person__full_name", "organisation__name"]


@admin.register(Graduation)
class GraduationAdmin(ReadOnlyMixin, admin.ModelAdmin[Graduation]):
    list_display = ["code", "holder_name", "cohort_name", "issued_at", "revoked_at"]
    search_fields = ["code", "holder_name"]

"""The admin shows indicators and values read-only: the staff pages and services change them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kaynak.impact.models import Indicator, ManualValue


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_tr", "method", "measure", "level", "active"]
    list_filter = ["method", "level", "active"]


@admin.register(ManualValue)
class ManualValueAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "period_start", "period_end", "value", "status"]
    list_filter = ["status"]

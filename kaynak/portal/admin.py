from django.contrib import admin

from kaynak.core.admin import AuditHistoryAdmin
from kaynak.portal.models import CenterSettings


@admin.register(CenterSettings)
class CenterSettingsAdmin(AuditHistoryAdmin):
    list_display = ["name_tr", "email", "updated_at"]

    def has_add_permission(self, request: object) -> bool:
        return not CenterSettings.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

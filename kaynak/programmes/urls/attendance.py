"""URLs: attendance pages of trainings and events (staff: roll call, QR check-in, sheets)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.programmes.views import attendance as views

urlpatterns: list[URLPattern] = [
    path(
        _("staff/sessions/<int:session_id>/roll-call/"),
        views.roll_call_page,
        name="staff-roll-call",
    ),
    path(
        _("staff/sessions/<int:session_id>/roll-call/<int:registration_id>/"),
        views.roll_call_mark,
        name="staff-roll-call-mark",
    ),
    path(
        _("staff/sessions/<int:session_id>/check-in/"),
        views.check_in_page,
        name="staff-check-in",
    ),
    path(
        _("staff/sessions/<int:session_id>/attendance-sheets/"),
        views.sheet_upload,
        name="staff-attendance-sheets",
    ),
    path(
        _("staff/attendance-sheets/<int:sheet_id>/"),
        views.sheet_page,
        name="staff-attendance-sheet",
    ),
    path(
        _("staff/attendance-sheets/<int:sheet_id>/apply/"),
        views.sheet_apply,
        name="staff-attendance-sheet-apply",
    ),
    path(
        _("staff/attendance-sheets/<int:sheet_id>/file/"),
        views.sheet_file,
        name="staff-attendance-sheet-file",
    ),
]

"""URLs: staff pages of trainings and events (names start with "staff-")."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.programmes.views import staff

urlpatterns: list[URLPattern] = [
    path(_("staff/"), staff.dashboard, name="staff-dashboard"),
    path(_("staff/all/"), staff.activity_list, name="staff-activities"),
    path(_("staff/new/"), staff.activity_new, name="staff-activity-new"),
    path(_("staff/<int:pk>/"), staff.activity_page, name="staff-activity"),
    path(_("staff/<int:pk>/edit/"), staff.activity_edit, name="staff-activity-edit"),
    path(_("staff/<int:pk>/publish/"), staff.activity_publish, name="staff-activity-publish"),
    path(_("staff/<int:pk>/cancel/"), staff.activity_cancel, name="staff-activity-cancel"),
    path(_("staff/<int:pk>/copy/"), staff.activity_copy, name="staff-activity-copy"),
    path(_("staff/<int:pk>/seats/"), staff.activity_capacity, name="staff-activity-capacity"),
    path(
        _("staff/<int:pk>/registrations/add/"),
        staff.registration_add,
        name="staff-registration-add",
    ),
    path(
        _("staff/<int:pk>/registrations/search/"),
        staff.registrant_search,
        name="staff-registrant-search",
    ),
    path(
        _("staff/registrations/<int:pk>/cancel/"),
        staff.registration_cancel,
        name="staff-registration-cancel",
    ),
    path(
        _("staff/<int:pk>/participants.csv"),
        staff.participants_csv,
        name="staff-participants-csv",
    ),
    path(
        _("staff/<int:pk>/participants.xlsx"),
        staff.participants_xlsx,
        name="staff-participants-xlsx",
    ),
    path(_("staff/<int:pk>/sign-in-sheet.pdf"), staff.signin_sheet, name="staff-signin-sheet"),
]

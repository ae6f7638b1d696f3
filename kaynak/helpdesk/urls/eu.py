"""The EU Support Unit's pages: the projects registry (staff) and the public list of supported
projects."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.helpdesk.views import eu as views

urlpatterns: list[URLPattern] = [
    path(_("eu-projects/"), views.public_projects, name="eu-projects"),
    path(_("staff/eu-projects/"), views.staff_projects, name="staff-eu-projects"),
    path(
        _("staff/eu-projects/export/"),
        views.staff_projects_export,
        name="staff-eu-projects-export",
    ),
    path(_("staff/eu-projects/new/"), views.staff_project_new, name="staff-eu-project-new"),
    path(_("staff/eu-projects/<int:pk>/"), views.staff_project, name="staff-eu-project"),
    path(
        _("staff/eu-projects/<int:pk>/edit/"),
        views.staff_project_edit,
        name="staff-eu-project-edit",
    ),
    path(
        _("staff/eu-projects/<int:pk>/requests/"),
        views.staff_project_link,
        name="staff-eu-project-link",
    ),
    path(
        _("staff/eu-projects/<int:pk>/requests/<int:link>/unlink/"),
        views.staff_project_unlink,
        name="staff-eu-project-unlink",
    ),
    path(
        _("staff/eu-projects/<int:pk>/meetings/new/"),
        views.staff_meeting_new,
        name="staff-eu-meeting-new",
    ),
    path(
        _("staff/eu-projects/<int:pk>/meetings/<int:meeting>/"),
        views.staff_meeting_edit,
        name="staff-eu-meeting-edit",
    ),
    path(
        _("staff/eu-projects/<int:pk>/meetings/<int:meeting>/delete/"),
        views.staff_meeting_delete,
        name="staff-eu-meeting-delete",
    ),
]

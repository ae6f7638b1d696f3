"""The support desk's staff pages: the agents' inbox, a request's page and its actions, a
request logged from a call, the quarantine; and the attachment download (agents and the
requester alike)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.helpdesk.views import staff, staff_intake

urlpatterns: list[URLPattern] = [
    path(_("staff/"), staff.inbox, name="staff-inbox"),
    path(_("staff/requests/new/"), staff_intake.new_request, name="staff-request-new"),
    path(_("staff/requests/<str:token>/"), staff.request_detail, name="staff-request"),
    path(_("staff/requests/<str:token>/compose/"), staff.compose, name="staff-request-compose"),
    path(_("staff/requests/<str:token>/articles/"), staff.articles, name="staff-request-articles"),
    path(
        _("staff/requests/<str:token>/<slug:action>/"),
        staff.request_action,
        name="staff-request-action",
    ),
    path(_("staff/quarantine/"), staff_intake.quarantine, name="staff-quarantine"),
    path(
        _("staff/quarantine/<int:pk>/"),
        staff_intake.quarantined_mail,
        name="staff-quarantined-mail",
    ),
    path(_("attachments/<int:pk>/"), staff_intake.attachment, name="attachment"),
]

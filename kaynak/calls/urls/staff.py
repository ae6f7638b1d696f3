"""URLs: staff pages that build calls (names start with "staff-"; the applications, rubric,
reviewers, ranking and decisions below a call are the review area's)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.calls.views import staff

urlpatterns: list[URLPattern] = [
    path(_("staff/"), staff.call_list, name="staff"),
    path(_("staff/new/"), staff.call_new, name="staff-new"),
    path(_("staff/call/<slug:slug>/"), staff.call_page, name="staff-call"),
    path(_("staff/call/<slug:slug>/settings/"), staff.call_settings, name="staff-call-settings"),
    path(_("staff/call/<slug:slug>/publish/"), staff.call_publish, name="staff-call-publish"),
    path(_("staff/call/<slug:slug>/unpublish/"), staff.call_unpublish, name="staff-call-unpublish"),
    path(_("staff/call/<slug:slug>/copy/"), staff.call_copy, name="staff-call-copy"),
    path(_("staff/call/<slug:slug>/preview/"), staff.call_preview, name="staff-call-preview"),
    path(_("staff/call/<slug:slug>/questions/new/"), staff.question_new, name="staff-question-new"),
    path(
        _("staff/call/<slug:slug>/questions/<int:pk>/"),
        staff.question_edit,
        name="staff-question",
    ),
    path(
        _("staff/call/<slug:slug>/questions/<int:pk>/delete/"),
        staff.question_delete,
        name="staff-question-delete",
    ),
    path(
        _("staff/call/<slug:slug>/questions/<int:pk>/move/"),
        staff.question_move,
        name="staff-question-move",
    ),
]

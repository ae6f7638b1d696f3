"""Coaching engagements: the staff list, rounds and opening one; an engagement's page, its plan
(edited inline), sessions and exports; "my engagements"."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.coaching.views import engagements as views

urlpatterns: list[URLPattern] = [
    path(_("staff/"), views.staff_list, name="staff"),
    path(_("staff/engagements.xlsx"), views.staff_xlsx, name="staff-xlsx"),
    path(_("staff/rounds/"), views.staff_rounds, name="staff-rounds"),
    path(_("staff/new/"), views.staff_new, name="staff-new"),
    path(pgettext_lazy("coaching", "my/"), views.mine, name="mine"),
    path(_("engagements/<str:code>/"), views.engagement_page, name="engagement"),
    path(_("engagements/<str:code>/edit/"), views.engagement_edit, name="engagement-edit"),
    path(_("engagements/<str:code>/plan.pdf"), views.plan_pdf, name="plan-pdf"),
    path(_("engagements/<str:code>/plan.xlsx"), views.plan_xlsx, name="plan-xlsx"),
    path(_("engagements/<str:code>/actions/"), views.action_new, name="action-new"),
    path(_("engagements/<str:code>/actions/<int:pk>/"), views.action_edit, name="action-edit"),
    path(
        _("engagements/<str:code>/actions/<int:pk>/delete/"),
        views.action_delete,
        name="action-delete",
    ),
    path(_("engagements/<str:code>/sessions/new/"), views.session_form, name="session-new"),
    path(_("engagements/<str:code>/sessions/<int:pk>/"), views.session_form, name="session-edit"),
    path(
        _("engagements/<str:code>/sessions/<int:pk>/delete/"),
        views.session_delete,
        name="session-delete",
    ),
]

"""The NGO–academia programme's URLs (/akademi/, English /en/academia/). Staff and member pages
first: their fixed first segments are never taken for a partnership's address (the services
keep those words out of partnership addresses)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.coaching.views import academia as views

app_name = "academia"
urlpatterns: list[URLPattern] = [
    # Staff
    path(_("staff/"), views.staff_list, name="staff"),
    path(_("staff/partnerships.xlsx"), views.staff_xlsx, name="staff-xlsx"),
    path(_("staff/academics/"), views.staff_academics, name="staff-academics"),
    path(_("staff/academics/<int:pk>/"), views.staff_academic, name="staff-academic"),
    path(_("staff/requests/"), views.staff_requests, name="staff-requests"),
    path(_("staff/requests/<int:pk>/close/"), views.request_close, name="staff-request-close"),
    path(_("staff/matching/"), views.matching_page, name="matching"),
    path(_("staff/matching/<int:pk>/"), views.matching_confirm, name="matching-confirm"),
    path(_("staff/partnerships/<slug:slug>/"), views.staff_partnership, name="staff-partnership"),
    path(_("staff/partnerships/<slug:slug>/public/"), views.staff_public, name="staff-public"),
    path(_("staff/partnerships/<slug:slug>/activities/"), views.activity_add, name="activity-add"),
    path(
        _("staff/partnerships/<slug:slug>/activities/<int:pk>/"),
        views.activity_edit,
        name="activity-edit",
    ),
    path(
        _("staff/partnerships/<slug:slug>/activities/<int:pk>/delete/"),
        views.activity_delete,
        name="activity-delete",
    ),
    path(_("staff/partnerships/<slug:slug>/outputs/"), views.output_add, name="output-add"),
    path(
        _("staff/partnerships/<slug:slug>/outputs/<int:pk>/delete/"),
        views.output_delete,
        name="output-delete",
    ),
    # Members
    path(pgettext_lazy("academia", "my/"), views.mine, name="mine"),
    path(pgettext_lazy("academia", "my/<slug:slug>/"), views.my_partnership, name="my-partnership"),
    # Public
    path("", views.public_list, name="list"),
    path("<slug:slug>/", views.public_partnership, name="partnership"),
]

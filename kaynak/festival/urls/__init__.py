"""The festival's URLs (under /festival/, English /en/festival/). Staff pages first: their fixed
first segment is never taken for a festival's address."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.festival.views import public, staff

app_name = "festival"
urlpatterns: list[URLPattern] = [
    # Staff
    path(_("staff/"), staff.festival_list, name="staff"),
    path(_("staff/new/"), staff.festival_new, name="staff-new"),
    path(_("staff/<slug:slug>/"), staff.festival_page, name="staff-festival"),
    path(_("staff/<slug:slug>/settings/"), staff.festival_settings, name="staff-settings"),
    path(_("staff/<slug:slug>/publish/"), staff.festival_publish, name="staff-publish"),
    path(_("staff/<slug:slug>/venues/"), staff.venue_add, name="staff-venue-add"),
    path(_("staff/<slug:slug>/venues/<int:pk>/"), staff.venue_edit, name="staff-venue-edit"),
    path(_("staff/<slug:slug>/sessions/<int:pk>/schedule/"), staff.schedule, name="staff-schedule"),
    path(
        _("staff/<slug:slug>/sessions/<int:pk>/unschedule/"),
        staff.unschedule,
        name="staff-unschedule",
    ),
    path(_("staff/<slug:slug>/sessions/<int:pk>/cancel/"), staff.cancel, name="staff-cancel"),
    path(_("staff/<slug:slug>/sessions/<int:pk>/held/"), staff.mark_held, name="staff-held"),
    path(
        _("staff/<slug:slug>/organisations/"),
        staff.participations,
        name="staff-participations",
    ),
    path(
        _("staff/<slug:slug>/organisations/<int:organisation_id>/"),
        staff.participation_add,
        name="staff-participation-add",
    ),
    path("staff/<slug:slug>/badges.pdf", staff.badges_pdf, name="staff-badges"),
    path(_("staff/<slug:slug>/check-in/"), staff.check_in_page, name="staff-check-in"),
    path(
        _("staff/<slug:slug>/check-in/<str:code>/"),
        staff.check_in_code,
        name="staff-check-in-code",
    ),
    path(
        _("staff/<slug:slug>/check-in/<str:code>/undo/"),
        staff.check_in_undo,
        name="staff-check-in-undo",
    ),
    # Public
    path("", public.festival_list, name="list"),
    path("<slug:slug>/", public.festival_page, name="festival"),
    path(_("<slug:slug>/programme/"), public.programme, name="programme"),
    path("<slug:slug>/programme.ics", public.programme_calendar, name="calendar"),
    path(_("<slug:slug>/sessions/<int:pk>/"), public.session_page, name="session"),
    path("<slug:slug>/sessions/<int:pk>.ics", public.session_calendar, name="session-calendar"),
    path(_("<slug:slug>/organisations/"), public.organisations, name="organisations"),
    path("<slug:slug>/booklet.pdf", public.booklet, name="booklet"),
    path(_("<slug:slug>/my-badge/"), public.my_badge, name="my-badge"),
    path(_("<slug:slug>/take-part/"), public.take_part, name="take-part"),
]

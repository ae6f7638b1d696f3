"""URLs: public pages of trainings and events (under /etkinlikler/, /en/activities/).

Every page here has a fixed first segment, so no address of the staff, attendance or
certificate pages (concatenated after these) can be taken for an activity's slug.
"""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.programmes import feeds
from kaynak.programmes.views import public

urlpatterns: list[URLPattern] = [
    path("", public.upcoming, name="list"),
    path(_("activity/<slug:slug>/"), public.activity_detail, name="activity"),
    path(_("activity/<slug:slug>/register/"), public.register, name="register"),
    path(
        _("activity/<slug:slug>/register/organisations/"),
        public.organisation_candidates,
        name="organisation-candidates",
    ),
    path(_("registration/<str:token>/"), public.registration_page, name="registration"),
    path(
        _("registration/<str:token>/cancel/"),
        public.registration_cancel,
        name="registration-cancel",
    ),
    path(
        _("registration/<str:token>/accept/"),
        public.registration_accept,
        name="registration-accept",
    ),
    path(
        "registration/<str:token>/calendar.ics",
        public.registration_calendar,
        name="registration-calendar",
    ),
    path(_("my-trainings/"), public.mine, name="mine"),
    path(_("my-trainings/calendar/"), public.mine_calendar, name="mine-calendar"),
    path("calendar/<slug:key>.ics", public.person_calendar, name="person-calendar"),
    path(_("programme/<slug:slug>/"), public.programme_detail, name="programme"),
    path(
        "programme/<slug:slug>/calendar.ics",
        public.programme_calendar,
        name="programme-calendar",
    ),
    path(_("recordings/"), public.recordings, name="recordings"),
    path("rss/", feeds.rss, name="rss"),
]

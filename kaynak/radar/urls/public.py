"""The radar's public pages (under /fonlar/, /en/funding/): the listing, a call, the feeds.

Names other parts of the radar link to: ``radar:list`` (takes ``SearchFilters`` GET
parameters) and ``radar:opportunity`` (a published call's page, by id).
"""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.radar import feeds
from kaynak.radar.views import public

urlpatterns: list[URLPattern] = [
    path("", public.listing, name="list"),
    path(_("call/<int:pk>/"), public.detail, name="opportunity"),
    path(_("call/<int:pk>/deadlines.ics"), feeds.call_calendar, name="call-ical"),
    path("rss/", feeds.rss, name="rss"),
    path("deadlines.ics", feeds.calendar, name="ical"),
]

"""URLs: the public pages of calls (the list, one call)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.calls.views import public

urlpatterns: list[URLPattern] = [
    path("", public.call_list, name="list"),
    path(_("call/<slug:slug>/"), public.call_page, name="call"),
]

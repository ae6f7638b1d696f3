"""The support desk's public pages."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.helpdesk.views import public as views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path(_("suggestions/"), views.suggest, name="suggest"),
    path(_("sent/<str:token>/"), views.sent, name="sent"),
    path(_("satisfaction/<str:token>/"), views.satisfaction, name="satisfaction"),
]

"""The radar's alerts pages: saving a search, confirming it, managing and stopping searches,
"not relevant" (the links of the weekly digest)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.radar.views import alerts

urlpatterns: list[URLPattern] = [
    path(_("alerts/save/"), alerts.subscribe, name="subscribe"),
    path(_("alerts/"), alerts.my_searches, name="my-searches"),
    path(_("alerts/<int:pk>/"), alerts.my_search_update, name="my-search-update"),
    path(_("alerts/confirm/<str:token>/"), alerts.confirm, name="confirm-search"),
    path(_("alerts/manage/<str:token>/"), alerts.manage, name="manage-searches"),
    path(_("alerts/manage/<str:token>/stop/"), alerts.unsubscribe, name="unsubscribe"),
    path(_("alerts/manage/<str:token>/stop-all/"), alerts.unsubscribe_all, name="unsubscribe-all"),
    path(_("alerts/not-relevant/<str:token>/"), alerts.not_relevant, name="not-relevant"),
]

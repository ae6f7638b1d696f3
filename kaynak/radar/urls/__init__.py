"""The radar's URLs, one module per area (each owns its ``urlpatterns``; staff names start with
``staff-``)."""

from kaynak.radar.urls import alerts, public, staff, tracking

app_name = "radar"
urlpatterns = [
    *public.urlpatterns,
    *staff.urlpatterns,
    *alerts.urlpatterns,
    *tracking.urlpatterns,
]

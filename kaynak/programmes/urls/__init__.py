"""The programmes' URLs, one module per area (each owns its ``urlpatterns``)."""

from kaynak.programmes.urls import attendance, certificates, public, staff

app_name = "programmes"
urlpatterns = [
    *public.urlpatterns,
    *staff.urlpatterns,
    *attendance.urlpatterns,
    *certificates.urlpatterns,
]

"""The support desk's URLs, one module per area (staff names start with ``staff-``)."""

from kaynak.helpdesk.urls import eu, public, reports, staff

app_name = "helpdesk"
urlpatterns = [*public.urlpatterns, *staff.urlpatterns, *eu.urlpatterns, *reports.urlpatterns]

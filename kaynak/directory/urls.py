from kaynak.directory.views import duplicates, imports, mine, public, staff

app_name = "directory"

urlpatterns = [
    *public.urlpatterns,
    *mine.urlpatterns,
    *staff.urlpatterns,
    *duplicates.urlpatterns,
    *imports.urlpatterns,
]

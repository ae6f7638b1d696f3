from kaynak.directory.views import duplicates, imports, mine, person_duplicates, public, staff

app_name = "directory"

urlpatterns = [
    *public.urlpatterns,
    *mine.urlpatterns,
    *staff.urlpatterns,
    *duplicates.urlpatterns,
    *person_duplicates.urlpatterns,
    *imports.urlpatterns,
]

"""The school app's URLs, one module per area (each owns its ``urlpatterns``)."""

app_name = "school"
urlpatterns: list[object] = []

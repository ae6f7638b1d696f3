"""The festival app's URLs, one module per area (each owns its ``urlpatterns``)."""

app_name = "festival"
urlpatterns: list[object] = []

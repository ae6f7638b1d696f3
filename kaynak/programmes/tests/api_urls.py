"""The site's URLs with the programmes' API router mounted, for the API tests: the router is
mounted in ``kaynak/api/urls.py`` by the lead, and these tests must not wait for it.

An API of its own (its own namespace, the site's error format) is tried before the site's URLs;
every other address falls through to them unchanged.
"""

from typing import Any

from django.urls import path
from ninja import NinjaAPI

from kaynak.api.errors import install_error_handlers
from kaynak.programmes.api import router
from kaynak.urls import urlpatterns as site_urlpatterns

api = NinjaAPI(
    title="Kaynak API (programmes tests)",
    version="1-programmes-tests",
    urls_namespace="programmes-api-tests",
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/v1/", router)

urlpatterns: list[Any] = [path("api/", api.urls), *site_urlpatterns]

handler404 = "kaynak.portal.views.page_not_found"
handler500 = "kaynak.portal.views.server_error"

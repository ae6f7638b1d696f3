"""The REST API: ``/api/v1/…``, OpenAPI documentation at ``/api/docs``.

Each app contributes a router from its own ``api.py``; this module only assembles them.
"""

from __future__ import annotations

from ninja import NinjaAPI

from kaynak.api.errors import install_error_handlers
from kaynak.api.routers import me_router
from kaynak.calls.api import router as calls_router
from kaynak.coaching.api import router as coaching_router
from kaynak.core.api import router as core_router
from kaynak.directory.api import router as directory_router
from kaynak.festival.api import router as festival_router
from kaynak.helpdesk.api import router as helpdesk_router
from kaynak.impact.api import router as impact_router
from kaynak.library.api import router as library_router
from kaynak.programmes.api import router as programmes_router
from kaynak.radar.api import router as radar_router

api = NinjaAPI(
    title="Kaynak API",
    version="1",
    description=(
        "The API of a Kaynak resource center. Public reference data needs no authentication; "
        "staff authenticate with a personal token (`Authorization: Bearer <token>`) created "
        "on the staff pages."
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/v1/", core_router)
api.add_router("/v1/", me_router)
api.add_router("/v1/", directory_router)
api.add_router("/v1/", programmes_router)
api.add_router("/v1/", radar_router)
api.add_router("/v1/", calls_router)
api.add_router("/v1/", festival_router)
api.add_router("/v1/", library_router)
api.add_router("/v1/", helpdesk_router)
api.add_router("/v1/", coaching_router)
api.add_router("/v1/", impact_router)

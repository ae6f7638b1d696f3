"""The calls' API: calls (public) from ``api_calls``, applications (the applicant's own; staff
all) from ``api_applications``."""

from ninja import Router

from kaynak.calls.api_applications import router as applications_router
from kaynak.calls.api_calls import router as calls_router

router = Router()
router.add_router("", calls_router)
router.add_router("", applications_router)

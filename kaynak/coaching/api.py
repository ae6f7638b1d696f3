"""The coaching app's API: assessments and engagements (staff, and the NGO's own), partnerships
(the public subset; all for staff)."""

from ninja import Router

from kaynak.coaching.api_assessments import router as assessments_router
from kaynak.coaching.api_engagements import router as engagements_router
from kaynak.coaching.api_partnerships import router as partnerships_router

router = Router()
router.add_router("", assessments_router)
router.add_router("", engagements_router)
router.add_router("", partnerships_router)

"""Coaching in the admin: instruments and assessments (``admin_assess``), engagements
(``admin_engagements``), academia (``admin_academia``)."""

from kaynak.coaching import admin_academia, admin_assess, admin_engagements  # noqa: F401

"""The coaching panel on an organisation's page (staff directory and "My organisation"): its
coaching engagements and capacity assessments, for those who may see them
(``coaching.view_assessments`` on the organisation: staff, its NGO admins, its coach)."""

from __future__ import annotations

PANEL_TEMPLATE = "coaching/engagements/organisation_panel.html"


def register_panels() -> None:
    """Show an organisation's coaching on its page; call from ``CoachingConfig.ready``."""
    from kaynak.directory.panels import register_organisation_panel

    register_organisation_panel(PANEL_TEMPLATE)

"""Who may do what with the funding radar: predicates behind ``kaynak.core.permissions.can``.

Radar editors run sources and scans and review, publish or reject calls; M&E officers see which
calls organisations shared with the center and their outcomes. Center admins may do all of it.
An organisation's admins keep its pipeline of tracked calls.
"""

from __future__ import annotations

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role
from kaynak.directory.rules import is_organisation_admin

# has_role always admits center admins.
is_radar_editor = has_role(Role.RADAR_EDITOR)
can_view_outcomes = has_role(Role.RADAR_EDITOR, Role.ME_OFFICER)

rules.add_perm("radar.view_staff", is_radar_editor)
rules.add_perm("radar.manage_sources", is_radar_editor)
rules.add_perm("radar.scan_sources", is_radar_editor)
rules.add_perm("radar.review_opportunities", is_radar_editor)
rules.add_perm("radar.export_corrections", is_radar_editor)
rules.add_perm("radar.view_funding_outcomes", can_view_outcomes)
# The object is an Organisation.
rules.add_perm("radar.track_opportunities", is_organisation_admin)

"""Who may do what with trainings and events: predicates behind ``kaynak.core.permissions.can``.

Programme coordinators run activities (registrations, attendance, certificates, feedback);
M&E officers read everything (exports, feedback results); center admins may do all of it.
Registrants act on their own registration through signed links or their account.
"""

from __future__ import annotations

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role

# has_role always admits center admins.
can_run_activities = has_role(Role.PROGRAMME_COORDINATOR)
can_view_activities = has_role(Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER)

rules.add_perm("programmes.view_staff", can_view_activities)
rules.add_perm("programmes.manage_activity", can_run_activities)
rules.add_perm("programmes.manage_registrations", can_run_activities)
rules.add_perm("programmes.mark_attendance", can_run_activities)
rules.add_perm("programmes.manage_certificates", can_run_activities)
rules.add_perm("programmes.view_feedback", can_view_activities)
rules.add_perm("programmes.export_participants", can_view_activities)

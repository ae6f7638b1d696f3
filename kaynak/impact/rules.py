"""Who may do what with indicators (see ``kaynak.core.permissions.can``).

Center admins may do everything (``has_role`` adds them).
"""

from __future__ import annotations

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role, is_center_staff

# The results framework is the M&E officer's; programme coordinators read it to plan.
can_view_indicators = has_role(Role.ME_OFFICER, Role.PROGRAMME_COORDINATOR)
can_manage_indicators = has_role(Role.ME_OFFICER)
# Whoever ran the work may report its figure (publications, events outside Kaynak …) …
can_enter_values = is_center_staff
# … and an M&E officer approves it before it counts.
can_approve_values = has_role(Role.ME_OFFICER)

rules.add_perm("impact.view_indicators", can_view_indicators)
rules.add_perm("impact.manage_indicators", can_manage_indicators)
rules.add_perm("impact.enter_values", can_enter_values)
rules.add_perm("impact.approve_values", can_approve_values)

# Donor reports go to the donor under the center's name: the M&E officer writes and finishes
# them; whoever may read the indicators may read and download them.
can_manage_reports = has_role(Role.ME_OFFICER)
rules.add_perm("impact.manage_reports", can_manage_reports)

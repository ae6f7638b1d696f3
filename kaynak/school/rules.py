"""Who may do what with the civil-society school's cohorts."""

from __future__ import annotations

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role

# has_role always admits center admins.
can_run_school = has_role(Role.PROGRAMME_COORDINATOR)
can_view_school = has_role(Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER)

rules.add_perm("school.view_cohorts", can_view_school)
rules.add_perm("school.manage_cohorts", can_run_school)

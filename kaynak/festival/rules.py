"""Who may do what with festivals."""

from __future__ import annotations

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role

# has_role always admits center admins.
can_run_festival = has_role(Role.PROGRAMME_COORDINATOR)
can_view_festival = has_role(Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER)

rules.add_perm("festival.view_staff", can_view_festival)
rules.add_perm("festival.manage_festival", can_run_festival)
rules.add_perm("festival.check_in", can_run_festival)

"""Who may do what in the ledger (see ``kaynak.core.permissions.can``)."""

from __future__ import annotations

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role

# Reach figures name the organisations and people behind them: for the staff who report on
# them (M&E officers) and plan with them (programme coordinators); center admins as always.
can_view_reach = has_role(Role.ME_OFFICER, Role.PROGRAMME_COORDINATOR)

rules.add_perm("ledger.view_reach", can_view_reach)

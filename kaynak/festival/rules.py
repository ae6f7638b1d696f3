"""Who may do what with festivals."""

from __future__ import annotations

from typing import Any

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role

# has_role always admits center admins.
can_run_festival = has_role(Role.PROGRAMME_COORDINATOR)
can_view_festival = has_role(Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER)

rules.add_perm("festival.view_staff", can_view_festival)
rules.add_perm("festival.manage_festival", can_run_festival)
rules.add_perm("festival.check_in", can_run_festival)


@rules.predicate
def is_affiliated(user: Any, organisation: Any) -> bool:
    """The member currently belongs to the organisation (through their person)."""
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    from kaynak.directory.models import Affiliation

    return Affiliation.objects.filter(
        person__user=user, organisation=organisation, end_date__isnull=True
    ).exists()


# Staff register any organisation; a member registers an organisation they belong to.
rules.add_perm("festival.register_organisation", can_run_festival | is_affiliated)

"""Who may do what in the directory: predicates behind ``kaynak.core.permissions.can``.

Staff see and manage the whole directory by role; an NGO admin (a current affiliation with
``is_admin``) changes their own organisation's record; any member may register an organisation.
"""

from __future__ import annotations

from typing import Any

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role, is_center_admin, is_member
from kaynak.directory.models import Affiliation, Organisation

# Support agents answer questions about organisations, so they see the directory, but only
# the programme and M&E staff (and center admins) change, import, merge or export it.
can_view_staff_directory = has_role(Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER, Role.SUPPORT_AGENT)
can_manage_directory = has_role(Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER)


@rules.predicate
def is_organisation_admin(user: Any, organisation: Organisation | None) -> bool:
    """The user acts for ``organisation``: a current affiliation with admin rights."""
    if organisation is None or not (user.is_authenticated and user.is_active):
        return False
    return Affiliation.objects.filter(
        organisation=organisation,
        person__user=user,
        person__erased_at__isnull=True,
        is_admin=True,
        end_date__isnull=True,
    ).exists()


rules.add_perm("directory.view_staff_directory", can_view_staff_directory)
rules.add_perm("directory.export_organisations", can_manage_directory)
rules.add_perm("directory.import_organisations", can_manage_directory)
rules.add_perm("directory.merge_organisations", can_manage_directory)
rules.add_perm("directory.change_organisation", can_manage_directory | is_organisation_admin)
rules.add_perm("directory.view_person", can_view_staff_directory)
# Comparing two people shows their personal data: only those who may see people merge them.
rules.add_perm("directory.merge_people", can_manage_directory & can_view_staff_directory)
rules.add_perm("directory.export_person_data", can_manage_directory)
rules.add_perm("directory.erase_person", is_center_admin)
rules.add_perm("directory.register_organisation", is_member)

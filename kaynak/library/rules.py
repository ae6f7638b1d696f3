"""Who may do what with the library: support agents and programme coordinators (and center
admins) edit resources and news in the admin; everyone reads what is published."""

from __future__ import annotations

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role

# has_role always admits center admins.
is_library_editor = has_role(Role.SUPPORT_AGENT, Role.PROGRAMME_COORDINATOR)

rules.add_perm("library.edit_resources", is_library_editor)

"""Who may do what: predicates behind ``kaynak.core.permissions.can``.

Actions are named ``<app>.<verb>_<thing>``. Center admins may do everything staff may do.
"""

from __future__ import annotations

from typing import Any

import rules

from kaynak.accounts.models import Role


def has_role(*roles: Role) -> Any:
    wanted = {role.value for role in roles} | {Role.CENTER_ADMIN.value}

    @rules.predicate(name=f"has_role:{'|'.join(sorted(wanted))}")
    def predicate(user: Any) -> bool:
        return bool(user.is_authenticated and user.is_active and wanted & user.staff_roles)

    return predicate


is_center_admin = has_role(Role.CENTER_ADMIN)
# Reviewers and coaches (who may come from outside the center) see only the applications or
# the engagements given to them.
OUTSIDE_ROLES = {Role.REVIEWER, Role.COACH}
is_center_staff = has_role(*(role for role in Role if role not in OUTSIDE_ROLES))
is_reviewer = has_role(Role.REVIEWER)
is_coach = has_role(Role.COACH)
is_member = rules.is_authenticated & rules.is_active

rules.add_perm("accounts.manage_staff", is_center_admin)
rules.add_perm("accounts.use_api_tokens", is_center_staff)
rules.add_perm("portal.change_center_settings", is_center_admin)
rules.add_perm("portal.view_staff_area", is_center_staff | is_reviewer | is_coach)
rules.add_perm("portal.use_admin", is_center_staff)
rules.add_perm("core.view_audit_log", is_center_admin)

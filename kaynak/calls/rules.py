"""Who may do what with calls and applications: predicates behind ``kaynak.core.permissions.can``.

Programme coordinators build calls, assign reviewers and decide; M&E officers read everything;
reviewers (the "reviewer" role, which may be given to people outside the center) see and score
only the applications assigned to them, and never one of an organisation they declared a
conflict with. Applicants act on their own applications through their account.
"""

from __future__ import annotations

from typing import Any

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role

# has_role always admits center admins.
can_run_calls = has_role(Role.PROGRAMME_COORDINATOR)
can_view_calls = has_role(Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER)
is_reviewer = has_role(Role.REVIEWER, Role.PROGRAMME_COORDINATOR)


@rules.predicate
def is_assigned_reviewer(user: Any, application: Any) -> bool:
    """The user is assigned to review this application (and declared no conflict with it)."""
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    if (
        application.organisation_id
        and application.call.conflicts.filter(
            reviewer=user, organisation_id=application.organisation_id
        ).exists()
    ):
        return False
    return bool(application.assignments.filter(reviewer=user).exists())


@rules.predicate
def is_own_application(user: Any, application: Any) -> bool:
    return (
        application is not None
        and getattr(user, "is_authenticated", False)
        and application.user_id == user.pk
    )


rules.add_perm("calls.view_staff", can_view_calls | is_reviewer)
rules.add_perm("calls.manage_calls", can_run_calls)
rules.add_perm("calls.view_applications", can_view_calls)
rules.add_perm("calls.export_applications", can_view_calls)
rules.add_perm("calls.decide", can_run_calls)
rules.add_perm("calls.assign_reviewers", can_run_calls)
rules.add_perm("calls.review_application", is_assigned_reviewer)
rules.add_perm("calls.view_application", can_view_calls | is_own_application | is_assigned_reviewer)
rules.add_perm("calls.edit_application", is_own_application)

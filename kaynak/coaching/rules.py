"""Who may do what with assessments, coaching engagements and partnerships.

- Programme coordinators (and center admins) run coaching and the academia programme; M&E
  officers see everything (read only).
- A coach (center staff, or an outside coach with the "coach" role) works on the engagements
  given to them: plan, sessions, the coach's assessments, private notes.
- An NGO admin (a current admin affiliation) assesses their organisation and sees its
  engagement, plan, shared notes and assessments; never the coach's private notes.
- An academic (a person with an academic profile and an account) sees their partnerships.
"""

from __future__ import annotations

from typing import Any

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role, is_member
from kaynak.directory.models import Organisation
from kaynak.directory.rules import is_organisation_admin

can_manage = has_role(Role.PROGRAMME_COORDINATOR)
can_view = has_role(Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER)
is_coach_role = has_role(Role.COACH)


def _organisation(target: Any) -> Organisation | None:
    if target is None or isinstance(target, Organisation):
        return target
    organisation = getattr(target, "organisation", None)
    if organisation is None and hasattr(target, "engagement"):
        organisation = target.engagement.organisation
    if organisation is None and hasattr(target, "partnership"):
        organisation = target.partnership.organisation
    return organisation


def _engagement(target: Any) -> Any:
    from kaynak.coaching.models import Engagement

    if isinstance(target, Engagement):
        return target
    return getattr(target, "engagement", None)


@rules.predicate
def is_their_coach(user: Any, target: Any) -> bool:
    """The user coaches the engagement (or the engagement of the assessment, action, session)."""
    engagement = _engagement(target)
    return bool(
        engagement is not None
        and user.is_authenticated
        and user.is_active
        and engagement.coach_id == user.pk
    )


@rules.predicate
def acts_for_organisation(user: Any, target: Any) -> bool:
    """The user is an NGO admin of the organisation the target belongs to."""
    return bool(is_organisation_admin(user, _organisation(target)))


@rules.predicate
def is_the_academic(user: Any, target: Any) -> bool:
    partnership = target if hasattr(target, "academic_id") else getattr(target, "partnership", None)
    if partnership is None or not (user.is_authenticated and user.is_active):
        return False
    return bool(partnership.academic.person.user_id == user.pk)


# Staff pages of the app (the list of engagements, rounds, instruments, matching …).
rules.add_perm("coaching.view_staff", can_view | is_coach_role)
rules.add_perm("coaching.manage_coaching", can_manage)
rules.add_perm("coaching.manage_instruments", can_manage)
rules.add_perm("coaching.export", can_view)
# Engagements: the coach works on theirs; the NGO sees its own.
rules.add_perm("coaching.view_engagement", can_view | is_their_coach | acts_for_organisation)
rules.add_perm("coaching.coach_engagement", can_manage | is_their_coach)
rules.add_perm("coaching.view_coach_notes", can_view | is_their_coach)
# Assessments: an organisation assesses itself; the coach (or staff) make the coach's one.
rules.add_perm("coaching.self_assess", acts_for_organisation)
rules.add_perm("coaching.view_assessments", can_view | is_their_coach | acts_for_organisation)
# Academia.
rules.add_perm("coaching.manage_partnerships", can_manage)
rules.add_perm("coaching.view_partnerships", can_view)
rules.add_perm("coaching.view_partnership", can_view | is_the_academic | acts_for_organisation)
rules.add_perm("coaching.record_partnership_activity", can_manage | is_the_academic)
rules.add_perm("coaching.use", is_member)

"""Helpers of the engagement and outcome tests (part B's; the shared factories stay as they are):
a coach, an NGO admin, and a completed assessment made through the assessment services."""

from __future__ import annotations

import datetime as dt

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.coaching import assessing
from kaynak.coaching.models import Assessment, Engagement
from kaynak.directory.models import Organisation
from kaynak.directory.tests.factories import AffiliationFactory, PersonFactory

UTC = dt.UTC


def coach() -> User:
    """An outside coach (the coach role only)."""
    return StaffFactory.create(roles=[Role.COACH])


def ngo_admin(organisation: Organisation) -> User:
    """A member who is a current NGO admin of ``organisation``."""
    user = UserFactory.create()
    AffiliationFactory.create(
        organisation=organisation, person=PersonFactory.create(user=user), is_admin=True
    )
    return user


def assessed(
    engagement: Engagement,
    *,
    kind: str,
    stage: str,
    gov: tuple[int, int],
    fin: tuple[int, int],
    completed_at: dt.datetime | None = None,
    complete: bool = True,
) -> Assessment:
    """An assessment of the engagement's organisation (small instrument: gov-1, gov-2, fin-1,
    fin-2) with the scores given, completed at ``completed_at`` unless ``complete`` is False."""
    assessment = assessing.start_assessment(
        organisation=engagement.organisation,
        kind=kind,
        stage=stage,
        actor=None,
        engagement=engagement,
    )
    assessing.save_answers(
        assessment=assessment,
        answers={
            "gov-1": (gov[0], ""),
            "gov-2": (gov[1], ""),
            "fin-1": (fin[0], ""),
            "fin-2": (fin[1], ""),
        },
        actor=None,
    )
    if complete:
        assessment = assessing.complete_assessment(
            assessment=assessment,
            actor=None,
            now=completed_at or dt.datetime(2025, 6, 1, 9, tzinfo=UTC),
        )
    return assessment

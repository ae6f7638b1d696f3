"""Progress against the completion rule, worked by hand: seven modules, six needed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes.models import Registration
from kaynak.programmes.services import has_completed
from kaynak.programmes.tests.factories import attended
from kaynak.school import progress, services
from kaynak.school.models import Cohort, Participant
from kaynak.school.progress import ModuleStatus, Verdict, completed_by_rule, progress_of
from kaynak.school.tests.factories import CohortFactory, module_of

C, M, U, P = (
    ModuleStatus.COMPLETED,
    ModuleStatus.MISSED,
    ModuleStatus.UPCOMING,
    ModuleStatus.IN_PROGRESS,
)


@pytest.mark.parametrize(
    ("statuses", "verdict", "remaining"),
    [
        ([C, C, U, U, U, U, U], Verdict.ON_TRACK, 5),
        ([C, M, U, U, U, U, U], Verdict.AT_RISK, 5),  # one missed: no more room
        ([M, M, U, U, U, U, U], Verdict.CANNOT_GRADUATE, 5),  # two missed: 5 of 6 at best
        ([C, C, C, C, C, M, P], Verdict.AT_RISK, 1),
        ([C, C, C, C, C, C, M], Verdict.GRADUATED, 0),
        ([C, C, C, C, C, C, U], Verdict.GRADUATED, 1),
        ([C, C, C, C, C, M, M], Verdict.CANNOT_GRADUATE, 0),
        ([U, U, U, U, U, U, U], Verdict.ON_TRACK, 7),
    ],
)
def test_the_verdict_of_seven_modules_with_six_needed(
    statuses: list[str], verdict: Verdict, remaining: int
) -> None:
    result = progress_of(statuses, required=6)

    assert result.verdict == verdict
    assert result.remaining == remaining
    assert result.completed + result.missed + result.remaining == 7


def test_modules_not_planned_yet_count_as_remaining_up_to_the_rule() -> None:
    # Three modules are in the curriculum so far; the rule needs six: three more to plan.
    result = progress_of([C, U, U], required=6)

    assert result.remaining == 2 + 3
    assert result.verdict == Verdict.AT_RISK


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "present"), [(3, 3), (3, 2), (3, 0), (5, 4), (5, 3)])
def test_the_bulk_rule_agrees_with_the_trainings_completion_rule(days: int, present: int) -> None:
    cohort = CohortFactory.create()
    module = module_of(cohort, start_in=-20, days=days)
    participant = services.enrol(
        cohort=cohort, person=PersonFactory.create(), organisation=None, actor=None
    )
    registration = Registration.objects.get(activity=module.activity)
    attended(registration, sessions=present)

    assert completed_by_rule(
        status=registration.status,
        attended=present,
        total=days,
        percent=module.activity.completion_percent,
    ) == has_completed(registration)
    expected = ModuleStatus.COMPLETED if has_completed(registration) else ModuleStatus.MISSED
    assert progress.module_status(participant, module) == expected


def seven_module_cohort() -> tuple[Cohort, list[int]]:
    """Four modules in the past, one running today, two to come."""
    cohort = CohortFactory.create(required_modules=6)
    starts = [-60, -45, -30, -15, -1, 20, 40]
    modules = [module_of(cohort, start_in=start) for start in starts]
    return cohort, [m.pk for m in modules]


def attend_modules(participant: Participant, completed: list[int], cohort: Cohort) -> None:
    for module in cohort.modules.select_related("activity"):
        if module.pk in completed:
            attended(Registration.objects.get(activity=module.activity, person=participant.person))


@pytest.mark.django_db
def test_progress_reads_attendance_across_the_cohort() -> None:
    cohort, modules = seven_module_cohort()
    full = services.enrol(
        cohort=cohort, person=PersonFactory.create(), organisation=None, actor=None
    )
    one_missed = services.enrol(
        cohort=cohort, person=PersonFactory.create(), organisation=None, actor=None
    )
    two_missed = services.enrol(
        cohort=cohort, person=PersonFactory.create(), organisation=None, actor=None
    )
    attend_modules(full, modules[:4], cohort)
    attend_modules(one_missed, modules[:3], cohort)
    attend_modules(two_missed, modules[:2], cohort)

    board = progress.cohort_progress(cohort)
    by_person = {row.participant.pk: row for row in board.rows}

    assert [c.status for c in by_person[full.pk].modules] == [C, C, C, C, P, U, U]
    assert by_person[full.pk].verdict == Verdict.ON_TRACK
    assert by_person[one_missed.pk].verdict == Verdict.AT_RISK
    assert by_person[two_missed.pk].verdict == Verdict.CANNOT_GRADUATE
    assert [row.participant.pk for row in board.at_risk] == [one_missed.pk]
    # Four three-day modules of six-hour days.
    assert by_person[full.pk].progress.hours == Decimal(4 * 3 * 6)
    assert progress.progress(two_missed).missed == 2


@pytest.mark.django_db
def test_a_cancelled_module_leaves_the_curriculum() -> None:
    from kaynak.programmes.catalogue import activity_cancel

    cohort = CohortFactory.create(required_modules=1)
    kept = module_of(cohort, start_in=-20)
    cancelled = module_of(cohort, start_in=-10)
    participant = services.enrol(
        cohort=cohort, person=PersonFactory.create(), organisation=None, actor=None
    )
    attended(Registration.objects.get(activity=kept.activity))
    activity_cancel(activity=cancelled.activity, by=None, reason="Deprem")

    row = progress.participant_progress(participant)

    assert [cell.module for cell in row.modules] == [kept]
    assert (row.progress.completed, row.progress.missed) == (1, 0)

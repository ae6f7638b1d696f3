"""Review services: the rubric, assigning reviewers around conflicts of interest, reviews with
their totals, and the ranking with its spread — with numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.calls import reviewing
from kaynak.calls.errors import CallError
from kaynak.calls.models import (
    Application,
    ApplicationStatus,
    Call,
    ConflictOfInterest,
    Criterion,
    Review,
    ReviewAssignment,
)
from kaynak.calls.tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    ReviewAssignmentFactory,
)
from kaynak.core.audit import history_for
from kaynak.directory.models import Organisation
from kaynak.directory.tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def reviewer() -> User:
    return StaffFactory.create(roles=[Role.REVIEWER])


@pytest.fixture
def coordinator() -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


def organisation_of(application: Application) -> Organisation:
    assert application.organisation is not None
    return application.organisation


def rubric(call: Call, *weights: str) -> list[Criterion]:
    return [
        CriterionFactory.create(
            call=call, name=f"Ölçüt {i}", name_en=f"Criterion {i}", weight=Decimal(w), position=i
        )
        for i, w in enumerate(weights)
    ]


def submit(assignment: ReviewAssignment, criteria: list[Criterion], *values: int) -> Review:
    return reviewing.review_save(
        assignment=assignment,
        scores={c.pk: (v, "") for c, v in zip(criteria, values, strict=True)},
        comment="",
        actor=assignment.reviewer,
        submit=True,
    )


# The rubric ----------------------------------------------------------------------------------


def test_a_criterion_is_added_at_the_end_of_the_rubric(coordinator: User) -> None:
    call = CallFactory.create()
    first = reviewing.criterion_add(call=call, name="Etki", weight=Decimal(2), actor=coordinator)
    second = reviewing.criterion_add(
        call=call,
        name="Sürdürülebilirlik",
        name_en="Sustainability",
        weight=Decimal(1),
        actor=coordinator,
    )
    assert [c.pk for c in call.criteria.order_by("position")] == [first.pk, second.pk]
    assert history_for(call).filter(action="kaynak.calls.criterion.added").count() == 2


def test_a_criterion_needs_a_turkish_name_and_a_positive_weight(coordinator: User) -> None:
    call = CallFactory.create()
    with pytest.raises(CallError) as no_name:
        reviewing.criterion_add(call=call, name="  ", weight=Decimal(1), actor=coordinator)
    assert no_name.value.code == "name"
    with pytest.raises(CallError) as zero:
        reviewing.criterion_add(call=call, name="Etki", weight=Decimal(0), actor=coordinator)
    assert zero.value.code == "weight"
    assert not call.criteria.exists()


def test_criteria_move_up_and_down(coordinator: User) -> None:
    call = CallFactory.create()
    a, b, c = rubric(call, "1", "1", "1")
    reviewing.criterion_move(criterion=c, up=True, actor=coordinator)
    assert list(call.criteria.order_by("position").values_list("pk", flat=True)) == [
        a.pk,
        c.pk,
        b.pk,
    ]
    reviewing.criterion_move(criterion=a, up=False, actor=coordinator)
    assert list(call.criteria.order_by("position").values_list("pk", flat=True)) == [
        c.pk,
        a.pk,
        b.pk,
    ]


def test_the_rubric_is_locked_once_reviews_are_submitted(coordinator: User) -> None:
    call = CallFactory.create()
    criteria = rubric(call, "1")
    for _ in range(3):
        submit(
            ReviewAssignmentFactory.create(application__call=call, reviewer=reviewer()), criteria, 4
        )
    with pytest.raises(CallError) as refused:
        reviewing.criterion_update(
            criterion=criteria[0], name="Yeni", weight=Decimal(3), actor=coordinator
        )
    assert "3 reviews are already submitted with this rubric" in str(refused.value)
    with pytest.raises(CallError):
        reviewing.criterion_delete(criterion=criteria[0], actor=coordinator)
    with pytest.raises(CallError):
        reviewing.criterion_add(call=call, name="Ek", weight=Decimal(1), actor=coordinator)
    criteria[0].refresh_from_db()
    assert (criteria[0].name, criteria[0].weight) == ("Ölçüt 0", Decimal(1))


# Assigning and conflicts ---------------------------------------------------------------------


def test_a_reviewer_with_a_declared_conflict_is_refused(coordinator: User) -> None:
    application = ApplicationFactory.create()
    someone = reviewer()
    ConflictOfInterest.objects.create(
        call=application.call, reviewer=someone, organisation=organisation_of(application)
    )
    with pytest.raises(CallError) as refused:
        reviewing.assign(application=application, reviewer=someone, actor=coordinator)
    assert refused.value.code == "conflict"
    assert organisation_of(application).name in str(refused.value)
    assert not ReviewAssignment.objects.exists()


def test_a_reviewer_affiliated_with_the_applicant_organisation_is_refused(
    coordinator: User,
) -> None:
    application = ApplicationFactory.create()
    someone = reviewer()
    AffiliationFactory.create(
        person=PersonFactory.create(user=someone), organisation=organisation_of(application)
    )
    with pytest.raises(CallError) as refused:
        reviewing.assign(application=application, reviewer=someone, actor=coordinator)
    assert "affiliated" in str(refused.value)


def test_a_past_affiliation_is_not_a_conflict(coordinator: User) -> None:
    application = ApplicationFactory.create()
    someone = reviewer()
    AffiliationFactory.create(
        person=PersonFactory.create(user=someone),
        organisation=organisation_of(application),
        end_date=dt.date(2024, 12, 31),
    )
    assert reviewing.assign(application=application, reviewer=someone, actor=coordinator)


def test_the_applicant_cannot_review_their_own_application(coordinator: User) -> None:
    someone = reviewer()
    application = ApplicationFactory.create(user=someone)
    with pytest.raises(CallError) as refused:
        reviewing.assign(application=application, reviewer=someone, actor=coordinator)
    assert refused.value.code == "conflict"


def test_only_reviewers_and_coordinators_can_be_assigned(coordinator: User) -> None:
    application = ApplicationFactory.create()
    with pytest.raises(CallError) as member:
        reviewing.assign(application=application, reviewer=UserFactory.create(), actor=coordinator)
    assert member.value.code == "not_reviewer"
    with pytest.raises(CallError):
        reviewing.assign(
            application=application,
            reviewer=StaffFactory.create(roles=[Role.SUPPORT_AGENT]),
            actor=coordinator,
        )
    assert reviewing.assign(application=application, reviewer=coordinator, actor=coordinator)


def test_a_draft_application_is_not_assigned(coordinator: User) -> None:
    draft = ApplicationFactory.create(status=ApplicationStatus.DRAFT)
    with pytest.raises(CallError) as refused:
        reviewing.assign(application=draft, reviewer=reviewer(), actor=coordinator)
    assert refused.value.code == "not_submitted"


def test_balanced_assignment_is_even_and_skips_conflicts(coordinator: User) -> None:
    call = CallFactory.create(reviewers_per_application=2)
    now = timezone.now()
    applications = [
        ApplicationFactory.create(call=call, submitted_at=now - dt.timedelta(hours=10 - i))
        for i in range(6)
    ]
    ApplicationFactory.create(call=call, status=ApplicationStatus.DRAFT)
    a, b, c = reviewer(), reviewer(), reviewer()
    ConflictOfInterest.objects.create(
        call=call, reviewer=a, organisation=organisation_of(applications[0])
    )

    result = reviewing.assign_balanced(call=call, reviewers=[a, b, c], actor=coordinator)

    assert len(result.created) == 12
    assert not result.short
    per_application = {
        app.pk: set(app.assignments.values_list("reviewer_id", flat=True)) for app in applications
    }
    assert all(len(reviewers) == 2 for reviewers in per_application.values())
    assert a.pk not in per_application[applications[0].pk]
    loads = sorted(ReviewAssignment.objects.filter(reviewer=r).count() for r in (a, b, c))
    assert loads == [4, 4, 4]


def test_balanced_assignment_is_deterministic_and_idempotent(coordinator: User) -> None:
    call = CallFactory.create(reviewers_per_application=1)
    now = timezone.now()
    first, second = (
        ApplicationFactory.create(call=call, submitted_at=now - dt.timedelta(hours=2)),
        ApplicationFactory.create(call=call, submitted_at=now - dt.timedelta(hours=1)),
    )
    a, b = reviewer(), reviewer()
    reviewing.assign_balanced(call=call, reviewers=[a, b], actor=coordinator)
    assert first.assignments.get().reviewer == a
    assert second.assignments.get().reviewer == b
    again = reviewing.assign_balanced(call=call, reviewers=[a, b], actor=coordinator)
    assert again.created == []
    assert ReviewAssignment.objects.count() == 2


def test_balanced_assignment_reports_applications_left_short(coordinator: User) -> None:
    call = CallFactory.create(reviewers_per_application=2)
    application = ApplicationFactory.create(call=call)
    only = reviewer()
    result = reviewing.assign_balanced(call=call, reviewers=[only], actor=coordinator)
    assert result.short == [application]
    assert application.assignments.count() == 1


def test_an_unsubmitted_review_can_be_taken_back_but_a_submitted_one_cannot(
    coordinator: User,
) -> None:
    call = CallFactory.create()
    criteria = rubric(call, "1")
    draft = ReviewAssignmentFactory.create(application__call=call, reviewer=reviewer())
    done = ReviewAssignmentFactory.create(application__call=call, reviewer=reviewer())
    submit(done, criteria, 3)
    reviewing.unassign(assignment=draft, actor=coordinator)
    assert not ReviewAssignment.objects.filter(pk=draft.pk).exists()
    with pytest.raises(CallError):
        reviewing.unassign(assignment=done, actor=coordinator)


def test_declaring_a_conflict_removes_the_unsubmitted_assignment() -> None:
    call = CallFactory.create()
    rubric(call, "1")
    someone = reviewer()
    assignment = ReviewAssignmentFactory.create(application__call=call, reviewer=someone)
    application = assignment.application
    reviewing.review_save(assignment=assignment, scores={}, comment="yarım", actor=someone)

    reviewing.declare_conflict(
        call=call,
        reviewer=someone,
        organisation=organisation_of(application),
        note="Yönetim kurulundayım",
    )

    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Review.objects.exists()
    assert ConflictOfInterest.objects.get().note == "Yönetim kurulundayım"
    assert history_for(call).filter(action="kaynak.calls.conflict.declared").exists()


def test_a_submitted_review_is_kept_but_no_longer_counted_after_a_conflict() -> None:
    call = CallFactory.create(reviewers_per_application=2)
    criteria = rubric(call, "1")
    application = ApplicationFactory.create(call=call)
    one, two = reviewer(), reviewer()
    submit(ReviewAssignmentFactory.create(application=application, reviewer=one), criteria, 5)
    submit(ReviewAssignmentFactory.create(application=application, reviewer=two), criteria, 2)

    reviewing.declare_conflict(call=call, reviewer=one, organisation=organisation_of(application))

    assert Review.objects.count() == 2
    row: Any = reviewing.staff_applications(call).get()
    assert (row.reviews_done, row.reviews_assigned, row.conflicts) == (1, 1, 1)
    assert row.mean_total == Decimal(2)
    _criteria, [ranked] = reviewing.ranking(call)
    assert ranked.too_few
    assert ranked.flagged


# Reviews and totals --------------------------------------------------------------------------


def test_the_total_is_the_weighted_mean_to_two_places() -> None:
    # (2·4 + 1·3 + 3·5) / 6 = 26 / 6 = 4.333… → 4.33
    call = CallFactory.create()
    criteria = rubric(call, "2", "1", "3")
    assignment = ReviewAssignmentFactory.create(application__call=call, reviewer=reviewer())
    review = submit(assignment, criteria, 4, 3, 5)
    assert review.total == Decimal("4.33")
    assert review.submitted_at is not None


def test_a_half_rounds_up() -> None:
    # weights 7 and 1, scores 1 and 2 → 9/8 = 1.125 → 1.13 (half up, not to even);
    # weights 3 and 1, scores 3 and 4 → 13/4 = 3.25 exactly
    assert reviewing.weighted_total([(Decimal(7), 1), (Decimal(1), 2)]) == Decimal("1.13")
    assert reviewing.weighted_total([(Decimal(3), 3), (Decimal(1), 4)]) == Decimal("3.25")


def test_scores_outside_one_to_five_are_refused_by_the_service() -> None:
    call = CallFactory.create()
    criteria = rubric(call, "1")
    assignment = ReviewAssignmentFactory.create(application__call=call, reviewer=reviewer())
    for value in (0, 6):
        with pytest.raises(CallError) as refused:
            reviewing.review_save(
                assignment=assignment,
                scores={criteria[0].pk: (value, "")},
                comment="",
                actor=assignment.reviewer,
            )
        assert refused.value.code == "score_range"
    assert not Review.objects.filter(scores__isnull=False).exists()


def test_submitting_needs_every_criterion_scored_but_a_draft_does_not() -> None:
    call = CallFactory.create()
    criteria = rubric(call, "1", "1")
    assignment = ReviewAssignmentFactory.create(application__call=call, reviewer=reviewer())
    draft = reviewing.review_save(
        assignment=assignment,
        scores={criteria[0].pk: (4, "iyi")},
        comment="",
        actor=assignment.reviewer,
    )
    assert draft.submitted_at is None
    assert draft.scores.get().value == 4
    with pytest.raises(CallError) as refused:
        reviewing.review_save(
            assignment=assignment,
            scores={criteria[0].pk: (4, "iyi")},
            comment="",
            actor=assignment.reviewer,
            submit=True,
        )
    assert refused.value.code == "incomplete"
    assert criteria[1].label in str(refused.value)
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_a_submitted_review_is_read_only_until_reopened(coordinator: User) -> None:
    call = CallFactory.create()
    criteria = rubric(call, "1")
    assignment = ReviewAssignmentFactory.create(application__call=call, reviewer=reviewer())
    review = submit(assignment, criteria, 2)
    with pytest.raises(CallError) as refused:
        submit(assignment, criteria, 5)
    assert refused.value.code == "submitted"
    reviewing.reopen_review(review=review, actor=coordinator)
    assert submit(assignment, criteria, 5).total == Decimal(5)


# Score sheet and ranking ---------------------------------------------------------------------


def test_the_ranking_orders_by_mean_then_submission_time_and_flags_the_spread() -> None:
    call = CallFactory.create(reviewers_per_application=2, spread_threshold=Decimal("1.5"))
    criteria = rubric(call, "1", "3")
    now = timezone.now()
    early, late, wide, unreviewed = (
        ApplicationFactory.create(call=call, submitted_at=now - dt.timedelta(hours=h))
        for h in (4, 3, 2, 1)
    )
    r1, r2 = reviewer(), reviewer()

    def scored(application: Application, first: tuple[int, int], second: tuple[int, int]) -> None:
        submit(
            ReviewAssignmentFactory.create(application=application, reviewer=r1), criteria, *first
        )
        submit(
            ReviewAssignmentFactory.create(application=application, reviewer=r2), criteria, *second
        )

    # early: totals (4+3·4)/4 = 4.00 and (2+3·4)/4 = 3.50 → mean 3.75, spread 0.50
    scored(early, (4, 4), (2, 4))
    # late: 4.00 and 3.50 again: the same mean, submitted later → after early
    scored(late, (4, 4), (2, 4))
    # wide: (5+3·5)/4 = 5.00 and (1+3·2)/4 = 1.75 → mean 3.375 → 3.38, spread 3.25 > 1.5
    scored(wide, (5, 5), (1, 2))

    criteria_out, rows = reviewing.ranking(call)

    assert criteria_out == criteria
    assert [r.application for r in rows] == [early, late, wide, unreviewed]
    assert [r.mean for r in rows] == [Decimal("3.75"), Decimal("3.75"), Decimal("3.38"), None]
    assert [r.spread for r in rows[:3]] == [Decimal("0.5"), Decimal("0.5"), Decimal("3.25")]
    assert [r.wide_spread for r in rows] == [False, False, True, False]
    assert [r.flagged for r in rows] == [False, False, True, True]  # unreviewed: too few
    # wide's per-criterion means: (5+1)/2 = 3.00 and (5+2)/2 = 3.50
    assert rows[2].criterion_means == [Decimal("3.00"), Decimal("3.50")]
    assert [r.rank for r in rows] == [1, 2, 3, 4]


def test_the_staff_list_counts_reviews_in_one_query(django_assert_num_queries: Any) -> None:
    call = CallFactory.create()
    criteria = rubric(call, "1")
    for _ in range(4):
        application = ApplicationFactory.create(call=call)
        submit(
            ReviewAssignmentFactory.create(application=application, reviewer=reviewer()),
            criteria,
            3,
        )
        ReviewAssignmentFactory.create(application=application, reviewer=reviewer())
    with django_assert_num_queries(1):
        rows: list[Any] = list(reviewing.staff_applications(call))
    assert [(r.reviews_done, r.reviews_assigned) for r in rows] == [(1, 2)] * 4

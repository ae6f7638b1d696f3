"""Judging a call's applications: the rubric, reviewers and their conflicts, reviews, and the
score sheet and ranking staff decide from.

Services (``criterion_*``, ``assign``, ``assign_balanced``, ``unassign``, ``declare_conflict``,
``review_save``, ``reopen_review``) are the only writers; the reads below them are named.

A declared conflict of interest keeps the reviewer off the organisation's applications. When
it is declared after an assignment, an unsubmitted review is deleted with its assignment; a
submitted one is *kept* (for the audit: staff can still read it) but no longer counted: every
total, mean and spread here reads only ``counted_assignments()``, which leaves out
assignments whose reviewer declared a conflict with the application's organisation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kaynak.accounts.models import Role, User
from kaynak.calls.errors import CallError
from kaynak.calls.models import (
    DECISIONS,
    SCORE_MAX,
    SCORE_MIN,
    Application,
    ApplicationStatus,
    Call,
    ConflictOfInterest,
    Criterion,
    Review,
    ReviewAssignment,
    Score,
)
from kaynak.core.audit import log_action
from kaynak.core.db import turkish_order
from kaynak.directory.models import Affiliation, Organisation

# Who may be asked to review (center admins too, as everywhere).
REVIEWER_ROLES = [Role.REVIEWER, Role.PROGRAMME_COORDINATOR, Role.CENTER_ADMIN]
# Applications that are judged: submitted ones, and those already decided.
JUDGED_STATUSES = [ApplicationStatus.SUBMITTED, *DECISIONS]
LEVELS = {
    1: _("very weak"),
    2: _("weak"),
    3: _("adequate"),
    4: _("good"),
    5: _("excellent"),
}
TWO_PLACES = Decimal("0.01")


def weighted_total(scores: Iterable[tuple[Decimal, int]]) -> Decimal:
    """The weighted mean of ``(weight, value)`` pairs, to two places (half up)."""
    pairs = list(scores)
    weights = sum((weight for weight, _value in pairs), Decimal(0))
    if not pairs or weights <= 0:
        raise CallError(_("There is nothing to add up: the rubric is empty."), code="empty")
    total = sum((weight * value for weight, value in pairs), Decimal(0)) / weights
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# The rubric ----------------------------------------------------------------------------------


def _ensure_rubric_open(call: Call) -> None:
    submitted = Review.objects.filter(
        assignment__application__call=call, submitted_at__isnull=False
    ).count()
    if submitted:
        raise CallError(
            ngettext(
                "%(count)d review is already submitted with this rubric; it can no longer "
                "be changed.",
                "%(count)d reviews are already submitted with this rubric; it can no longer "
                "be changed.",
                submitted,
            )
            % {"count": submitted},
            code="rubric_in_use",
        )


def _check_criterion(name: str, weight: Decimal) -> None:
    if not name.strip():
        raise CallError(_("Give the criterion a name in Turkish."), code="name")
    if weight is None or weight <= 0:
        raise CallError(_("The weight must be more than 0."), code="weight")


@transaction.atomic
def criterion_add(
    *,
    call: Call,
    name: str,
    weight: Decimal,
    actor: Any,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
) -> Criterion:
    """Add a criterion at the end of the call's rubric."""
    Call.objects.select_for_update().get(pk=call.pk)
    _ensure_rubric_open(call)
    _check_criterion(name, weight)
    last = call.criteria.aggregate(last=Max("position"))["last"]
    criterion = Criterion.objects.create(
        call=call,
        position=0 if last is None else last + 1,
        name=name.strip(),
        name_en=name_en.strip(),
        description=description.strip(),
        description_en=description_en.strip(),
        weight=weight,
    )
    log_action(
        "kaynak.calls.criterion.added",
        actor=actor,
        target=call,
        data={"criterion": criterion.pk, "name": criterion.name, "weight": str(weight)},
    )
    return criterion


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    name: str,
    weight: Decimal,
    actor: Any,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
) -> Criterion:
    """Change a criterion's wording or weight (only while no review is submitted)."""
    Call.objects.select_for_update().get(pk=criterion.call_id)
    _ensure_rubric_open(criterion.call)
    _check_criterion(name, weight)
    criterion.name = name.strip()
    criterion.name_en = name_en.strip()
    criterion.description = description.strip()
    criterion.description_en = description_en.strip()
    criterion.weight = weight
    criterion.save()
    log_action(
        "kaynak.calls.criterion.updated",
        actor=actor,
        target=criterion.call,
        data={"criterion": criterion.pk, "name": criterion.name, "weight": str(weight)},
    )
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor: Any) -> None:
    """Remove a criterion (only while no review is submitted; draft scores go with it)."""
    Call.objects.select_for_update().get(pk=criterion.call_id)
    _ensure_rubric_open(criterion.call)
    log_action(
        "kaynak.calls.criterion.deleted",
        actor=actor,
        target=criterion.call,
        data={"criterion": criterion.pk, "name": criterion.name},
    )
    criterion.delete()


@transaction.atomic
def criterion_move(*, criterion: Criterion, up: bool, actor: Any) -> None:
    """Swap a criterion with the one before (``up``) or after it."""
    Call.objects.select_for_update().get(pk=criterion.call_id)
    _ensure_rubric_open(criterion.call)
    ordered = list(Criterion.objects.filter(call_id=criterion.call_id).order_by("position", "pk"))
    index = next(i for i, c in enumerate(ordered) if c.pk == criterion.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    log_action(
        "kaynak.calls.criterion.moved",
        actor=actor,
        target=criterion.call,
        data={"criterion": criterion.pk, "up": up},
    )


# Reviewers and conflicts ---------------------------------------------------------------------


def eligible_reviewers() -> QuerySet[User]:
    """Active users who may be asked to review, in Turkish alphabetical order."""
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=REVIEWER_ROLES)
        .distinct()
        .order_by(turkish_order("full_name"), "email")
    )


def _is_eligible(reviewer: User) -> bool:
    return reviewer.is_active and bool(set(REVIEWER_ROLES) & reviewer.staff_roles)


def _affiliated_organisations(reviewers: Sequence[User]) -> dict[int, set[int]]:
    """Reviewer id → the organisations their directory person is currently affiliated with."""
    rows = Affiliation.objects.filter(
        person__user__in=reviewers, end_date__isnull=True
    ).values_list("person__user_id", "organisation_id")
    found: dict[int, set[int]] = defaultdict(set)
    for user_id, organisation_id in rows:
        found[user_id].add(organisation_id)
    return found


def conflict_reason(*, application: Application, reviewer: User) -> str | None:
    """Why ``reviewer`` may not review ``application``, or None when they may."""
    if application.user_id == reviewer.pk or (
        application.person.user_id is not None and application.person.user_id == reviewer.pk
    ):
        return str(_("%(name)s is the applicant.") % {"name": reviewer})
    if application.organisation_id is None:
        return None
    organisation = application.organisation
    if ConflictOfInterest.objects.filter(
        call_id=application.call_id, reviewer=reviewer, organisation_id=application.organisation_id
    ).exists():
        return str(
            _("%(name)s declared a conflict of interest with %(organisation)s.")
            % {"name": reviewer, "organisation": organisation}
        )
    if application.organisation_id in _affiliated_organisations([reviewer]).get(reviewer.pk, ()):
        return str(
            _("%(name)s is affiliated with %(organisation)s in the directory.")
            % {"name": reviewer, "organisation": organisation}
        )
    return None


def _check_assignable(application: Application) -> None:
    if application.status not in JUDGED_STATUSES:
        raise CallError(
            _("Only submitted applications are reviewed; this one is %(status)s.")
            % {"status": application.get_status_display()},
            code="not_submitted",
        )


@transaction.atomic
def assign(*, application: Application, reviewer: User, actor: Any) -> ReviewAssignment:
    """Ask ``reviewer`` to review ``application``; refused for a conflict of interest."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organisation", "person")
        .get(pk=application.pk)
    )
    _check_assignable(application)
    if not _is_eligible(reviewer):
        raise CallError(
            _("%(name)s is not a reviewer: give them the reviewer role first.")
            % {"name": reviewer},
            code="not_reviewer",
        )
    reason = conflict_reason(application=application, reviewer=reviewer)
    if reason:
        raise CallError(reason, code="conflict")
    if application.assignments.filter(reviewer=reviewer).exists():
        raise CallError(
            _("%(name)s is already reviewing this application.") % {"name": reviewer},
            code="twice",
        )
    assignment = ReviewAssignment.objects.create(
        application=application, reviewer=reviewer, assigned_by=_user(actor)
    )
    log_action(
        "kaynak.calls.reviewer.assigned",
        actor=actor,
        target=application,
        data={"reviewer": reviewer.pk},
    )
    return assignment


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


@dataclass
class BalancedResult:
    """What ``assign_balanced`` did: the new assignments, and the applications it could not
    give enough reviewers (every remaining reviewer was conflicted or already on it)."""

    created: list[ReviewAssignment] = field(default_factory=list)
    short: list[Application] = field(default_factory=list)


@transaction.atomic
def assign_balanced(*, call: Call, reviewers: Sequence[User], actor: Any) -> BalancedResult:
    """Give every submitted application of the call ``call.reviewers_per_application``
    reviewers from ``reviewers``, skipping conflicts, each time choosing the reviewers with the
    fewest applications of this call so far (ties: the order given). Deterministic."""
    Call.objects.select_for_update().get(pk=call.pk)
    pool = [r for r in dict.fromkeys(reviewers) if _is_eligible(r)]
    if not pool:
        raise CallError(_("Choose at least one reviewer."), code="reviewers")
    applications = list(
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .select_related("person")
        .order_by("submitted_at", "pk")
    )
    assigned: dict[int, set[int]] = defaultdict(set)  # application → reviewers
    load: dict[int, int] = defaultdict(int)  # reviewer → counted assignments in this call
    for application_id, reviewer_id in (
        counted_assignments()
        .filter(application__call=call)
        .values_list("application_id", "reviewer_id")
    ):
        assigned[application_id].add(reviewer_id)
        load[reviewer_id] += 1
    # Every assignment blocks a second one, even one no longer counted.
    every: dict[int, set[int]] = defaultdict(set)
    for application_id, reviewer_id in ReviewAssignment.objects.filter(
        application__call=call
    ).values_list("application_id", "reviewer_id"):
        every[application_id].add(reviewer_id)
    declared = set(
        ConflictOfInterest.objects.filter(call=call).values_list("reviewer_id", "organisation_id")
    )
    affiliated = _affiliated_organisations(pool)
    order = {reviewer.pk: index for index, reviewer in enumerate(pool)}
    result = BalancedResult()
    for application in applications:
        need = call.reviewers_per_application - len(assigned[application.pk])
        if need <= 0:
            continue

        def free(reviewer: User, application: Application = application) -> bool:
            organisation = application.organisation_id
            return not (
                reviewer.pk in every[application.pk]
                or reviewer.pk in (application.user_id, application.person.user_id)
                or (reviewer.pk, organisation) in declared
                or organisation in affiliated.get(reviewer.pk, ())
            )

        candidates = sorted((r for r in pool if free(r)), key=lambda r: (load[r.pk], order[r.pk]))
        for reviewer in candidates[:need]:
            result.created.append(
                ReviewAssignment.objects.create(
                    application=application, reviewer=reviewer, assigned_by=_user(actor)
                )
            )
            assigned[application.pk].add(reviewer.pk)
            every[application.pk].add(reviewer.pk)
            load[reviewer.pk] += 1
        if len(candidates) < need:
            result.short.append(application)
    log_action(
        "kaynak.calls.reviewer.assigned_balanced",
        actor=actor,
        target=call,
        data={
            "reviewers": [r.pk for r in pool],
            "created": len(result.created),
            "short": [a.code for a in result.short],
        },
    )
    return result


@transaction.atomic
def unassign(*, assignment: ReviewAssignment, actor: Any) -> None:
    """Take the application back from its reviewer (not once their review is submitted)."""
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.submitted_at is not None:
        raise CallError(
            _("%(name)s has already submitted this review; reopen it before taking it back.")
            % {"name": assignment.reviewer},
            code="submitted",
        )
    log_action(
        "kaynak.calls.reviewer.unassigned",
        actor=actor,
        target=assignment.application,
        data={"reviewer": assignment.reviewer_id},
    )
    assignment.delete()


@transaction.atomic
def declare_conflict(
    *, call: Call, reviewer: User, organisation: Organisation, note: str = ""
) -> ConflictOfInterest:
    """The reviewer declares a conflict of interest with ``organisation``: their unsubmitted
    reviews of its applications are deleted with the assignment; a submitted one is kept for
    the audit but no longer counted (see the module's docstring)."""
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        call=call, reviewer=reviewer, organisation=organisation, defaults={"note": note.strip()}
    )
    removed, kept = [], []
    for assignment in ReviewAssignment.objects.filter(
        reviewer=reviewer, application__call=call, application__organisation=organisation
    ).select_related("application"):
        review = Review.objects.filter(assignment=assignment).first()
        if review is not None and review.submitted_at is not None:
            kept.append(assignment.application.code)
        else:
            removed.append(assignment.application.code)
            assignment.delete()
    log_action(
        "kaynak.calls.conflict.declared",
        actor=reviewer,
        target=call,
        data={
            "organisation": organisation.pk,
            "note": conflict.note,
            "removed": removed,
            "kept_uncounted": kept,
        },
    )
    return conflict


# Reviews -------------------------------------------------------------------------------------


def _check_scores(
    criteria: Sequence[Criterion], scores: Mapping[int, tuple[int | None, str]], *, submit: bool
) -> None:
    known = {c.pk for c in criteria}
    for criterion_id, (value, _comment) in scores.items():
        if criterion_id not in known:
            raise CallError(_("This criterion is not in the call's rubric."), code="criterion")
        if value is not None and not SCORE_MIN <= value <= SCORE_MAX:
            raise CallError(
                _("A score is a whole number from %(min)d to %(max)d.")
                % {"min": SCORE_MIN, "max": SCORE_MAX},
                code="score_range",
            )
    if submit:
        if not criteria:
            raise CallError(_("The call has no rubric yet."), code="empty")
        missing = [c.label for c in criteria if scores.get(c.pk, (None, ""))[0] is None]
        if missing:
            raise CallError(
                _("Score every criterion before submitting: %(missing)s.")
                % {"missing": ", ".join(missing)},
                code="incomplete",
            )


@transaction.atomic
def review_save(
    *,
    assignment: ReviewAssignment,
    scores: Mapping[int, tuple[int | None, str]],
    comment: str,
    actor: Any,
    submit: bool = False,
    now: dt.datetime | None = None,
) -> Review:
    """Save the reviewer's scores (criterion id → (value 1–5 or None, comment)) as a draft,
    or ``submit`` them: every criterion scored, the total computed. A submitted review is
    read-only until staff reopen it."""
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application__call", "application__organisation")
        .get(pk=assignment.pk)
    )
    application = assignment.application
    if (
        application.organisation_id
        and ConflictOfInterest.objects.filter(
            call_id=application.call_id,
            reviewer_id=assignment.reviewer_id,
            organisation_id=application.organisation_id,
        ).exists()
    ):
        raise CallError(
            _("You declared a conflict of interest with this organisation."), code="conflict"
        )
    review, _created = Review.objects.get_or_create(assignment=assignment)
    if review.submitted_at is not None:
        raise CallError(
            _("This review is already submitted; ask the call's staff to reopen it."),
            code="submitted",
        )
    criteria = list(application.call.criteria.order_by("position", "pk"))
    _check_scores(criteria, scores, submit=submit)
    review.scores.exclude(criterion__in=criteria).delete()
    existing = {s.criterion_id: s for s in review.scores.all()}
    for criterion in criteria:
        value, text = scores.get(criterion.pk, (None, ""))
        score = existing.get(criterion.pk)
        if value is None:
            if score is not None:
                score.delete()
            continue
        if score is None:
            Score.objects.create(
                review=review, criterion=criterion, value=value, comment=text.strip()
            )
        elif (score.value, score.comment) != (value, text.strip()):
            score.value, score.comment = value, text.strip()
            score.save(update_fields=["value", "comment"])
    review.comment = comment.strip()
    if submit:
        review.total = weighted_total((c.weight, scores[c.pk][0] or 0) for c in criteria)
        review.submitted_at = now or timezone.now()
    review.save()
    log_action(
        "kaynak.calls.review.submitted" if submit else "kaynak.calls.review.saved",
        actor=actor,
        target=application,
        data={"review": review.pk, "total": str(review.total) if submit else None},
    )
    return review


@transaction.atomic
def reopen_review(*, review: Review, actor: Any) -> Review:
    """Staff give a submitted review back to its reviewer to change; it stops counting until
    it is submitted again."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignment__application")
        .get(pk=review.pk)
    )
    if review.submitted_at is None:
        return review
    previous = review.total
    review.submitted_at = None
    review.total = None
    review.save(update_fields=["submitted_at", "total", "updated_at"])
    log_action(
        "kaynak.calls.review.reopened",
        actor=actor,
        target=review.assignment.application,
        data={"review": review.pk, "total": str(previous)},
    )
    return review


# Reads ---------------------------------------------------------------------------------------


def is_conflicted() -> Exists:
    return Exists(
        ConflictOfInterest.objects.filter(
            call_id=OuterRef("application__call_id"),
            reviewer_id=OuterRef("reviewer_id"),
            organisation_id=OuterRef("application__organisation_id"),
        )
    )


def counted_assignments() -> QuerySet[ReviewAssignment]:
    """Assignments that count: those whose reviewer declared no conflict with the
    application's organisation."""
    return ReviewAssignment.objects.annotate(conflicted=is_conflicted()).filter(conflicted=False)


def _per_application(queryset: QuerySet[Any], aggregate: Any) -> Subquery:
    return Subquery(
        queryset.filter(application_id=OuterRef("pk"))
        .order_by()
        .values("application_id")
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def with_review_figures(applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` with ``reviews_assigned``, ``reviews_done``, ``mean_total``,
    ``spread`` and ``conflicts`` (counted reviews only), in the same query."""
    counted = counted_assignments()
    done = counted.filter(review__submitted_at__isnull=False)
    places = DecimalField(max_digits=6, decimal_places=4)
    return applications.annotate(
        reviews_assigned=Coalesce(_per_application(counted, Count("pk")), Value(0)),
        reviews_done=Coalesce(_per_application(done, Count("pk")), Value(0)),
        mean_total=_per_application(done, Avg("review__total", output_field=places)),
        high_total=_per_application(done, Max("review__total")),
        low_total=_per_application(done, Min("review__total")),
        conflicts=Coalesce(
            _per_application(
                ReviewAssignment.objects.annotate(conflicted=is_conflicted()).filter(
                    conflicted=True
                ),
                Count("pk"),
            ),
            Value(0),
        ),
    )


def staff_applications(call: Call, *, status: str = "") -> QuerySet[Application]:
    """The call's applications (drafts left out) for the staff list, with review figures:
    newest submission first."""
    applications = Application.objects.filter(call=call).exclude(status=ApplicationStatus.DRAFT)
    if status:
        applications = applications.filter(status=status)
    return with_review_figures(
        applications.select_related("organisation__province", "person")
    ).order_by(F("submitted_at").desc(nulls_last=True), "pk")


def spread_of(application: Any) -> Decimal | None:
    high, low = getattr(application, "high_total", None), getattr(application, "low_total", None)
    if high is None or low is None:
        return None
    return Decimal(high) - Decimal(low)


@dataclass
class RankRow:
    """One application on the ranking page."""

    rank: int
    application: Application
    mean: Decimal | None
    spread: Decimal | None
    reviews_done: int
    reviews_assigned: int
    criterion_means: list[Decimal | None]
    wide_spread: bool
    too_few: bool

    @property
    def flagged(self) -> bool:
        return self.wide_spread or self.too_few


def ranking(call: Call) -> tuple[list[Criterion], list[RankRow]]:
    """The call's judged applications by the mean of their counted, submitted review totals
    (highest first; ties: earlier submission first; not yet reviewed last), with the spread
    (highest − lowest total) flagged when it is over the call's threshold or fewer reviews
    than asked for are in, and each criterion's mean score. Three queries."""
    criteria = list(call.criteria.order_by("position", "pk"))
    applications = list(
        with_review_figures(
            Application.objects.filter(call=call, status__in=JUDGED_STATUSES).select_related(
                "organisation__province", "person"
            )
        ).order_by(F("mean_total").desc(nulls_last=True), "submitted_at", "pk")
    )
    means: dict[tuple[int, int], Decimal] = {}
    for application_id, criterion_id, mean in (
        Score.objects.filter(
            review__submitted_at__isnull=False,
            review__assignment__in=counted_assignments().filter(application__call=call),
        )
        .values_list("review__assignment__application_id", "criterion_id")
        .annotate(mean=Avg("value", output_field=DecimalField(max_digits=6, decimal_places=4)))
        .order_by()
    ):
        means[(application_id, criterion_id)] = Decimal(mean).quantize(
            TWO_PLACES, rounding=ROUND_HALF_UP
        )
    rows = []
    for rank, application in enumerate(applications, start=1):
        mean = application.mean_total  # type: ignore[attr-defined]
        spread = spread_of(application)
        done = application.reviews_done  # type: ignore[attr-defined]
        rows.append(
            RankRow(
                rank=rank,
                application=application,
                mean=None
                if mean is None
                else Decimal(mean).quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
                spread=spread,
                reviews_done=done,
                reviews_assigned=application.reviews_assigned,  # type: ignore[attr-defined]
                criterion_means=[means.get((application.pk, c.pk)) for c in criteria],
                wide_spread=spread is not None and spread > call.spread_threshold,
                too_few=done < call.reviewers_per_application,
            )
        )
    return criteria, rows


def reviews_of(application: Application) -> list[ReviewAssignment]:
    """Every assignment of the application, with its review and scores and whether it is
    counted (a conflict declared afterwards keeps a submitted review, uncounted)."""
    return list(
        ReviewAssignment.objects.filter(application=application)
        .annotate(conflicted=is_conflicted())
        .select_related("reviewer", "review")
        .prefetch_related(
            Prefetch(
                "review__scores",
                queryset=Score.objects.select_related("criterion").order_by(
                    "criterion__position", "criterion__pk"
                ),
            )
        )
        .order_by("assigned_at", "pk")
    )


def conflicts_for(application: Application) -> QuerySet[ConflictOfInterest]:
    """The conflicts declared with the application's organisation in its call."""
    if application.organisation_id is None:
        return ConflictOfInterest.objects.none()
    return ConflictOfInterest.objects.filter(
        call_id=application.call_id, organisation_id=application.organisation_id
    ).select_related("reviewer")


def reviewer_assignments(reviewer: User) -> QuerySet[ReviewAssignment]:
    """The reviewer's counted assignments (to do and done), by call and submission time."""
    return (
        counted_assignments()
        .filter(reviewer=reviewer, application__status__in=JUDGED_STATUSES)
        .select_related("application__call", "application__organisation", "review")
        .order_by("application__call__closes_at", "application__submitted_at", "pk")
    )


def assignment_for(*, reviewer: User, code: str) -> ReviewAssignment | None:
    """The reviewer's counted assignment on the application ``code``, or None."""
    return (
        counted_assignments()
        .filter(reviewer=reviewer, application__code=code, application__status__in=JUDGED_STATUSES)
        .select_related(
            "application__call", "application__organisation", "application__person", "review"
        )
        .first()
    )


def review_load(call: Call) -> list[tuple[User, int, int]]:
    """Each reviewer of the call with their counted assignments and submitted reviews."""
    rows = (
        counted_assignments()
        .filter(application__call=call)
        .values("reviewer_id")
        .annotate(
            assigned=Count("pk"), done=Count("pk", filter=Q(review__submitted_at__isnull=False))
        )
        .order_by()
    )
    figures = {row["reviewer_id"]: (row["assigned"], row["done"]) for row in rows}
    users = User.objects.filter(pk__in=figures).order_by(turkish_order("full_name"), "email")
    return [(user, *figures[user.pk]) for user in users]

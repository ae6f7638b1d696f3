"""The coaching app's outcome figures: what changed in an engagement (baseline → final score per
dimension), how much of its plan was done, and both in aggregate over a period — registered in
``kaynak.ledger.outcomes`` for the impact app.

**Which assessments are compared.** An engagement's baseline and final are its *completed*
assessments of stage baseline and final (drafts never count). If both the coach and the
organisation assessed at both stages, the coach's are compared; otherwise whichever kind
exists at both stages; none → no change figure. Of several completed assessments of one kind
and stage, the first baseline and the last final count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.coaching.models import (
    ActionStatus,
    Assessment,
    AssessmentKind,
    AssessmentStage,
    AssessmentStatus,
    Engagement,
    EngagementStatus,
)
from kaynak.coaching.scores import DimensionChange, change, mean, rounded
from kaynak.ledger import outcomes

# One engagement ---------------------------------------------------------------------------------


def compared_assessments(
    engagement: Engagement, assessments: Iterable[Assessment] | None = None
) -> tuple[Assessment, Assessment] | None:
    """The (baseline, final) pair the engagement's change is measured on, or ``None``."""
    if assessments is None:
        assessments = engagement.assessments.filter(status=AssessmentStatus.COMPLETED)
    first: dict[tuple[str, str], Assessment] = {}
    last: dict[tuple[str, str], Assessment] = {}
    ordered = sorted(
        (a for a in assessments if a.status == AssessmentStatus.COMPLETED and a.completed_at),
        key=lambda a: (a.completed_at, a.pk),
    )
    for assessment in ordered:
        key = (assessment.kind, assessment.stage)
        first.setdefault(key, assessment)
        last[key] = assessment
    for kind in (AssessmentKind.COACH, AssessmentKind.SELF):
        baseline = first.get((kind, AssessmentStage.BASELINE))
        final = last.get((kind, AssessmentStage.FINAL))
        if baseline is not None and final is not None:
            return baseline, final
    return None


def engagement_change(engagement: Engagement) -> list[DimensionChange]:
    """The score change per dimension from the engagement's baseline to its final assessment
    (the rule above); empty when there is no pair to compare."""
    pair = compared_assessments(engagement)
    if pair is None:
        return []
    return change(*pair)


@dataclass(frozen=True)
class PlanProgress:
    total: int
    done: int
    dropped: int
    # Done actions as a percentage of the actions not dropped (2 places); None without any.
    share_done: Decimal | None


def _progress(total: int, done: int, dropped: int) -> PlanProgress:
    counted = total - dropped
    share = rounded(Decimal(done) * 100 / counted) if counted else None
    return PlanProgress(total=total, done=done, dropped=dropped, share_done=share)


def plan_progress(engagement: Engagement) -> PlanProgress:
    """How much of the engagement's action plan is done (dropped actions do not count)."""
    counts = engagement.actions.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        dropped=Count("pk", filter=Q(status=ActionStatus.DROPPED)),
    )
    return _progress(counts["total"], counts["done"], counts["dropped"])


def progress_from_counts(total: int, done: int, dropped: int) -> PlanProgress:
    """A ``PlanProgress`` from counts annotated on a list of engagements."""
    return _progress(total, done, dropped)


# In aggregate -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionMean:
    key: str
    name: str
    engagements: int
    before: Decimal
    after: Decimal
    change: Decimal


@dataclass(frozen=True)
class CapacityChange:
    engagements: int
    dimensions: list[DimensionMean]
    overall_before: Decimal | None
    overall_after: Decimal | None
    overall_change: Decimal | None


def _mean(values: list[Decimal]) -> Decimal:
    result = mean(values)
    assert result is not None
    return result


def _in_period(moment: dt.datetime | None, start: dt.date, end: dt.date) -> bool:
    return moment is not None and start <= timezone.localdate(moment) <= end


def capacity_change(start: dt.date, end: dt.date) -> CapacityChange:
    """The mean baseline, final and change per dimension and overall, over the engagements
    whose compared final assessment was completed from ``start`` to ``end`` (both included,
    Istanbul dates)."""
    engagements = list(
        Engagement.objects.filter(
            assessments__stage=AssessmentStage.FINAL,
            assessments__status=AssessmentStatus.COMPLETED,
        )
        .distinct()
        .order_by("pk")
    )
    completed: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in (
        Assessment.objects.filter(
            engagement__in=engagements,
            status=AssessmentStatus.COMPLETED,
            stage__in=[AssessmentStage.BASELINE, AssessmentStage.FINAL],
        )
        .prefetch_related("instrument__dimensions")
        .order_by("pk")
    ):
        assert assessment.engagement_id is not None
        completed[assessment.engagement_id].append(assessment)
    by_key: dict[str, list[DimensionChange]] = defaultdict(list)
    order: list[str] = []
    overall_before: list[Decimal] = []
    overall_after: list[Decimal] = []
    counted = 0
    for engagement in engagements:
        pair = compared_assessments(engagement, completed[engagement.pk])
        if pair is None or not _in_period(pair[1].completed_at, start, end):
            continue
        counted += 1
        baseline, final = pair
        for item in change(baseline, final):
            if item.change is None:
                continue
            if item.key not in by_key:
                order.append(item.key)
            by_key[item.key].append(item)
        if baseline.overall is not None and final.overall is not None:
            overall_before.append(baseline.overall)
            overall_after.append(final.overall)
    dimensions = []
    for key in order:
        items = by_key[key]
        dimensions.append(
            DimensionMean(
                key=key,
                name=items[-1].name,
                engagements=len(items),
                before=_mean([i.before for i in items if i.before is not None]),
                after=_mean([i.after for i in items if i.after is not None]),
                change=_mean([i.change for i in items if i.change is not None]),
            )
        )
    return CapacityChange(
        engagements=counted,
        dimensions=dimensions,
        overall_before=_mean(overall_before) if overall_before else None,
        overall_after=_mean(overall_after) if overall_after else None,
        overall_change=(
            _mean([a - b for a, b in zip(overall_after, overall_before, strict=True)])
            if overall_before
            else None
        ),
    )


# The registered measures ------------------------------------------------------------------------


def mean_capacity_change(start: dt.date, end: dt.date) -> Decimal | None:
    """The mean change of the overall capacity score (1–4 scale) over the engagements whose
    final assessment was completed in the period; ``None`` without any."""
    return capacity_change(start, end).overall_change


def plan_actions_completed(start: dt.date, end: dt.date) -> Decimal | None:
    """The share of plan actions done (%, dropped ones not counted) in the engagements that
    ended in the period (end date within it; planned ones never started and do not count)."""
    counts = (
        Engagement.objects.filter(ends_on__gte=start, ends_on__lte=end)
        .exclude(status=EngagementStatus.PLANNED)
        .aggregate(
            total=Count("actions"),
            done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
            dropped=Count("actions", filter=Q(actions__status=ActionStatus.DROPPED)),
        )
    )
    return _progress(counts["total"], counts["done"], counts["dropped"]).share_done


def register() -> None:
    outcomes.register(
        "capacity-change",
        _("Change in organisational capacity after coaching (overall score, 1–4 scale)"),
        mean_capacity_change,
    )
    outcomes.register(
        "plan-actions-completed",
        _("Coaching plan actions completed (%)"),
        plan_actions_completed,
    )

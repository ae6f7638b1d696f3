"""The outcome figures, checked by hand: an engagement's baseline → final change per dimension
(completed assessments only, the coach's preferred over the organisation's own), the share of
plan actions done, their aggregate over a period, and the two measures registered for impact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaynak.coaching import outcomes
from kaynak.coaching.tests.engagement_helpers import assessed
from kaynak.coaching.tests.factories import ActionFactory, EngagementFactory, small_instrument
from kaynak.ledger.outcomes import outcome_measures

pytestmark = pytest.mark.django_db

UTC = dt.UTC
JUNE = dt.datetime(2025, 6, 10, 9, tzinfo=UTC)
JANUARY = dt.datetime(2025, 1, 10, 9, tzinfo=UTC)


def changes_by_key(engagement: object) -> dict[str, tuple[Decimal | None, ...]]:
    return {
        c.key: (c.before, c.after, c.change)
        for c in outcomes.engagement_change(engagement)  # type: ignore[arg-type]
    }


def test_the_change_compares_the_completed_baseline_with_the_final() -> None:
    engagement = EngagementFactory.create()
    assessed(
        engagement, kind="coach", stage="baseline", gov=(1, 2), fin=(2, 2), completed_at=JANUARY
    )
    assessed(engagement, kind="coach", stage="final", gov=(3, 3), fin=(2, 3), completed_at=JUNE)

    assert changes_by_key(engagement) == {
        "gov": (Decimal("1.50"), Decimal("3.00"), Decimal("1.50")),
        "fin": (Decimal("2.00"), Decimal("2.50"), Decimal("0.50")),
    }


def test_drafts_never_count() -> None:
    engagement = EngagementFactory.create()
    assessed(
        engagement, kind="coach", stage="baseline", gov=(1, 1), fin=(1, 1), completed_at=JANUARY
    )
    assessed(engagement, kind="coach", stage="final", gov=(4, 4), fin=(4, 4), complete=False)

    assert outcomes.engagement_change(engagement) == []
    assert outcomes.compared_assessments(engagement) is None


def test_the_coachs_assessments_are_preferred_over_the_self_assessments() -> None:
    engagement = EngagementFactory.create()
    assessed(
        engagement, kind="self", stage="baseline", gov=(1, 1), fin=(1, 1), completed_at=JANUARY
    )
    assessed(engagement, kind="self", stage="final", gov=(4, 4), fin=(4, 4), completed_at=JUNE)
    assessed(
        engagement, kind="coach", stage="baseline", gov=(2, 2), fin=(2, 2), completed_at=JANUARY
    )
    assessed(engagement, kind="coach", stage="final", gov=(3, 3), fin=(2, 2), completed_at=JUNE)

    assert changes_by_key(engagement) == {
        "gov": (Decimal("2.00"), Decimal("3.00"), Decimal("1.00")),
        "fin": (Decimal("2.00"), Decimal("2.00"), Decimal("0.00")),
    }


def test_self_assessments_count_when_the_coach_did_not_assess_at_both_stages() -> None:
    engagement = EngagementFactory.create()
    assessed(
        engagement, kind="coach", stage="baseline", gov=(2, 2), fin=(2, 2), completed_at=JANUARY
    )
    assessed(
        engagement, kind="self", stage="baseline", gov=(1, 1), fin=(1, 2), completed_at=JANUARY
    )
    assessed(engagement, kind="self", stage="final", gov=(2, 2), fin=(3, 4), completed_at=JUNE)

    assert changes_by_key(engagement) == {
        "gov": (Decimal("1.00"), Decimal("2.00"), Decimal("1.00")),
        "fin": (Decimal("1.50"), Decimal("3.50"), Decimal("2.00")),
    }


def test_plan_progress_counts_done_actions_among_those_not_dropped() -> None:
    engagement = EngagementFactory.create()
    for status in ["done", "done", "done", "doing", "todo", "dropped"]:
        ActionFactory.create(engagement=engagement, status=status)

    progress = outcomes.plan_progress(engagement)

    assert progress == outcomes.PlanProgress(
        total=6, done=3, dropped=1, share_done=Decimal("60.00")
    )


def test_an_empty_plan_has_no_share() -> None:
    assert outcomes.plan_progress(EngagementFactory.create()).share_done is None


def two_engagements_finished_in_june() -> None:
    instrument = small_instrument()
    first = EngagementFactory.create(instrument=instrument)
    assessed(first, kind="coach", stage="baseline", gov=(1, 2), fin=(2, 2), completed_at=JANUARY)
    assessed(first, kind="coach", stage="final", gov=(3, 3), fin=(2, 3), completed_at=JUNE)
    second = EngagementFactory.create(instrument=instrument)
    assessed(second, kind="coach", stage="baseline", gov=(2, 2), fin=(3, 3), completed_at=JANUARY)
    assessed(second, kind="coach", stage="final", gov=(2, 3), fin=(2, 3), completed_at=JUNE)
    # Finished in the autumn: outside the period below.
    later = EngagementFactory.create(instrument=instrument)
    assessed(later, kind="coach", stage="baseline", gov=(1, 1), fin=(1, 1), completed_at=JANUARY)
    assessed(
        later,
        kind="coach",
        stage="final",
        gov=(4, 4),
        fin=(4, 4),
        completed_at=dt.datetime(2025, 10, 1, 9, tzinfo=UTC),
    )


def test_capacity_change_is_the_mean_per_dimension_and_overall_over_the_period() -> None:
    two_engagements_finished_in_june()
    # First: gov 1.50 → 3.00 (+1.50), fin 2.00 → 2.50 (+0.50), overall 1.75 → 2.75 (+1.00).
    # Second: gov 2.00 → 2.50 (+0.50), fin 3.00 → 2.50 (−0.50), overall 2.50 → 2.50 (0).

    figures = outcomes.capacity_change(dt.date(2025, 6, 1), dt.date(2025, 6, 30))

    assert figures.engagements == 2
    assert [(d.key, d.before, d.after, d.change) for d in figures.dimensions] == [
        ("gov", Decimal("1.75"), Decimal("2.75"), Decimal("1.00")),
        ("fin", Decimal("2.50"), Decimal("2.50"), Decimal("0.00")),
    ]
    assert figures.overall_before == Decimal("2.13")  # (1.75 + 2.50) / 2 = 2.125, half up
    assert figures.overall_after == Decimal("2.63")
    assert figures.overall_change == Decimal("0.50")


def test_the_registered_measures_read_the_period() -> None:
    two_engagements_finished_in_june()
    measures = outcome_measures()
    june = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))

    assert measures["capacity-change"].value(*june) == Decimal("0.50")
    assert measures["capacity-change"].value(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) is None


def test_plan_actions_completed_reads_the_engagements_that_ended_in_the_period() -> None:
    ended = EngagementFactory.create(
        starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 6, 30), status="completed"
    )
    for status in ["done", "done", "todo", "dropped"]:
        ActionFactory.create(engagement=ended, status=status)
    still_running = EngagementFactory.create(
        starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31)
    )
    ActionFactory.create(engagement=still_running, status="todo")
    measure = outcome_measures()["plan-actions-completed"]

    assert measure.value(dt.date(2025, 1, 1), dt.date(2025, 6, 30)) == Decimal("66.67")
    assert measure.value(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) is None

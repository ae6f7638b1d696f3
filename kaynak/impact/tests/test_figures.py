"""The dashboard's and the donor report's figures, against the worked fixture of conftest.py."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaynak.accounts.models import User
from kaynak.core.models import Theme
from kaynak.directory.merging.services import organisation_merge
from kaynak.impact import figures
from kaynak.impact.figures import Figures, Headline, Scope, compute_figures, drilldown
from kaynak.impact.models import Measure
from kaynak.impact.services import TargetData
from kaynak.impact.tests.conftest import YEAR, Fixture, computed
from kaynak.ledger.queries import organisations_reached, people_reached
from kaynak.ledger.services import withdraw_delivery

pytestmark = pytest.mark.django_db

SCOPE = Scope(*YEAR)


def by_key(rows: list[figures.Row]) -> dict[str, tuple[int, int]]:
    return {row.key: (row.organisations, row.people) for row in rows}


def test_the_headline_counts_distinct_subjects_deliveries_hours_and_provinces(
    ledger: Fixture,
) -> None:
    assert compute_figures(SCOPE).headline == Headline(
        organisations=3, people=3, deliveries=6, hours=Decimal(15), provinces=2
    )


def test_the_breakdowns_count_distinct_organisations_and_people_per_group(
    ledger: Fixture,
) -> None:
    counted = compute_figures(SCOPE)
    assert by_key(counted.by_kind) == {"training": (2, 2), "support": (2, 1)}
    assert by_key(counted.by_province) == {"6": (2, 2), "34": (1, 1)}
    # d7 went to a person alone: it has no organisation, so no organisation type.
    assert by_key(counted.by_organisation_type) == {"association": (2, 1), "foundation": (1, 1)}
    assert by_key(counted.by_theme) == {"environment": (1, 1), "": (2, 2)}
    # Services in the center's own order; provinces in Turkish alphabetical order.
    assert [row.key for row in counted.by_kind] == ["training", "support"]
    assert [row.key for row in counted.by_province] == ["6", "34"]


def test_trends_show_every_month_and_quarter_of_the_period_gaps_included(
    ledger: Fixture,
) -> None:
    counted = compute_figures(SCOPE)
    months = {
        (p.year, p.number): (p.organisations, p.people, p.deliveries) for p in counted.by_month
    }
    assert len(months) == 12
    assert months[(2025, 2)] == (2, 1, 2)
    assert months[(2025, 3)] == (1, 0, 1)
    assert months[(2025, 5)] == (1, 1, 2)
    assert months[(2025, 6)] == (0, 1, 1)
    assert months[(2025, 4)] == (0, 0, 0)  # d8 was withdrawn
    quarters = [(p.number, p.organisations, p.people, p.deliveries) for p in counted.by_quarter]
    assert quarters == [(1, 3, 1, 3), (2, 1, 2, 3), (3, 0, 0, 0), (4, 0, 0, 0)]


def test_the_quarter_trend_from_the_summary_equals_the_one_counted_from_the_ledger(
    ledger: Fixture,
) -> None:
    assert SCOPE.from_summary
    assert figures._quarters(SCOPE) == figures._trend(SCOPE, "quarter")


def test_a_programme_narrows_every_figure_to_its_deliveries(ledger: Fixture) -> None:
    counted = compute_figures(Scope(*YEAR, programme="Kapasite"))
    assert counted.headline == Headline(1, 1, 1, Decimal(3), 1)
    assert by_key(counted.by_kind) == {"training": (1, 1)}
    assert [(p.number, p.deliveries) for p in counted.by_quarter if p.deliveries] == [(2, 1)]
    assert [(c.kind, c.province, c.organisations) for c in figures.cube(counted.scope)] == [
        ("training", "6", 1)
    ]


def test_a_period_with_no_deliveries_has_no_data_and_empty_breakdowns(ledger: Fixture) -> None:
    counted = compute_figures(Scope(dt.date(2030, 1, 1), dt.date(2030, 12, 31)))
    assert not counted.has_data
    assert counted.by_province == []
    assert counted.by_kind == []
    assert all(p.deliveries == 0 for p in counted.by_month)


def test_the_indicator_table_keeps_no_data_apart_from_zero(
    ledger: Fixture, me_officer: object
) -> None:
    computed(
        me_officer,  # type: ignore[arg-type]
        Measure.ORGANISATIONS,
        code="O1",
        targets=[TargetData(label="2025", start=YEAR[0], end=YEAR[1], value=Decimal(4))],
    )
    [figure] = compute_figures(SCOPE).indicators
    assert (figure.code, figure.value, figure.target, figure.variance) == (
        "O1",
        Decimal(3),
        Decimal(4),
        Decimal(-1),
    )
    assert figure.percent_of_target == Decimal("75.0")
    [empty] = compute_figures(Scope(dt.date(2030, 1, 1), dt.date(2030, 12, 31))).indicators
    assert empty.value is None
    assert empty.variance is None


def test_the_public_summary_shows_only_the_public_indicators(
    ledger: Fixture, me_officer: object
) -> None:
    computed(me_officer, Measure.ORGANISATIONS, code="O1", is_public=True)  # type: ignore[arg-type]
    computed(me_officer, Measure.PEOPLE, code="O2")  # type: ignore[arg-type]
    assert [i.code for i in compute_figures(SCOPE, public=True).indicators] == ["O1"]
    assert [i.code for i in compute_figures(SCOPE).indicators] == ["O1", "O2"]


def test_the_report_lists_the_activities_and_the_raw_cube(ledger: Fixture) -> None:
    counted = compute_figures(SCOPE, report=True)
    assert sum(a.deliveries for a in counted.activities) == 6
    assert [a.first for a in counted.activities] == sorted(a.first for a in counted.activities)
    assert figures.cube(SCOPE) == counted.cube
    # From the summary (whole quarters) and from the ledger (a programme or cut quarters) the
    # cube is the same figure.
    cut = Scope(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert not Scope(dt.date(2025, 1, 2), dt.date(2025, 6, 30)).whole_quarters
    assert figures.cube(cut) == [c for c in counted.cube if c.quarter <= 2]


def test_a_snapshot_reads_back_equal_and_stays_frozen_when_the_ledger_changes(
    ledger: Fixture, me_officer: object
) -> None:
    computed(me_officer, Measure.ORGANISATIONS, code="O1")  # type: ignore[arg-type]
    counted = compute_figures(SCOPE, report=True)
    stored = counted.to_json()
    assert Figures.from_json(stored) == counted
    withdraw_delivery(source=ledger.sources["d3"], organisation=ledger.organisations["C"])
    assert Figures.from_json(stored).headline.organisations == 3
    assert compute_figures(SCOPE).headline.organisations == 2


def test_every_breakdown_row_drills_down_to_exactly_its_names(ledger: Fixture) -> None:
    counted = compute_figures(SCOPE)
    for breakdown in figures.BREAKDOWNS:
        for row in getattr(counted, breakdown):
            reach_filter = drilldown(SCOPE, breakdown, row.key)
            assert reach_filter is not None, (breakdown, row)
            assert organisations_reached(reach_filter).count() == row.organisations, (
                breakdown,
                row,
            )
            assert people_reached(reach_filter).count() == row.people, (breakdown, row)
    for unit in ("by_month", "by_quarter"):
        for period in getattr(counted, unit):
            reach_filter = drilldown(SCOPE, unit, f"{period.year}-{period.number}")
            assert reach_filter is not None
            assert organisations_reached(reach_filter).count() == period.organisations


@pytest.mark.parametrize(
    ("breakdown", "key"),
    [
        ("by_province", "99"),
        ("by_province", "x"),
        ("by_kind", "nope"),
        ("by_month", "2025"),
        ("by_month", "2031-1"),
        ("nothing", "1"),
    ],
)
def test_an_unknown_drilldown_key_gives_no_filter(
    ledger: Fixture, breakdown: str, key: str
) -> None:
    assert drilldown(SCOPE, breakdown, key) is None


def test_a_scope_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before"):
        Scope(dt.date(2025, 2, 1), dt.date(2025, 1, 1))


@settings(max_examples=30, deadline=None)
@given(
    start=st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
    days=st.integers(0, 500),
)
def test_the_trends_cover_the_period_in_order_without_gaps(start: dt.date, days: int) -> None:
    scope = Scope(start, start + dt.timedelta(days=days))
    months = figures._calendar(scope, "month")
    assert months[0] == (start.year, start.month)
    assert months[-1] == (scope.end.year, scope.end.month)
    assert all(
        b == ((a[0] + 1, 1) if a[1] == 12 else (a[0], a[1] + 1))
        for a, b in itertools.pairwise(months)
    )


def counted_both_ways(scope: Scope, monkeypatch: pytest.MonkeyPatch) -> tuple[Figures, Figures]:
    """The figures of a whole-quarter scope read from the summary, and counted from the
    deliveries (the summary switched off)."""
    assert scope.from_summary
    from_summary = compute_figures(scope)
    with monkeypatch.context() as patched:
        patched.setattr(Scope, "from_summary", property(lambda self: False))
        from_ledger = compute_figures(scope)
    return from_summary, from_ledger


@pytest.mark.parametrize(
    "period",
    [
        YEAR,
        (dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        (dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2030, 1, 1), dt.date(2030, 12, 31)),
    ],
)
def test_the_summary_gives_the_same_headline_and_breakdowns_as_the_ledger(
    ledger: Fixture, monkeypatch: pytest.MonkeyPatch, period: tuple[dt.date, dt.date]
) -> None:
    from_summary, from_ledger = counted_both_ways(Scope(*period), monkeypatch)
    assert from_summary.headline == from_ledger.headline
    for name in figures.BREAKDOWNS:
        assert getattr(from_summary, name) == getattr(from_ledger, name), name


def test_the_summary_follows_withdrawals_theme_changes_and_merges(
    ledger: Fixture, monkeypatch: pytest.MonkeyPatch, me_officer: User
) -> None:
    withdraw_delivery(source=ledger.sources["d1"], organisation=ledger.organisations["A"])
    ledger.deliveries["d3"].themes.set([Theme.objects.get(slug="youth")])
    organisation_merge(
        survivor=ledger.organisations["A"],
        merged=ledger.organisations["C"],
        values={},
        actor=me_officer,
    )
    from_summary, from_ledger = counted_both_ways(SCOPE, monkeypatch)
    assert from_summary.headline == from_ledger.headline
    assert from_summary.headline.organisations == 2  # A (C merged into it) and B
    for name in figures.BREAKDOWNS:
        assert getattr(from_summary, name) == getattr(from_ledger, name), name


def test_the_summary_counts_a_subject_once_across_two_mask_epochs(
    ledger: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quarter masks start a new epoch in 2030: one organisation reached on both sides.
    ledger.record("e1", "training", dt.date(2029, 11, 5), organisation="A", person="p2")
    ledger.record("e2", "training", dt.date(2030, 2, 5), organisation="A")
    ledger.record("e3", "support", dt.date(2030, 2, 6), organisation="B")
    scope = Scope(dt.date(2029, 7, 1), dt.date(2030, 6, 30))
    from_summary, from_ledger = counted_both_ways(scope, monkeypatch)
    assert by_key(from_summary.by_kind) == {"training": (1, 1), "support": (1, 0)}
    assert from_summary.headline == from_ledger.headline
    for name in figures.BREAKDOWNS:
        assert getattr(from_summary, name) == getattr(from_ledger, name), name

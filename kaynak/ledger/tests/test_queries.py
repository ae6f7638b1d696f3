"""Reach figures count distinct subjects; every figure's drill-down gives exactly its names.

The expected numbers come from the hand-built ledger in conftest.py (its table says who was
served when); each test says how it counts them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kaynak.core.models import Province, Region
from kaynak.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    province,
    service_kind,
)
from kaynak.ledger import queries
from kaynak.ledger.queries import Dimension, Reach, ReachFilter
from kaynak.ledger.services import record_delivery
from kaynak.ledger.tests.conftest import theme

YEAR_2024 = ReachFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


def names_of_organisations(reach_filter: ReachFilter, **options: bool) -> set[str]:
    return {o.name for o in queries.organisations_reached(reach_filter, **options)}


def names_of_people(reach_filter: ReachFilter, **options: bool) -> set[str]:
    return {p.full_name for p in queries.people_reached(reach_filter, **options)}


def as_table(rows: list[queries.ReachRow], dimension: Dimension) -> dict[object, Reach]:
    """{group key: Reach} with regions by code, provinces by plate, themes and kinds by slug."""
    table: dict[object, Reach] = {}
    for row in rows:
        value = getattr(row, dimension.value)
        key = value
        if isinstance(value, Region):
            key = value.code
        elif isinstance(value, Province):
            key = value.plate_code
        elif value is not None and hasattr(value, "slug"):
            key = value.slug
        table[key] = Reach(organisations=row.organisations, people=row.people)
    return table


def test_an_organisation_reached_several_times_counts_once(db):
    organisation = OrganisationFactory.create()
    for day in (1, 2, 3):
        source = RecordedServiceFactory.create()
        record_delivery(
            kind="training", source=source, date=dt.date(2024, 3, day), organisation=organisation
        )
    other = OrganisationFactory.create()
    record_delivery(
        kind="training",
        source=RecordedServiceFactory.create(),
        date=dt.date(2024, 3, 4),
        organisation=other,
    )

    # 4 deliveries to 2 organisations.
    assert queries.reach_totals(ReachFilter()) == Reach(organisations=2, people=0)


def test_a_person_served_on_behalf_of_an_organisation_counts_for_both(db):
    organisation = OrganisationFactory.create()
    person = PersonFactory.create()
    record_delivery(
        kind="webinar",
        source=RecordedServiceFactory.create(),
        date=dt.date(2024, 5, 5),
        organisation=organisation,
        person=person,
    )

    assert queries.reach_totals(ReachFilter()) == Reach(organisations=1, people=1)


def test_totals_of_a_year_count_each_subject_once_and_leave_out_withdrawn_deliveries(ledger):
    # 2024: organisations A, B (through p1), C; D's delivery is withdrawn. People p1, p2, p3.
    assert queries.reach_totals(YEAR_2024) == Reach(organisations=3, people=3)
    # All time adds nobody new: B in 2023 and A in 2025 are already counted.
    assert queries.reach_totals(ReachFilter()) == Reach(organisations=3, people=3)
    # 2023: only B.
    assert queries.reach_totals(
        ReachFilter(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    ) == Reach(organisations=1, people=0)


def test_the_period_includes_both_its_first_and_its_last_day(ledger):
    # A's first training is on 2024-03-10 and C's request on 2024-11-20.
    assert queries.reach_totals(
        ReachFilter(start=dt.date(2024, 3, 10), end=dt.date(2024, 3, 10))
    ) == Reach(organisations=1, people=0)
    assert queries.reach_totals(
        ReachFilter(start=dt.date(2024, 11, 20), end=dt.date(2024, 11, 20))
    ) == Reach(organisations=1, people=0)


def test_filters_by_kind_province_region_and_theme(ledger):
    training = service_kind("training")
    # Trainings in 2024: A twice (D's is withdrawn).
    assert queries.reach_totals(
        ReachFilter(start=YEAR_2024.start, end=YEAR_2024.end, kind=training)
    ) == Reach(1, 0)
    # Ankara: A, and p2's coaching.
    assert queries.reach_totals(ReachFilter(province=province(6))) == Reach(1, 1)
    # İstanbul region (TR1): B (2023 training, 2024 webinar) and p1.
    istanbul = Region.objects.get(code="TR1")
    assert queries.reach_totals(ReachFilter(region=istanbul)) == Reach(1, 1)
    # Women: B's deliveries since its themes were set, i.e. both of them, and p1.
    assert queries.reach_totals(ReachFilter(theme=theme("women"))) == Reach(1, 1)
    # Nothing recorded: p3's talk has no province; C, p2 and p3 have no theme.
    assert queries.reach_totals(ReachFilter(no_province=True)) == Reach(0, 1)
    assert queries.reach_totals(ReachFilter(no_theme=True)) == Reach(1, 2)


def test_breakdown_by_province_counts_distinct_subjects_per_province(ledger):
    rows = queries.reach_by(YEAR_2024, Dimension.PROVINCE)

    assert as_table(rows, Dimension.PROVINCE) == {
        6: Reach(1, 1),  # Ankara: A (three deliveries), p2
        34: Reach(1, 1),  # İstanbul: B and p1 (one delivery)
        35: Reach(1, 0),  # İzmir: C
        None: Reach(0, 1),  # no province: p3
    }
    # Turkish alphabetical order (A, İ after I, İz …), "not recorded" last.
    assert [row.province.name if row.province else None for row in rows] == [
        "Ankara",
        "İstanbul",
        "İzmir",
        None,
    ]


def test_breakdown_by_region_goes_through_the_province(ledger):
    rows = queries.reach_by(YEAR_2024, Dimension.REGION)

    assert as_table(rows, Dimension.REGION) == {
        "TR5": Reach(1, 1),
        "TR1": Reach(1, 1),
        "TR3": Reach(1, 0),
        None: Reach(0, 1),
    }


def test_breakdown_by_theme_counts_a_subject_under_each_of_its_themes(ledger):
    rows = queries.reach_by(YEAR_2024, Dimension.THEME)

    assert as_table(rows, Dimension.THEME) == {
        "environment": Reach(1, 0),  # A
        "women": Reach(1, 1),  # B through p1
        "children": Reach(1, 1),
        None: Reach(1, 2),  # C, p2, p3
    }


def test_breakdown_by_theme_under_a_theme_filter_shows_that_theme_only(ledger):
    rows = queries.reach_by(ReachFilter(theme=theme("women")), Dimension.THEME)

    assert as_table(rows, Dimension.THEME) == {"women": Reach(1, 1)}


def test_breakdown_by_service_kind_does_not_add_up_to_the_total(ledger):
    rows = queries.reach_by(YEAR_2024, Dimension.KIND)

    table = as_table(rows, Dimension.KIND)
    assert table == {
        "training": Reach(1, 0),  # A
        "webinar": Reach(1, 1),  # B, p1
        "support": Reach(2, 0),  # A and C
        "coaching": Reach(0, 1),  # p2
        "talk": Reach(0, 1),  # p3
    }
    # A appears under training and support, but is one organisation.
    assert sum(r.organisations for r in table.values()) == 4
    assert queries.reach_totals(YEAR_2024).organisations == 3
    # Service kinds in the center's order, not the alphabet's.
    assert [row.kind.slug for row in rows if row.kind] == [
        "training",
        "webinar",
        "talk",
        "support",
        "coaching",
    ]


def test_breakdown_by_year_and_quarter(ledger):
    rows = queries.reach_by(ReachFilter(), Dimension.YEAR, Dimension.QUARTER)

    assert [(r.year, r.quarter, r.organisations, r.people) for r in rows] == [
        (2023, 1, 1, 0),  # B's training
        (2024, 1, 1, 0),  # A's first training (March)
        (2024, 2, 2, 1),  # A (May), B and p1 (June)
        (2024, 3, 0, 2),  # p2 (August), p3 (September); D's October training is withdrawn
        (2024, 4, 2, 0),  # C (November), A (December)
        (2025, 1, 1, 0),  # A
    ]


def test_breakdowns_combine_dimensions(ledger):
    rows = queries.reach_by(YEAR_2024, Dimension.PROVINCE, Dimension.KIND)

    assert {
        (r.province.plate_code if r.province else None, r.kind.slug if r.kind else None): (
            r.organisations,
            r.people,
        )
        for r in rows
    } == {
        (6, "training"): (1, 0),
        (6, "support"): (1, 0),
        (6, "coaching"): (0, 1),
        (34, "webinar"): (1, 1),
        (35, "support"): (1, 0),
        (None, "talk"): (0, 1),
    }


def test_quarter_needs_the_year_in_a_breakdown(ledger):
    with pytest.raises(ValueError, match="YEAR"):
        queries.reach_by(ReachFilter(), Dimension.QUARTER)


def test_first_reached_is_the_earliest_delivery_that_was_not_withdrawn(ledger):
    first = {
        row["organisation"]: row["first_reached"] for row in queries.first_reached_organisations()
    }
    orgs = ledger.organisations
    assert first == {
        orgs["A"].pk: dt.date(2024, 3, 10),
        orgs["B"].pk: dt.date(2023, 2, 1),
        orgs["C"].pk: dt.date(2024, 11, 20),
    }
    people = {row["person"]: row["first_reached"] for row in queries.first_reached_people()}
    assert people == {
        ledger.people["p1"].pk: dt.date(2024, 6, 15),
        ledger.people["p2"].pk: dt.date(2024, 8, 8),
        ledger.people["p3"].pk: dt.date(2024, 9, 9),
    }


def test_new_this_period_are_those_first_reached_within_it(ledger):
    # 2024: A and C are new; B was first reached in 2023. All three people are new.
    assert queries.new_reach(YEAR_2024) == Reach(organisations=2, people=3)
    assert names_of_organisations(YEAR_2024, new=True) == {
        "Ankara Çevre Derneği",
        "Çiğli Gençlik Kooperatifi",
    }
    # 2025: A was reached again, but it is not new.
    assert queries.new_reach(
        ReachFilter(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    ) == Reach(0, 0)


def test_new_under_a_service_filter_means_new_to_the_center(ledger):
    # B was reached by a webinar in 2024 for the first time, but it came to a training in 2023.
    webinars_2024 = ReachFilter(
        start=YEAR_2024.start, end=YEAR_2024.end, kind=service_kind("webinar")
    )
    assert queries.new_reach(webinars_2024) == Reach(organisations=0, people=1)


def test_organisations_served_by_two_or_more_kinds(ledger):
    # 2024: A had trainings and a support request; B only a webinar, C only support.
    assert queries.multi_service_organisation_count(YEAR_2024) == 1
    assert names_of_organisations(YEAR_2024, multi_service=True) == {"Ankara Çevre Derneği"}
    # Of those reached by training in 2024, A also had support: the kind filter picks who.
    trainings = ReachFilter(start=YEAR_2024.start, end=YEAR_2024.end, kind=service_kind("training"))
    assert queries.multi_service_organisation_count(trainings) == 1
    # All time, B had a training (2023) and a webinar (2024): now two organisations.
    assert queries.multi_service_organisation_count(ReachFilter()) == 2
    # In İzmir nobody was.
    assert queries.multi_service_organisation_count(ReachFilter(province=province(35))) == 0


def test_two_deliveries_of_the_same_kind_are_not_two_services(db):
    organisation = OrganisationFactory.create()
    for day in (1, 2):
        record_delivery(
            kind="support",
            source=RecordedServiceFactory.create(),
            date=dt.date(2024, 1, day),
            organisation=organisation,
        )

    assert queries.multi_service_organisation_count(ReachFilter()) == 0


def test_drill_down_gives_exactly_the_names_behind_each_figure(ledger):
    totals = queries.reach_totals(YEAR_2024)
    assert names_of_organisations(YEAR_2024) == {
        "Ankara Çevre Derneği",
        "İstanbul Kadın Dayanışma Vakfı",
        "Çiğli Gençlik Kooperatifi",
    }
    assert names_of_people(YEAR_2024) == {"Şule Işık", "Can Öztürk", "Ilgaz Demir"}
    assert queries.organisations_reached(YEAR_2024).count() == totals.organisations

    # Each breakdown row's drill-down has as many names as its figure.
    for dimension in (Dimension.REGION, Dimension.PROVINCE, Dimension.THEME, Dimension.KIND):
        for row in queries.reach_by(YEAR_2024, dimension):
            narrowed = row.narrow(YEAR_2024)
            assert queries.organisations_reached(narrowed).count() == row.organisations, row
            assert queries.people_reached(narrowed).count() == row.people, row

    # The "no theme" row: C, and the people p2 and p3.
    no_theme = ReachFilter(start=YEAR_2024.start, end=YEAR_2024.end, no_theme=True)
    assert names_of_organisations(no_theme) == {"Çiğli Gençlik Kooperatifi"}
    assert names_of_people(no_theme) == {"Can Öztürk", "Ilgaz Demir"}


def test_drill_down_of_a_quarter_narrows_the_period(ledger):
    row = next(
        r
        for r in queries.reach_by(ReachFilter(), Dimension.YEAR, Dimension.QUARTER)
        if (r.year, r.quarter) == (2024, 2)
    )
    narrowed = row.narrow(ReachFilter())

    assert (narrowed.start, narrowed.end) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert names_of_organisations(narrowed) == {
        "Ankara Çevre Derneği",
        "İstanbul Kadın Dayanışma Vakfı",
    }


def test_drill_down_is_in_turkish_alphabetical_order_with_first_reached_dates(
    ledger, django_assert_num_queries
):
    organisations = list(queries.organisations_reached(ReachFilter()))

    # C (Ç) comes after A and before İ in Turkish, unlike in a byte-wise sort.
    assert [o.name for o in organisations] == [
        "Ankara Çevre Derneği",
        "Çiğli Gençlik Kooperatifi",
        "İstanbul Kadın Dayanışma Vakfı",
    ]
    with django_assert_num_queries(1):
        first = queries.first_reached_dates(organisations=organisations)
    assert [first[o] for o in organisations] == [
        dt.date(2024, 3, 10),
        dt.date(2024, 11, 20),
        dt.date(2023, 2, 1),
    ]
    assert [p.full_name for p in queries.people_reached(ReachFilter())] == [
        "Can Öztürk",
        "Ilgaz Demir",
        "Şule Işık",
    ]


def test_the_report_puts_every_figure_together(ledger, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        report = queries.reach_report(YEAR_2024)

    assert report.totals == Reach(3, 3)
    assert report.new == Reach(2, 3)
    assert report.multi_service_organisations == 1
    assert len(report.by_province) == 4
    assert len(report.by_region) == 4
    assert len(report.by_theme) == 4
    assert len(report.by_kind) == 5


def test_years_with_deliveries_are_listed_newest_first(ledger):
    assert queries.delivery_years() == [2025, 2024, 2023]


def test_no_deliveries_no_years(db):
    assert queries.delivery_years() == []
    assert queries.reach_totals(ReachFilter()) == Reach(0, 0)


def test_a_programme_and_an_organisation_type_narrow_figures_and_names(db):
    association = OrganisationFactory.create(name="Dernek", legal_form_id="association")
    foundation = OrganisationFactory.create(name="Vakıf", legal_form_id="foundation")
    untyped = OrganisationFactory.create(name="Türü yok", legal_form_id=None)
    alone = PersonFactory.create(full_name="Yalnız Kişi")
    for organisation, programme in ((association, "Kapasite"), (foundation, ""), (untyped, "")):
        record_delivery(
            kind="training",
            source=RecordedServiceFactory.create(),
            date=dt.date(2024, 5, 5),
            organisation=organisation,
            programme=programme,
        )
    record_delivery(
        kind="webinar",
        source=RecordedServiceFactory.create(),
        date=dt.date(2024, 5, 6),
        person=alone,
        programme="Kapasite",
    )

    capacity = ReachFilter(programme="Kapasite")
    assert queries.reach_totals(capacity) == Reach(organisations=1, people=1)
    assert names_of_organisations(capacity) == {"Dernek"}
    by_type = as_table(
        queries.reach_by(ReachFilter(), Dimension.ORGANISATION_TYPE), Dimension.ORGANISATION_TYPE
    )
    # A delivery to a person alone has no organisation, so no type: it is in no group.
    assert by_type == {
        "association": Reach(1, 0),
        "foundation": Reach(1, 0),
        None: Reach(1, 0),
    }
    untyped_row = next(
        row
        for row in queries.reach_by(ReachFilter(), Dimension.ORGANISATION_TYPE)
        if row.organisation_type is None
    )
    assert names_of_organisations(untyped_row.narrow(ReachFilter())) == {"Türü yok"}
    assert names_of_organisations(ReachFilter(organisation_type=foundation.legal_form)) == {"Vakıf"}

"""The small demo data set: believable, complete, and the same every time from the same seed."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kaynak.core.demo import build_demo
from kaynak.core.models import Province
from kaynak.directory.demo import plan_organisations
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.directory.normalize import organisation_search_text, person_search_text
from kaynak.festival.models import Badge, FestivalSession
from kaynak.helpdesk.models import Request, TechnicalSupportMeeting
from kaynak.ledger import queries
from kaynak.ledger.models import Delivery, RecordedService, ServiceKind
from kaynak.programmes.models import Registration

pytestmark = pytest.mark.django_db


def signature() -> tuple[Any, ...]:
    """The demo's content without database ids (which sequences give out differently)."""
    return (
        sorted(
            Organisation.objects.values_list(
                "name", "short_name", "province", "legal_form", "emails", "parent__name"
            ),
            key=repr,
        ),
        sorted(
            Person.objects.values_list("full_name", "province", "emails", "user__email"), key=repr
        ),
        sorted(
            Affiliation.objects.values_list("person__full_name", "organisation__name", "is_admin"),
            key=repr,
        ),
        sorted(
            Delivery.objects.values_list(
                "kind__slug",
                "date",
                "organisation__name",
                "person__full_name",
                "province",
                "withdrawn_at",
            ),
            key=repr,
        ),
    )


@pytest.fixture
def small_demo(db: None) -> dict[str, int]:
    return build_demo(scale="small", seed=2018)


def test_the_small_demo_has_the_promised_sizes(small_demo):
    assert Organisation.objects.count() == 300
    assert Person.objects.count() == 600
    recorded = ContentType.objects.get_for_model(RecordedService)
    assert Delivery.objects.filter(source_type=recorded).count() == 3_000
    assert small_demo["service deliveries"] == 3_000


def test_every_province_has_organisations_and_the_big_three_have_most(small_demo):
    per_province = Counter(Organisation.objects.values_list("province", flat=True))

    assert set(per_province) == set(Province.objects.values_list("plate_code", flat=True))
    assert per_province.most_common(1)[0][0] == 34
    # At the national scale's proportions, İstanbul, Ankara and İzmir lead, in that order.
    names = dict(Province.objects.values_list("plate_code", "name"))
    planned = Counter(spec.province for spec in plan_organisations(random.Random(1), 20_000, names))
    assert [plate for plate, _ in planned.most_common(3)] == [34, 6, 35]
    assert len(planned) == 81


def test_organisations_look_like_turkish_civil_society(small_demo):
    names = list(Organisation.objects.values_list("name", flat=True))
    forms = Counter(str(f) for f in Organisation.objects.values_list("legal_form", flat=True))

    assert sum("Derneği" in n for n in names) > len(names) / 2
    assert any(n.endswith("Vakfı") for n in names)
    assert any("Kooperatifi" in n for n in names)
    assert any(n.endswith("Şubesi") for n in names)
    assert forms["association"] > forms["foundation"] > 0
    branches = Organisation.objects.filter(parent__isnull=False).select_related("parent")
    assert branches
    assert all(b.parent and b.name.startswith(b.parent.name) for b in branches)
    assert all(
        o.search_text == organisation_search_text(o.name, o.short_name)
        for o in Organisation.objects.all()
    )
    assert Organisation.objects.filter(public_listing_consent=True).count() > 50
    assert Organisation.objects.annotate(n=Count("themes")).filter(n=0).count() == 0


def test_people_have_search_text_and_most_work_somewhere(small_demo):
    assert all(p.search_text == person_search_text(p.full_name) for p in Person.objects.all())
    working = Person.objects.filter(affiliations__isnull=False).distinct().count()
    assert 300 <= working <= 450


def test_demo_members_are_people_and_the_first_are_ngo_admins(small_demo):
    members = Person.objects.filter(user__isnull=False).order_by("user__email")
    admins = Affiliation.objects.filter(is_admin=True).select_related("person__user")

    assert members.count() == 20
    assert small_demo["NGO admins"] == 3
    assert sorted(a.person.user.email for a in admins if a.person.user) == [
        p.user.email for p in members[:3] if p.user
    ]
    # Admins act for organisations in the public directory.
    assert all(a.organisation.public_listing_consent for a in admins)


def test_deliveries_span_four_years_all_service_kinds_and_honest_sources(small_demo):
    recorded = ContentType.objects.get_for_model(RecordedService)
    ledger = Delivery.objects.filter(source_type=recorded)
    years = sorted({d.year for d in ledger.values_list("date", flat=True)}, reverse=True)
    kinds = set(ledger.values_list("kind__slug", flat=True))

    # The ledger's own demo is the four years before the apps' (trainings of the last year
    # are recorded by the programmes app, from their registrations).
    assert years == [2025, 2024, 2023, 2022]
    assert kinds == set(ServiceKind.objects.values_list("slug", flat=True))
    assert set(Delivery.objects.values_list("source_type", flat=True)) == {
        recorded.pk,
        ContentType.objects.get_for_model(Registration).pk,
        # The support desk's resolved requests and the EU Support Unit's meetings.
        ContentType.objects.get_for_model(Request).pk,
        ContentType.objects.get_for_model(TechnicalSupportMeeting).pk,
        # The festival's check-ins (badges) and the workshops it held.
        ContentType.objects.get_for_model(Badge).pk,
        ContentType.objects.get_for_model(FestivalSession).pk,
    }
    # Every delivery of the ledger's demo points to a recorded service that exists, of the
    # same kind and date.
    sources = {s.pk: s for s in RecordedService.objects.all()}
    for delivery in ledger[:500]:
        source = sources[int(delivery.source_id)]
        assert (source.kind_id, source.date, source.title) == (
            delivery.kind_id,
            delivery.date,
            delivery.activity,
        )
    assert Delivery.objects.filter(organisation__isnull=False, person__isnull=False).exists()
    assert Delivery.objects.filter(organisation__isnull=True).exists()
    assert Delivery.objects.filter(person__isnull=True).exists()
    assert Delivery.objects.filter(withdrawn_at__isnull=False).exists()


def test_reach_of_the_demo_counts_fewer_subjects_than_deliveries(small_demo):
    year = queries.ReachFilter(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    totals = queries.reach_totals(year)
    deliveries = Delivery.objects.filter(withdrawn_at__isnull=True, date__year=2025).count()

    assert 0 < totals.organisations < deliveries
    assert 0 < totals.people < deliveries
    assert queries.multi_service_organisation_count(year) > 0
    assert 0 < queries.new_reach(year).organisations < totals.organisations


def test_the_same_seed_builds_the_same_demo():
    # In the same hour: the demo dates its records from its "now", to the hour.
    now = timezone.now().replace(minute=5)
    with transaction.atomic():
        build_demo(scale="small", seed=7, now=now)
        first = signature()
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()

    build_demo(scale="small", seed=7, now=now + dt.timedelta(minutes=50))

    assert signature() == first


def test_another_seed_builds_another_demo():
    with transaction.atomic():
        build_demo(scale="small", seed=7)
        first = signature()
        transaction.set_rollback(True)

    build_demo(scale="small", seed=8)

    assert signature() != first

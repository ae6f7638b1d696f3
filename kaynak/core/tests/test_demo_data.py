"""The small demo data set, built ONCE for this module by the `demo` command (a full build takes
most of a minute, longer on PostgreSQL): every app's checks of the whole demo live here. Each
test runs in its own savepoint inside the module's transaction, which is rolled back at the end.
How the same seed builds the same data is tested in ``kaynak/ledger/tests/test_demo.py``."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone, translation

from kaynak.accounts.models import Role, User
from kaynak.calls.models import ApplicationStatus
from kaynak.coaching.models import (
    CoachingSession,
    Engagement,
    EngagementStatus,
    Partnership,
    PartnershipActivity,
)
from kaynak.core.demo import DEMO_ADMIN_EMAIL
from kaynak.core.models import CenterSettings, Province
from kaynak.directory.demo import plan_organisations
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.directory.normalize import organisation_search_text, person_search_text
from kaynak.festival.models import Badge, Festival, FestivalSession, SessionStatus
from kaynak.helpdesk.models import Request, TechnicalSupportMeeting
from kaynak.impact import results
from kaynak.impact.models import Indicator, ManualValue, ValueStatus
from kaynak.ledger import queries
from kaynak.ledger.models import Delivery, RecordedService, ServiceKind
from kaynak.library.models import PublicationStatus, Resource
from kaynak.programmes.models import Registration

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def small_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo, made by the `demo` command; it stays for the module's tests."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        translation.override("en"),
    ):
        try:
            with transaction.atomic():
                call_command("demo", "--scale", "small", verbosity=0)
                yield
                raise _Rollback
        except _Rollback:
            pass


def test_the_small_demo_has_the_promised_sizes(small_demo):
    assert Organisation.objects.count() == 300
    # The directory's people; the academics of the NGO–academia programme come on top.
    assert Person.objects.filter(academic__isnull=True).count() == 600
    recorded = ContentType.objects.get_for_model(RecordedService)
    assert Delivery.objects.filter(source_type=recorded).count() == 3_000


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
    members = Person.objects.filter(user__isnull=False, academic__isnull=True).order_by(
        "user__email"
    )
    admins = Affiliation.objects.filter(is_admin=True).select_related("person__user")

    assert members.count() == 20
    assert admins.count() == 3
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
        # Coaching sessions, and what NGOs and academics did together.
        ContentType.objects.get_for_model(CoachingSession).pk,
        ContentType.objects.get_for_model(PartnershipActivity).pk,
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


def test_the_small_demo_has_a_past_festival_with_a_full_programme_and_an_upcoming_one(
    small_demo: None,
) -> None:
    year = timezone.localdate().year

    past = Festival.objects.get(slug=f"sivil-sesler-{year - 1}")
    sessions = FestivalSession.objects.filter(festival=past)
    assert sessions.count() >= 28
    assert sessions.filter(status=SessionStatus.HELD).count() == sessions.count()
    from_proposals = sessions.filter(application__status=ApplicationStatus.ACCEPTED)
    assert from_proposals.count() >= 20
    assert past.venues.count() == 4
    assert past.participations.count() >= 20
    assert past.badges.filter(checked_in_at__isnull=False).count() >= 30
    assert not sessions.filter(status=SessionStatus.PROPOSED).exists()
    deliveries = Delivery.objects.filter(
        kind__slug="festival", withdrawn_at__isnull=True, programme=past.programme.name
    )
    assert (
        deliveries.filter(source_type__model="badge").count()
        == past.badges.filter(checked_in_at__isnull=False).count()
    )
    assert deliveries.filter(source_type__model="festivalsession").exists()
    # People came from many provinces (the deliveries are in the festival's province).
    assert deliveries.values("organisation__province").distinct().count() >= 5

    upcoming = Festival.objects.get(slug=f"sivil-sesler-{year + 1}")
    assert upcoming.call is not None
    assert upcoming.call.is_open()
    assert upcoming.call.applications.filter(status=ApplicationStatus.SUBMITTED).exists()


def test_the_demo_has_the_indicators_of_the_issue_with_targets_and_figures(
    small_demo: None,
) -> None:
    by_code = {i.code: i for i in results.indicators_for_table()}
    assert {i.name_en: i.targets.get().value for i in by_code.values() if i.code < "O2"} == {
        "Organisations supported": Decimal(2000),
        "NGO representatives trained": Decimal(3000),
        "Support requests answered": Decimal(1000),
        "Organisations the EU Support Unit supported": Decimal(50),
    }
    start, end = dt.date(2022, 1, 1), dt.date(2025, 12, 31)
    table = {
        r.indicator.code: r for r in results.indicator_table(by_code.values(), start=start, end=end)
    }
    assert table["O1.1"].value is not None
    assert table["O1.1"].value > 0
    assert table["O1.1"].target is not None
    publications = ManualValue.objects.get(indicator=by_code["O2.1"])
    assert publications.status == ValueStatus.APPROVED
    year = results.indicator_result(
        Indicator.objects.get(code="O2.1"), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    assert (year.value, year.percent_of_target) == (Decimal(14), Decimal("116.7"))


def test_the_demo_command_builds_a_center_with_staff_for_every_role_and_members(
    small_demo: None,
) -> None:
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    assert admin.staff_roles == {Role.CENTER_ADMIN.value}
    assert admin.check_password("kaynak-demo-2026")
    roles = set(
        User.objects.filter(role_assignments__isnull=False).values_list(
            "role_assignments__role", flat=True
        )
    )
    assert roles == {role.value for role in Role}
    assert User.objects.filter(is_staff=False).count() >= 20
    assert CenterSettings.current().name_tr == "Sivil Toplum Kaynak Merkezi"


def test_the_demo_coaching_shows_in_the_outcome_indicators_and_partnerships_span_ten_provinces(
    small_demo: None,
) -> None:
    assert Engagement.objects.count() == 15
    assert Engagement.objects.filter(status=EngagementStatus.COMPLETED).count() == 12
    today = timezone.localdate()
    since = today - dt.timedelta(days=3 * 365)
    gain = results.indicator_result(Indicator.objects.get(code="S1.1"), start=since, end=today)
    assert gain.value is not None
    assert gain.value > 0
    done = results.indicator_result(Indicator.objects.get(code="S1.2"), start=since, end=today)
    assert done.value is not None
    assert 0 < done.value <= 100

    assert Partnership.objects.count() == 27
    assert Partnership.objects.values("province").distinct().count() == 10
    assert Resource.objects.filter(
        partnership_output__isnull=False, status=PublicationStatus.PUBLISHED
    ).exists()

"""The demo partnerships: 27 academics and 27 partnerships in the ten provinces, most completed
and public with activities (ledger deliveries) and about ten publications in the library, four
open requests for matching; no personal names in titles."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest
from rich.progress import Progress

from kaynak.coaching import demo_academia, matching
from kaynak.coaching.models import (
    AcademicProfile,
    Partnership,
    PartnershipActivity,
    PartnershipOutput,
    PartnershipRequest,
)
from kaynak.core.demo import DemoContext, demo_now
from kaynak.directory.models import Person
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory, province
from kaynak.ledger.models import Delivery
from kaynak.library import queries as library_queries

pytestmark = pytest.mark.django_db

NOW = demo_now(dt.datetime(2026, 6, 15, 10, 30, tzinfo=dt.UTC))


def test_the_demo_builds_partnerships_in_ten_provinces_with_activities_and_publications():
    plates = list(demo_academia.UNIVERSITIES)
    for index in range(33):
        organisation = OrganisationFactory.create(province=province(plates[index % len(plates)]))
        AffiliationFactory.create_batch(2, organisation=organisation)
    context = DemoContext(
        scale="small", rng=random.Random(11), progress=Progress(disable=True), now=NOW
    )

    started = time.perf_counter()
    demo_academia.build(context)
    seconds = time.perf_counter() - started

    assert AcademicProfile.objects.count() == 27
    partnerships = Partnership.objects.all()
    assert partnerships.count() == 27
    assert set(partnerships.values_list("province_id", flat=True)) == set(plates)
    completed = partnerships.filter(status="completed")
    assert completed.count() >= 15
    assert completed.filter(is_public=True).count() == completed.count()
    assert all(2 <= p.activities.count() <= 4 for p in partnerships)
    assert Delivery.objects.filter(kind__slug="academia", person__isnull=False).exists()
    outputs = PartnershipOutput.objects.select_related("resource")
    assert outputs.count() == 10
    assert all(o.resource and o.resource.link_url and not o.resource.file for o in outputs)
    assert {o.resource for o in outputs} <= set(library_queries.published())
    assert PartnershipRequest.objects.filter(status="open").count() == 4
    assert all(item.proposals for item in matching.proposals_for_all_open())
    names = {p.full_name for p in Person.objects.all()}
    titles = list(PartnershipActivity.objects.values_list("title", flat=True)) + list(
        partnerships.values_list("title", flat=True)
    )
    assert not any(name in title for name in names for title in titles)
    assert seconds < 15

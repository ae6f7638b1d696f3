"""A small ledger built by hand, whose reach figures can be worked out on paper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from kaynak.core.models import Theme
from kaynak.directory.models import Organisation, Person
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    province,
    service_kind,
)
from kaynak.ledger.models import Delivery, RecordedService
from kaynak.ledger.services import record_delivery, withdraw_delivery


@dataclass
class Ledger:
    """The organisations, people and deliveries of the hand-built ledger, by short name."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)

    def record(
        self,
        kind: str,
        date: dt.date,
        *,
        organisation: str | None = None,
        person: str | None = None,
        **extra: Any,
    ) -> Delivery:
        """One delivery from a service recorded by hand of its own (a training, a request …)."""
        source: RecordedService = RecordedServiceFactory.create(kind=service_kind(kind), date=date)
        delivery = record_delivery(
            kind=kind,
            source=source,
            date=date,
            organisation=self.organisations[organisation] if organisation else None,
            person=self.people[person] if person else None,
            **extra,
        )
        self.deliveries.append(delivery)
        return delivery


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


@pytest.fixture
def ledger(db: None) -> Ledger:
    """Four organisations and three people, served from 2023 to 2025.

    ====  ==========  ===================  =================  ============================
    who   province    themes               first reached      deliveries
    ====  ==========  ===================  =================  ============================
    A     Ankara      environment          2024-03-10         training ×2, support (2024),
                                                              support (2025)
    B     İstanbul    women, children      2023-02-01         training (2023); webinar to
                                                              p1 on B's behalf (2024)
    C     İzmir       —                    2024-11-20         support (2024)
    D     Van         —                    never              training (2024), withdrawn
    p1    İstanbul    (B's)                2024-06-15         webinar for B (2024)
    p2    Ankara      —                    2024-08-08         coaching (2024)
    p3    —           —                    2024-09-09         talk (2024)
    ====  ==========  ===================  =================  ============================
    """
    built = Ledger()
    a = OrganisationFactory.create(name="Ankara Çevre Derneği", province=province(6))
    a.themes.set([theme("environment")])
    b = OrganisationFactory.create(name="İstanbul Kadın Dayanışma Vakfı", province=province(34))
    b.themes.set([theme("women"), theme("children")])
    c = OrganisationFactory.create(name="Çiğli Gençlik Kooperatifi", province=province(35))
    d = OrganisationFactory.create(name="Van Dağcılık Derneği", province=province(65))
    built.organisations = {"A": a, "B": b, "C": c, "D": d}
    p1 = PersonFactory.create(full_name="Şule Işık", province=province(34))
    AffiliationFactory.create(person=p1, organisation=b)
    p2 = PersonFactory.create(full_name="Can Öztürk", province=province(6))
    p3 = PersonFactory.create(full_name="Ilgaz Demir", province=None)
    built.people = {"p1": p1, "p2": p2, "p3": p3}

    built.record("training", dt.date(2024, 3, 10), organisation="A")
    built.record("training", dt.date(2024, 5, 2), organisation="A")
    built.record("support", dt.date(2024, 12, 1), organisation="A")
    built.record("support", dt.date(2025, 1, 15), organisation="A")
    built.record("training", dt.date(2023, 2, 1), organisation="B")
    built.record("webinar", dt.date(2024, 6, 15), organisation="B", person="p1")
    built.record("support", dt.date(2024, 11, 20), organisation="C")
    withdrawn = built.record("training", dt.date(2024, 10, 10), organisation="D")
    withdraw_delivery(source=RecordedService.objects.get(pk=withdrawn.source_id), organisation=d)
    built.record("coaching", dt.date(2024, 8, 8), person="p2")
    built.record("talk", dt.date(2024, 9, 9), person="p3")
    return built

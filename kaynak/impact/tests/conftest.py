"""A small ledger over two quarters of 2025, whose indicator values can be worked out on paper.

====  ==========================  =========================  ================================
#     date / kind                 subject (province)         notes
====  ==========================  =========================  ================================
d1    2025-02-10 training, 6 h    A (Ankara, association)    themes: A's (environment)
d2    2025-02-10 training, 6 h    p1 ♀ for B (İstanbul)      B is a foundation, no themes
d3    2025-03-05 support          C (Ankara, association)    C was reached in 2024 (d6)
d4    2025-05-20 training, 3 h    p2 ♂ for A (Ankara)        programme "Kapasite"; A's themes
d5    2025-05-25 support          A                          A's themes
d6    2024-11-01 training         C                          before 2025: C is "returning"
d7    2025-06-01 support          p3 ♀ (Ankara), no org.
d8    2025-04-01 training         B                          withdrawn: never counts
====  ==========================  =========================  ================================

2025: organisations A, B, C = 3; people p1, p2, p3 = 3; deliveries d1–d5, d7 = 6; hours 15.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.models import Theme
from kaynak.directory.models import Gender, Organisation, Person
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    province,
    service_kind,
)
from kaynak.impact import services
from kaynak.impact.models import Indicator, Measure, Method
from kaynak.impact.services import IndicatorFilters, TargetData
from kaynak.ledger.models import Delivery, RecordedService
from kaynak.ledger.services import record_delivery, withdraw_delivery

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q2 = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
Q3 = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))


@dataclass
class Fixture:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    sources: dict[str, RecordedService] = field(default_factory=dict)

    def record(
        self,
        name: str,
        kind: str,
        date: dt.date,
        *,
        organisation: str | None = None,
        person: str | None = None,
        **extra: Any,
    ) -> Delivery:
        source: RecordedService = RecordedServiceFactory.create(kind=service_kind(kind), date=date)
        self.sources[name] = source
        delivery = record_delivery(
            kind=kind,
            source=source,
            date=date,
            organisation=self.organisations[organisation] if organisation else None,
            person=self.people[person] if person else None,
            **extra,
        )
        self.deliveries[name] = delivery
        return delivery


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


@pytest.fixture
def ledger(db: None) -> Fixture:
    built = Fixture()
    a = OrganisationFactory.create(name="Ankara Çevre Derneği", province=province(6))
    a.themes.set([theme("environment")])
    b = OrganisationFactory.create(
        name="İstanbul Kadın Vakfı", province=province(34), legal_form_id="foundation"
    )
    c = OrganisationFactory.create(name="Çankaya Gençlik Derneği", province=province(6))
    built.organisations = {"A": a, "B": b, "C": c}
    p1 = PersonFactory.create(full_name="Şule Işık", province=province(34), gender=Gender.WOMAN)
    AffiliationFactory.create(person=p1, organisation=b)
    p2 = PersonFactory.create(full_name="Can Öztürk", province=province(6), gender=Gender.MAN)
    p3 = PersonFactory.create(full_name="Ilgaz Demir", province=province(6), gender=Gender.WOMAN)
    built.people = {"p1": p1, "p2": p2, "p3": p3}

    six, three = Decimal(6), Decimal(3)
    built.record("d1", "training", dt.date(2025, 2, 10), organisation="A", quantity=six)
    built.record(
        "d2", "training", dt.date(2025, 2, 10), organisation="B", person="p1", quantity=six
    )
    built.record("d3", "support", dt.date(2025, 3, 5), organisation="C")
    built.record(
        "d4",
        "training",
        dt.date(2025, 5, 20),
        organisation="A",
        person="p2",
        quantity=three,
        programme="Kapasite",
    )
    built.record("d5", "support", dt.date(2025, 5, 25), organisation="A")
    built.record("d6", "training", dt.date(2024, 11, 1), organisation="C")
    built.record("d7", "support", dt.date(2025, 6, 1), person="p3")
    built.record("d8", "training", dt.date(2025, 4, 1), organisation="B")
    withdraw_delivery(source=built.sources["d8"], organisation=b)
    return built


@pytest.fixture
def me_officer(db: None) -> User:
    return StaffFactory.create(roles=[Role.ME_OFFICER])


@pytest.fixture
def center_admin(db: None) -> User:
    return StaffFactory.create(roles=[Role.CENTER_ADMIN])


def computed(
    actor: User,
    measure: Measure,
    *,
    code: str = "T1",
    targets: list[TargetData] | None = None,
    filters: IndicatorFilters | None = None,
    **fields: Any,
) -> Indicator:
    """A computed indicator made through the service, as the staff page makes one."""
    return services.indicator_create(
        indicator=Indicator(
            code=code,
            name_tr=f"Gösterge {code}",
            name_en=f"Indicator {code}",
            unit="organisations",
            method=Method.COMPUTED,
            measure=measure,
            **fields,
        ),
        filters=filters or IndicatorFilters(),
        targets=targets,
        actor=actor,
    )


def manual(actor: User, *, code: str = "M1") -> Indicator:
    return services.indicator_create(
        indicator=Indicator(
            code=code,
            name_tr="Üretilen yayınlar",
            name_en="Publications produced",
            unit="publications",
            method=Method.MANUAL,
        ),
        filters=IndicatorFilters(),
        actor=actor,
    )

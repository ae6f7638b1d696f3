"""Factories for the directory and the ledger. Add factories here; do not change existing ones
in ways that break other tests."""

from __future__ import annotations

import datetime as dt

from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from kaynak.core.models import Province
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.directory.normalize import organisation_search_text, person_search_text
from kaynak.ledger.models import RecordedService, ServiceKind


def province(plate: int) -> Province:
    return Province.objects.get(plate_code=plate)


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = Sequence(lambda n: f"Örnek Dayanışma Derneği {n}")
    legal_form_id = "association"
    province = LazyFunction(lambda: province(6))
    public_listing_consent = True
    search_text = LazyAttribute(lambda o: organisation_search_text(o.name, o.short_name))
    short_name = ""


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    full_name = Sequence(lambda n: f"Ayşe Yılmaz {n}")
    emails = Sequence(lambda n: [f"kisi{n}@ornek.org.tr"])
    province = LazyFunction(lambda: province(34))
    search_text = LazyAttribute(lambda p: person_search_text(p.full_name))


class AffiliationFactory(DjangoModelFactory[Affiliation]):
    class Meta:
        model = Affiliation

    person = SubFactory(PersonFactory)
    organisation = SubFactory(OrganisationFactory)
    role = "Üye"
    start_date = LazyFunction(lambda: dt.date(2024, 1, 1))


def service_kind(slug: str) -> ServiceKind:
    return ServiceKind.objects.get(slug=slug)


class RecordedServiceFactory(DjangoModelFactory[RecordedService]):
    """A service recorded by hand: the source of deliveries in ledger tests."""

    class Meta:
        model = RecordedService

    kind = LazyFunction(lambda: service_kind("training"))
    title = Sequence(lambda n: f"Proje Döngüsü Yönetimi Eğitimi {n}")
    programme = "Kapasite Geliştirme Eğitimleri"
    date = LazyFunction(lambda: dt.date(2024, 3, 1))

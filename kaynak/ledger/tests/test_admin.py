"""The ledger in the admin: deliveries are read there, never written; service kinds can be added."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.audit import history_for
from kaynak.directory.tests.factories import OrganisationFactory, RecordedServiceFactory
from kaynak.ledger.models import Delivery, ServiceKind
from kaynak.ledger.services import record_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(StaffFactory.create(roles=[Role.CENTER_ADMIN]))
    return client


def test_deliveries_are_listed_and_found_by_a_folded_organisation_name(admin_client):
    organisation = OrganisationFactory.create(name="İstanbul Çevre Gönüllüleri Derneği")
    source = RecordedServiceFactory.create(title="Dijital Güvenlik Eğitimi")
    record_delivery(
        kind="training",
        source=source,
        date=dt.date(2024, 5, 1),
        organisation=organisation,
        activity=source.title,
    )
    OrganisationFactory.create(name="Ankara Kadın Derneği")

    response = admin_client.get(reverse("admin:ledger_delivery_changelist") + "?q=istanbul cevre")

    assertContains(response, "İstanbul Çevre Gönüllüleri Derneği")
    assertContains(response, "Dijital Güvenlik Eğitimi")


def test_deliveries_cannot_be_added_changed_or_deleted_in_the_admin(admin_client):
    delivery = record_delivery(
        kind="training",
        source=RecordedServiceFactory.create(),
        date=dt.date(2024, 5, 1),
        organisation=OrganisationFactory.create(),
    )

    assert admin_client.get(reverse("admin:ledger_delivery_add")).status_code == 403
    change = admin_client.post(
        reverse("admin:ledger_delivery_change", args=[delivery.pk]), {"date": "2020-01-01"}
    )
    assert change.status_code == 403
    delivery.refresh_from_db()
    assert delivery.date == dt.date(2024, 5, 1)


def test_a_recorded_service_shows_its_deliveries(admin_client):
    source = RecordedServiceFactory.create()
    organisation = OrganisationFactory.create(name="Van Kadın Dayanışma Derneği")
    record_delivery(kind="training", source=source, date=source.date, organisation=organisation)

    response = admin_client.get(reverse("admin:ledger_recordedservice_change", args=[source.pk]))

    assertContains(response, "Van Kadın Dayanışma Derneği")


def test_a_center_adds_a_service_kind_of_its_own_with_a_search_key_and_an_audit_entry(admin_client):
    response = admin_client.post(
        reverse("admin:ledger_servicekind_add"),
        {
            "name_tr": "Hukuki Danışmanlık",
            "name_en": "Legal advice",
            "slug": "legal",
            "position": 20,
        },
    )

    assert response.status_code == 302
    kind = ServiceKind.objects.get(slug="legal")
    assert kind.search_text == "hukuki danismanlik legal advice legal"
    assert [entry.action for entry in history_for(kind)] == ["kaynak.ledger.service_kind.created"]
    assert not Delivery.objects.exists()

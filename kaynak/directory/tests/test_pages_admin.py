"""The directory's admin: edits go through the services (so they are audited), searches fold
Turkish letters, and records with a page of their own are read-only here."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.audit import history_for
from kaynak.core.models import Theme
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

ADMIN = "/yonetim/directory"


@pytest.fixture
def center_admin() -> User:
    return StaffFactory.create(roles=[Role.CENTER_ADMIN])


@pytest.fixture
def admin_client(center_admin: User) -> Client:
    client = Client()
    client.force_login(center_admin)
    return client


def organisation_form(organisation: Organisation, **changes):
    data: dict[str, object] = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "legal_form": organisation.legal_form_id or "",
        "association_registry_no": "",
        "foundation_registry_no": "",
        "tax_no": "",
        "province": organisation.province_id or "",
        "district": "",
        "address": "",
        "emails": "[]",
        "phones": "[]",
        "website": "",
        "social_links": "{}",
        "themes": [],
        "founding_year": "",
        "size_band": "",
        "description": "",
        "status": organisation.status,
        "parent": "",
    }
    data.update(changes)
    return data


def test_an_admin_edit_goes_through_the_service_and_is_audited(admin_client, center_admin):
    organisation = OrganisationFactory.create(name="Eski Ad Derneği")
    environment = Theme.objects.get(slug="environment")

    response = admin_client.post(
        f"{ADMIN}/organisation/{organisation.pk}/change/",
        organisation_form(
            organisation,
            name="Yeni Ad Derneği",
            emails='["INFO@yeniad.org"]',
            themes=[environment.pk],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.name == "Yeni Ad Derneği"
    assert organisation.search_text == "yeni ad dernegi"
    assert organisation.emails == ["info@yeniad.org"]  # normalised by the service
    assert list(organisation.themes.all()) == [environment]
    entry = history_for(organisation)[0]
    assert entry.action == "kaynak.directory.organisation.changed"
    assert entry.actor == center_admin
    assert entry.data["changes"]["name"] == ["Eski Ad Derneği", "Yeni Ad Derneği"]
    assert entry.data["changes"]["themes"] == ["", "environment"]


def test_an_organisation_added_in_the_admin_is_created_by_the_service(admin_client):
    response = admin_client.post(
        f"{ADMIN}/organisation/add/",
        organisation_form(Organisation(name="Çağdaş Yaşam Derneği", status="active")),
    )

    assert response.status_code == 302
    created = Organisation.objects.get(name="Çağdaş Yaşam Derneği")
    assert created.search_text == "cagdas yasam dernegi"
    assert history_for(created)[0].action == "kaynak.directory.organisation.created"


def test_a_person_edited_in_the_admin_is_audited_without_their_data(admin_client):
    person = PersonFactory.create(full_name="Ayşe Yılmaz", birth_year=1980)

    response = admin_client.post(
        f"{ADMIN}/person/{person.pk}/change/",
        {
            "full_name": "Ayşe Yılmaz Demir",
            "emails": '["ayse@ornek.org"]',
            "phones": "[]",
            "province": "34",
            "gender": "",
            "birth_year": "1981",
            "language": "tr",
            "user": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.full_name == "Ayşe Yılmaz Demir"
    assert person.search_text == "ayse yilmaz demir"
    entry = history_for(person)[0]
    assert entry.action == "kaynak.directory.person.changed"
    assert "1981" not in str(entry.data)
    assert "birth_year" in entry.data["fields"]


def test_admin_search_folds_turkish_letters(admin_client):
    OrganisationFactory.create(name="Şişli Çocuk Derneği")
    OrganisationFactory.create(name="Ankara Gençlik Derneği")
    PersonFactory.create(full_name="Çiğdem Işık")

    organisations = admin_client.get(f"{ADMIN}/organisation/", {"q": "SISLI cocuk"})
    people = admin_client.get(f"{ADMIN}/person/", {"q": "cigdem isik"})

    assert [o.name for o in organisations.context["cl"].result_list] == ["Şişli Çocuk Derneği"]
    assert [p.full_name for p in people.context["cl"].result_list] == ["Çiğdem Işık"]


def test_organisations_and_people_cannot_be_deleted_in_the_admin(admin_client):
    organisation = OrganisationFactory.create()
    person = PersonFactory.create()

    assert admin_client.post(f"{ADMIN}/organisation/{organisation.pk}/delete/").status_code == 403
    assert admin_client.post(f"{ADMIN}/person/{person.pk}/delete/").status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()


def test_affiliations_change_only_through_the_audited_actions(admin_client, center_admin):
    claim = AffiliationFactory.create(is_admin=False)

    page = admin_client.get(f"{ADMIN}/affiliation/{claim.pk}/change/")
    assertContains(page, "readonly")
    admin_client.post(
        f"{ADMIN}/affiliation/",
        {"action": "confirm_admin", "_selected_action": [claim.pk]},
    )

    claim.refresh_from_db()
    assert claim.is_admin is True
    entry = history_for(claim.organisation)[0]
    assert entry.action == "kaynak.directory.affiliation.admin_granted"
    assert entry.actor == center_admin
    admin_client.post(
        f"{ADMIN}/affiliation/", {"action": "end_affiliation", "_selected_action": [claim.pk]}
    )
    assert Affiliation.objects.get(pk=claim.pk).end_date is not None


def test_the_organisation_admin_shows_its_audit_history(admin_client, center_admin):
    organisation = OrganisationFactory.create()
    admin_client.post(
        f"{ADMIN}/organisation/{organisation.pk}/change/",
        organisation_form(organisation, district="Bornova"),
    )

    history = admin_client.get(f"{ADMIN}/organisation/{organisation.pk}/history/")

    assertContains(history, "kaynak.directory.organisation.changed")


@pytest.mark.parametrize(
    "model", ["consentrecord", "duplicatecandidate", "mergerecord", "importbatch"]
)
def test_records_with_a_page_of_their_own_are_read_only_in_the_admin(admin_client, model):
    listing = admin_client.get(f"{ADMIN}/{model}/")

    assert listing.status_code == 200
    assert admin_client.get(f"{ADMIN}/{model}/add/").status_code == 403

"""Staff pages of the directory: the full list and its exports, an organisation's page with its
people and history, and people."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.audit import history_for
from kaynak.core.models import AuditEntry, Theme
from kaynak.directory.models import Affiliation, OrganisationStatus
from kaynak.directory.services import organisation_update
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator() -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


@pytest.fixture
def staff(coordinator: User) -> Client:
    return logged_in(coordinator)


def names_on(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


def test_staff_see_every_organisation_and_members_get_404(staff, client):
    OrganisationFactory.create(name="Listelenen Derneği")
    OrganisationFactory.create(name="Listelenmeyen Derneği", public_listing_consent=False)
    OrganisationFactory.create(name="Kapanmış Derneği", status=OrganisationStatus.CLOSED)

    response = staff.get(url("directory:staff_list"))

    assert names_on(response) == ["Kapanmış Derneği", "Listelenen Derneği", "Listelenmeyen Derneği"]
    assert logged_in(UserFactory.create()).get(url("directory:staff_list")).status_code == 404
    assert client.get(url("directory:staff_list")).status_code == 302
    support = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    assert support.get(url("directory:staff_list")).status_code == 200
    radar = logged_in(StaffFactory.create(roles=[Role.RADAR_EDITOR]))
    assert radar.get(url("directory:staff_list")).status_code == 404


def test_staff_filter_by_status_and_verification_and_search_folded(staff):
    OrganisationFactory.create(
        name="Doğrulanmış İzmir Derneği", verified=True, province=province(35)
    )
    OrganisationFactory.create(name="Doğrulanmamış İzmir Derneği", province=province(35))
    OrganisationFactory.create(
        name="Kapalı İzmir Derneği", status=OrganisationStatus.CLOSED, province=province(35)
    )

    def names(**params):
        return names_on(staff.get(url("directory:staff_list"), params))

    assert names(verified="yes") == ["Doğrulanmış İzmir Derneği"]
    assert names(verified="no", status="active") == ["Doğrulanmamış İzmir Derneği"]
    assert names(status="closed", q="IZMIR") == ["Kapalı İzmir Derneği"]
    assert names(q="dogrulanmis") == ["Doğrulanmış İzmir Derneği"]


def test_staff_sort_the_list(staff):
    first = OrganisationFactory.create(name="Çam Derneği", province=province(35))
    second = OrganisationFactory.create(name="Bal Derneği", province=province(6))
    third = OrganisationFactory.create(name="Ada Derneği", province=province(1))

    def names(sort):
        return names_on(staff.get(url("directory:staff_list"), {"sort": sort}))

    assert names("name") == ["Ada Derneği", "Bal Derneği", "Çam Derneği"]
    assert names("-name") == ["Çam Derneği", "Bal Derneği", "Ada Derneği"]
    assert names("province") == [
        "Ada Derneği",
        "Bal Derneği",
        "Çam Derneği",
    ]  # Adana, Ankara, İzmir
    assert names("-created") == [third.name, second.name, first.name]
    organisation_update(organisation=second, actor=None, district="Çankaya")
    assert names("-updated")[0] == "Bal Derneği"


def test_the_staff_list_takes_the_same_number_of_queries_for_many_organisations(
    staff, django_assert_num_queries
):
    theme = Theme.objects.get(slug="women")
    OrganisationFactory.create().themes.set([theme])
    staff.get(url("directory:staff_list"))  # the session and the user are cached after this
    with django_assert_num_queries(11) as few:
        staff.get(url("directory:staff_list"))
    for _n in range(60):
        OrganisationFactory.create().themes.set([theme])
    with django_assert_num_queries(len(few.captured_queries)):
        response = staff.get(url("directory:staff_list"))
    assert len(names_on(response)) == 50


def test_htmx_gets_only_the_staff_results(staff):
    OrganisationFactory.create(name="Kısmi Derneği")

    response = staff.get(
        url("directory:staff_list"), {"q": "kismi"}, headers={"HX-Request": "true"}
    )

    assert response.content.decode().lstrip().startswith('<section id="results"')
    assertContains(response, "Kısmi Derneği")


def test_csv_export_has_a_bom_turkish_text_and_only_the_filtered_rows(staff, coordinator):
    organisation = OrganisationFactory.create(
        name="Şişli Çocuk Derneği",
        province=province(34),
        emails=["info@sisli-cocuk.org.tr"],
        phones=["+902121234567"],
    )
    organisation.themes.set([Theme.objects.get(slug="children")])
    OrganisationFactory.create(name='=HYPERLINK("http://kotu.example")', province=province(34))
    OrganisationFactory.create(name="Ankara Derneği", province=province(6))

    response = staff.get(url("directory:staff_export_csv", language="en"), {"province": "34"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kuruluslar-')
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Name", "Short name"]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Şişli Çocuk Derneği", '\'=HYPERLINK("http://kotu.example")'}
    row = by_name["Şişli Çocuk Derneği"]
    header = rows[0]
    assert row[header.index("Province")] == "İstanbul"
    assert row[header.index("E-mail addresses")] == "info@sisli-cocuk.org.tr"
    assert row[header.index("Themes")] == "Children"
    entry = AuditEntry.objects.get(action="kaynak.directory.organisations.exported")
    assert entry.actor == coordinator
    assert entry.data == {
        "format": "csv",
        "filters": {
            "q": "",
            "province": 34,
            "theme": None,
            "legal_form": None,
            "status": "",
            "verified": None,
            "sort": "name",
        },
    }


def test_xlsx_export_opens_in_excel_with_the_filtered_rows_as_text(staff):
    OrganisationFactory.create(name="Ğ Harfli Derneği", province=province(35), verified=True)
    OrganisationFactory.create(name="=1+1", province=province(35), verified=True)
    OrganisationFactory.create(name="Doğrulanmamış Derneği", province=province(35))

    response = staff.get(url("directory:staff_export_xlsx"), {"verified": "yes"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kuruluslar-')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet is not None
    values = [str(row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(values) == sorted(["Ğ Harfli Derneği", "=1+1"])
    formulas = [cell.data_type for cell in sheet["B"]]
    assert "f" not in formulas


def test_support_agents_may_not_export(client):
    support = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))

    assert support.get(url("directory:staff_export_csv")).status_code == 404
    assert support.get(url("directory:staff_export_xlsx")).status_code == 404
    assertNotContains(support.get(url("directory:staff_list")), "Download CSV")
    assert not AuditEntry.objects.filter(action__contains="exported").exists()


def test_the_staff_organisation_page_shows_people_contacts_and_history(staff, coordinator):
    organisation = OrganisationFactory.create(
        name="Van Kadın Dayanışma Derneği", emails=["info@vankadin.org"], province=province(65)
    )
    AffiliationFactory.create(
        organisation=organisation,
        person=PersonFactory.create(full_name="Zehra Aydın"),
        role="Başkan",
        is_admin=True,
    )
    organisation_update(organisation=organisation, actor=coordinator, district="İpekyolu")

    response = staff.get(url("directory:staff_detail", organisation.pk, language="en"))

    for shown in ["info@vankadin.org", "Zehra Aydın", "Başkan", "İpekyolu"]:
        assertContains(response, shown)
    assertContains(response, "kaynak.directory.organisation.changed")
    assertContains(response, "district:  → İpekyolu")


def test_staff_confirm_a_members_claim_to_act_for_the_organisation(staff, coordinator):
    organisation = OrganisationFactory.create()
    claim = AffiliationFactory.create(organisation=organisation, is_admin=False)

    response = staff.post(url("directory:affiliation_admin", claim.pk), {"is_admin": "1"})

    assertRedirects(response, url("directory:staff_detail", organisation.pk))
    claim.refresh_from_db()
    assert claim.is_admin is True
    entry = history_for(organisation)[0]
    assert entry.action == "kaynak.directory.affiliation.admin_granted"
    assert entry.actor == coordinator
    staff.post(url("directory:affiliation_admin", claim.pk), {"is_admin": "0"})
    claim.refresh_from_db()
    assert claim.is_admin is False


def test_support_agents_and_members_cannot_confirm_claims():
    claim = AffiliationFactory.create(is_admin=False)
    support = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    member = logged_in(UserFactory.create())

    assert (
        support.post(url("directory:affiliation_admin", claim.pk), {"is_admin": "1"}).status_code
        == 404
    )
    assert (
        member.post(url("directory:affiliation_admin", claim.pk), {"is_admin": "1"}).status_code
        == 404
    )
    assert Affiliation.objects.get(pk=claim.pk).is_admin is False


def test_staff_find_people_by_folded_name_and_see_their_page(staff):
    person = PersonFactory.create(full_name="Çiğdem Işıktaş", emails=["cigdem@ornek.org"])
    PersonFactory.create(full_name="Başka Biri")

    found = staff.get(url("directory:staff_people"), {"q": "CIGDEM ISIK"})

    assert list(found.context["page"].object_list) == [person]
    page = staff.get(url("directory:staff_person", person.pk))
    assertContains(page, "cigdem@ornek.org")
    assertContains(page, url("directory:person_export", person.pk))
    assertNotContains(page, url("directory:person_erase", person.pk))  # center admins only


def test_people_pages_are_for_staff_only(client):
    person = PersonFactory.create()
    member = logged_in(UserFactory.create())

    assert member.get(url("directory:staff_people")).status_code == 404
    assert member.get(url("directory:staff_person", person.pk)).status_code == 404
    assert client.get(url("directory:staff_person", person.pk)).status_code == 302


def test_the_staff_start_page_links_to_the_directory(staff):
    assertContains(staff.get(url("portal:staff")), url("directory:staff_list"))

"""The EU Support Unit's pages: who may open them (in Turkish and English), the registry with its
filters, totals, export and a bounded number of queries, the project form keeping what was typed
when it is refused, meetings and linked requests through the pages, and the public list that
shows consented projects only and nothing internal."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains
from pytest_django.fixtures import DjangoAssertNumQueries

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.helpdesk import projects
from kaynak.helpdesk.models import (
    EUProgramme,
    EUProject,
    MeetingMode,
    ProjectPartner,
    ProjectStatus,
    TechnicalSupportMeeting,
)
from kaynak.helpdesk.tests.eu_factories import EUProjectFactory
from kaynak.helpdesk.tests.factories import RequestFactory as SupportRequestFactory
from kaynak.helpdesk.tests.factories import agent, eu_queue
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def eu_agent() -> User:
    return agent(eu_queue())


@pytest.fixture
def staff(eu_agent: User) -> Client:
    return logged_in(eu_agent)


def staff_pages() -> list[tuple[str, tuple[int, ...]]]:
    project = EUProjectFactory.create()
    meeting = projects.record_meeting(
        project=project,
        data=projects.MeetingData(
            date=dt.date(2025, 5, 5),
            mode=MeetingMode.PHONE,
            topics="Bütçe revizyonu",
            organisations=[project.lead],
        ),
        actor=None,
    )
    return [
        ("helpdesk:staff-eu-projects", ()),
        ("helpdesk:staff-eu-projects-export", ()),
        ("helpdesk:staff-eu-project-new", ()),
        ("helpdesk:staff-eu-project", (project.pk,)),
        ("helpdesk:staff-eu-project-edit", (project.pk,)),
        ("helpdesk:staff-eu-meeting-new", (project.pk,)),
        ("helpdesk:staff-eu-meeting-edit", (project.pk, meeting.pk)),
    ]


def form_values(lead_pk: int, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Köy Okullarında Kapsayıcı Eğitim",
        "acronym": "KOKE",
        "programme": EUProgramme.ERASMUS,
        "reference": "2024-1-TR01-KA220-SCH-000123456",
        "status": ProjectStatus.ONGOING,
        "lead": lead_pk,
        "total_budget": "250000",
        "eu_contribution": "250000",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "provinces": [21, 47],
        "description": "Okul öncesi eğitim",
    }
    values.update(changes)
    return values


# Who may open what ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["tr", "en"])
def test_visitors_are_sent_to_log_in_from_every_staff_page(client: Client, language: str) -> None:
    for name, args in staff_pages():
        response = client.get(url(name, *args, language=language))
        assert response.status_code == 302, name
        assert "login" in response["Location"] or "giris" in response["Location"], name


@pytest.mark.parametrize("language", ["tr", "en"])
def test_members_and_support_desk_agents_get_not_found(language: str) -> None:
    pages = staff_pages()
    for user in (UserFactory.create(), agent()):
        client = logged_in(user)
        for name, args in pages:
            assert client.get(url(name, *args, language=language)).status_code == 404, name


@pytest.mark.parametrize("language", ["tr", "en"])
def test_eu_unit_agents_and_center_admins_open_every_staff_page(
    staff: Client, language: str
) -> None:
    admin = logged_in(StaffFactory.create(roles=[Role.CENTER_ADMIN]))
    for name, args in staff_pages():
        for client in (staff, admin):
            assert client.get(url(name, *args, language=language)).status_code == 200, name


def test_the_turkish_pages_speak_turkish_and_the_english_ones_english(staff: Client) -> None:
    assertContains(staff.get(url("helpdesk:staff-eu-projects", language="en")), "EU projects")
    turkish = staff.get(url("helpdesk:staff-eu-projects", language="tr"))
    assert 'lang="tr"' in turkish.content.decode()
    assert url("helpdesk:eu-projects", language="en") == "/en/support/eu-projects/"


# The registry -----------------------------------------------------------------------------------


def test_the_registry_filters_by_programme_status_province_theme_and_text(staff: Client) -> None:
    erasmus = EUProjectFactory.create(programme=EUProgramme.ERASMUS, title="Gençlik Köprüsü")
    erasmus.provinces.set([province(35)])
    cancelled = EUProjectFactory.create(status=ProjectStatus.CANCELLED)
    EUProjectFactory.create()

    def shown(**query: str) -> list[int]:
        response = staff.get(url("helpdesk:staff-eu-projects", language="en"), query)
        return [project.pk for project in response.context["page"].object_list]

    assert shown(programme="erasmus") == [erasmus.pk]
    assert shown(status="cancelled") == [cancelled.pk]
    assert shown(province="35") == [erasmus.pk]
    assert shown(q="GENCLIK kopru") == [erasmus.pk]
    assert len(shown()) == 3


def test_the_registry_shows_totals_of_the_filtered_projects(staff: Client) -> None:
    EUProjectFactory.create(total_budget=Decimal("100000"), eu_contribution=Decimal("90000"))
    EUProjectFactory.create(total_budget=Decimal("300000"), eu_contribution=Decimal("210000"))
    EUProjectFactory.create(
        programme=EUProgramme.CERV, total_budget=Decimal("1000"), eu_contribution=Decimal("500")
    )

    response = staff.get(url("helpdesk:staff-eu-projects", language="en"), {"programme": "ipa-csf"})

    totals = response.context["totals"]
    assert (totals.projects, totals.total_budget, totals.eu_contribution) == (
        2,
        Decimal("400000"),
        Decimal("300000"),
    )
    assert totals.contribution_percent == Decimal("75.0")
    assertContains(response, "Total: 2 projects")


def test_the_registry_costs_the_same_queries_for_three_projects_or_thirty(
    staff: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    def make(n: int) -> None:
        for project in EUProjectFactory.create_batch(n):
            project.provinces.set([province(6)])
            ProjectPartner.objects.create(
                project=project, organisation=OrganisationFactory.create(), role="associate"
            )

    make(3)
    staff.get(url("helpdesk:staff-eu-projects", language="en"))  # warm the session and caches
    with django_assert_num_queries(15) as few:
        staff.get(url("helpdesk:staff-eu-projects", language="en"))
    make(27)
    with django_assert_num_queries(len(few.captured_queries)):
        response = staff.get(url("helpdesk:staff-eu-projects", language="en"))
    assert len(response.context["page"].object_list) == 30


def test_the_export_opens_in_openpyxl_with_one_row_per_filtered_project(staff: Client) -> None:
    EUProjectFactory.create(title='=HYPERLINK("http://kotu.example")')
    EUProjectFactory.create(programme=EUProgramme.CERV, title="Eşit Haklar Ağı")

    response = staff.get(url("helpdesk:staff-eu-projects-export", language="en"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Title"
    assert sorted(str(row[0]) for row in rows[1:]) == [
        '\'=HYPERLINK("http://kotu.example")',
        "Eşit Haklar Ağı",
    ]
    filtered = staff.get(
        url("helpdesk:staff-eu-projects-export", language="en"), {"programme": "cerv"}
    )
    assert len(list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows())) == 2  # type: ignore[union-attr]


# The form ---------------------------------------------------------------------------------------


def test_a_project_is_created_through_the_form_with_consent_recorded(
    staff: Client, eu_agent: User
) -> None:
    lead, partner = OrganisationFactory.create_batch(2)

    response = staff.post(
        url("helpdesk:staff-eu-project-new", language="en"),
        form_values(lead.pk, co_applicants=[partner.pk], public_consent="on"),
    )

    project = EUProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("helpdesk:staff-eu-project", project.pk, language="en")
    assert list(project.partners.all()) == [partner]
    assert project.public_consent
    assert project.public_consent_by == eu_agent
    assert {p.plate_code for p in project.provinces.all()} == {21, 47}


def test_bad_input_is_explained_next_to_the_field_and_what_was_typed_is_kept(
    staff: Client,
) -> None:
    lead = OrganisationFactory.create()

    response = staff.post(
        url("helpdesk:staff-eu-project-new", language="en"),
        form_values(lead.pk, eu_contribution="300000", end_date="2024-01-01"),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert (
        "The EU contribution cannot be more than the total budget."
        in form.errors["eu_contribution"]
    )
    assert "The end date cannot be before the start date." in form.errors["end_date"]
    assertContains(response, 'value="Köy Okullarında Kapsayıcı Eğitim"', status_code=400)
    assertContains(response, 'value="2024-01-01"', status_code=400)
    assert not EUProject.objects.exists()


def test_a_taken_reference_is_refused_in_turkish_next_to_the_field(staff: Client) -> None:
    EUProjectFactory.create(reference="101092345")

    response = staff.post(
        url("helpdesk:staff-eu-project-new", language="tr"),
        form_values(OrganisationFactory.create().pk, reference="101092345"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reference"]
    assert EUProject.objects.count() == 1


def test_editing_a_project_keeps_its_values_in_the_form(staff: Client) -> None:
    project = EUProjectFactory.create(acronym="SİVİL")

    response = staff.get(url("helpdesk:staff-eu-project-edit", project.pk, language="en"))
    assertContains(response, 'value="SİVİL"')

    staff.post(
        url("helpdesk:staff-eu-project-edit", project.pk, language="en"),
        form_values(project.lead_id, title="Yeni başlık", reference=project.reference),
    )
    project.refresh_from_db()
    assert project.title == "Yeni başlık"


# Meetings and requests --------------------------------------------------------------------------


def test_a_meeting_is_recorded_and_deleted_through_the_pages(staff: Client) -> None:
    project = EUProjectFactory.create()

    response = staff.post(
        url("helpdesk:staff-eu-meeting-new", project.pk, language="en"),
        {
            "date": "2025-09-01",
            "duration_minutes": "90",
            "mode": MeetingMode.IN_PERSON,
            "topics": "Görünürlük kuralları",
            "organisations": [project.lead_id],
        },
    )

    assert response.status_code == 302
    meeting = TechnicalSupportMeeting.objects.get()
    assert Delivery.objects.filter(withdrawn_at__isnull=True).count() == 1
    detail = staff.get(url("helpdesk:staff-eu-project", project.pk, language="en"))
    assertContains(detail, "Görünürlük kuralları")
    assert detail.context["deliveries"] == 1

    staff.post(url("helpdesk:staff-eu-meeting-delete", project.pk, meeting.pk, language="en"))
    assert TechnicalSupportMeeting.objects.get().deleted_at is not None
    assert Delivery.objects.get().withdrawn_at is not None
    detail = staff.get(url("helpdesk:staff-eu-project", project.pk, language="en"))
    assertNotContains(detail, "Görünürlük kuralları")
    edit = url("helpdesk:staff-eu-meeting-edit", project.pk, meeting.pk, language="en")
    assert staff.get(edit).status_code == 404


def test_a_meeting_without_topics_is_refused_keeping_what_was_typed(staff: Client) -> None:
    project = EUProjectFactory.create()

    response = staff.post(
        url("helpdesk:staff-eu-meeting-new", project.pk, language="en"),
        {"date": "2025-09-01", "duration_minutes": "45", "mode": "online", "topics": ""},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["topics"]
    assert response.context["form"].errors["organisations"]
    assertContains(response, 'value="45"', status_code=400)
    assert not Delivery.objects.exists()


def test_a_request_is_linked_by_its_code_and_an_unknown_code_is_explained(staff: Client) -> None:
    project = EUProjectFactory.create()
    request = SupportRequestFactory.create(queue=eu_queue(), subject="PRAG ihale sorusu")

    wrong = staff.post(
        url("helpdesk:staff-eu-project-link", project.pk, language="en"), {"code": "AB-XXXXXX"}
    )
    assert wrong.status_code == 400
    assertContains(wrong, "No request has this code.", status_code=400)

    staff.post(
        url("helpdesk:staff-eu-project-link", project.pk, language="en"),
        {"code": f"#{request.token.lower()}"},
    )
    detail = staff.get(url("helpdesk:staff-eu-project", project.pk, language="en"))
    assertContains(detail, "PRAG ihale sorusu")

    link = project.request_links.get()
    staff.post(url("helpdesk:staff-eu-project-unlink", project.pk, link.pk, language="en"))
    assert not project.request_links.exists()


# The public list --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_public_list_shows_consented_projects_only_and_nothing_internal(
    client: Client, language: str
) -> None:
    contact = StaffFactory.create(roles=[Role.SUPPORT_AGENT], full_name="Gizli Uzman Kişi")
    shown = EUProjectFactory.create(title="Açık Proje", public_consent=True, staff_contact=contact)
    partner = OrganisationFactory.create(name="Ortak Gençlik Derneği")
    ProjectPartner.objects.create(project=shown, organisation=partner, role="co-applicant")
    person = PersonFactory.create(full_name="Katılımcı Zeynep Kaya")
    meeting = projects.record_meeting(
        project=shown,
        data=projects.MeetingData(
            date=dt.date(2025, 5, 5),
            mode=MeetingMode.ONLINE,
            topics="Gizli konu başlığı",
            organisations=[shown.lead],
            people=[person],
            notes="İç not: ödeme gecikmesi",
        ),
        actor=None,
    )
    EUProjectFactory.create(title="Rızasız Proje")

    response = client.get(url("helpdesk:eu-projects", language=language))

    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].object_list] == [shown.pk]
    assertContains(response, "Açık Proje")
    assertContains(response, "Ortak Gençlik Derneği")
    assertContains(response, shown.lead.name)
    for hidden in (
        "Rızasız Proje",
        "Gizli Uzman Kişi",
        "Katılımcı Zeynep Kaya",
        meeting.notes,
        meeting.topics,
        shown.reference,
    ):
        assertNotContains(response, hidden)


def test_the_public_list_filters_by_programme_province_and_theme(client: Client) -> None:
    cerv = EUProjectFactory.create(public_consent=True, programme=EUProgramme.CERV)
    cerv.provinces.set([province(1)])
    EUProjectFactory.create(public_consent=True)

    def shown(**query: str) -> list[int]:
        response = client.get(url("helpdesk:eu-projects", language="en"), query)
        return [p.pk for p in response.context["page"].object_list]

    assert shown(programme="cerv") == [cerv.pk]
    assert shown(province="1") == [cerv.pk]
    assert len(shown()) == 2


def test_the_organisation_panel_lists_its_projects_to_the_eu_unit_only(eu_agent: User) -> None:
    project = EUProjectFactory.create(title="Panel Projesi")
    partner = OrganisationFactory.create()
    ProjectPartner.objects.create(project=project, organisation=partner, role="associate")
    request = RequestFactory().get("/")

    request.user = eu_agent
    html = render_to_string(
        "helpdesk/eu/organisation_panel.html", {"organisation": partner, "request": request}
    )
    assert "Panel Projesi" in html

    request.user = UserFactory.create()
    html = render_to_string(
        "helpdesk/eu/organisation_panel.html", {"organisation": partner, "request": request}
    )
    assert "Panel Projesi" not in html


def test_htmx_asks_get_only_the_results(staff: Client) -> None:
    EUProjectFactory.create(title="Yalnız Sonuçlar")

    response = staff.get(url("helpdesk:staff-eu-projects", language="en"), HTTP_HX_REQUEST="true")

    assertContains(response, "Yalnız Sonuçlar")
    assertNotContains(response, "<html")

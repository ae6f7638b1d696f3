"""The EU project registry's services: validation, partners, consent, linked requests (never a
second delivery) and technical-support meetings (one delivery per attendee, updated not doubled,
withdrawn when someone no longer attends or the meeting is deleted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.core.models import AuditEntry, Theme
from kaynak.core.permissions import can
from kaynak.directory.models import Organisation
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.helpdesk import projects, services
from kaynak.helpdesk.models import (
    EUProgramme,
    EUProject,
    MeetingMode,
    PartnerRole,
    ProjectPartner,
    TechnicalSupportMeeting,
)
from kaynak.helpdesk.projects import MeetingData, ProjectData, ProjectError, ProjectFilters
from kaynak.helpdesk.tests.eu_factories import EUProjectFactory
from kaynak.helpdesk.tests.factories import RequestFactory, agent, eu_queue
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def eu_agent() -> User:
    return agent(eu_queue())


def data(lead: Organisation, **changes: Any) -> ProjectData:
    values: dict[str, Any] = {
        "title": "Kadın Kooperatifleri için Dijital Dönüşüm",
        "programme": EUProgramme.IPA_CSF,
        "lead": lead,
        "reference": "EuropeAid/178371/DD/ACT/TR",
        "total_budget": Decimal("300000"),
        "eu_contribution": Decimal("270000"),
        "start_date": dt.date(2025, 1, 1),
        "end_date": dt.date(2026, 12, 31),
    }
    values.update(changes)
    return ProjectData(**values)


def meeting_data(*organisations: Organisation, **changes: Any) -> MeetingData:
    values: dict[str, Any] = {
        "date": dt.date(2025, 6, 10),
        "mode": MeetingMode.ONLINE,
        "topics": "Satın alma kuralları (PRAG), ara rapor",
        "organisations": list(organisations),
    }
    values.update(changes)
    return MeetingData(**values)


def meeting_deliveries(meeting: TechnicalSupportMeeting, *, withdrawn: bool = False) -> Any:
    return Delivery.objects.filter(
        source_type=ContentType.objects.get_for_model(TechnicalSupportMeeting),
        source_id=str(meeting.pk),
        withdrawn_at__isnull=not withdrawn,
    )


# Projects ---------------------------------------------------------------------------------------


def test_a_project_is_created_with_its_partners_provinces_and_themes_and_audited(
    eu_agent: User,
) -> None:
    lead, partner, associate = OrganisationFactory.create_batch(3)
    theme = Theme.objects.order_by("pk").first()
    assert theme is not None

    project = projects.create_project(
        data=data(
            lead,
            provinces=[province(6), province(35)],
            themes=[theme],
            partners=[(partner, PartnerRole.CO_APPLICANT), (associate, PartnerRole.ASSOCIATE)],
        ),
        actor=eu_agent,
    )

    assert project.lead == lead
    assert set(project.partners.all()) == {partner, associate}
    assert ProjectPartner.objects.get(project=project, organisation=associate).role == "associate"
    assert {p.plate_code for p in project.provinces.all()} == {6, 35}
    assert project.contribution_percent == Decimal("90.0")
    assert AuditEntry.objects.filter(action="kaynak.helpdesk.project.created").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"reference": "EuropeAid/178371<script>"}, "reference"),
        ({"eu_contribution": Decimal("300000.01")}, "eu_contribution"),
        ({"total_budget": Decimal("-1"), "eu_contribution": None}, "total_budget"),
        ({"end_date": dt.date(2024, 12, 31)}, "end_date"),
        ({"programme": "marshall-plan"}, "programme"),
    ],
)
def test_bad_project_data_is_refused_naming_the_field_and_nothing_is_written(
    eu_agent: User, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ProjectError) as refused:
        projects.create_project(data=data(OrganisationFactory.create(), **changes), actor=eu_agent)

    assert refused.value.field == field
    assert not EUProject.objects.exists()


def test_a_reference_number_is_unique_whatever_its_case_but_may_be_left_empty(
    eu_agent: User,
) -> None:
    EUProjectFactory.create(reference="101092345")
    EUProjectFactory.create(reference="")
    projects.create_project(data=data(OrganisationFactory.create(), reference=""), actor=eu_agent)

    with pytest.raises(ProjectError) as refused:
        projects.create_project(
            data=data(OrganisationFactory.create(), reference=" 101092345 "), actor=eu_agent
        )
    assert refused.value.code == "reference_taken"


def test_grant_agreement_and_erasmus_style_references_are_accepted(eu_agent: User) -> None:
    for reference in ("101092345", "2024-1-TR01-KA220-YOU-000123456", "ERASMUS-EDU-2024 CB.VET"):
        project = projects.create_project(
            data=data(OrganisationFactory.create(), reference=reference), actor=eu_agent
        )
        assert project.reference == reference


def test_the_lead_cannot_be_its_own_partner_nor_a_partner_listed_twice(eu_agent: User) -> None:
    lead, partner = OrganisationFactory.create_batch(2)
    with pytest.raises(ProjectError):
        projects.create_project(
            data=data(lead, partners=[(lead, PartnerRole.CO_APPLICANT)]), actor=eu_agent
        )
    with pytest.raises(ProjectError):
        projects.create_project(
            data=data(
                lead,
                partners=[(partner, PartnerRole.CO_APPLICANT), (partner, PartnerRole.ASSOCIATE)],
            ),
            actor=eu_agent,
        )
    assert not EUProject.objects.exists()


def test_set_partners_replaces_the_partners(eu_agent: User) -> None:
    project = EUProjectFactory.create()
    first, second = OrganisationFactory.create_batch(2)
    projects.set_partners(
        project=project, partners=[(first, PartnerRole.CO_APPLICANT)], actor=eu_agent
    )
    projects.set_partners(
        project=project, partners=[(second, PartnerRole.AFFILIATED_ENTITY)], actor=eu_agent
    )

    assert list(project.partners.all()) == [second]


# Consent ----------------------------------------------------------------------------------------


def test_only_projects_with_consent_are_in_the_public_list(eu_agent: User) -> None:
    shown, hidden = EUProjectFactory.create_batch(2)
    projects.set_public_consent(project=shown, consent=True, actor=eu_agent)

    assert list(projects.public_projects(ProjectFilters())) == [shown]
    shown.refresh_from_db()
    assert shown.public_consent_by == eu_agent
    assert shown.public_consent_at is not None

    projects.set_public_consent(project=shown, consent=False, actor=eu_agent)
    assert not projects.public_projects(ProjectFilters()).exists()
    assert hidden.public_consent is False


def test_the_staff_search_folds_turkish_letters_and_finds_partners_names(eu_agent: User) -> None:
    partner = OrganisationFactory.create(name="Çağdaş Yaşamı Destekleme Derneği")
    project = projects.create_project(
        data=data(
            OrganisationFactory.create(),
            title="Gençlik İstihdamı İçin Ağ",
            partners=[(partner, PartnerRole.CO_APPLICANT)],
        ),
        actor=eu_agent,
    )
    EUProjectFactory.create(title="Başka bir proje")

    assert list(projects.projects_for_staff(ProjectFilters(text="GENCLIK istihdami"))) == [project]
    assert list(projects.projects_for_staff(ProjectFilters(text="cagdas"))) == [project]


# Permissions ------------------------------------------------------------------------------------


def test_eu_unit_agents_and_center_admins_may_manage_projects_others_may_not() -> None:
    assert can(agent(eu_queue()), "helpdesk.manage_projects")
    assert can(StaffFactory.create(roles=[Role.CENTER_ADMIN]), "helpdesk.view_projects")
    assert not can(agent(), "helpdesk.view_projects")  # the support desk's agent
    assert not can(StaffFactory.create(roles=[Role.ME_OFFICER]), "helpdesk.view_projects")
    assert not can(UserFactory.create(), "helpdesk.view_projects")


# Linked requests --------------------------------------------------------------------------------


def test_linking_a_resolved_request_adds_no_second_delivery(eu_agent: User) -> None:
    project = EUProjectFactory.create()
    request = RequestFactory.create(queue=eu_queue())
    services.resolve(request=request, actor=eu_agent, notify=False)
    before = Delivery.objects.filter(withdrawn_at__isnull=True).count()

    projects.link_request(project=project, request=request, actor=eu_agent)
    projects.link_request(project=project, request=request, actor=eu_agent)  # again: no-op

    assert Delivery.objects.filter(withdrawn_at__isnull=True).count() == before == 1
    assert projects.project_delivery_count(project) == 1
    assert project.request_links.count() == 1


def test_a_request_of_the_support_desk_or_of_another_project_cannot_be_linked(
    eu_agent: User,
) -> None:
    project, other = EUProjectFactory.create_batch(2)
    with pytest.raises(ProjectError) as refused:
        projects.link_request(project=project, request=RequestFactory.create(), actor=eu_agent)
    assert refused.value.code == "queue"

    request = RequestFactory.create(queue=eu_queue())
    projects.link_request(project=other, request=request, actor=eu_agent)
    with pytest.raises(ProjectError) as refused:
        projects.link_request(project=project, request=request, actor=eu_agent)
    assert refused.value.code == "linked_elsewhere"


def test_unlinking_keeps_the_requests_own_delivery(eu_agent: User) -> None:
    project = EUProjectFactory.create()
    request = RequestFactory.create(queue=eu_queue())
    services.resolve(request=request, actor=eu_agent, notify=False)
    link = projects.link_request(project=project, request=request, actor=eu_agent)

    projects.unlink_request(link=link, actor=eu_agent)

    assert Delivery.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert not project.request_links.exists()


# Meetings ---------------------------------------------------------------------------------------


def test_a_meeting_records_one_eu_support_delivery_per_organisation_and_person(
    eu_agent: User,
) -> None:
    theme = Theme.objects.order_by("pk").first()
    assert theme is not None
    project = EUProjectFactory.create()
    project.themes.set([theme])
    partner = OrganisationFactory.create()
    ProjectPartner.objects.create(project=project, organisation=partner, role="co-applicant")
    person = AffiliationFactory.create(organisation=partner).person

    meeting = projects.record_meeting(
        project=project,
        data=meeting_data(project.lead, partner, people=[person], province=province(35)),
        actor=eu_agent,
    )

    rows = list(meeting_deliveries(meeting).order_by("pk"))
    assert [(d.organisation, d.person) for d in rows] == [
        (project.lead, None),
        (partner, None),
        (partner, person),
    ]
    assert {d.kind.slug for d in rows} == {"eu-support"}
    assert {d.programme for d in rows} == {"AB Destek Birimi"}
    assert all(d.date == dt.date(2025, 6, 10) and d.province_id == 35 for d in rows)
    assert [list(d.themes.all()) for d in rows] == [[theme]] * 3


def test_editing_a_meeting_twice_does_not_double_count(eu_agent: User) -> None:
    project = EUProjectFactory.create()
    meeting = projects.record_meeting(
        project=project, data=meeting_data(project.lead), actor=eu_agent
    )
    for day in (11, 12):
        projects.update_meeting(
            meeting=meeting,
            data=meeting_data(project.lead, date=dt.date(2025, 6, day)),
            actor=eu_agent,
        )

    assert meeting_deliveries(meeting).count() == 1
    assert meeting_deliveries(meeting).get().date == dt.date(2025, 6, 12)
    assert Delivery.objects.count() == 1


def test_removing_an_organisation_or_a_person_from_a_meeting_withdraws_their_delivery(
    eu_agent: User,
) -> None:
    project = EUProjectFactory.create()
    partner = OrganisationFactory.create()
    ProjectPartner.objects.create(project=project, organisation=partner, role="associate")
    person = PersonFactory.create()
    meeting = projects.record_meeting(
        project=project,
        data=meeting_data(project.lead, partner, people=[person]),
        actor=eu_agent,
    )

    projects.update_meeting(meeting=meeting, data=meeting_data(project.lead), actor=eu_agent)

    assert [d.organisation for d in meeting_deliveries(meeting)] == [project.lead]
    assert {(d.organisation, d.person) for d in meeting_deliveries(meeting, withdrawn=True)} == {
        (partner, None),
        (None, person),
    }

    projects.update_meeting(
        meeting=meeting, data=meeting_data(project.lead, partner), actor=eu_agent
    )
    assert meeting_deliveries(meeting).count() == 2  # the partner's row comes back, not a new one
    assert Delivery.objects.count() == 3


def test_deleting_a_meeting_withdraws_its_deliveries_and_keeps_the_rows(eu_agent: User) -> None:
    project = EUProjectFactory.create()
    meeting = projects.record_meeting(
        project=project, data=meeting_data(project.lead), actor=eu_agent
    )
    pk = meeting.pk

    projects.delete_meeting(meeting=meeting, actor=eu_agent)

    # The meeting leaves the project's pages but stays, so the withdrawn delivery keeps the
    # source that explains it.
    assert not projects.project_meetings(project).exists()
    assert TechnicalSupportMeeting.objects.get(pk=pk).deleted_at is not None
    delivery = Delivery.objects.get()
    assert delivery.withdrawn_at is not None
    assert delivery.source == TechnicalSupportMeeting.objects.get(pk=pk)
    # A deleted meeting is neither edited nor brought back by a change of the project.
    with pytest.raises(ProjectError):
        projects.update_meeting(meeting=meeting, data=meeting_data(project.lead), actor=eu_agent)
    projects.update_project(project=project, data=data(project.lead), actor=eu_agent)
    assert Delivery.objects.get().withdrawn_at is not None


def test_a_meeting_needs_topics_and_only_the_projects_organisations(eu_agent: User) -> None:
    project = EUProjectFactory.create()
    with pytest.raises(ProjectError) as refused:
        projects.record_meeting(
            project=project, data=meeting_data(OrganisationFactory.create()), actor=eu_agent
        )
    assert refused.value.field == "organisations"
    with pytest.raises(ProjectError) as refused:
        projects.record_meeting(
            project=project, data=meeting_data(project.lead, topics=" "), actor=eu_agent
        )
    assert refused.value.field == "topics"
    assert not TechnicalSupportMeeting.objects.exists()
    assert not Delivery.objects.exists()


def test_changing_a_projects_themes_moves_its_meetings_deliveries_along(eu_agent: User) -> None:
    project = EUProjectFactory.create()
    meeting = projects.record_meeting(
        project=project, data=meeting_data(project.lead), actor=eu_agent
    )
    theme = Theme.objects.order_by("-pk").first()
    assert theme is not None

    projects.update_project(
        project=project, data=data(project.lead, themes=[theme]), actor=eu_agent
    )

    assert list(meeting_deliveries(meeting).get().themes.all()) == [theme]

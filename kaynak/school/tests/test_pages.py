"""The school's pages: who may open them, the cohort page and its attendance matrix (content
and a bounded query count), adding a module, enrolling and withdrawing by hand, graduation,
and the participant's own page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.programmes.models import Registration
from kaynak.programmes.tests.factories import attended
from kaynak.school import services
from kaynak.school.models import Cohort, Graduation, Participant, ParticipantStatus
from kaynak.school.tests.factories import CohortFactory, module_of

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator() -> Client:
    return logged_in(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))


@pytest.fixture
def me_officer() -> Client:
    return logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))


def cohort_with_people(people: int, modules: int = 3) -> Cohort:
    cohort = CohortFactory.create(required_modules=max(1, modules - 1), slug="donem-2025")
    for number in range(modules):
        module_of(cohort, start_in=-25 + 15 * number)  # the third is still to come
    for _ in range(people):
        services.enrol(
            cohort=cohort,
            person=PersonFactory.create(),
            organisation=OrganisationFactory.create(),
            actor=None,
        )
    return cohort


def attend(participant: Participant, modules: int) -> None:
    for module in list(participant.cohort.modules.select_related("activity"))[:modules]:
        attended(Registration.objects.get(activity=module.activity, person=participant.person))


# Who may open what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["school:staff-cohorts", "school:staff-cohort", "school:staff-matrix"]
)
def test_members_cannot_open_staff_pages(name: str) -> None:
    cohort = cohort_with_people(0)
    args = [] if name == "school:staff-cohorts" else [cohort.slug]

    response = logged_in(UserFactory.create()).get(url(name, *args))

    assert response.status_code == 404


def test_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(url("school:staff-cohorts"))

    assert response.status_code == 302


def test_an_m_and_e_officer_sees_the_cohort_but_cannot_change_it(me_officer: Client) -> None:
    cohort = cohort_with_people(1)

    assert me_officer.get(url("school:staff-cohort", cohort.slug)).status_code == 200
    assert me_officer.get(url("school:staff-module-new", cohort.slug)).status_code == 404
    assert me_officer.post(url("school:staff-graduate", cohort.slug)).status_code == 404
    assert not Graduation.objects.exists()


# The cohort page and the matrix ------------------------------------------------------------------


def test_the_matrix_shows_each_day_and_lists_the_at_risk_first(coordinator: Client) -> None:
    cohort = cohort_with_people(2, modules=3)  # rule: 2 of 3; two modules are over
    steady, shaky = sorted(cohort.participants.all(), key=lambda p: p.pk)
    attend(steady, 2)
    attend(shaky, 1)

    response = coordinator.get(url("school:staff-matrix", cohort.slug, language="en"))

    content = response.content.decode()
    assert response.status_code == 200
    at_risk = content.split('id="at-risk"')[1].split("</section>")[0]
    assert shaky.person.full_name in at_risk
    assert steady.person.full_name not in at_risk
    # Each count includes the legend's one.
    assert content.count('class="day-present"') == 3 * 2 + 3 + 1
    assert content.count('class="day-absent"') == 3 + 1
    assert content.count('class="day-upcoming"') == 2 * 3 + 1
    assert steady.organisation is not None
    assert steady.organisation.name in content


@pytest.mark.parametrize("people", [2, 12])
def test_the_cohort_page_costs_the_same_for_2_or_12_participants(
    coordinator: Client, django_assert_num_queries: Any, people: int
) -> None:
    cohort = cohort_with_people(people, modules=3)
    for participant in cohort.participants.all():
        attend(participant, 1)
    coordinator.get(url("school:staff-cohort", cohort.slug))  # the session, once

    # The session and user (middleware), the cohort, modules with activities, their sessions,
    # participants, registrations, attendance, graduations, the withdrawn, the counts.
    with django_assert_num_queries(13):
        response = coordinator.get(url("school:staff-cohort", cohort.slug))

    assert response.status_code == 200


def test_the_matrix_page_query_count_does_not_grow_with_participants(
    coordinator: Client, django_assert_num_queries: Any
) -> None:
    small = cohort_with_people(2, modules=2)
    coordinator.get(url("school:staff-matrix", small.slug))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        coordinator.get(url("school:staff-matrix", small.slug))
    for _ in range(8):
        services.enrol(cohort=small, person=PersonFactory.create(), organisation=None, actor=None)

    with django_assert_num_queries(len(few.captured_queries)):
        coordinator.get(url("school:staff-matrix", small.slug))


def test_the_cohort_page_lists_modules_with_dates_and_links_to_roll_call(
    coordinator: Client,
) -> None:
    cohort = cohort_with_people(1)
    module = cohort.modules.select_related("activity").first()
    assert module is not None

    response = coordinator.get(url("school:staff-cohort", cohort.slug, language="en"))

    assert module.activity.title.encode() in response.content
    assert url("programmes:staff-activity", module.activity_id, language="en").encode() in (
        response.content
    )


# Changing the cohort ----------------------------------------------------------------------------


def test_staff_create_a_cohort(coordinator: Client) -> None:
    from kaynak.programmes.tests.factories import ProgrammeFactory

    programme = ProgrammeFactory.create()
    response = coordinator.post(
        url("school:staff-cohort-new"),
        {
            "programme": programme.pk,
            "name": "2026–2027 Dönemi",
            "slug": "2026-2027",
            "year": 2026,
            "required_modules": 6,
            "people_per_organisation": 2,
            "status": "planned",
        },
    )

    assert response.status_code == 302
    assert Cohort.objects.get().name == "2026–2027 Dönemi"


def test_a_rule_of_no_modules_is_explained_next_to_the_field(coordinator: Client) -> None:
    from kaynak.programmes.tests.factories import ProgrammeFactory

    response = coordinator.post(
        url("school:staff-cohort-new", language="en"),
        {
            "programme": ProgrammeFactory.create().pk,
            "name": "2026–2027 Dönemi",
            "slug": "2026-2027",
            "year": 2026,
            "required_modules": 0,
            "people_per_organisation": 2,
            "status": "planned",
        },
    )

    assert response.status_code == 200
    assert b"2026\xe2\x80\x932027 D\xc3\xb6nemi" in response.content  # kept as typed
    assert "required_modules" in response.context["form"].errors
    assert not Cohort.objects.exists()


def test_staff_add_a_module_and_the_participants_are_registered(coordinator: Client) -> None:
    cohort = cohort_with_people(2, modules=1)
    first_day = timezone.localdate() + dt.timedelta(days=60)

    response = coordinator.post(
        url("school:staff-module-new", cohort.slug),
        {
            "title": "Dijital Güvenlik",
            "province": province(35).pk,
            "venue": "İzmir",
            "first_day": first_day.isoformat(),
            "days": 3,
            "starts": "09:30",
            "ends": "17:00",
        },
    )

    assert response.status_code == 302
    module = cohort.modules.order_by("-position").select_related("activity").first()
    assert module is not None
    assert module.activity.title == "Dijital Güvenlik"
    assert module.activity.registrations.count() == 2


def test_a_module_without_a_day_keeps_what_was_typed(coordinator: Client) -> None:
    cohort = cohort_with_people(0, modules=1)

    response = coordinator.post(
        url("school:staff-module-new", cohort.slug, language="en"),
        {"title": "Dijital Güvenlik", "days": 3, "starts": "09:30", "ends": "17:00"},
    )

    assert response.status_code == 200
    assert b"Say on which day the module starts." in response.content
    assert b'value="Dijital G\xc3\xbcvenlik"' in response.content
    assert cohort.modules.count() == 1


def test_staff_enrol_a_person_for_their_organisation(coordinator: Client) -> None:
    from kaynak.directory.tests.factories import AffiliationFactory

    cohort = cohort_with_people(0, modules=2)
    person = PersonFactory.create(full_name="Derya Güneş")
    affiliation = AffiliationFactory.create(person=person)

    found = coordinator.get(url("school:staff-enrol", cohort.slug), {"q": "derya"})
    response = coordinator.post(
        url("school:staff-enrol", cohort.slug),
        {"person": person.pk, "organisation": affiliation.organisation_id},
    )

    assert b"Derya G\xc3\xbcne\xc5\x9f" in found.content
    assert response.status_code == 302
    participant = cohort.participants.get()
    assert participant.organisation_id == affiliation.organisation_id
    assert Registration.objects.filter(person=person).count() == 2


def test_staff_withdraw_a_participant_with_a_reason(coordinator: Client) -> None:
    cohort = cohort_with_people(1)
    participant = cohort.participants.get()

    refused = coordinator.post(url("school:staff-withdraw", cohort.slug, participant.pk), {})
    done = coordinator.post(
        url("school:staff-withdraw", cohort.slug, participant.pk), {"reason": "Taşındı"}
    )

    assert refused.status_code == 200
    assert done.status_code == 302
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.WITHDRAWN


def test_staff_issue_graduation_certificates_from_the_cohort_page(coordinator: Client) -> None:
    cohort = cohort_with_people(2, modules=3)
    done, short = sorted(cohort.participants.all(), key=lambda p: p.pk)
    attend(done, 2)

    response = coordinator.post(url("school:staff-graduate", cohort.slug, language="en"))

    assert response.status_code == 200
    assert b"1 certificate issued" in response.content
    assert short.person.full_name.encode() in response.content
    assert Graduation.objects.get().participant == done


# The participant's own page ---------------------------------------------------------------------


def test_a_participant_sees_their_modules_progress_and_certificate() -> None:
    cohort = cohort_with_people(0, modules=3)
    user = UserFactory.create()
    person = PersonFactory.create(user=user)
    participant = services.enrol(cohort=cohort, person=person, organisation=None, actor=None)
    attend(participant, 2)
    graduation = services.graduate(cohort=cohort, actor=None).issued[0]
    client = logged_in(user)

    response = client.get(url("school:mine", language="en"))

    content = response.content.decode()
    assert "You completed 2 of 3 modules" in content
    assert url("school:my-certificate", graduation.code, language="en") in content
    for module in cohort.modules.select_related("activity"):
        assert module.activity.title in content


def test_nobody_downloads_another_persons_certificate() -> None:
    cohort = cohort_with_people(1, modules=2)
    attend(cohort.participants.get(), 2)
    graduation = services.graduate(cohort=cohort, actor=None).issued[0]
    stranger = logged_in(UserFactory.create())

    response = stranger.get(url("school:my-certificate", graduation.code))

    assert response.status_code == 404


@pytest.mark.needs_tool("lib:pango-1.0")
def test_the_participant_and_staff_download_the_certificate_pdf(coordinator: Client) -> None:
    cohort = cohort_with_people(0, modules=2)
    user = UserFactory.create()
    participant = services.enrol(
        cohort=cohort, person=PersonFactory.create(user=user), organisation=None, actor=None
    )
    attend(participant, 2)
    graduation = services.graduate(cohort=cohort, actor=None).issued[0]

    own = logged_in(user).get(url("school:my-certificate", graduation.code))
    staff = coordinator.get(url("school:staff-graduation-pdf", graduation.code))

    assert own["Content-Type"] == "application/pdf"
    assert own.content.startswith(b"%PDF-")
    assert staff.content.startswith(b"%PDF-")


def test_staff_revoke_a_certificate_with_a_reason(coordinator: Client) -> None:
    cohort = cohort_with_people(1, modules=2)
    attend(cohort.participants.get(), 2)
    graduation = services.graduate(cohort=cohort, actor=None).issued[0]

    response = coordinator.post(
        url("school:staff-revoke", graduation.code), {"reason": "Yanlış kayıt"}
    )

    assert response.status_code == 302
    graduation.refresh_from_db()
    assert graduation.revoked_reason == "Yanlış kayıt"

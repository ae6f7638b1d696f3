"""Enrolment through the calls' decisions: accepting an application of the cohort's call
enrols its people in every module; un-accepting withdraws them, unless they already attended;
modules added later register the active participants; withdrawing keeps past attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kaynak.calls.decisions import decide
from kaynak.calls.models import Application, ApplicationPerson, ApplicationStatus
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory
from kaynak.directory.models import Person
from kaynak.directory.tests.factories import PersonFactory, province
from kaynak.ledger.models import Delivery
from kaynak.programmes.models import Registration, RegistrationStatus
from kaynak.programmes.tests.factories import attended
from kaynak.school import services
from kaynak.school.models import Cohort, Participant, ParticipantStatus
from kaynak.school.services import SchoolError
from kaynak.school.tests.factories import CohortFactory, module_of

pytestmark = pytest.mark.django_db


def cohort_with_call(modules: int = 3) -> Cohort:
    call = CallFactory.create()
    cohort = CohortFactory.create(programme=call.programme, call=call)
    for number in range(modules):
        module_of(cohort, start_in=10 + 5 * number)
    return cohort


def application_naming(cohort: Cohort, people: int = 2) -> Application:
    application = ApplicationFactory.create(call=cohort.call)
    for position in range(people):
        person = PersonFactory.create()
        ApplicationPerson.objects.create(
            application=application,
            position=position,
            full_name=person.full_name,
            email=person.emails[0],
            person=person,
        )
    return application


def live_registrations(cohort: Cohort) -> list[Registration]:
    return list(
        Registration.objects.filter(
            activity__school_module__cohort=cohort, status=RegistrationStatus.CONFIRMED
        )
    )


def test_accepting_an_application_enrols_its_people_in_every_module() -> None:
    cohort = cohort_with_call(modules=3)
    application = application_naming(cohort, people=2)

    decide(application=application, decision=ApplicationStatus.ACCEPTED, reason="Güçlü başvuru")

    participants = list(cohort.participants.all())
    assert len(participants) == 2
    assert {p.organisation_id for p in participants} == {application.organisation_id}
    assert {p.application_id for p in participants} == {application.pk}
    registrations = live_registrations(cohort)
    assert len(registrations) == 2 * 3
    assert {r.staff_note for r in registrations} == {services.ENROL_REASON}


def test_accepting_twice_enrols_once() -> None:
    cohort = cohort_with_call(modules=2)
    application = application_naming(cohort, people=2)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    services.apply_decision(application=application, previous=ApplicationStatus.SUBMITTED)

    assert cohort.participants.count() == 2
    assert len(live_registrations(cohort)) == 4


def test_an_application_without_named_people_enrols_its_applicant() -> None:
    cohort = cohort_with_call(modules=1)
    application = ApplicationFactory.create(call=cohort.call)

    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    assert [p.person_id for p in cohort.participants.all()] == [application.person_id]


def test_a_rejection_or_another_call_enrols_nobody() -> None:
    cohort = cohort_with_call(modules=1)
    rejected = application_naming(cohort)
    elsewhere = ApplicationFactory.create(call=CallFactory.create())

    decide(application=rejected, decision=ApplicationStatus.REJECTED)
    decide(application=elsewhere, decision=ApplicationStatus.ACCEPTED)

    assert Participant.objects.count() == 0


def test_a_person_not_yet_in_the_directory_refuses_the_acceptance() -> None:
    cohort = cohort_with_call(modules=1)
    application = application_naming(cohort, people=1)
    ApplicationPerson.objects.create(
        application=application, position=5, full_name="Kemal Öztürk", email="kemal@ornek.org"
    )

    with pytest.raises(SchoolError, match="Kemal Öztürk"):
        decide(application=application, decision=ApplicationStatus.ACCEPTED)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert Participant.objects.count() == 0
    assert not live_registrations(cohort)


def test_un_accepting_withdraws_the_people_and_cancels_their_registrations() -> None:
    cohort = cohort_with_call(modules=2)
    application = application_naming(cohort, people=2)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    decide(application=application, decision=ApplicationStatus.WAITLISTED, reason="Yer yok")

    assert set(cohort.participants.values_list("status", flat=True)) == {
        ParticipantStatus.WITHDRAWN
    }
    assert not live_registrations(cohort)


def test_un_accepting_is_refused_once_someone_attended() -> None:
    cohort = cohort_with_call(modules=2)
    application = application_naming(cohort, people=2)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)
    attended(live_registrations(cohort)[0], sessions=1)

    with pytest.raises(SchoolError, match="already attended"):
        decide(application=application, decision=ApplicationStatus.REJECTED)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert cohort.participants.filter(status=ParticipantStatus.ACTIVE).count() == 2
    assert len(live_registrations(cohort)) == 4


def test_accepting_again_after_un_accepting_enrols_them_again() -> None:
    cohort = cohort_with_call(modules=1)
    application = application_naming(cohort, people=1)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)
    decide(application=application, decision=ApplicationStatus.REJECTED)

    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    assert cohort.participants.get().status == ParticipantStatus.ACTIVE
    assert len(live_registrations(cohort)) == 1


def test_a_module_added_later_registers_the_active_participants_only() -> None:
    cohort = cohort_with_call(modules=1)
    staying = services.enrol(
        cohort=cohort, person=PersonFactory.create(), organisation=None, actor=None
    )
    leaving = services.enrol(
        cohort=cohort, person=PersonFactory.create(), organisation=None, actor=None
    )
    services.withdraw(participant=leaving, reason="Taşındı", actor=None)

    module = services.module_add(
        cohort=cohort,
        actor=None,
        title="Savunuculuk ve Kampanya",
        province=province(35),
        venue="İzmir Kültür Merkezi",
        first_day=timezone.localdate() + dt.timedelta(days=30),
        days=3,
    )

    assert module.activity.kind == "school"
    assert module.activity.sessions.count() == 3
    assert [r.person_id for r in module.activity.registrations.filter(status="confirmed")] == [
        staying.person_id
    ]


def test_a_new_module_has_one_session_a_day_at_the_times_given() -> None:
    cohort = CohortFactory.create()
    module = services.module_add(
        cohort=cohort,
        actor=None,
        title="Gönüllü Yönetimi",
        province=province(6),
        first_day=dt.date(2027, 3, 15),
        days=2,
        starts=dt.time(10, 0),
        ends=dt.time(16, 30),
    )

    sessions = list(module.activity.sessions.order_by("starts_at"))
    assert [timezone.localtime(s.starts_at).strftime("%d.%m %H:%M") for s in sessions] == [
        "15.03 10:00",
        "16.03 10:00",
    ]
    assert timezone.localtime(sessions[1].ends_at).strftime("%H:%M") == "16:30"
    assert module.activity.status == "published"


def test_only_a_school_activity_can_be_a_module() -> None:
    from kaynak.programmes.tests.factories import ActivityFactory

    cohort = CohortFactory.create()

    with pytest.raises(SchoolError):
        services.module_add(cohort=cohort, actor=None, activity=ActivityFactory.create())


def test_withdrawing_keeps_the_attendance_and_the_ledger_deliveries() -> None:
    cohort = cohort_with_call(modules=2)
    # A past module, attended on its first day.
    past = module_of(cohort, start_in=-10)
    participant = services.enrol(
        cohort=cohort, person=PersonFactory.create(), organisation=None, actor=None
    )
    registration = Registration.objects.get(activity=past.activity, person=participant.person)
    attended(registration, sessions=1)

    services.withdraw(participant=participant, reason="İş değişikliği", actor=None)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.attendances.count() == 1
    assert (
        Delivery.objects.filter(person=participant.person, withdrawn_at__isnull=True).count() == 1
    )


def test_withdrawing_needs_a_reason() -> None:
    participant = services.enrol(
        cohort=CohortFactory.create(), person=PersonFactory.create(), organisation=None, actor=None
    )

    with pytest.raises(SchoolError):
        services.withdraw(participant=participant, reason=" ", actor=None)


def test_an_organisation_sends_at_most_its_share_of_representatives() -> None:
    cohort = cohort_with_call(modules=1)
    cohort.people_per_organisation = 2
    cohort.save()
    application = application_naming(cohort, people=3)

    with pytest.raises(SchoolError, match="the most one organisation may send"):
        decide(application=application, decision=ApplicationStatus.ACCEPTED)

    # The decision is refused whole: nobody enrolled, the application still submitted.
    assert not cohort.participants.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    # Withdrawing one frees a place for another person of the organisation.
    first, second, third = Person.objects.filter(
        pk__in=application.people.values("person_id")
    ).order_by("pk")
    organisation = application.organisation
    for person in (first, second):
        services.enrol(cohort=cohort, person=person, organisation=organisation, actor=None)
    services.withdraw(
        participant=cohort.participants.get(person=first), reason="İşten ayrıldı", actor=None
    )
    services.enrol(cohort=cohort, person=third, organisation=organisation, actor=None)
    assert cohort.participants.filter(status=ParticipantStatus.ACTIVE).count() == 2

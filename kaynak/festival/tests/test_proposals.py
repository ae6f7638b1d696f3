"""An accepted workshop proposal becomes an unscheduled session; a proposal no longer accepted
loses it, unless it is already in the programme."""

from __future__ import annotations

import pytest

from kaynak.calls.decisions import decide
from kaynak.calls.models import ApplicationPerson, ApplicationStatus
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory
from kaynak.core.errors import KaynakError
from kaynak.directory.tests.factories import PersonFactory
from kaynak.festival import services
from kaynak.festival.models import FestivalSession, SessionKind, SessionStatus
from kaynak.festival.tests.factories import FestivalFactory, VenueFactory, at
from kaynak.festival.tests.helpers import first_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def festival():
    call = CallFactory.create(people_label="Kolaylaştırıcılar", people_min=1, people_max=3)
    return FestivalFactory.create(call=call, programme=call.programme)


def proposal(festival, **answers):
    theme = first_theme()
    application = ApplicationFactory.create(
        call=festival.call,
        answers={
            "workshop_title": "İklim Adaleti için Savunuculuk",
            "workshop_summary": "Yerel örgütler için savunuculuk planı atölyesi.",
            "workshop_themes": [theme.slug],
            "workshop_format": "workshop",
            "duration_minutes": "90",
            "capacity": "30",
            **answers,
        },
    )
    for position, name in enumerate(["Deniz Kaya", "Elif Şahin"]):
        ApplicationPerson.objects.create(
            application=application,
            position=position,
            full_name=name,
            email=f"kisi{position}@iklim.org.tr",
            person=PersonFactory.create(full_name=name),
        )
    return application


def test_an_accepted_proposal_becomes_a_session_with_the_answers(festival):
    application = proposal(festival)

    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    session = FestivalSession.objects.get(application=application)
    assert session.festival == festival
    assert session.status == SessionStatus.PROPOSED
    assert session.kind == SessionKind.WORKSHOP
    assert session.title == "İklim Adaleti için Savunuculuk"
    assert session.summary == "Yerel örgütler için savunuculuk planı atölyesi."
    assert session.capacity == 30
    assert session.host == application.organisation
    assert [t.slug for t in session.themes.all()] == application.answers["workshop_themes"]
    assert sorted(p.full_name for p in session.facilitators.all()) == ["Deniz Kaya", "Elif Şahin"]
    assert session.starts_at is None
    assert session.venue is None


def test_accepting_twice_keeps_one_session(festival):
    application = proposal(festival)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)
    decide(application=application, decision=ApplicationStatus.WAITLISTED)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)
    services.session_from_application(application, festival)

    assert FestivalSession.objects.filter(application=application).count() == 1


def test_a_proposal_no_longer_accepted_loses_its_unscheduled_session(festival):
    application = proposal(festival)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    decide(application=application, decision=ApplicationStatus.REJECTED, reason="Yer yok.")

    assert not FestivalSession.objects.filter(application=application).exists()


def test_un_accepting_a_scheduled_workshop_is_refused_and_nothing_changes(festival):
    application = proposal(festival)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)
    session = FestivalSession.objects.get(application=application)
    venue = VenueFactory.create(festival=festival, name="Salon A")
    day = festival.starts_on
    services.schedule(
        session=session, venue=venue, starts_at=at(day, 10), ends_at=at(day, 11), actor=None
    )

    with pytest.raises(KaynakError, match="Take it out of the programme first"):
        decide(application=application, decision=ApplicationStatus.REJECTED)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert FestivalSession.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


def test_applications_of_other_calls_make_no_session(festival):
    other = ApplicationFactory.create(call=CallFactory.create())

    decide(application=other, decision=ApplicationStatus.ACCEPTED)

    assert not FestivalSession.objects.exists()


def test_an_unknown_format_becomes_a_workshop_and_a_missing_capacity_no_limit(festival):
    application = proposal(festival, workshop_format="dans", capacity="")

    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    session = FestivalSession.objects.get(application=application)
    assert session.kind == SessionKind.WORKSHOP
    assert session.capacity is None

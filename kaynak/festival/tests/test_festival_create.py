"""A festival comes with its call for NGO-run workshops (the standard proposal form), and a
proposal made through the calls app's own services ends up as a session of the festival."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kaynak.accounts.tests.factories import UserFactory
from kaynak.calls import applying, building
from kaynak.calls.decisions import decide
from kaynak.calls.models import ApplicationStatus, Call, CallStatus
from kaynak.directory.tests.factories import OrganisationFactory, province
from kaynak.festival import services
from kaynak.festival.errors import FestivalError
from kaynak.festival.models import FestivalSession
from kaynak.festival.tests.helpers import first_theme
from kaynak.programmes.registering import OrganisationDecision
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def create(**more):
    today = timezone.localdate()
    values = {
        "programme": ProgrammeFactory.create(),
        "name": "Sivil Sesler 2027",
        "slug": "sivil-sesler-2027",
        "starts_on": today + dt.timedelta(days=60),
        "ends_on": today + dt.timedelta(days=61),
        "province": province(6),
        "actor": None,
        "call_opens_at": timezone.now() - dt.timedelta(days=1),
        "call_closes_at": timezone.now() + dt.timedelta(days=20),
        **more,
    }
    return services.festival_create(**values)


def test_a_festival_gets_its_workshop_call_with_the_standard_questions():
    festival = create()

    call = festival.call
    assert call.programme == festival.programme
    assert call.people_label_en == "Facilitators"
    assert (call.people_min, call.people_max) == (1, 3)
    assert list(call.questions.values_list("key", "kind")) == [
        ("workshop_title", "short_text"),
        ("workshop_summary", "long_text"),
        ("workshop_themes", "theme"),
        ("workshop_format", "choice"),
        ("duration_minutes", "number"),
        ("capacity", "number"),
        ("needs", "long_text"),
    ]
    assert call.questions.get(key="workshop_summary").max_words == 150
    assert not call.questions.get(key="needs").required


def test_the_last_day_before_the_first_is_refused_and_nothing_is_written():
    today = timezone.localdate()
    with pytest.raises(FestivalError) as refused:
        create(starts_on=today, ends_on=today - dt.timedelta(days=1))

    assert refused.value.field == "ends_on"
    assert not Call.objects.exists()


def test_a_proposal_made_through_the_call_becomes_a_session_when_accepted():
    festival = create()
    call = building.call_publish(call=festival.call, by=None)
    assert call.status == CallStatus.PUBLISHED
    user = UserFactory.create()
    theme = first_theme()
    application = applying.start_application(
        call=call,
        user=user,
        organisation=OrganisationDecision(organisation=OrganisationFactory.create()),
        language="tr",
    )
    applying.save_draft(
        application=application,
        answers={
            "workshop_title": "Mahalle Meclisleri",
            "workshop_summary": "Katılımcı yerel demokrasi için bir atölye.",
            "workshop_themes": theme.slug,
            "workshop_format": "workshop",
            "duration_minutes": "90",
            "capacity": "1.250",
        },
        people=[applying.PersonRow(full_name="Gül Aydın", email="gul@mahalle.org.tr")],
        actor=user,
    )
    submitted = applying.submit(application=application, actor=user, consent=True)

    decide(application=submitted, decision=ApplicationStatus.ACCEPTED)

    session = FestivalSession.objects.get(application=application)
    assert session.title == "Mahalle Meclisleri"
    assert session.capacity == 1250
    assert list(session.themes.all()) == [theme]
    assert [p.full_name for p in session.facilitators.all()] == ["Gül Aydın"]

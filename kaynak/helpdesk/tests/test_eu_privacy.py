"""A person's EU Support Unit meetings in their data export, and their name scrubbed from the
meetings' topics and notes on erasure while the attendance's delivery stays."""

from __future__ import annotations

import datetime as dt

import pytest

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.tests.factories import PersonFactory
from kaynak.helpdesk import projects
from kaynak.helpdesk.models import MeetingMode, TechnicalSupportMeeting
from kaynak.helpdesk.tests.eu_factories import EUProjectFactory
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def meeting_with(person_name: str) -> TechnicalSupportMeeting:
    person = PersonFactory.create(full_name=person_name)
    project = EUProjectFactory.create(title="Gençlik Ağı")
    return projects.record_meeting(
        project=project,
        data=projects.MeetingData(
            date=dt.date(2025, 4, 2),
            mode=MeetingMode.ONLINE,
            topics=f"{person_name} ile bütçe revizyonu",
            notes=f"{person_name} ödeme takvimini soracak",
            organisations=[project.lead],
            people=[person],
        ),
        actor=None,
    )


def test_the_export_lists_the_meetings_the_person_attended() -> None:
    meeting = meeting_with("Elif Doğan")
    person = meeting.people.get()

    data = person_data_export(person=person, actor=None)

    [exported] = data["eu_support_meetings"]["meetings"]
    assert exported == {
        "project": "Gençlik Ağı",
        "date": "2025-04-02",
        "mode": "online",
        "topics": "Elif Doğan ile bütçe revizyonu",
    }


def test_erasure_scrubs_the_meetings_text_and_keeps_the_delivery() -> None:
    meeting = meeting_with("Elif Doğan")
    person = meeting.people.get()

    person_erase(person=person, actor=StaffFactory.create(roles=[Role.CENTER_ADMIN]))

    meeting.refresh_from_db()
    assert "Elif" not in meeting.topics
    assert "Doğan" not in meeting.notes
    assert "bütçe revizyonu" in meeting.topics
    assert Delivery.objects.filter(person=person, withdrawn_at__isnull=True).count() == 1

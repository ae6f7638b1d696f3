"""Coaching in a person's data export and erasure: the sessions they took part in (shared notes
only), and erasure taking them off the sessions and out of the notes, deliveries kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kaynak.coaching import engagements
from kaynak.coaching.privacy_coaching import coaching_section, erase_coaching
from kaynak.coaching.tests.factories import EngagementFactory
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.tests.factories import PersonFactory
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def logged_with(person: Any, **notes: Any) -> Any:
    return engagements.session_log(
        engagement=EngagementFactory.create(),
        starts_at=timezone.now() - dt.timedelta(days=5),
        minutes=60,
        mode="online",
        participants=[person],
        actor=None,
        **notes,
    )


def test_the_export_lists_their_sessions_with_shared_notes_only() -> None:
    person = PersonFactory.create()
    session = logged_with(person, coach_notes="Özel gözlem", shared_notes="Ortak not")

    rows = coaching_section(person)

    assert rows == [
        {
            "date": timezone.localtime(session.starts_at).isoformat(),
            "organisation": session.engagement.organisation.name,
            "engagement": session.engagement.code,
            "mode": "online",
            "minutes": 60,
            "shared_notes": "Ortak not",
        }
    ]
    assert "coaching" in person_data_export(person=person, actor=None)


def test_erasure_takes_them_off_the_sessions_and_out_of_the_notes_keeping_deliveries() -> None:
    person = PersonFactory.create(full_name="Gülten Karaca")
    other = PersonFactory.create()
    session = logged_with(person, shared_notes="Gülten Karaca bütçeyi sundu.")
    session.participants.add(other)
    deliveries = Delivery.objects.count()

    person_erase(person=person, actor=None)

    session.refresh_from_db()
    assert list(session.participants.all()) == [other]
    assert "Gülten Karaca" not in session.shared_notes
    assert Delivery.objects.count() == deliveries


def test_erasing_someone_who_took_part_in_no_session_erases_nothing_here() -> None:
    person = PersonFactory.create()
    logged_with(PersonFactory.create())

    class Nobody:
        ids = frozenset({person.pk})

    assert erase_coaching(Nobody()) == {}  # type: ignore[arg-type]

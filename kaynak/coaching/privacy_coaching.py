"""Coaching and a person's rights under KVKK and the GDPR (registered with
``kaynak.directory.privacy``). The export section "coaching" lists the coaching sessions they
took part in (date, organisation, mode, duration and the notes shared with the organisation —
never the coach's private notes); the erasure step "coaching" takes them off the sessions'
participants and scrubs their name from those sessions' notes. Their service deliveries stay:
the ledger anonymises them with the person."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kaynak.coaching.models import CoachingSession
from kaynak.directory.models import Person
from kaynak.directory.privacy import Erasure, register_erasure_step, register_export_section

NOTE_FIELDS = ("coach_notes", "shared_notes", "follow_ups")


@register_export_section("coaching")
def coaching_section(person: Person) -> list[dict[str, Any]]:
    """The coaching sessions they took part in."""
    sessions = (
        CoachingSession.objects.filter(participants=person)
        .select_related("engagement__organisation")
        .order_by("starts_at", "pk")
    )
    return [
        {
            "date": timezone.localtime(session.starts_at).isoformat(),
            "organisation": session.engagement.organisation.name,
            "engagement": session.engagement.code,
            "mode": session.mode,
            "minutes": session.minutes,
            "shared_notes": session.shared_notes,
        }
        for session in sessions
    ]


@register_erasure_step("coaching")
def erase_coaching(erasure: Erasure) -> dict[str, Any]:
    """Off the sessions' participants; their name scrubbed from those sessions' notes."""
    sessions = list(CoachingSession.objects.filter(participants__in=erasure.ids).distinct())
    for session in sessions:
        session.participants.remove(*erasure.ids)
        for name in NOTE_FIELDS:
            setattr(session, name, erasure.scrub(getattr(session, name)))
        session.save(update_fields=[*NOTE_FIELDS, "updated_at"])
    if not sessions:
        return {}
    return {"sessions": len(sessions)}

"""The festival's part of a person's data export and erasure (KVKK/GDPR).

Personal data here: the person's badges (with their check-in), the organisations they were a
delegate of, and the sessions they facilitated (the public programme names them). Erasure
keeps the ledger's deliveries and the badges that were checked in (their source), deletes the
badges never used, takes the person off delegations and off every session's facilitators (the
public programme no longer names them), and scrubs their names from session summaries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from kaynak.directory.models import Person
from kaynak.directory.privacy import Erasure, register_erasure_step, register_export_section
from kaynak.festival.models import Badge, FestivalSession, Participation


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


@register_export_section("festival")
def festival_section(person: Person) -> dict[str, Any]:
    """Their badges, delegations and the sessions they facilitated."""
    badges = Badge.objects.filter(person=person).select_related("festival", "organisation")
    delegations = Participation.objects.filter(delegates=person).select_related(
        "festival", "organisation"
    )
    sessions = FestivalSession.objects.filter(facilitators=person).select_related("festival")
    return {
        "badges": [
            {
                "festival": badge.festival.name,
                "organisation": badge.organisation.name if badge.organisation else None,
                "role": badge.role,
                "code": badge.code,
                "checked_in_at": _iso(badge.checked_in_at),
            }
            for badge in badges
        ],
        "delegations": [
            {"festival": p.festival.name, "organisation": p.organisation.name} for p in delegations
        ],
        "facilitated": [
            {
                "festival": s.festival.name,
                "title": s.title,
                "starts_at": _iso(s.starts_at),
                "status": s.status,
            }
            for s in sessions
        ],
    }


@register_erasure_step("festival")
def erase_festival(erasure: Erasure) -> dict[str, Any]:
    """See the module's docstring; returns counts for the erasure's audit entry."""
    unused = Badge.objects.filter(person_id__in=erasure.ids, checked_in_at__isnull=True)
    deleted, _ = unused.delete()
    delegations = list(Participation.objects.filter(delegates__in=erasure.ids).distinct())
    for participation in delegations:
        participation.delegates.remove(*erasure.ids)
    sessions = list(FestivalSession.objects.filter(facilitators__in=erasure.ids).distinct())
    for session in sessions:
        session.facilitators.remove(*erasure.ids)
        summary = erasure.scrub(session.summary)
        if summary != session.summary:
            session.summary = summary
            session.save(update_fields=["summary", "updated_at"])
    if not (deleted or delegations or sessions):
        return {}
    return {
        "badges_deleted": deleted,
        "delegations": len(delegations),
        "sessions": [session.pk for session in sessions],
    }

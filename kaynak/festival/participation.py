"""Who comes to the festival: participating organisations (a stand, delegates), badges and the
check-in at the door.

A badge is made for each delegate when their organisation is registered, for each facilitator
and for each person registered for a festival workshop (lazily: when badges are printed or the
person opens their badge page). The first check-in of a badge writes the person's festival
delivery to the ledger (with their organisation, on the day, in the festival's province);
undoing it withdraws the delivery.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.directory.models import Organisation, Person
from kaynak.festival.errors import FestivalError
from kaynak.festival.models import (
    IN_PROGRAMME,
    Badge,
    BadgeRole,
    Festival,
    FestivalSession,
    Participation,
)
from kaynak.ledger.services import record_delivery, withdraw_delivery
from kaynak.programmes.models import CODE_ALPHABET, SEAT_HOLDING, Registration

# When a person has several roles, the badge shows the strongest.
ROLE_RANK = {
    BadgeRole.PARTICIPANT: 0,
    BadgeRole.VOLUNTEER: 1,
    BadgeRole.PRESS: 2,
    BadgeRole.DELEGATE: 3,
    BadgeRole.FACILITATOR: 4,
}


@transaction.atomic
def badge_for(
    *,
    festival: Festival,
    person: Person,
    organisation: Organisation | None = None,
    role: str = BadgeRole.PARTICIPANT,
    actor: Any = None,
) -> Badge:
    """The person's badge for the festival, made if missing (idempotent); a stronger role or a
    missing organisation is filled in."""
    badge, created = Badge.objects.get_or_create(
        festival=festival,
        person=person,
        defaults={"organisation": organisation, "role": role},
    )
    if created:
        log_action(
            "kaynak.festival.badge.created", actor=actor, target=badge, data={"role": str(role)}
        )
        return badge
    changed = []
    if ROLE_RANK[BadgeRole(role)] > ROLE_RANK[BadgeRole(badge.role)]:
        badge.role = role
        changed.append("role")
    if badge.organisation_id is None and organisation is not None:
        badge.organisation = organisation
        changed.append("organisation")
    if changed:
        badge.save(update_fields=changed)
    return badge


@transaction.atomic
def register_organisation(
    *,
    festival: Festival,
    organisation: Organisation,
    stand: str = "",
    delegates: Iterable[Person] = (),
    actor: Any,
) -> Participation:
    """Register (or update) an organisation's participation: its stand and delegates, each of
    whom gets a delegate badge. A delegate taken off the list loses a badge not yet used."""
    delegates = list(delegates)
    participation, created = Participation.objects.select_for_update().get_or_create(
        festival=festival,
        organisation=organisation,
        defaults={
            "stand": stand.strip(),
            "registered_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    if not created and participation.stand != stand.strip():
        participation.stand = stand.strip()
        participation.save(update_fields=["stand"])
    before = set(participation.delegates.values_list("pk", flat=True))
    participation.delegates.set(delegates)
    removed = before - {person.pk for person in delegates}
    Badge.objects.filter(
        festival=festival,
        person_id__in=removed,
        role=BadgeRole.DELEGATE,
        organisation=organisation,
        checked_in_at__isnull=True,
    ).delete()
    for person in delegates:
        badge_for(
            festival=festival,
            person=person,
            organisation=organisation,
            role=BadgeRole.DELEGATE,
            actor=actor,
        )
    log_action(
        "kaynak.festival.participation.registered"
        if created
        else "kaynak.festival.participation.changed",
        actor=actor,
        target=participation,
        data={"stand": participation.stand, "delegates": len(delegates)},
    )
    return participation


@transaction.atomic
def ensure_badges(*, festival: Festival, person: Person | None = None) -> int:
    """Make the badges still missing for facilitators of sessions in the programme and for
    people holding a seat in a festival workshop (all of them, or only ``person``'s); returns
    how many were made."""
    have = set(Badge.objects.filter(festival=festival).values_list("person_id", flat=True))
    made = 0
    sessions = FestivalSession.objects.filter(festival=festival, status__in=IN_PROGRAMME)
    facilitating = sessions.values_list("facilitators", "host")
    if person is not None:
        facilitating = facilitating.filter(facilitators=person)
    for person_id, host_id in facilitating:
        if person_id is None or person_id in have:
            continue
        badge_for(
            festival=festival,
            person=Person.objects.get(pk=person_id),
            organisation=Organisation.objects.filter(pk=host_id).first(),
            role=BadgeRole.FACILITATOR,
        )
        have.add(person_id)
        made += 1
    registrations = Registration.objects.filter(
        activity__festival_session__festival=festival, status__in=SEAT_HOLDING
    ).select_related("person", "organisation")
    if person is not None:
        registrations = registrations.filter(person=person)
    for registration in registrations:
        if registration.person_id in have:
            continue
        badge_for(
            festival=festival,
            person=registration.person,
            organisation=registration.organisation,
            role=BadgeRole.PARTICIPANT,
        )
        have.add(registration.person_id)
        made += 1
    return made


# Check-in ---------------------------------------------------------------------------------------


def normalise_code(text: str) -> str:
    """A code as typed or scanned ("abcd-efgh", or the check-in address) → as stored."""
    text = text.strip().rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[\s\-.]", "", text).upper()


def badge_by_code(festival: Festival, code: str) -> Badge | None:
    code = normalise_code(code)
    if not code or not all(ch in CODE_ALPHABET for ch in code):
        return None
    return (
        Badge.objects.select_related("person", "organisation", "festival")
        .filter(festival=festival, code=code)
        .first()
    )


@transaction.atomic
def check_in(*, badge: Badge, actor: Any, now: dt.datetime | None = None) -> tuple[Badge, bool]:
    """Check the badge in; returns it and whether this was its first check-in (only the first
    writes the ledger delivery)."""
    badge = Badge.objects.select_for_update().select_related("festival__programme").get(pk=badge.pk)
    if badge.checked_in_at is not None:
        return badge, False
    if badge.person.erased_at is not None:
        raise FestivalError(_("This badge's holder was erased."), code="erased")
    now = now or timezone.now()
    festival = badge.festival
    badge.checked_in_at = now
    badge.checked_in_by = actor if getattr(actor, "is_authenticated", False) else None
    badge.save(update_fields=["checked_in_at", "checked_in_by"])
    record_delivery(
        kind="festival",
        source=badge,
        date=timezone.localtime(now).date(),
        person=badge.person,
        organisation=badge.organisation,
        province=festival.province,
        programme=festival.programme.name,
        activity=festival.name,
    )
    log_action("kaynak.festival.badge.checked_in", actor=actor, target=badge)
    return badge, True


@transaction.atomic
def undo_check_in(*, badge: Badge, actor: Any) -> Badge:
    """Undo a check-in made by mistake: the delivery is withdrawn."""
    badge = Badge.objects.select_for_update().get(pk=badge.pk)
    if badge.checked_in_at is None:
        return badge
    badge.checked_in_at = None
    badge.checked_in_by = None
    badge.save(update_fields=["checked_in_at", "checked_in_by"])
    withdraw_delivery(source=badge, person=badge.person)
    log_action("kaynak.festival.badge.check_in_undone", actor=actor, target=badge)
    return badge

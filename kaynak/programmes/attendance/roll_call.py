"""The roll call of a session: who holds a seat, and who has been marked present."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kaynak.core.db import turkish_order
from kaynak.core.text import search_key
from kaynak.programmes.models import SEAT_HOLDING, Attendance, Registration, Session


def sessions_for_attendance() -> QuerySet[Session]:
    """Sessions with what the attendance pages print about them."""
    return Session.objects.select_related("activity", "activity__programme", "province")


def roll_call_registrations(session: Session) -> QuerySet[Registration]:
    """The registrants of ``session`` who hold a seat, in Turkish alphabetical order, each
    with ``present`` (marked for this session). One query, however many there are."""
    return (
        Registration.objects.filter(activity_id=session.activity_id, status__in=SEAT_HOLDING)
        .select_related("person", "organisation")
        .annotate(
            present=Exists(
                Attendance.objects.filter(registration=OuterRef("pk"), session_id=session.pk)
            )
        )
        .order_by(turkish_order("person__full_name"), "id")
    )


def registration_search_key(registration: Registration) -> str:
    """What the roll call's search box matches: the name, organisation and e-mail, folded."""
    organisation = registration.organisation.name if registration.organisation else ""
    return search_key(f"{registration.person.full_name} {organisation} {registration.email}")


def matches_search(key: str, q: str) -> bool:
    """Every word typed appears in ``key`` ("ayse yil" finds "Ayşe Yılmaz")."""
    return all(word in key for word in search_key(q).split())


@dataclass(frozen=True)
class RollCallRow:
    registration: Registration
    present: bool
    search_key: str


@dataclass(frozen=True)
class RollCall:
    session: Session
    rows: list[RollCallRow]  # those the search finds
    registered: int  # everyone with a seat, whatever the search
    present: int


def roll_call_row(registration: Registration, *, present: bool) -> RollCallRow:
    return RollCallRow(
        registration=registration,
        present=present,
        search_key=registration_search_key(registration),
    )


def roll_call(session: Session, *, q: str = "") -> RollCall:
    """The roll call of ``session``, filtered by the words ``q`` (counts are of everyone)."""
    everyone = [
        roll_call_row(registration, present=bool(getattr(registration, "present", False)))
        for registration in roll_call_registrations(session)
    ]
    rows = [row for row in everyone if matches_search(row.search_key, q)] if q.strip() else everyone
    return RollCall(
        session=session,
        rows=rows,
        registered=len(everyone),
        present=sum(1 for row in everyone if row.present),
    )


def attendance_counts(session: Session) -> tuple[int, int]:
    """(present, registered with a seat) for ``session``, in one query."""
    counts = Registration.objects.filter(
        activity_id=session.activity_id, status__in=SEAT_HOLDING
    ).aggregate(
        registered=Count("id", distinct=True),
        present=Count("attendances", filter=Q(attendances__session_id=session.pk)),
    )
    return counts["present"], counts["registered"]

"""Named reads of the staff pages of activities: the dashboard (fill rate, waiting lists,
attendance), an activity's registrations by status, and the directory search for adding a
registrant. Each list is read in a fixed number of queries, however long it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from kaynak.core.db import turkish_order
from kaynak.core.text import search_key
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.programmes.models import (
    SEAT_HOLDING,
    Activity,
    ActivityStatus,
    Attendance,
    Registration,
    RegistrationStatus,
    Session,
)

DASHBOARD_UPCOMING = 100
DASHBOARD_PAST_DAYS = 60
SEARCH_LIMIT = 20


def _count_of_activity(ref: str = "activity", **conditions: Any) -> Any:
    """A subquery: how many registrations of the row's activity (``ref``) meet
    ``conditions``."""
    counted = (
        Registration.objects.filter(activity=OuterRef(ref), **conditions)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _smallest_room(ref: str = "activity") -> Any:
    rooms = (
        Session.objects.filter(activity=OuterRef(ref), capacity__isnull=False)
        .order_by()
        .values("activity")
        .annotate(m=Min("capacity"))
        .values("m")
    )
    return Subquery(rooms, output_field=IntegerField())


def _attended_in_session() -> Any:
    attended = (
        Attendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(attended, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class SessionLine:
    """A dashboard row: a session and how full (or how attended) its activity is."""

    session: Session
    seats: int | None
    taken: int
    waiting: int
    attended: int
    confirmed: int

    @property
    def activity(self) -> Activity:
        return self.session.activity

    @property
    def fill_percent(self) -> int | None:
        if not self.seats:
            return None
        return round(100 * self.taken / self.seats)

    @property
    def attendance_percent(self) -> int | None:
        if not self.confirmed:
            return None
        return round(100 * self.attended / self.confirmed)


def _seats(activity_capacity: int | None, smallest_room: int | None) -> int | None:
    limits = [limit for limit in (activity_capacity, smallest_room) if limit is not None]
    return min(limits) if limits else None


def _sessions_with_figures(queryset: QuerySet[Session]) -> QuerySet[Session]:
    return queryset.select_related("activity__programme", "province").annotate(
        taken=_count_of_activity(status__in=SEAT_HOLDING),
        waiting=_count_of_activity(status=RegistrationStatus.WAITLISTED),
        confirmed=_count_of_activity(status=RegistrationStatus.CONFIRMED),
        smallest_room=_smallest_room(),
        attended=_attended_in_session(),
    )


def _lines(sessions: QuerySet[Session]) -> list[SessionLine]:
    return [
        SessionLine(
            session=session,
            seats=_seats(session.activity.capacity, session.smallest_room),  # type: ignore[attr-defined]
            taken=session.taken,  # type: ignore[attr-defined]
            waiting=session.waiting,  # type: ignore[attr-defined]
            attended=session.attended,  # type: ignore[attr-defined]
            confirmed=session.confirmed,  # type: ignore[attr-defined]
        )
        for session in sessions
    ]


@dataclass
class Dashboard:
    upcoming: list[SessionLine] = field(default_factory=list)
    past: list[SessionLine] = field(default_factory=list)
    drafts: list[Activity] = field(default_factory=list)

    @property
    def attendance_percent(self) -> int | None:
        """Attendance over the past sessions shown: marked present ÷ confirmed registrants."""
        expected = sum(line.confirmed for line in self.past)
        if not expected:
            return None
        return round(100 * sum(line.attended for line in self.past) / expected)

    @property
    def waiting(self) -> int:
        """People waiting for a seat in the upcoming activities (each activity once)."""
        by_activity = {line.session.activity_id: line.waiting for line in self.upcoming}
        return sum(by_activity.values())


def dashboard(now: dt.datetime | None = None) -> Dashboard:
    """Upcoming sessions with their fill rate and waiting list, the last weeks' sessions with
    their attendance, and the drafts not yet published."""
    now = now or timezone.now()
    live = Session.objects.exclude(activity__status=ActivityStatus.CANCELLED)
    upcoming = _sessions_with_figures(live.filter(ends_at__gte=now)).order_by("starts_at", "pk")
    past = _sessions_with_figures(
        live.filter(
            ends_at__lt=now,
            ends_at__gte=now - dt.timedelta(days=DASHBOARD_PAST_DAYS),
            activity__status=ActivityStatus.PUBLISHED,
        )
    ).order_by("-starts_at", "-pk")
    drafts = (
        Activity.objects.filter(status=ActivityStatus.DRAFT)
        .select_related("programme")
        .annotate(first_start=Min("sessions__starts_at"))
        .order_by("first_start", "pk")
    )
    return Dashboard(
        upcoming=_lines(upcoming[:DASHBOARD_UPCOMING]),
        past=_lines(past[:DASHBOARD_UPCOMING]),
        drafts=list(drafts),
    )


def staff_activities(*, q: str = "", status: str = "") -> QuerySet[Activity]:
    """Every activity for staff, newest first by first session, searched by title."""
    activities = Activity.objects.select_related("programme", "topic").annotate(
        first_start=Min("sessions__starts_at"),
        registrations_count=Count(
            "registrations", filter=Q(registrations__status__in=SEAT_HOLDING)
        ),
    )
    for word in q.split():
        # The address is the title folded ("Döngüsü" → "dongusu"), so "dongusu", "DÖNGÜSÜ"
        # and "döngüsü" all find it there; the title catches words the address left out.
        folded = slugify(search_key(word))
        activities = activities.filter(
            Q(title__icontains=word) | (Q(slug__icontains=folded) if folded else Q(pk=None))
        )
    if status:
        activities = activities.filter(status=status)
    return activities.order_by("-first_start", "-pk")


def activity_for_staff(pk: int) -> Activity:
    """An activity with what its staff page shows about it; ``Activity.DoesNotExist`` if none."""
    return (
        Activity.objects.select_related("programme", "topic", "copied_from")
        .prefetch_related(
            "themes",
            "trainers",
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("province")
                .annotate(attended=_attended_in_session())
                .order_by("starts_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


@dataclass
class RegistrationGroups:
    """An activity's registrations as staff read them."""

    confirmed: list[Registration] = field(default_factory=list)
    offered: list[Registration] = field(default_factory=list)
    waitlisted: list[Registration] = field(default_factory=list)  # in the order seats go
    ended: list[Registration] = field(default_factory=list)  # cancelled and lapsed

    @property
    def taken(self) -> int:
        return len(self.confirmed) + len(self.offered)


def registrations_by_status(activity: Activity) -> RegistrationGroups:
    """The activity's registrations by status: confirmed and offered (alphabetical), the
    waiting list in its order, then cancelled and lapsed (latest first). One query."""
    registrations = (
        Registration.objects.filter(activity=activity)
        .select_related("person", "organisation", "added_by")
        .annotate(attended=Count("attendances"))
        .order_by(turkish_order("person__full_name"), "pk")
    )
    groups = RegistrationGroups()
    waiting: list[Registration] = []
    ended: list[Registration] = []
    for registration in registrations:
        status = registration.status
        if status == RegistrationStatus.CONFIRMED:
            groups.confirmed.append(registration)
        elif status == RegistrationStatus.OFFERED:
            groups.offered.append(registration)
        elif status == RegistrationStatus.WAITLISTED:
            waiting.append(registration)
        else:
            ended.append(registration)
    groups.waitlisted = sorted(waiting, key=lambda r: (r.created_at, r.pk))
    groups.ended = sorted(ended, key=lambda r: (r.cancelled_at or r.updated_at, r.pk), reverse=True)
    return groups


def _with_organisations(people: QuerySet[Person]) -> QuerySet[Person]:
    current = Affiliation.objects.filter(end_date__isnull=True).select_related("organisation")
    return people.select_related("province").prefetch_related(
        Prefetch("affiliations", queryset=current, to_attr="current")
    )


def people_to_register(q: str) -> list[Person]:
    """People whose name matches every word of ``q`` (folded), with their current
    organisations, for the staff's "add a registrant" search."""
    words = search_key(q).split()
    if not words:
        return []
    people = Person.objects.filter(erased_at__isnull=True)
    for word in words:
        people = people.filter(search_text__contains=word)
    return list(
        _with_organisations(people).order_by(turkish_order("full_name"), "pk")[:SEARCH_LIMIT]
    )


def people_by_id(ids: list[int]) -> list[Person]:
    """People (not erased) in the order of ``ids``, with their current organisations."""
    found = {
        person.pk: person
        for person in _with_organisations(Person.objects.filter(pk__in=ids, erased_at__isnull=True))
    }
    return [found[pk] for pk in ids if pk in found]


def organisations_to_register(q: str) -> list[Organisation]:
    """Organisations whose name matches every word of ``q`` (folded)."""
    words = search_key(q).split()
    if not words:
        return []
    organisations = Organisation.objects.all()
    for word in words:
        organisations = organisations.filter(search_text__contains=word)
    return list(
        organisations.select_related("province").order_by(turkish_order("name"), "pk")[
            :SEARCH_LIMIT
        ]
    )


# The API ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilters:
    """What an API list of activities is narrowed to. Empty values do not filter."""

    province: int | None = None  # plate code of a session's province
    online: bool | None = None  # True: every session online; False: one in person at least
    kind: str = ""
    topic: str = ""
    programme: str = ""
    status: str = ""


@dataclass(frozen=True)
class SeatFigures:
    seats: int | None
    taken: int
    waiting: int

    @property
    def seats_left(self) -> int | None:
        return None if self.seats is None else max(self.seats - self.taken, 0)


def seat_figures(activity: Activity) -> SeatFigures:
    """Seats of an activity read by ``activities_for_api`` (from its annotations)."""
    return SeatFigures(
        seats=_seats(activity.capacity, activity.smallest_room),  # type: ignore[attr-defined]
        taken=activity.taken_count,  # type: ignore[attr-defined]
        waiting=activity.waiting_count,  # type: ignore[attr-defined]
    )


def activities_for_api(
    filters: ActivityFilters,
    *,
    include_unpublished: bool = False,
    upcoming: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Activity]:
    """Activities with their seats, sessions, themes and trainers, in a fixed number of
    queries. Published ones only unless ``include_unpublished`` (staff); ``upcoming``: only
    those with a session still to come, soonest first."""
    activities = Activity.objects.all()
    if not include_unpublished or upcoming:
        activities = activities.filter(status=ActivityStatus.PUBLISHED)
    if upcoming:
        now = now or timezone.now()
        activities = activities.filter(
            pk__in=Session.objects.filter(ends_at__gte=now).values("activity")
        )
    if filters.province is not None:
        activities = activities.filter(
            pk__in=Session.objects.filter(province_id=filters.province).values("activity")
        )
    if filters.online is not None:
        in_person = Session.objects.filter(online=False).values("activity")
        activities = (
            activities.exclude(pk__in=in_person)
            if filters.online
            else activities.filter(pk__in=in_person)
        )
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.topic:
        activities = activities.filter(topic__slug=filters.topic)
    if filters.programme:
        activities = activities.filter(programme__slug=filters.programme)
    if filters.status:
        activities = activities.filter(status=filters.status)
    first_start = (
        Session.objects.filter(activity=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    activities = (
        activities.select_related("programme", "topic")
        .prefetch_related(
            "themes",
            "trainers",
            Prefetch("sessions", queryset=Session.objects.select_related("province")),
        )
        .annotate(
            taken_count=_count_of_activity("pk", status__in=SEAT_HOLDING),
            waiting_count=_count_of_activity("pk", status=RegistrationStatus.WAITLISTED),
            smallest_room=_smallest_room("pk"),
            first_start=Subquery(first_start),
        )
    )
    if upcoming:
        return activities.order_by(F("first_start").asc(nulls_last=True), "pk")
    return activities.order_by(F("first_start").desc(nulls_last=True), "-pk")


def registrations_for_api(activity: Activity, *, status: str = "") -> QuerySet[Registration]:
    """An activity's registrations in the order they came (the waiting list's order)."""
    registrations = Registration.objects.filter(activity=activity).select_related(
        "person", "organisation", "added_by"
    )
    if status:
        registrations = registrations.filter(status=status)
    return registrations.order_by("created_at", "pk")

"""Named reads of trainings and events for the public pages, a member's "Eğitimlerim" and the
feeds. Visibility is decided here: drafts are never shown; a registration is read only through
its signed link (``links``) or by the person it belongs to.

Lists are annotated in one query (seats taken, waiting list, smallest room, first session)
and their sessions prefetched, so a page costs the same number of queries for 5 rows or 50.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from kaynak.core.db import turkish_order
from kaynak.core.models import Province, Region, Theme
from kaynak.directory import queries as directory_queries
from kaynak.directory.models import Organisation, Person
from kaynak.directory.resolution import OrganisationRecord, organisation_candidates
from kaynak.programmes.models import (
    ACTIVE,
    SEAT_HOLDING,
    Activity,
    ActivityKind,
    ActivityStatus,
    CalendarFeed,
    Certificate,
    FeedbackInvitation,
    Programme,
    Registration,
    RegistrationStatus,
    Session,
    Topic,
)
from kaynak.programmes.services import registration_window_problem

# What the public sees: published activities, and cancelled ones (their page says so, and
# registrants' links keep working). Drafts never.
PUBLIC_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED)
# Kinds listed elsewhere: the school's modules (cohort only) and the festival's workshops.
NOT_IN_TRAININGS_LIST = (ActivityKind.SCHOOL_MODULE, ActivityKind.FESTIVAL_WORKSHOP)


# Seats and registration, for a row or a page ----------------------------------------------------


def _count_of(registrations: QuerySet[Registration]) -> Any:
    return Coalesce(
        Subquery(
            registrations.order_by().values("activity_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_availability(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotate what ``availability()`` needs: seats taken, waiting, the smallest room and the
    first session. Subqueries, not joins: counting registrations across a join with sessions
    would multiply them."""
    mine = OuterRef("pk")
    sessions = Session.objects.filter(activity=mine).order_by().values("activity_id")
    return queryset.annotate(
        taken_count=_count_of(Registration.objects.filter(activity=mine, status__in=SEAT_HOLDING)),
        waiting_count=_count_of(
            Registration.objects.filter(activity=mine, status=RegistrationStatus.WAITLISTED)
        ),
        smallest_room=Subquery(
            sessions.filter(capacity__isnull=False).annotate(m=Min("capacity")).values("m")[:1]
        ),
        first_start=Subquery(sessions.annotate(m=Min("starts_at")).values("m")[:1]),
    )


@dataclass(frozen=True)
class Availability:
    """Seats and whether one may register now, as a visitor sees them."""

    registration_required: bool
    seats: int | None  # None: no limit
    taken: int
    waiting: int
    keeps_waitlist: bool
    problem: str | None  # why registration is not open now; None when it is

    @property
    def seats_left(self) -> int | None:
        if self.seats is None:
            return None
        # While anyone waits, a free seat is theirs (services.register / fill_seats).
        return 0 if self.waiting else max(0, self.seats - self.taken)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def state(self) -> str:
        """One word for the template and CSS: no-registration, closed, open, waitlist, full."""
        if not self.registration_required:
            return "no-registration"
        if self.problem is not None:
            return "closed"
        if not self.is_full:
            return "open"
        return "waitlist" if self.keeps_waitlist else "full"


def availability(activity: Activity, *, now: dt.datetime | None = None) -> Availability:
    """Seats and the registration window of an activity annotated by ``with_availability``."""
    now = now or timezone.now()
    annotated: Any = activity  # the annotations are not on the model class
    # The rule of services.seats_of: the activity's seats, or its smallest room if smaller.
    limits = [x for x in (activity.capacity, annotated.smallest_room) if x is not None]
    seats = min(limits) if limits else None
    # registration_window_problem() reads the first session itself when the activity has no
    # closing time: give it the annotated one on a copy, so a list asks no query per row.
    probe = copy.copy(activity)
    if probe.registration_closes_at is None:
        probe.registration_closes_at = annotated.first_start
    return Availability(
        registration_required=activity.registration_required,
        seats=seats,
        taken=int(annotated.taken_count),
        waiting=int(annotated.waiting_count),
        keeps_waitlist=activity.waitlist,
        problem=registration_window_problem(probe, now),
    )


# The upcoming activities ------------------------------------------------------------------------


class Format:
    ONLINE = "online"
    IN_PERSON = "in-person"


@dataclass(frozen=True)
class UpcomingFilters:
    """What the upcoming list is narrowed to; empty values do not filter. A session must match
    all of them at once ("in İzmir in March" is one session in İzmir in March)."""

    province: Province | None = None
    region: Region | None = None
    topic: Topic | None = None
    theme: Theme | None = None
    format: str = ""
    month: dt.date | None = None  # the first day of the month, Istanbul time


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (
        dt.datetime(month.year, month.month, 1, tzinfo=zone),
        dt.datetime(following.year, following.month, 1, tzinfo=zone),
    )


def _matching_sessions(filters: UpcomingFilters, now: dt.datetime) -> QuerySet[Session]:
    sessions = Session.objects.filter(activity=OuterRef("pk"), starts_at__gte=now)
    if filters.province is not None:
        sessions = sessions.filter(province=filters.province, online=False)
    if filters.region is not None:
        sessions = sessions.filter(province__region=filters.region, online=False)
    if filters.format == Format.ONLINE:
        sessions = sessions.filter(online=True)
    elif filters.format == Format.IN_PERSON:
        sessions = sessions.filter(online=False)
    if filters.month is not None:
        start, end = _month_bounds(filters.month)
        sessions = sessions.filter(starts_at__gte=start, starts_at__lt=end)
    return sessions


def _upcoming_sessions(now: dt.datetime) -> Prefetch[Any]:
    return Prefetch(
        "sessions",
        queryset=Session.objects.filter(starts_at__gte=now)
        .select_related("province")
        .order_by("starts_at", "pk"),
        to_attr="upcoming_sessions",
    )


def upcoming_activities(
    filters: UpcomingFilters, *, now: dt.datetime | None = None
) -> QuerySet[Activity]:
    """Published activities with a session still to come, soonest first."""
    now = now or timezone.now()
    queryset = (
        Activity.objects.filter(status=ActivityStatus.PUBLISHED)
        # The school's modules and the festival's workshops have their own pages and lists.
        .exclude(kind__in=NOT_IN_TRAININGS_LIST)
        .filter(Exists(_matching_sessions(filters, now)))
    )
    if filters.topic is not None:
        queryset = queryset.filter(topic=filters.topic)
    if filters.theme is not None:
        # A subquery rather than a join: no duplicate rows, no DISTINCT.
        queryset = queryset.filter(
            pk__in=Activity.themes.through.objects.filter(theme=filters.theme).values("activity_id")
        )
    next_start = (
        Session.objects.filter(activity=OuterRef("pk"), starts_at__gte=now)
        .order_by()
        .values("activity_id")
        .annotate(m=Min("starts_at"))
        .values("m")[:1]
    )
    return (
        with_availability(queryset)
        .annotate(next_start=Subquery(next_start))
        .select_related("topic", "programme")
        .prefetch_related(_upcoming_sessions(now))
        .order_by("next_start", "pk")
    )


def upcoming_months(*, now: dt.datetime | None = None, count: int = 12) -> list[dt.date]:
    """The first days of this month and the next ``count - 1``, Istanbul time."""
    today = timezone.localdate(now or timezone.now())
    months = []
    month = today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def topics_in_order() -> QuerySet[Topic]:
    return Topic.objects.order_by(turkish_order("name_tr"))


def provinces_in_order() -> QuerySet[Province]:
    return Province.objects.order_by(turkish_order("name"))


# One activity -----------------------------------------------------------------------------------


def public_activity(slug: str) -> Activity:
    """An activity's public page: published or cancelled (drafts 404), with its sessions,
    trainers and themes."""
    try:
        return (
            with_availability(Activity.objects.filter(status__in=PUBLIC_STATUSES))
            .select_related("topic", "programme")
            .prefetch_related(
                Prefetch(
                    "sessions",
                    queryset=Session.objects.select_related("province").order_by("starts_at"),
                ),
                "trainers",
                Prefetch("themes", queryset=Theme.objects.order_by("position")),
            )
            .get(slug=slug)
        )
    except Activity.DoesNotExist:
        raise Http404 from None


def organisation_candidates_for(name: str, province: Province | None) -> list[Organisation]:
    """The directory's "is this your organisation?" guard: the known organisations the typed
    name (and province) may mean, best first. Empty for an empty name."""
    if not name.strip():
        return []
    found = organisation_candidates(
        OrganisationRecord(name=name, city=province.name if province else ""), limit=5
    )
    organisations = directory_queries.organisations_by_id([c.id for c in found])
    return [organisations[c.id] for c in found if c.id in organisations]


def person_of_user(user: Any) -> Person | None:
    """The directory's person behind a member's account, if there is one yet (no writes)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user, erased_at__isnull=True).first()


# A programme (series) and recordings -----------------------------------------------------------


def public_programme(slug: str) -> Programme:
    try:
        return Programme.objects.get(slug=slug)
    except Programme.DoesNotExist:
        raise Http404 from None


def programme_activities(programme: Programme) -> QuerySet[Activity]:
    """A programme's public activities (its episodes, for a series), first session first, with
    all their sessions (recordings included)."""
    return (
        with_availability(Activity.objects.filter(programme=programme, status__in=PUBLIC_STATUSES))
        .select_related("topic")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("province").order_by("starts_at", "pk"),
            )
        )
        # F(): the annotation, which the type checker cannot see through with_availability().
        .order_by(F("first_start").asc(nulls_last=True), "pk")
    )


def public_recordings() -> QuerySet[Session]:
    """Sessions with a recording, newest first."""
    return (
        Session.objects.filter(activity__status__in=PUBLIC_STATUSES)
        .exclude(recording_url="")
        .select_related("activity", "activity__programme", "activity__topic")
        .order_by("-starts_at", "-pk")
    )


def new_activities(limit: int = 30) -> QuerySet[Activity]:
    """The latest published activities (RSS), newest first."""
    return (
        Activity.objects.filter(status=ActivityStatus.PUBLISHED)
        .select_related("topic", "programme")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("province").order_by("starts_at"),
            )
        )
        .order_by("-published_at", "-created_at", "-pk")[:limit]
    )


# A member's registrations ("Eğitimlerim") -------------------------------------------------------


def _registration_lists(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    sessions = (
        Session.objects.filter(activity=OuterRef("activity_id")).order_by().values("activity_id")
    )
    return (
        queryset.select_related("activity", "activity__programme", "organisation", "person")
        .annotate(
            first_start=Subquery(sessions.annotate(m=Min("starts_at")).values("m")[:1]),
            last_end=Subquery(sessions.annotate(m=Max("ends_at")).values("m")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(revoked_at__isnull=True),
                to_attr="valid_certificates",
            )
        )
        .order_by("-first_start", "-pk")
    )


def registrations_of_member(
    person: Person | None, emails: Iterable[str] = ()
) -> QuerySet[Registration]:
    """A member's registrations: their person's, and those made with one of their verified
    e-mail addresses before they had an account. Newest activity first."""
    condition = Q(pk__in=[])
    if person is not None:
        condition |= Q(person=person)
    addresses = [e.strip().lower() for e in emails if e.strip()]
    if addresses:
        condition |= Q(email__in=addresses)
    return _registration_lists(Registration.objects.filter(condition))


def registrations_of_organisations(
    organisations: Sequence[Organisation],
) -> QuerySet[Registration]:
    """Everyone registered for the organisations (an NGO admin's view), newest activity first."""
    return _registration_lists(
        Registration.objects.filter(organisation__in=list(organisations))
    ).order_by(F("first_start").desc(nulls_last=True), turkish_order("person__full_name"), "pk")


def split_by_time(
    registrations: Iterable[Registration], *, now: dt.datetime | None = None
) -> tuple[list[Registration], list[Registration]]:
    """(still to come or running, over) — by the activity's last session."""
    now = now or timezone.now()
    upcoming: list[Registration] = []
    past: list[Registration] = []
    for registration in registrations:
        last_end = getattr(registration, "last_end", None)
        (past if last_end is not None and last_end < now else upcoming).append(registration)
    upcoming.reverse()  # soonest first
    return upcoming, past


def waitlist_position(registration: Registration) -> int:
    """The registration's place on the waiting list (1 is next), first come first served as
    services.fill_seats offers seats."""
    ahead = Registration.objects.filter(
        activity_id=registration.activity_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def valid_certificates_of(registration: Registration) -> list[Certificate]:
    return list(registration.certificates.filter(revoked_at__isnull=True).order_by("-issued_at"))


def survey_open_for(registration: Registration) -> bool:
    """The feedback survey was sent to the registrant and is not answered yet."""
    return FeedbackInvitation.objects.filter(
        registration=registration, answered_at__isnull=True
    ).exists()


def verified_emails_of(user: Any) -> list[str]:
    """The member's verified e-mail addresses (allauth)."""
    from allauth.account.models import EmailAddress

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )


# Calendars --------------------------------------------------------------------------------------


def calendar_feed_of(person: Person | None) -> CalendarFeed | None:
    if person is None:
        return None
    return CalendarFeed.objects.filter(person=person).first()


def person_of_calendar_key(key: str) -> Person | None:
    """The person whose calendar address has ``key`` (not erased), or None."""
    feed = (
        CalendarFeed.objects.select_related("person")
        .filter(key=key, person__erased_at__isnull=True)
        .first()
    )
    return feed.person if feed is not None else None


def programme_sessions(programme: Programme) -> QuerySet[Session]:
    """Every session of a programme's public activities (its iCal feed)."""
    return (
        Session.objects.filter(activity__programme=programme, activity__status__in=PUBLIC_STATUSES)
        .select_related("activity", "province")
        .order_by("starts_at", "pk")
    )


def sessions_of_registrations(
    registrations: QuerySet[Registration],
) -> list[tuple[Session, Registration]]:
    """The sessions of live registrations, each with its registration (a person's feed)."""
    live = list(
        registrations.filter(status__in=ACTIVE)
        .select_related("activity")
        .prefetch_related(
            Prefetch("activity__sessions", queryset=Session.objects.select_related("province"))
        )
    )
    pairs = [
        (session, registration)
        for registration in live
        for session in registration.activity.sessions.all()
    ]
    return sorted(pairs, key=lambda pair: (pair[0].starts_at, pair[0].pk))

"""The verbs of the festival's programme: create a festival (with its call for workshops), its
venues, turn accepted proposals into sessions, place them in the grid (no venue or facilitator
in two places at once), cancel, and mark them held (the ledger's deliveries).

Scheduling runs under a row lock on the festival (``SELECT … FOR UPDATE``; SQLite runs write
transactions one at a time), so two coordinators placing sessions at once cannot both take
the same venue or the same facilitator's hour. A scheduled workshop gets a trainings activity
(kind "festival", one session at its time and venue) so people register and are marked
present through the trainings app.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kaynak.calls import building
from kaynak.calls.answers import parse_number
from kaynak.calls.models import Application, ApplicationStatus
from kaynak.core.audit import log_action
from kaynak.core.db import free_slug
from kaynak.core.models import Province, Theme
from kaynak.directory.models import Person
from kaynak.festival.errors import FestivalError
from kaynak.festival.models import (
    IN_PROGRAMME,
    Festival,
    FestivalSession,
    SessionKind,
    SessionStatus,
    Venue,
)
from kaynak.ledger.services import record_delivery, withdraw_delivery
from kaynak.programmes import catalogue
from kaynak.programmes.catalogue import SessionEdit
from kaynak.programmes.models import ActivityKind, ActivityStatus, Programme

# The workshop-proposal form every festival's call asks (answers are read by these keys).
WORKSHOP_FORMATS = [
    {"key": "workshop", "tr": "Atölye", "en": "Workshop"},
    {"key": "talk", "tr": "Söyleşi / panel", "en": "Talk or panel"},
    {"key": "performance", "tr": "Gösteri", "en": "Performance"},
]


# Festivals and venues ---------------------------------------------------------------------------


def _proposal_questions() -> list[dict[str, Any]]:
    return [
        {
            "key": "workshop_title",
            "kind": "short_text",
            "label": "Atölyenin adı",
            "label_en": "Title of the workshop",
        },
        {
            "key": "workshop_summary",
            "kind": "long_text",
            "label": "Atölyenin kısa tanımı",
            "label_en": "Summary of the workshop",
            "max_words": 150,
        },
        {
            "key": "workshop_themes",
            "kind": "theme",
            "label": "Atölyenin teması",
            "label_en": "Theme of the workshop",
        },
        {
            "key": "workshop_format",
            "kind": "choice",
            "label": "Biçim",
            "label_en": "Format",
            "options": WORKSHOP_FORMATS,
        },
        {
            "key": "duration_minutes",
            "kind": "number",
            "label": "Süre (dakika)",
            "label_en": "Length (minutes)",
            "min_value": Decimal(30),
            "max_value": Decimal(180),
        },
        {
            "key": "capacity",
            "kind": "number",
            "label": "Katılımcı sayısı",
            "label_en": "Number of participants",
            "min_value": Decimal(1),
        },
        {
            "key": "needs",
            "kind": "long_text",
            "label": "Teknik ve mekân ihtiyaçları",
            "label_en": "Technical and room needs",
            "required": False,
        },
    ]


SLUG_PATTERN = re.compile(r"^[-a-z0-9_]+$")


def unique_festival_slug(text: str, *, reserved: Iterable[str] = ()) -> str:
    """A free address for a festival from ``text`` (Turkish letters folded), numbered when
    taken; ``reserved`` are addresses the staff pages use themselves."""
    return free_slug(
        Festival.objects.all(), text, fallback="festival", max_length=70, reserved=reserved
    )


def _check_days(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise FestivalError(
            _("The last day cannot be before the first day."), code="days", field="ends_on"
        )


@transaction.atomic
def festival_create(
    *,
    programme: Programme,
    name: str,
    slug: str,
    starts_on: dt.date,
    ends_on: dt.date,
    province: Province,
    actor: Any,
    description: str = "",
    city: str = "",
    venue: str = "",
    call_opens_at: dt.datetime | None = None,
    call_closes_at: dt.datetime | None = None,
) -> Festival:
    """Create a festival and, when ``call_opens_at``/``call_closes_at`` are given, its call for
    NGO-run workshops with the standard proposal form (a draft call staff publish)."""
    if not name.strip():
        raise FestivalError(_("Give the festival a name."), code="name", field="name")
    if not SLUG_PATTERN.match(slug):
        raise FestivalError(
            _("The address may use only lowercase letters without accents, digits and hyphens."),
            code="slug",
            field="slug",
        )
    _check_days(starts_on, ends_on)
    if (call_opens_at is None) != (call_closes_at is None):
        raise FestivalError(
            _("Give both the opening and the deadline of the call for workshops."),
            code="call",
            field="call_closes_at" if call_closes_at is None else "call_opens_at",
        )
    if call_opens_at is not None and call_closes_at is not None and call_closes_at <= call_opens_at:
        raise FestivalError(
            _("The call for workshops must open before its deadline."),
            code="call",
            field="call_closes_at",
        )
    if Festival.objects.filter(slug=slug).exists():
        raise FestivalError(
            _("Another festival already has this address."), code="slug", field="slug"
        )
    festival = Festival.objects.create(
        programme=programme,
        name=name.strip(),
        slug=slug,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        province=province,
        city=city,
        venue=venue,
    )
    if call_opens_at is not None and call_closes_at is not None:
        festival.call = _create_proposal_call(festival, call_opens_at, call_closes_at, actor)
        festival.save(update_fields=["call", "updated_at"])
    log_action("kaynak.festival.festival.created", actor=actor, target=festival)
    return festival


def _create_proposal_call(
    festival: Festival, opens_at: dt.datetime, closes_at: dt.datetime, actor: Any
) -> Any:
    call = building.call_create(
        programme=festival.programme,
        title=f"{festival.name}: atölye önerileri",
        title_en=f"{festival.name}: workshop proposals",
        slug=building.unique_call_slug(f"{festival.slug}-atolye-onerileri"),
        description=festival.description,
        opens_at=opens_at,
        closes_at=closes_at,
        one_per_organisation=False,
        people_label="Kolaylaştırıcılar",
        people_label_en="Facilitators",
        people_min=1,
        people_max=3,
        by=actor,
    )
    for question in _proposal_questions():
        building.question_add(call=call, by=actor, **question)
    return call


def _outside(festival: Festival, starts_on: dt.date, ends_on: dt.date) -> FestivalSession | None:
    """The first session in the programme that would not be on one of the days given."""
    for session in FestivalSession.objects.filter(
        festival=festival, status__in=IN_PROGRAMME
    ).order_by("starts_at", "pk"):
        if session.starts_at is None or session.ends_at is None:
            continue
        first = timezone.localtime(session.starts_at).date()
        last = timezone.localtime(session.ends_at).date()
        if first < starts_on or last > ends_on:
            return session
    return None


@transaction.atomic
def festival_update(
    *,
    festival: Festival,
    actor: Any,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    province: Province,
    description: str = "",
    city: str = "",
    venue: str = "",
) -> Festival:
    """Change the festival's name, description, days and place. New days are refused while a
    session in the programme would fall outside them (the session is named)."""
    festival = Festival.objects.select_for_update().get(pk=festival.pk)
    if not name.strip():
        raise FestivalError(_("Give the festival a name."), code="name", field="name")
    _check_days(starts_on, ends_on)
    clash = _outside(festival, starts_on, ends_on)
    if clash is not None:
        first = timezone.localtime(clash.starts_at).date() if clash.starts_at else starts_on
        raise FestivalError(
            _(
                "“%(title)s” is in the programme on %(when)s (%(venue)s), outside the new days. "
                "Move it or take it out of the programme first."
            )
            % {"title": clash.title, "when": _when(clash), "venue": clash.venue},
            code="outside",
            field="starts_on" if first < starts_on else "ends_on",
        )
    changed = {
        "name": name.strip(),
        "description": description.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "province": province,
        "city": city.strip(),
        "venue": venue.strip(),
    }
    fields = [key for key, value in changed.items() if getattr(festival, key) != value]
    for key in fields:
        setattr(festival, key, changed[key])
    if fields:
        festival.save(update_fields=[*fields, "updated_at"])
        log_action(
            "kaynak.festival.festival.changed",
            actor=actor,
            target=festival,
            data={"fields": fields},
        )
    return festival


@transaction.atomic
def festival_publish(*, festival: Festival, actor: Any, now: dt.datetime | None = None) -> Festival:
    """Publish the festival's page and programme."""
    if festival.published_at is None:
        festival.published_at = now or timezone.now()
        festival.save(update_fields=["published_at", "updated_at"])
        log_action("kaynak.festival.festival.published", actor=actor, target=festival)
    return festival


@transaction.atomic
def venue_add(*, festival: Festival, name: str, actor: Any, capacity: int | None = None) -> Venue:
    """Add a stage or room (a column of the grid)."""
    name = " ".join(name.split())
    if not name:
        raise FestivalError(_("Give the venue a name."), code="venue_name", field="name")
    if festival.venues.filter(name__iexact=name).exists():
        raise FestivalError(
            _("This festival already has a venue called “%(name)s”.") % {"name": name},
            code="venue_name",
            field="name",
        )
    position = festival.venues.count()
    venue = Venue.objects.create(festival=festival, name=name, capacity=capacity, position=position)
    log_action(
        "kaynak.festival.venue.added", actor=actor, target=festival, data={"venue": venue.name}
    )
    return venue


@transaction.atomic
def venue_update(
    *,
    venue: Venue,
    actor: Any,
    name: str | None = None,
    capacity: int | None = None,
    position: int | None = None,
) -> Venue:
    """Rename a venue, change its seats (``None``: not counted) or its place in the grid's
    columns (``None``: unchanged)."""
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise FestivalError(_("Give the venue a name."), code="venue_name", field="name")
        clash = venue.festival.venues.filter(name__iexact=name).exclude(pk=venue.pk).exists()
        if clash:
            raise FestivalError(
                _("This festival already has a venue called “%(name)s”.") % {"name": name},
                code="venue_name",
                field="name",
            )
        venue.name = name
    venue.capacity = capacity
    if position is not None:
        venue.position = position
    venue.save()
    log_action(
        "kaynak.festival.venue.changed", actor=actor, target=venue.festival, data={"venue": name}
    )
    return venue


# Accepted proposals → sessions ------------------------------------------------------------------


def _number(value: Any) -> int | None:
    number = parse_number(str(value or ""))
    return int(number) if number is not None and number > 0 else None


def _themes_from(value: Any) -> list[Theme]:
    values = value if isinstance(value, list) else [value]
    keys = [str(item).strip() for item in values if str(item).strip()]
    if not keys:
        return []
    by_slug = list(Theme.objects.filter(slug__in=keys))
    by_pk = list(Theme.objects.filter(pk__in=[key for key in keys if key.isdigit()]))
    return list({theme.pk: theme for theme in [*by_slug, *by_pk]}.values())


def session_from_application(application: Application, festival: Festival) -> FestivalSession:
    """The unscheduled session an accepted proposal becomes (idempotent)."""
    existing = FestivalSession.objects.filter(application=application).first()
    if existing is not None:
        return existing
    answers = application.answers or {}
    kind = str(answers.get("workshop_format") or SessionKind.WORKSHOP)
    session = FestivalSession.objects.create(
        festival=festival,
        kind=kind if kind in SessionKind.values else SessionKind.WORKSHOP,
        title=str(answers.get("workshop_title") or application.code).strip()[:250],
        summary=str(answers.get("workshop_summary") or "").strip(),
        language=application.language or "tr",
        status=SessionStatus.PROPOSED,
        capacity=_number(answers.get("capacity")),
        application=application,
        host=application.organisation,
    )
    session.themes.set(_themes_from(answers.get("workshop_themes")))
    people = application.people.filter(person__isnull=False).values_list("person", flat=True)
    session.facilitators.set(list(people))
    log_action(
        "kaynak.festival.session.proposed",
        target=session,
        data={"application": application.code},
    )
    return session


def on_application_decided(
    sender: Any, *, application: Application, previous: str, **kwargs: Any
) -> None:
    """An accepted proposal of a festival's call becomes an unscheduled session; one that is no
    longer accepted loses its session, unless it is already in the programme (refused)."""
    festival = Festival.objects.filter(call_id=application.call_id).first()
    if festival is None:
        return
    if application.status == ApplicationStatus.ACCEPTED:
        session_from_application(application, festival)
        return
    session = FestivalSession.objects.filter(application=application).first()
    if session is None:
        return
    if session.status in IN_PROGRAMME:
        raise FestivalError(
            _(
                "“%(title)s” is in the festival's programme (%(when)s, %(venue)s). "
                "Take it out of the programme first."
            )
            % {"title": session.title, "when": _when(session), "venue": session.venue},
            code="scheduled",
        )
    log_action(
        "kaynak.festival.session.removed",
        target=festival,
        data={"title": session.title, "application": application.code},
    )
    session.delete()


@transaction.atomic
def session_add(
    *,
    festival: Festival,
    title: str,
    actor: Any,
    kind: str = SessionKind.TALK,
    summary: str = "",
    themes: Iterable[Theme] = (),
    language: str = "tr",
    capacity: int | None = None,
    host: Any = None,
    facilitators: Iterable[Person] = (),
) -> FestivalSession:
    """Add a session the center programmes itself (a plenary, a talk, a performance): proposed
    until placed in the grid."""
    if not title.strip():
        raise FestivalError(_("Give the session a title."), code="title", field="title")
    if kind not in SessionKind.values:
        raise FestivalError(_("Choose a kind of session."), code="kind", field="kind")
    session = FestivalSession.objects.create(
        festival=festival,
        kind=kind,
        title=title.strip()[:250],
        summary=summary.strip(),
        language=language,
        capacity=capacity,
        host=host,
    )
    session.themes.set(list(themes))
    session.facilitators.set(list(facilitators))
    log_action("kaynak.festival.session.added", actor=actor, target=session)
    return session


# Scheduling -------------------------------------------------------------------------------------


def _when(session: FestivalSession) -> str:
    if session.starts_at is None or session.ends_at is None:
        return ""
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return f"{date_format(start, 'j F')} {start:%H:%M}–{end:%H:%M}"


def festival_days(festival: Festival) -> list[dt.date]:
    days = (festival.ends_on - festival.starts_on).days + 1
    return [festival.starts_on + dt.timedelta(days=n) for n in range(days)]


def _overlapping(
    festival: Festival, starts_at: dt.datetime, ends_at: dt.datetime, exclude: FestivalSession
) -> Any:
    # Touching slots (10–11 and 11–12) do not overlap: strict inequalities.
    return (
        FestivalSession.objects.filter(
            festival=festival,
            status__in=IN_PROGRAMME,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(pk=exclude.pk)
        .select_related("venue")
    )


def check_slot(
    *, session: FestivalSession, venue: Venue, starts_at: dt.datetime, ends_at: dt.datetime
) -> None:
    """Raise a FestivalError naming the problem (and the other session) unless ``session`` may
    take ``venue`` from ``starts_at`` to ``ends_at``."""
    festival = session.festival
    if venue.festival_id != festival.pk:
        raise FestivalError(
            _("This venue belongs to another festival."), code="venue", field="venue"
        )
    if ends_at <= starts_at:
        raise FestivalError(
            _("The session must end after it starts."), code="times", field="ends_at"
        )
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(ends_at).date()
    if first < festival.starts_on or last > festival.ends_on:
        raise FestivalError(
            _("The festival runs from %(first)s to %(last)s; choose a time on one of its days.")
            % {
                "first": date_format(festival.starts_on, "j F Y"),
                "last": date_format(festival.ends_on, "j F Y"),
            },
            code="outside",
            field="day",
        )
    overlapping = _overlapping(festival, starts_at, ends_at, session)
    clash = overlapping.filter(venue=venue).first()
    if clash is not None:
        raise FestivalError(
            _("%(venue)s is taken then by “%(title)s” (%(when)s).")
            % {"venue": venue.name, "title": clash.title, "when": _when(clash)},
            code="venue_taken",
            field="starts_at",
        )
    facilitators = list(session.facilitators.all())
    if facilitators:
        clash = (
            overlapping.filter(facilitators__in=facilitators)
            .prefetch_related("facilitators")
            .first()
        )
        if clash is not None:
            busy = [p for p in clash.facilitators.all() if p in facilitators]
            raise FestivalError(
                _("%(person)s facilitates “%(title)s” then (%(when)s, %(venue)s).")
                % {
                    "person": ", ".join(p.full_name for p in busy),
                    "title": clash.title,
                    "when": _when(clash),
                    "venue": clash.venue,
                },
                code="facilitator_busy",
                field="starts_at",
            )


def _lock(session: FestivalSession) -> FestivalSession:
    Festival.objects.select_for_update().get(pk=session.festival_id)
    return FestivalSession.objects.select_related("festival", "venue").get(pk=session.pk)


@transaction.atomic
def schedule(
    *,
    session: FestivalSession,
    venue: Venue,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: Any,
) -> FestivalSession:
    """Place ``session`` (or move it) in the grid; refused when the venue or a facilitator is
    taken then, or the time is outside the festival's days. A workshop's registration
    (its trainings activity) follows."""
    session = _lock(session)
    if session.status in (SessionStatus.CANCELLED, SessionStatus.HELD):
        raise FestivalError(
            _("This session’s status is “%(status)s”: it cannot be moved.")
            % {"status": session.get_status_display()},
            code="status",
        )
    check_slot(session=session, venue=venue, starts_at=starts_at, ends_at=ends_at)
    before = {"venue": str(session.venue or ""), "when": _when(session)}
    session.venue = venue
    session.starts_at = starts_at
    session.ends_at = ends_at
    session.status = SessionStatus.SCHEDULED
    session.save(update_fields=["venue", "starts_at", "ends_at", "status", "updated_at"])
    if session.kind == SessionKind.WORKSHOP:
        _sync_activity(session, actor)
    log_action(
        "kaynak.festival.session.scheduled",
        actor=actor,
        target=session,
        data={"before": before, "venue": venue.name, "when": _when(session)},
    )
    return session


move = schedule


def _activity_session_values(session: FestivalSession) -> dict[str, Any]:
    festival = session.festival
    place = " · ".join(part for part in [str(session.venue), festival.venue] if part)
    return {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "province": festival.province,
        "venue": place[:250],
        "address": festival.city,
    }


def _sync_activity(session: FestivalSession, actor: Any) -> None:
    """Create or update the workshop's trainings activity (published, one session)."""
    activity = session.activity
    values = _activity_session_values(session)
    themes = list(session.themes.all())
    if activity is None or activity.status == ActivityStatus.CANCELLED:
        activity = catalogue.activity_create(
            by=actor,
            programme=session.festival.programme,
            title=session.title,
            slug=catalogue.unique_slug(f"{session.festival.slug} {session.title}"),
            kind=ActivityKind.FESTIVAL_WORKSHOP,
            language=session.language,
            description=session.summary,
            capacity=session.capacity,
            certificates=False,
            themes=themes,
            sessions=[values],
        )
        catalogue.activity_publish(activity=activity, by=actor)
        session.activity = activity
        session.save(update_fields=["activity", "updated_at"])
        return
    first = activity.sessions.first()
    catalogue.activity_update(
        activity=activity,
        by=actor,
        title=session.title,
        description=session.summary,
        capacity=session.capacity,
        themes=themes,
        sessions=[SessionEdit(session=first, values=values)],
    )


@transaction.atomic
def unschedule(*, session: FestivalSession, actor: Any, reason: str = "") -> FestivalSession:
    """Take a session out of the grid (back to the proposals); its registration closes and
    its registrants are told."""
    session = _lock(session)
    if session.status != SessionStatus.SCHEDULED:
        return session
    before = {"venue": str(session.venue), "when": _when(session)}
    _close_activity(session, actor, reason or str(_("The session was taken out of the programme.")))
    session.status = SessionStatus.PROPOSED
    session.venue = None
    session.starts_at = None
    session.ends_at = None
    session.save(
        update_fields=["status", "venue", "starts_at", "ends_at", "activity", "updated_at"]
    )
    log_action("kaynak.festival.session.unscheduled", actor=actor, target=session, data=before)
    return session


def _close_activity(session: FestivalSession, actor: Any, reason: str) -> None:
    if session.activity is not None:
        catalogue.activity_cancel(activity=session.activity, by=actor, reason=reason)
        session.activity = None


@transaction.atomic
def cancel(*, session: FestivalSession, actor: Any, reason: str) -> FestivalSession:
    """Cancel a session that has not been held; its registrants are told."""
    if not reason.strip():
        raise FestivalError(_("Say why the session is cancelled."), code="reason", field="reason")
    session = _lock(session)
    if session.status == SessionStatus.HELD:
        raise FestivalError(
            _("This session was held; undo that first."), code="held", field="reason"
        )
    if session.status == SessionStatus.CANCELLED:
        return session
    _close_activity(session, actor, reason.strip())
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "activity", "updated_at"])
    log_action(
        "kaynak.festival.session.cancelled",
        actor=actor,
        target=session,
        data={"reason": reason.strip()},
    )
    return session


# Held sessions → the ledger ---------------------------------------------------------------------


def _delivery_subjects(session: FestivalSession) -> Iterable[tuple[Any, Person | None]]:
    if session.host is not None:
        yield session.host, None
    for person in session.facilitators.all():
        yield session.host, person


@transaction.atomic
def mark_held(
    *, session: FestivalSession, actor: Any, held: bool = True, now: dt.datetime | None = None
) -> FestivalSession:
    """Mark a scheduled session held (or not): the host organisation and each facilitator get
    a festival delivery in the ledger; un-holding withdraws them."""
    session = _lock(session)
    now = now or timezone.now()
    if held:
        if session.status == SessionStatus.HELD:
            return session
        if session.status != SessionStatus.SCHEDULED or session.starts_at is None:
            raise FestivalError(
                _("Only a session in the programme can be marked held."), code="status"
            )
        if session.starts_at > now:
            raise FestivalError(_("This session has not started yet."), code="future")
        festival = session.festival
        for organisation, person in _delivery_subjects(session):
            record_delivery(
                kind="festival",
                source=session,
                date=timezone.localtime(session.starts_at).date(),
                organisation=organisation,
                person=person,
                programme=festival.programme.name,
                activity=f"{festival.name}: {session.title}",
                province=festival.province,
                themes=list(session.themes.all()),
            )
        session.status = SessionStatus.HELD
        session.held_at = now
    else:
        if session.status != SessionStatus.HELD:
            return session
        for organisation, person in _delivery_subjects(session):
            withdraw_delivery(source=session, organisation=organisation, person=person)
        session.status = SessionStatus.SCHEDULED
        session.held_at = None
    session.save(update_fields=["status", "held_at", "updated_at"])
    log_action(
        "kaynak.festival.session.held" if held else "kaynak.festival.session.unheld",
        actor=actor,
        target=session,
    )
    return session

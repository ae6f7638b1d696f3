"""The verbs of the catalogue: create and change activities with their sessions, publish,
cancel, copy to a new date and province, change the seats. Staff pages, the admin and the API
call these; nothing else writes activities or sessions.

A change registrants must know about (a session's time, place or link) queues one "changed"
mail per active registration after the commit, however many sessions the change touched.
Anything that may free seats (more seats, a bigger room) offers them to the waiting list at
once (``services.fill_seats``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.db import free_slug, set_related
from kaynak.core.errors import KaynakError
from kaynak.core.models import Province, Theme
from kaynak.directory import services as directory_services
from kaynak.directory.models import Organisation
from kaynak.programmes import services
from kaynak.programmes.models import (
    ACTIVE,
    SEAT_HOLDING,
    Activity,
    ActivityStatus,
    Programme,
    Registration,
    RegistrationStatus,
    Session,
    Trainer,
)


class CatalogueError(KaynakError):
    code = "catalogue"


ACTIVITY_FIELDS = frozenset(
    {
        "kind",
        "title",
        "slug",
        "topic",
        "language",
        "description",
        "target_audience",
        "registration_required",
        "capacity",
        "seats_per_organisation",
        "waitlist",
        "registration_opens_at",
        "registration_closes_at",
        "questions",
        "offer_hours",
        "completion_percent",
        "certificates",
        "feedback",
        "feedback_anonymous",
    }
)
SESSION_FIELDS = frozenset(
    {
        "title",
        "starts_at",
        "ends_at",
        "online",
        "province",
        "venue",
        "address",
        "meeting_url",
        "stream_url",
        "recording_url",
        "capacity",
    }
)
# What a registrant has to know again when it changes: when, where, and how to join.
NOTIFIED_FIELDS = frozenset(
    {"starts_at", "ends_at", "online", "province", "venue", "address", "meeting_url", "stream_url"}
)


@dataclass(frozen=True)
class SessionEdit:
    """One row of the activity form's sessions: a new session (``session`` None), a change to
    an existing one, or its removal."""

    session: Session | None
    values: Mapping[str, Any] = field(default_factory=dict)
    remove: bool = False


# Reading ----------------------------------------------------------------------------------------


def unique_slug(text: str, *, max_length: int = 120, exclude: Activity | None = None) -> str:
    """A free address for an activity from ``text``: Turkish letters folded ("Işık Çağ" →
    "isik-cag"), numbered when taken."""
    rows = (
        Activity.objects.exclude(pk=exclude.pk) if exclude is not None else Activity.objects.all()
    )
    return free_slug(rows, text, fallback="etkinlik", max_length=max_length - 4)


def _check_fields(values: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"Not fields of this record: {', '.join(sorted(unknown))}")


def _clean(instance: Activity | Session, exclude: Iterable[str] = ()) -> None:
    # A safety net for callers that did not validate (the API, scripts): the forms already
    # explain each problem next to its field.
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        raise CatalogueError("; ".join(exc.messages), code="invalid") from None


def _check_session(session: Session) -> None:
    if session.ends_at <= session.starts_at:
        raise CatalogueError(_("A session must end after it starts."), code="session_times")
    if not session.online and session.province_id is None:
        raise CatalogueError(
            _("Say in which province an in-person session takes place."), code="session_province"
        )
    _clean(session, exclude=["activity"])


def _notify_changed(activity: Activity) -> int:
    """Queue a "changed" mail to every active registrant. Returns how many."""
    registrations = list(activity.registrations.filter(status__in=ACTIVE))
    for registration in registrations:
        services._mail_on_commit(registration, "changed")
    return len(registrations)


def _offer_free_seats(activity: Activity) -> None:
    if activity.status != ActivityStatus.CANCELLED:
        services.fill_seats(activity=activity)


# Sessions ---------------------------------------------------------------------------------------


def _add_session(activity: Activity, values: Mapping[str, Any]) -> Session:
    _check_fields(values, SESSION_FIELDS)
    session = Session(activity=activity, **values)
    _check_session(session)
    session.save()
    return session


def _change_session(session: Session, values: Mapping[str, Any]) -> set[str]:
    """Apply ``values``; returns the names of the fields that really changed."""
    _check_fields(values, SESSION_FIELDS)
    changed = {name for name, value in values.items() if getattr(session, name) != value}
    if not changed:
        return changed
    for name in changed:
        setattr(session, name, values[name])
    _check_session(session)
    session.save(update_fields=sorted(changed))
    return changed


def _remove_session(session: Session) -> None:
    if session.attendances.exists():
        raise CatalogueError(
            _("Attendance was taken in the session of %(date)s; it cannot be removed.")
            % {"date": f"{timezone.localtime(session.starts_at):%d.%m.%Y %H:%M}"},
            code="session_attended",
        )
    session.delete()


def _session_log(session: Session) -> dict[str, Any]:
    return {"session": session.pk, "starts_at": session.starts_at.isoformat()}


@transaction.atomic
def session_add(*, activity: Activity, by: Any, **values: Any) -> Session:
    """Add a session to ``activity``; its registrants are told of the new date."""
    session = _add_session(activity, values)
    log_action(
        "kaynak.programmes.session.added", actor=by, target=activity, data=_session_log(session)
    )
    _notify_changed(activity)
    _offer_free_seats(activity)
    return session


@transaction.atomic
def session_change(*, session: Session, by: Any, **changes: Any) -> Session:
    """Change a session; when its time, place or link changes, each active registrant gets a
    "changed" mail."""
    changed = _change_session(session, changes)
    if changed:
        log_action(
            "kaynak.programmes.session.changed",
            actor=by,
            target=session.activity,
            data={**_session_log(session), "fields": sorted(changed)},
        )
        if changed & NOTIFIED_FIELDS:
            _notify_changed(session.activity)
        if "capacity" in changed:
            _offer_free_seats(session.activity)
    return session


@transaction.atomic
def session_remove(*, session: Session, by: Any) -> None:
    """Remove a session nobody has attended yet; its registrants are told."""
    activity = session.activity
    if activity.status == ActivityStatus.PUBLISHED and activity.sessions.count() == 1:
        raise CatalogueError(
            _("A published activity keeps at least one session."), code="last_session"
        )
    data = _session_log(session)
    _remove_session(session)
    log_action("kaynak.programmes.session.removed", actor=by, target=activity, data=data)
    _notify_changed(activity)
    _offer_free_seats(activity)


# Activities -------------------------------------------------------------------------------------


def _set_relations(
    activity: Activity, themes: Iterable[Theme] | None, trainers: Iterable[Trainer] | None
) -> list[str]:
    return [
        name
        for name, rows in (("themes", themes), ("trainers", trainers))
        if set_related(activity, name, rows)
    ]


@transaction.atomic
def activity_create(
    *,
    by: Any,
    programme: Programme,
    title: str,
    sessions: Sequence[Mapping[str, Any]] = (),
    themes: Iterable[Theme] = (),
    trainers: Iterable[Trainer] = (),
    **values: Any,
) -> Activity:
    """Create an activity as a draft, with its sessions. Publish it to open registration."""
    _check_fields(values, ACTIVITY_FIELDS - {"title"})
    values = dict(values)
    slug = values.pop("slug", "") or unique_slug(title)
    activity = Activity(
        programme=programme, title=title.strip(), slug=slug, status=ActivityStatus.DRAFT, **values
    )
    _clean(activity)
    if Activity.objects.filter(slug=activity.slug).exists():
        raise CatalogueError(_("Another activity already has this address."), code="slug_taken")
    activity.save()
    _set_relations(activity, themes, trainers)
    for session_values in sessions:
        _add_session(activity, session_values)
    log_action(
        "kaynak.programmes.activity.created",
        actor=by,
        target=activity,
        data={"sessions": len(sessions)},
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by: Any,
    programme: Programme | None = None,
    themes: Iterable[Theme] | None = None,
    trainers: Iterable[Trainer] | None = None,
    sessions: Sequence[SessionEdit] = (),
    **changes: Any,
) -> Activity:
    """Change an activity and, in the same transaction, its sessions (``sessions``: only the
    rows that changed). Registrants get one "changed" mail however many sessions moved; seats
    freed by the change are offered to the waiting list."""
    _check_fields(changes, ACTIVITY_FIELDS)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.CANCELLED:
        raise CatalogueError(_("A cancelled activity cannot be changed."), code="cancelled")
    if programme is not None:
        changes["programme"] = programme
    changed = sorted(name for name, value in changes.items() if getattr(activity, name) != value)
    for name in changed:
        setattr(activity, name, changes[name])
    if (
        "slug" in changed
        and Activity.objects.filter(slug=activity.slug).exclude(pk=activity.pk).exists()
    ):
        raise CatalogueError(_("Another activity already has this address."), code="slug_taken")
    if changed:
        _clean(activity)
        activity.save()
    changed += _set_relations(activity, themes, trainers)
    notify, session_changes = _apply_session_edits(activity, sessions)
    if activity.status == ActivityStatus.PUBLISHED and not activity.sessions.exists():
        raise CatalogueError(
            _("A published activity keeps at least one session."), code="last_session"
        )
    if changed or session_changes:
        log_action(
            "kaynak.programmes.activity.changed",
            actor=by,
            target=activity,
            data={"fields": changed, "sessions": session_changes},
        )
    if notify:
        _notify_changed(activity)
    _offer_free_seats(activity)
    return activity


def _apply_session_edits(
    activity: Activity, edits: Sequence[SessionEdit]
) -> tuple[bool, list[dict[str, Any]]]:
    """Apply the sessions' rows; returns whether registrants must be told, and what changed."""
    notify = False
    done: list[dict[str, Any]] = []
    for edit in edits:
        if edit.session is not None and edit.session.activity_id != activity.pk:
            raise CatalogueError(_("This session belongs to another activity."), code="mismatch")
        if edit.session is None:
            if edit.remove:
                continue
            session = _add_session(activity, edit.values)
            done.append({**_session_log(session), "change": "added"})
            notify = True
        elif edit.remove:
            data = _session_log(edit.session)
            _remove_session(edit.session)
            done.append({**data, "change": "removed"})
            notify = True
        else:
            fields = _change_session(edit.session, edit.values)
            if fields:
                done.append(
                    {**_session_log(edit.session), "change": "changed", "fields": sorted(fields)}
                )
                notify = notify or bool(fields & NOTIFIED_FIELDS)
    return notify, done


@transaction.atomic
def activity_publish(*, activity: Activity, by: Any) -> Activity:
    """Publish a draft: it is listed and registration opens (within its window)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.PUBLISHED:
        return activity
    if activity.status == ActivityStatus.CANCELLED:
        raise CatalogueError(
            _("A cancelled activity cannot be published again; copy it to a new date instead."),
            code="cancelled",
        )
    if not activity.sessions.exists():
        raise CatalogueError(_("Add at least one session before publishing."), code="no_sessions")
    activity.status = ActivityStatus.PUBLISHED
    activity.published_at = timezone.now()
    activity.save(update_fields=["status", "published_at", "updated_at"])
    log_action("kaynak.programmes.activity.published", actor=by, target=activity)
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, by: Any, reason: str) -> Activity:
    """Cancel the activity: every active registration is cancelled with ``reason`` (each
    registrant gets the "cancelled" mail). Idempotent."""
    if not reason.strip():
        raise CatalogueError(_("Say why the activity is cancelled."), code="reason")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.CANCELLED:
        return activity
    activity.status = ActivityStatus.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    # The waiting list first, so that no seat freed by a cancellation is offered to someone
    # whose registration is about to be cancelled too.
    waiting = list(activity.registrations.filter(status=RegistrationStatus.WAITLISTED))
    holding = list(activity.registrations.filter(status__in=SEAT_HOLDING))
    for registration in [*waiting, *holding]:
        services.cancel_registration(registration=registration, by=by, reason=reason)
    log_action(
        "kaynak.programmes.activity.cancelled",
        actor=by,
        target=activity,
        data={"reason": reason.strip(), "registrations": len(waiting) + len(holding)},
    )
    return activity


@transaction.atomic
def activity_set_capacity(
    *, activity: Activity, capacity: int | None, by: Any
) -> list[Registration]:
    """Change the activity's seats (None: no limit). Nobody loses a seat when there are fewer;
    new seats are offered to the waiting list at once. Returns the offers made."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.CANCELLED:
        raise CatalogueError(_("A cancelled activity cannot be changed."), code="cancelled")
    if capacity is not None and capacity < 1:
        raise CatalogueError(_("An activity needs at least one seat."), code="capacity")
    before = activity.capacity
    if before == capacity:
        return []
    activity.capacity = capacity
    activity.save(update_fields=["capacity", "updated_at"])
    log_action(
        "kaynak.programmes.activity.capacity_changed",
        actor=by,
        target=activity,
        data={"from": before, "to": capacity},
    )
    return services.fill_seats(activity=activity)


# Registering by staff ---------------------------------------------------------------------------


@transaction.atomic
def register_new_person(
    *,
    activity: Activity,
    by: Any,
    full_name: str,
    email: str,
    phone: str = "",
    organisation: Organisation | None = None,
    language: str = "tr",
    override: bool = False,
    reason: str = "",
) -> Registration:
    """Add someone who is not in the directory yet and register them, in one transaction: a
    refused registration leaves no new person behind. (Callers ask the directory first whether
    the person is already there.)"""
    person = directory_services.person_create(
        actor=by,
        full_name=full_name,
        emails=[email],
        phones=[phone] if phone else [],
        language=language,
    )
    return services.register(
        activity=activity,
        person=person,
        email=email,
        organisation=organisation,
        language=language,
        by=by,
        override=override,
        reason=reason,
    )


# Copying ----------------------------------------------------------------------------------------


def _moved(moment: dt.datetime, first_day_before: dt.date, first_day_after: dt.date) -> dt.datetime:
    """``moment`` on the same Istanbul time of day, as many days after the new first day as it
    was after the old one (a whole-day shift in local time, right across a clock change)."""
    istanbul = timezone.get_default_timezone()
    local = timezone.localtime(moment, istanbul)
    day = first_day_after + (local.date() - first_day_before)
    return timezone.make_aware(dt.datetime.combine(day, local.time()), istanbul)


@transaction.atomic
def activity_copy(
    *,
    activity: Activity,
    first_day: dt.date,
    by: Any,
    province: Province | None = None,
    title: str = "",
) -> Activity:
    """A draft copy of ``activity`` whose first session is on ``first_day``: every session
    keeps its time of day and its distance from the first; in-person sessions move to
    ``province`` (their venue is left for staff to fill in). The registration window moves
    with the sessions; registrations, attendance and recordings are not copied."""
    sessions = list(activity.sessions.order_by("starts_at", "pk"))
    if not sessions:
        raise CatalogueError(_("This activity has no sessions to copy."), code="no_sessions")
    old_first = timezone.localtime(sessions[0].starts_at, timezone.get_default_timezone()).date()
    title = (title or activity.title).strip()
    place = province.name if province is not None else ""
    copy = Activity(
        programme=activity.programme,
        copied_from=activity,
        title=title,
        slug=unique_slug(f"{title} {place} {first_day:%Y-%m-%d}"),
        status=ActivityStatus.DRAFT,
        **{name: getattr(activity, name) for name in ACTIVITY_FIELDS - {"title", "slug"}},
    )
    start_shift = _moved(sessions[0].starts_at, old_first, first_day) - sessions[0].starts_at
    for window in ("registration_opens_at", "registration_closes_at"):
        moment = getattr(activity, window)
        if moment is not None:
            setattr(copy, window, moment + start_shift)
    copy.save()
    _set_relations(copy, activity.themes.all(), activity.trainers.all())
    for session in sessions:
        values = {name: getattr(session, name) for name in SESSION_FIELDS}
        values["starts_at"] = _moved(session.starts_at, old_first, first_day)
        values["ends_at"] = _moved(session.ends_at, old_first, first_day)
        values["recording_url"] = ""
        if province is not None and not session.online and session.province_id != province.pk:
            values.update(province=province, venue="", address="")
        _add_session(copy, values)
    log_action(
        "kaynak.programmes.activity.copied",
        actor=by,
        target=copy,
        data={
            "from": activity.pk,
            "first_day": first_day.isoformat(),
            "province": province.pk if province else None,
        },
    )
    return copy


def first_day_of(activity: Activity) -> dt.date | None:
    """The Istanbul date of the activity's first session."""
    first = activity.sessions.aggregate(m=Min("starts_at"))["m"]
    return timezone.localtime(first).date() if first is not None else None


__all__ = [
    "ACTIVITY_FIELDS",
    "NOTIFIED_FIELDS",
    "SESSION_FIELDS",
    "CatalogueError",
    "SessionEdit",
    "activity_cancel",
    "activity_copy",
    "activity_create",
    "activity_publish",
    "activity_set_capacity",
    "activity_update",
    "first_day_of",
    "register_new_person",
    "session_add",
    "session_change",
    "session_remove",
    "unique_slug",
]

"""The verbs of the civil-society school: cohorts, their modules, enrolling and withdrawing
participants, graduation. Views, the calls' decision hook (``receivers``) and the demo call
these; nothing else writes the school's models.

A participant is registered in every module's activity through the trainings' own
``programmes.services.register`` (staff override, with a reason), so roll call, QR check-in,
the module certificates, feedback and the ledger deliveries work unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.calls.models import Application
from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.models import Province
from kaynak.directory.models import Organisation, Person
from kaynak.programmes import catalogue
from kaynak.programmes import services as programmes_services
from kaynak.programmes.models import (
    ACTIVE,
    Activity,
    ActivityKind,
    ActivityStatus,
    Attendance,
    Programme,
    Registration,
)
from kaynak.school.models import (
    Cohort,
    CohortModule,
    CohortStatus,
    Graduation,
    Participant,
    ParticipantStatus,
)

ENROL_REASON = "Civil-society school cohort"
COHORT_FIELDS = frozenset(
    {"name", "slug", "year", "required_modules", "people_per_organisation", "status", "description"}
)


class SchoolError(KaynakError):
    code = "school"


# Cohorts ----------------------------------------------------------------------------------------


def _check_cohort(cohort: Cohort) -> None:
    if cohort.required_modules < 1:
        raise SchoolError(
            _("A participant must complete at least one module."), code="required_modules"
        )
    if cohort.people_per_organisation < 1:
        raise SchoolError(_("Each organisation sends at least one representative."), code="people")
    if Cohort.objects.filter(slug=cohort.slug).exclude(pk=cohort.pk).exists():
        raise SchoolError(_("Another cohort already has this address."), code="slug_taken")
    if (
        cohort.call_id is not None
        and Cohort.objects.filter(call_id=cohort.call_id).exclude(pk=cohort.pk).exists()
    ):
        raise SchoolError(_("Another cohort is already selected by this call."), code="call")


@transaction.atomic
def cohort_create(
    *,
    programme: Programme,
    name: str,
    slug: str,
    year: int,
    actor: Any,
    call: Any = None,
    required_modules: int = 6,
    people_per_organisation: int = 2,
    status: str = CohortStatus.PLANNED,
    description: str = "",
) -> Cohort:
    """A new cohort (planned) of ``programme``, selected by ``call`` when given."""
    cohort = Cohort(
        programme=programme,
        call=call,
        name=name.strip(),
        slug=slug,
        year=year,
        required_modules=required_modules,
        people_per_organisation=people_per_organisation,
        status=status,
        description=description,
    )
    _check_cohort(cohort)
    cohort.save()
    log_action("kaynak.school.cohort.created", actor=actor, target=cohort)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, actor: Any, **changes: Any) -> Cohort:
    """Change the cohort's name, rule, status or description."""
    unknown = set(changes) - COHORT_FIELDS - {"call"}
    if unknown:
        raise TypeError(f"Not fields of a cohort: {', '.join(sorted(unknown))}")
    changed = sorted(name for name, value in changes.items() if getattr(cohort, name) != value)
    for name in changed:
        setattr(cohort, name, changes[name])
    if changed:
        _check_cohort(cohort)
        cohort.save()
        log_action(
            "kaynak.school.cohort.changed", actor=actor, target=cohort, data={"fields": changed}
        )
    return cohort


# Modules ----------------------------------------------------------------------------------------


def _email_of(person: Person) -> str:
    emails = [str(e) for e in person.emails or [] if e]
    if emails:
        return emails[0]
    if person.user_id is not None and person.user is not None:
        return str(person.user.email)
    return ""


def _register(activity: Activity, participant: Participant, actor: Any) -> Registration | None:
    """The participant's live registration for ``activity``, made when missing."""
    live = Registration.objects.filter(
        activity=activity, person=participant.person, status__in=ACTIVE
    ).first()
    if live is not None:
        return live
    return programmes_services.register(
        activity=activity,
        person=participant.person,
        email=_email_of(participant.person),
        organisation=participant.organisation,
        language=participant.person.language or "tr",
        by=actor,
        override=True,
        reason=ENROL_REASON,
    )


def _sessions_of_days(
    first_day: dt.date,
    days: int,
    starts: dt.time,
    ends: dt.time,
    province: Province | None,
    venue: str,
) -> list[dict[str, Any]]:
    zone = timezone.get_current_timezone()
    sessions = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        sessions.append(
            {
                "starts_at": dt.datetime.combine(day, starts, tzinfo=zone),
                "ends_at": dt.datetime.combine(day, ends, tzinfo=zone),
                "province": province,
                "venue": venue,
            }
        )
    return sessions


@transaction.atomic
def module_add(
    *,
    cohort: Cohort,
    actor: Any,
    activity: Activity | None = None,
    title: str = "",
    province: Province | None = None,
    venue: str = "",
    first_day: dt.date | None = None,
    days: int = 3,
    starts: dt.time = dt.time(9, 30),
    ends: dt.time = dt.time(17, 0),
) -> CohortModule:
    """Add a module: an existing school activity, or a new one (``title``, ``province``,
    ``venue``, ``first_day`` and ``days`` days from ``starts`` to ``ends``, one session a day).
    The cohort's active participants are registered in it."""
    if activity is None:
        if not title.strip() or first_day is None:
            raise SchoolError(_("Give the module a title and a first day."), code="module")
        if days < 1:
            raise SchoolError(_("A module lasts at least one day."), code="days")
        if ends <= starts:
            raise SchoolError(_("A day must end after it starts."), code="times")
        activity = catalogue.activity_create(
            by=actor,
            programme=cohort.programme,
            title=title,
            kind=ActivityKind.SCHOOL_MODULE,
            registration_required=True,
            waitlist=False,
            sessions=_sessions_of_days(first_day, days, starts, ends, province, venue),
        )
        activity = catalogue.activity_publish(activity=activity, by=actor)
    elif activity.kind != ActivityKind.SCHOOL_MODULE:
        raise SchoolError(
            _("Only an activity of the kind “School module” can be a module."), code="kind"
        )
    elif activity.status == ActivityStatus.CANCELLED:
        raise SchoolError(_("This activity was cancelled."), code="cancelled")
    elif CohortModule.objects.filter(activity=activity).exists():
        raise SchoolError(_("This activity is already a module of a cohort."), code="taken")
    last = cohort.modules.order_by("-position").values_list("position", flat=True).first()
    module = CohortModule.objects.create(cohort=cohort, activity=activity, position=(last or 0) + 1)
    participants = cohort.participants.filter(status=ParticipantStatus.ACTIVE).select_related(
        "person__user", "organisation"
    )
    for participant in participants:
        _register(activity, participant, actor)
    log_action(
        "kaynak.school.module.added",
        actor=actor,
        target=cohort,
        data={"activity": activity.pk, "position": module.position},
    )
    return module


# Participants -----------------------------------------------------------------------------------


@transaction.atomic
def enrol(
    *,
    cohort: Cohort,
    person: Person,
    organisation: Organisation | None,
    actor: Any,
    application: Application | None = None,
) -> Participant:
    """Make ``person`` a participant of the cohort, registered in every module. Idempotent; a
    withdrawn participant is enrolled again. An organisation sends at most the cohort's
    ``people_per_organisation`` (a SchoolError otherwise, which also refuses a decision)."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if organisation is not None:
        others = (
            cohort.participants.filter(organisation=organisation, status=ParticipantStatus.ACTIVE)
            .exclude(person=person)
            .count()
        )
        if others >= cohort.people_per_organisation:
            raise SchoolError(
                _(
                    "%(organisation)s already has %(count)s participants in this cohort, the "
                    "most one organisation may send."
                )
                % {"organisation": organisation.name, "count": others},
                code="organisation_limit",
            )
    participant, created = Participant.objects.select_for_update().get_or_create(
        cohort=cohort,
        person=person,
        defaults={"organisation": organisation, "application": application},
    )
    if not created and participant.status == ParticipantStatus.WITHDRAWN:
        participant.status = ParticipantStatus.ACTIVE
        participant.withdrawn_at = None
        participant.withdrawal_reason = ""
        participant.organisation = organisation
        participant.application = application or participant.application
        participant.save()
        created = True
    for module in cohort.modules.select_related("activity"):
        if module.activity.status != ActivityStatus.CANCELLED:
            _register(module.activity, participant, actor)
    if created:
        log_action(
            "kaynak.school.participant.enrolled",
            actor=actor,
            target=participant,
            data={"cohort": cohort.pk, "application": application.pk if application else None},
        )
    return participant


def _cohort_registrations(participant: Participant) -> Any:
    return Registration.objects.filter(
        person=participant.person,
        activity__school_module__cohort=participant.cohort,
    )


def has_attendance(participant: Participant) -> bool:
    """Whether attendance was marked for the participant in any module of the cohort."""
    return Attendance.objects.filter(registration__in=_cohort_registrations(participant)).exists()


@transaction.atomic
def withdraw(*, participant: Participant, reason: str, actor: Any) -> Participant:
    """Withdraw the participant: their module registrations are cancelled. Attendance already
    marked stays, and with it the deliveries in the ledger. Idempotent."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == ParticipantStatus.WITHDRAWN:
        return participant
    if not reason.strip():
        raise SchoolError(_("Say why the participant leaves the cohort."), code="reason")
    for registration in _cohort_registrations(participant).filter(status__in=ACTIVE):
        programmes_services.cancel_registration(registration=registration, by=actor, reason=reason)
    participant.status = ParticipantStatus.WITHDRAWN
    participant.withdrawn_at = timezone.now()
    participant.withdrawal_reason = reason.strip()[:250]
    participant.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    log_action(
        "kaynak.school.participant.withdrawn",
        actor=actor,
        target=participant,
        data={"reason": participant.withdrawal_reason},
    )
    return participant


# Graduation -------------------------------------------------------------------------------------


@dataclass
class GraduationRun:
    """What ``graduate`` did: who received a certificate, who already had one, and who not
    (with why)."""

    issued: list[Graduation] = field(default_factory=list)
    already: list[Graduation] = field(default_factory=list)
    refused: list[tuple[Participant, str]] = field(default_factory=list)


@transaction.atomic
def graduate(*, cohort: Cohort, actor: Any, now: dt.datetime | None = None) -> GraduationRun:
    """Issue a graduation certificate to every active participant who meets the cohort's rule.
    Idempotent: those who have one keep it."""
    from kaynak.school.progress import cohort_progress

    now = now or timezone.now()
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    board = cohort_progress(cohort, now=now)
    existing = {g.participant_id: g for g in Graduation.objects.filter(participant__cohort=cohort)}
    run = GraduationRun()
    for row in board.rows:
        participant = row.participant
        graduation = existing.get(participant.pk)
        if graduation is not None:
            if graduation.is_valid:
                run.already.append(graduation)
            else:
                run.refused.append((participant, str(_("Their certificate was revoked."))))
            continue
        progress = row.progress
        if not progress.rule_met:
            run.refused.append(
                (
                    participant,
                    str(
                        _("Completed %(completed)s of the %(required)s modules needed.")
                        % {"completed": progress.completed, "required": progress.required}
                    ),
                )
            )
            continue
        graduation = Graduation.objects.create(
            participant=participant,
            holder_name=participant.person.full_name,
            cohort_name=cohort.name,
            modules_completed=progress.completed,
            modules_total=max(progress.total, progress.completed),
            hours=progress.hours,
            issued_at=now,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        log_action(
            "kaynak.school.graduation.issued",
            actor=actor,
            target=participant,
            data={"code": graduation.code, "modules": progress.completed},
        )
        run.issued.append(graduation)
    return run


@transaction.atomic
def revoke(*, graduation: Graduation, reason: str, actor: Any) -> Graduation:
    """Revoke a graduation certificate (its public check then says so). Idempotent."""
    if not reason.strip():
        raise SchoolError(_("Say why the certificate is revoked."), code="reason")
    graduation = Graduation.objects.select_for_update().get(pk=graduation.pk)
    if graduation.revoked_at is not None:
        return graduation
    graduation.revoked_at = timezone.now()
    graduation.revoked_reason = reason.strip()[:250]
    graduation.save(update_fields=["revoked_at", "revoked_reason"])
    log_action(
        "kaynak.school.graduation.revoked",
        actor=actor,
        target=graduation.participant,
        data={"code": graduation.code, "reason": graduation.revoked_reason},
    )
    return graduation


# The calls' decisions ---------------------------------------------------------------------------


def _people_of(application: Application) -> Sequence[tuple[Person | None, str]]:
    """The people the application names (resolved on submission), or its applicant when it
    names none."""
    named = list(application.people.select_related("person").order_by("position", "id"))
    if not named:
        return [(application.person, application.person.full_name)]
    return [(entry.person, entry.full_name) for entry in named]


@transaction.atomic
def apply_decision(*, application: Application, previous: str, actor: Any = None) -> None:
    """Follow a decision on an application of a cohort's call: accepted → its people are
    enrolled; no longer accepted → they are withdrawn (refused once attendance is marked)."""
    from kaynak.calls.models import ApplicationStatus

    cohort = Cohort.objects.filter(call_id=application.call_id).first()
    if cohort is None:
        return
    if application.status == ApplicationStatus.ACCEPTED:
        people = _people_of(application)
        missing = [name for person, name in people if person is None]
        if missing:
            raise SchoolError(
                _(
                    "%(names)s could not be found in the directory yet, so they cannot join "
                    "the cohort. Link them to people in the directory, then decide again."
                )
                % {"names": ", ".join(missing)},
                code="person_missing",
            )
        for person, _name in people:
            assert person is not None
            enrol(
                cohort=cohort,
                person=person,
                organisation=application.organisation,
                application=application,
                actor=actor,
            )
        return
    if previous != ApplicationStatus.ACCEPTED:
        return
    participants = list(
        cohort.participants.filter(
            application=application, status=ParticipantStatus.ACTIVE
        ).select_related("person", "cohort")
    )
    attended = [p.person.full_name for p in participants if has_attendance(p)]
    if attended:
        raise SchoolError(
            _(
                "%(names)s already attended modules of the cohort; withdraw them from the "
                "cohort's page instead of changing the decision."
            )
            % {"names": ", ".join(attended)},
            code="attended",
        )
    reason = str(_("The application is no longer accepted."))
    for participant in participants:
        withdraw(participant=participant, reason=reason, actor=actor)


__all__ = [
    "ENROL_REASON",
    "CohortStatus",
    "GraduationRun",
    "SchoolError",
    "apply_decision",
    "cohort_create",
    "cohort_update",
    "enrol",
    "graduate",
    "has_attendance",
    "module_add",
    "revoke",
    "withdraw",
]

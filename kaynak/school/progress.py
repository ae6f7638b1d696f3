"""How each participant stands: per module (completed, missed, in progress, upcoming), per
module day (present, absent, upcoming) and against the cohort's rule (graduated, on track, at
risk, cannot graduate).

Everything is read in bulk — the cohort's modules, their sessions, the participants, their
registrations and attendance, the graduations — a fixed handful of queries however many
participants and days (the attendance matrix's query count is tested).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.text import sort_key
from kaynak.programmes.models import (
    ACTIVE,
    ActivityStatus,
    Attendance,
    Registration,
    RegistrationStatus,
    Session,
)
from kaynak.school.models import Cohort, CohortModule, Graduation, Participant, ParticipantStatus


class ModuleStatus(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    IN_PROGRESS = "in-progress", _("In progress")
    UPCOMING = "upcoming", _("Upcoming")
    NOT_REGISTERED = "not-registered", _("Not registered")


class DayStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    UPCOMING = "upcoming", _("Upcoming")
    NOT_REGISTERED = "not-registered", _("Not registered")


class Verdict(models.TextChoices):
    GRADUATED = "graduated", _("Meets the rule")
    ON_TRACK = "on-track", _("On track")
    AT_RISK = "at-risk", _("At risk")
    CANNOT_GRADUATE = "cannot-graduate", _("Cannot graduate")


def completed_by_rule(*, status: str, attended: int, total: int, percent: int) -> bool:
    """The trainings' completion rule (``programmes.services.has_completed``) on counts read
    in bulk: a confirmed registration that attended at least ``percent`` of the sessions."""
    if total == 0 or status != RegistrationStatus.CONFIRMED:
        return False
    return attended * 100 >= percent * total


@dataclass(frozen=True)
class Progress:
    """A participant against the cohort's rule."""

    completed: int
    missed: int
    remaining: int  # in progress, upcoming, and modules not planned yet
    total: int
    required: int
    hours: Decimal

    @property
    def rule_met(self) -> bool:
        return self.completed >= self.required

    @property
    def verdict(self) -> Verdict:
        if self.rule_met:
            return Verdict.GRADUATED
        reachable = self.completed + self.remaining
        if reachable < self.required:
            return Verdict.CANNOT_GRADUATE
        if reachable - 1 < self.required:
            # One more missed module and the rule can no longer be met.
            return Verdict.AT_RISK
        return Verdict.ON_TRACK


def progress_of(statuses: list[str], *, required: int, hours: Decimal = Decimal(0)) -> Progress:
    """The progress of one participant from their modules' statuses (in curriculum order)."""
    completed = statuses.count(ModuleStatus.COMPLETED)
    missed = statuses.count(ModuleStatus.MISSED) + statuses.count(ModuleStatus.NOT_REGISTERED)
    in_play = len(statuses) - completed - missed
    unplanned = max(0, required - len(statuses))
    return Progress(
        completed=completed,
        missed=missed,
        remaining=in_play + unplanned,
        total=len(statuses),
        required=required,
        hours=hours,
    )


@dataclass
class ModuleColumn:
    module: CohortModule
    sessions: list[Session]

    @property
    def first_day(self) -> dt.date | None:
        return timezone.localdate(self.sessions[0].starts_at) if self.sessions else None

    @property
    def last_day(self) -> dt.date | None:
        return timezone.localdate(self.sessions[-1].starts_at) if self.sessions else None

    @property
    def place(self) -> str:
        """Where the module's first day is: "Venue, Province" (or "Online")."""
        if not self.sessions:
            return ""
        first = self.sessions[0]
        if first.online:
            return str(_("Online"))
        return ", ".join(
            x for x in (first.venue, first.province.name if first.province else "") if x
        )


@dataclass
class ModuleCell:
    column: ModuleColumn
    status: ModuleStatus
    days: list[DayStatus]
    registration: Registration | None

    @property
    def module(self) -> CohortModule:
        return self.column.module


@dataclass
class ParticipantRow:
    participant: Participant
    modules: list[ModuleCell]
    progress: Progress
    graduation: Graduation | None

    @property
    def verdict(self) -> Verdict:
        return self.progress.verdict

    @property
    def at_risk(self) -> bool:
        return self.progress.verdict == Verdict.AT_RISK


@dataclass
class OrganisationGroup:
    name: str
    rows: list[ParticipantRow]


@dataclass
class CohortBoard:
    """The attendance matrix of a cohort, and each participant's progress."""

    cohort: Cohort
    columns: list[ModuleColumn]
    rows: list[ParticipantRow] = field(default_factory=list)

    @property
    def groups(self) -> list[OrganisationGroup]:
        """Participants grouped by organisation (Turkish alphabetical order, as ``rows``)."""
        groups: list[OrganisationGroup] = []
        for row in self.rows:
            organisation = row.participant.organisation
            name = organisation.name if organisation else str(_("No organisation"))
            if not groups or groups[-1].name != name:
                groups.append(OrganisationGroup(name=name, rows=[]))
            groups[-1].rows.append(row)
        return groups

    @property
    def at_risk(self) -> list[ParticipantRow]:
        return [row for row in self.rows if row.at_risk]

    def count(self, verdict: Verdict) -> int:
        return sum(1 for row in self.rows if row.verdict == verdict)


def _module_status(
    registration: Registration | None,
    column: ModuleColumn,
    attended: int,
    now: dt.datetime,
) -> ModuleStatus:
    if registration is None:
        return ModuleStatus.NOT_REGISTERED
    activity = column.module.activity
    if completed_by_rule(
        status=registration.status,
        attended=attended,
        total=len(column.sessions),
        percent=activity.completion_percent,
    ):
        return ModuleStatus.COMPLETED
    if not column.sessions or now < column.sessions[0].starts_at:
        return ModuleStatus.UPCOMING
    if now < column.sessions[-1].ends_at:
        return ModuleStatus.IN_PROGRESS
    return ModuleStatus.MISSED


def cohort_progress(
    cohort: Cohort,
    *,
    now: dt.datetime | None = None,
    participants: list[Participant] | None = None,
    include_withdrawn: bool = False,
) -> CohortBoard:
    """The cohort's matrix: its modules and days as columns, its (active) participants as rows
    in Turkish order of organisation then name, each with their modules' and days' statuses,
    their progress and graduation."""
    now = now or timezone.now()
    # A cancelled module is no longer part of the curriculum: nobody can complete or miss it.
    modules = list(
        cohort.modules.exclude(activity__status=ActivityStatus.CANCELLED)
        .select_related("activity")
        .prefetch_related(
            Prefetch(
                "activity__sessions",
                queryset=Session.objects.select_related("province").order_by("starts_at", "pk"),
            )
        )
    )
    columns = [ModuleColumn(module=m, sessions=list(m.activity.sessions.all())) for m in modules]
    if participants is None:
        queryset = cohort.participants.select_related("person", "organisation")
        if not include_withdrawn:
            queryset = queryset.filter(status=ParticipantStatus.ACTIVE)
        participants = list(queryset)
    participants.sort(
        key=lambda p: (
            sort_key(p.organisation.name) if p.organisation else "\uffff",
            sort_key(p.person.full_name),
        )
    )
    activity_ids = [m.activity_id for m in modules]
    person_ids = [p.person_id for p in participants]
    registrations: dict[tuple[int, int], Registration] = {
        (r.person_id, r.activity_id): r
        for r in Registration.objects.filter(
            activity_id__in=activity_ids, person_id__in=person_ids, status__in=ACTIVE
        )
    }
    present: set[tuple[int, int]] = set()
    for registration_id, session_id in Attendance.objects.filter(
        registration__in=list(registrations.values())
    ).values_list("registration_id", "session_id"):
        present.add((registration_id, session_id))
    graduations = {
        g.participant_id: g for g in Graduation.objects.filter(participant__in=participants)
    }
    board = CohortBoard(cohort=cohort, columns=columns)
    for participant in participants:
        cells: list[ModuleCell] = []
        hours = Decimal(0)
        for column in columns:
            found = registrations.get((participant.person_id, column.module.activity_id))
            days: list[DayStatus] = []
            attended = 0
            for session in column.sessions:
                if found is None:
                    days.append(DayStatus.NOT_REGISTERED)
                elif (found.pk, session.pk) in present:
                    days.append(DayStatus.PRESENT)
                    attended += 1
                    hours += session.hours
                elif session.ends_at <= now:
                    days.append(DayStatus.ABSENT)
                else:
                    days.append(DayStatus.UPCOMING)
            status = _module_status(found, column, attended, now)
            cells.append(ModuleCell(column=column, status=status, days=days, registration=found))
        progress = progress_of(
            [cell.status for cell in cells], required=cohort.required_modules, hours=hours
        )
        board.rows.append(
            ParticipantRow(
                participant=participant,
                modules=cells,
                progress=progress,
                graduation=graduations.get(participant.pk),
            )
        )
    return board


def participant_progress(
    participant: Participant, *, now: dt.datetime | None = None
) -> ParticipantRow:
    """One participant's row of the matrix."""
    board = cohort_progress(participant.cohort, now=now, participants=[participant])
    return board.rows[0]


def module_status(
    participant: Participant, module: CohortModule, *, now: dt.datetime | None = None
) -> ModuleStatus:
    """The participant's standing in one module of their cohort."""
    for cell in participant_progress(participant, now=now).modules:
        if cell.module.pk == module.pk:
            return cell.status
    return ModuleStatus.NOT_REGISTERED


def progress(participant: Participant, *, now: dt.datetime | None = None) -> Progress:
    """The participant against the cohort's rule."""
    return participant_progress(participant, now=now).progress


__all__ = [
    "CohortBoard",
    "DayStatus",
    "ModuleStatus",
    "Progress",
    "Verdict",
    "cohort_progress",
    "completed_by_rule",
    "module_status",
    "participant_progress",
    "progress",
    "progress_of",
]

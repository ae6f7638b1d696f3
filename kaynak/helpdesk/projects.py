"""The EU Support Unit's registry of EU-funded projects: the services that write it (projects,
partners, public consent, linked support requests, technical-support meetings and their ledger
deliveries) and the named reads of its pages.

A meeting writes one ledger delivery per attending organisation and per attending person;
editing it updates those rows (``record_delivery`` is idempotent per source and subject) and
withdraws the ones of whoever no longer attends; deleting it withdraws them all. A linked support
request adds no delivery: its own, written when it is resolved, is the one that counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.db import turkish_order
from kaynak.core.errors import KaynakError
from kaynak.core.models import Province, Theme
from kaynak.core.text import search_key, search_words
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.helpdesk.models import (
    EUProgramme,
    EUProject,
    MeetingMode,
    PartnerRole,
    ProjectPartner,
    ProjectRequest,
    ProjectStatus,
    QueueKind,
    Request,
    TechnicalSupportMeeting,
)
from kaynak.ledger.models import Delivery
from kaynak.ledger.services import record_delivery, withdraw_delivery

# Letters, digits, "/", "-", "." and spaces: EuropeAid/178371/DD/ACT/TR, 101092345,
# ERASMUS-EDU-2024-CB-VET, 2024-1-TR01-KA220-YOU-000123456. Nothing stricter: each programme
# numbers its grants its own way.
REFERENCE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z/.\- ]*$")
PROGRAMME_NAME = "AB Destek Birimi"  # the ledger's programme of every EU Support Unit delivery


class ProjectError(KaynakError):
    """A project, a meeting or a link broke a rule; ``field`` names the form field to blame."""

    def __init__(
        self, message: str | Promise, *, code: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.field = field


@dataclass(frozen=True)
class ProjectData:
    """What a project form carries: everything about a project but its consent."""

    title: str
    programme: str
    lead: Organisation
    acronym: str = ""
    reference: str = ""
    total_budget: Decimal | None = None
    eu_contribution: Decimal | None = None
    start_date: Any = None
    end_date: Any = None
    status: str = ProjectStatus.ONGOING
    description: str = ""
    staff_contact: Any = None
    provinces: Sequence[Province] = ()
    themes: Sequence[Theme] = ()
    partners: Sequence[tuple[Organisation, str]] = ()


@dataclass(frozen=True)
class MeetingData:
    date: Any
    mode: str
    topics: str
    organisations: Sequence[Organisation]
    duration_minutes: int = 60
    province: Province | None = None
    people: Sequence[Person] = ()
    notes: str = ""
    staff: Sequence[Any] = field(default_factory=tuple)


# Validation -------------------------------------------------------------------------------------


def validate_reference(reference: str) -> str:
    """The reference number as stored (spaces trimmed and collapsed); raises when malformed."""
    reference = " ".join(reference.split())
    if reference and not REFERENCE_PATTERN.match(reference):
        raise ProjectError(
            _(
                "Use letters, digits, “/”, “-”, “.” and spaces only "
                "(e.g. EuropeAid/178371/DD/ACT/TR)."
            ),
            code="reference",
            field="reference",
        )
    return reference


def _validate_project(data: ProjectData, project: EUProject | None) -> str:
    if not data.title.strip():
        raise ProjectError(_("Give the project a title."), code="title", field="title")
    if data.programme not in EUProgramme.values:
        raise ProjectError(_("Choose an EU programme."), code="programme", field="programme")
    if data.status not in ProjectStatus.values:
        raise ProjectError(_("Choose a status."), code="status", field="status")
    reference = validate_reference(data.reference)
    if reference:
        others = EUProject.objects.filter(reference__iexact=reference)
        if project is not None:
            others = others.exclude(pk=project.pk)
        if others.exists():
            raise ProjectError(
                _("Another project already has this reference number."),
                code="reference_taken",
                field="reference",
            )
    for name, amount in (
        ("total_budget", data.total_budget),
        ("eu_contribution", data.eu_contribution),
    ):
        if amount is not None and amount < 0:
            raise ProjectError(_("An amount cannot be negative."), code="negative", field=name)
    if (
        data.total_budget is not None
        and data.eu_contribution is not None
        and data.eu_contribution > data.total_budget
    ):
        raise ProjectError(
            _("The EU contribution cannot be more than the total budget."),
            code="contribution",
            field="eu_contribution",
        )
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ProjectError(
            _("The end date cannot be before the start date."), code="dates", field="end_date"
        )
    _validate_partners(data.lead, data.partners)
    return reference


def _validate_partners(lead: Organisation, partners: Sequence[tuple[Organisation, str]]) -> None:
    seen: set[int] = set()
    for organisation, role in partners:
        if role not in PartnerRole.values:
            raise ProjectError(_("Choose a partner role."), code="role", field="partners")
        if organisation.pk == lead.pk:
            raise ProjectError(
                _("The lead organisation cannot also be a partner."),
                code="lead_partner",
                field="partners",
            )
        if organisation.pk in seen:
            raise ProjectError(
                _("%(name)s is listed as a partner twice.") % {"name": organisation.name},
                code="partner_twice",
                field="partners",
            )
        seen.add(organisation.pk)


# Projects ---------------------------------------------------------------------------------------


def _apply(project: EUProject, data: ProjectData, reference: str) -> None:
    project.title = data.title.strip()
    project.acronym = data.acronym.strip()
    project.programme = data.programme
    project.reference = reference
    project.lead = data.lead
    project.total_budget = data.total_budget
    project.eu_contribution = data.eu_contribution
    project.start_date = data.start_date
    project.end_date = data.end_date
    project.status = data.status
    project.description = data.description.strip()
    project.staff_contact = data.staff_contact
    project.search_text = search_key(f"{project.title} {project.acronym} {reference}")[:500]


def _replace_partners(project: EUProject, partners: Sequence[tuple[Organisation, str]]) -> None:
    ProjectPartner.objects.filter(project=project).delete()
    ProjectPartner.objects.bulk_create(
        ProjectPartner(project=project, organisation=organisation, role=role)
        for organisation, role in partners
    )


@transaction.atomic
def create_project(*, data: ProjectData, actor: Any) -> EUProject:
    """Register an EU project with its partners, provinces and themes (all or nothing)."""
    reference = _validate_project(data, None)
    project = EUProject()
    _apply(project, data, reference)
    project.save()
    project.provinces.set(data.provinces)
    project.themes.set(data.themes)
    _replace_partners(project, data.partners)
    log_action("kaynak.helpdesk.project.created", actor=actor, target=project)
    return project


@transaction.atomic
def update_project(*, project: EUProject, data: ProjectData, actor: Any) -> EUProject:
    """Change a project's facts and partners; its meetings' deliveries follow its themes."""
    EUProject.objects.select_for_update().filter(pk=project.pk).first()
    reference = _validate_project(data, project)
    _apply(project, data, reference)
    project.save()
    project.provinces.set(data.provinces)
    project.themes.set(data.themes)
    _replace_partners(project, data.partners)
    for meeting in project.meetings.filter(deleted_at__isnull=True):
        _record_meeting_deliveries(meeting)
    log_action("kaynak.helpdesk.project.updated", actor=actor, target=project)
    return project


@transaction.atomic
def set_partners(
    *, project: EUProject, partners: Sequence[tuple[Organisation, str]], actor: Any
) -> EUProject:
    """Replace the project's partners (organisation and role each)."""
    _validate_partners(project.lead, partners)
    _replace_partners(project, partners)
    log_action(
        "kaynak.helpdesk.project.partners_set",
        actor=actor,
        target=project,
        data={"partners": [[o.pk, role] for o, role in partners]},
    )
    return project


@transaction.atomic
def set_public_consent(*, project: EUProject, consent: bool, actor: Any) -> EUProject:
    """Record that the lead organisation agreed (or no longer agrees) to the public listing,
    when and by whom it was recorded."""
    if project.public_consent == consent:
        return project
    project.public_consent = consent
    project.public_consent_at = timezone.now()
    project.public_consent_by = actor if getattr(actor, "is_authenticated", False) else None
    project.save(update_fields=["public_consent", "public_consent_at", "public_consent_by"])
    log_action(
        "kaynak.helpdesk.project.consent_given"
        if consent
        else "kaynak.helpdesk.project.consent_withdrawn",
        actor=actor,
        target=project,
    )
    return project


# Support requests -------------------------------------------------------------------------------


@transaction.atomic
def link_request(*, project: EUProject, request: Request, actor: Any) -> ProjectRequest:
    """Attach a request of the EU Support Unit to the project. No delivery: the request's own
    (on resolution) is the one that counts."""
    if request.queue.kind != QueueKind.EU_SUPPORT:
        raise ProjectError(
            _("Only requests of the EU Support Unit can be linked to a project."),
            code="queue",
            field="code",
        )
    existing = ProjectRequest.objects.filter(request=request).select_related("project").first()
    if existing is not None:
        if existing.project_id == project.pk:
            return existing
        raise ProjectError(
            _("This request is already linked to “%(project)s”.") % {"project": existing.project},
            code="linked_elsewhere",
            field="code",
        )
    link = ProjectRequest.objects.create(
        project=project,
        request=request,
        linked_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        "kaynak.helpdesk.project.request_linked",
        actor=actor,
        target=project,
        data={"request": request.token},
    )
    return link


@transaction.atomic
def unlink_request(*, link: ProjectRequest, actor: Any) -> None:
    """Detach a request from its project (its own delivery stays: the support was given)."""
    project, token = link.project, link.request.token
    link.delete()
    log_action(
        "kaynak.helpdesk.project.request_unlinked",
        actor=actor,
        target=project,
        data={"request": token},
    )


# Meetings ---------------------------------------------------------------------------------------


def _meeting_subjects(
    meeting: TechnicalSupportMeeting,
) -> tuple[list[Organisation], list[tuple[Person, Organisation | None]]]:
    """Who the meeting served: its organisations, and its people each with the attending
    organisation they belong to (none when they belong to none of them)."""
    organisations = list(meeting.organisations.select_related("province").order_by("pk"))
    people = list(meeting.people.select_related("province").order_by("pk"))
    by_person: dict[int, Organisation] = {}
    by_pk = {organisation.pk: organisation for organisation in organisations}
    for person_id, organisation_id in (
        Affiliation.objects.filter(person__in=people, organisation_id__in=list(by_pk))
        .order_by("pk")
        .values_list("person_id", "organisation_id")
    ):
        by_person.setdefault(person_id, by_pk[organisation_id])
    return organisations, [(person, by_person.get(person.pk)) for person in people]


def _record_meeting_deliveries(meeting: TechnicalSupportMeeting) -> None:
    project = meeting.project
    themes = list(project.themes.all())
    activity = f"{project.acronym or project.title} · teknik destek görüşmesi"
    organisations, people = _meeting_subjects(meeting)
    common: dict[str, Any] = {
        "kind": QueueKind.EU_SUPPORT.value,
        "source": meeting,
        "date": meeting.date,
        "programme": PROGRAMME_NAME,
        "activity": activity,
        "themes": themes,
    }
    for organisation in organisations:
        record_delivery(
            organisation=organisation,
            province=meeting.province or organisation.province or project.lead.province,
            **common,
        )
    for person, their_organisation in people:
        record_delivery(
            organisation=their_organisation,
            person=person,
            province=meeting.province or person.province or project.lead.province,
            **common,
        )


def _withdraw_missing(
    meeting: TechnicalSupportMeeting,
    organisations_before: set[Organisation],
    people_before: set[Person],
) -> None:
    now_organisations = set(meeting.organisations.all())
    now_people = set(meeting.people.all())
    for organisation in organisations_before - now_organisations:
        withdraw_delivery(source=meeting, organisation=organisation)
    for person in people_before - now_people:
        withdraw_delivery(source=meeting, person=person)


def _validate_meeting(project: EUProject, data: MeetingData) -> None:
    if data.mode not in MeetingMode.values:
        raise ProjectError(_("Choose how the meeting was held."), code="mode", field="mode")
    if not data.topics.strip():
        raise ProjectError(_("Write the topics discussed."), code="topics", field="topics")
    if data.duration_minutes <= 0:
        raise ProjectError(
            _("The duration must be at least one minute."),
            code="duration",
            field="duration_minutes",
        )
    if not data.organisations:
        raise ProjectError(
            _("Choose at least one attending organisation."),
            code="organisations",
            field="organisations",
        )
    allowed = {project.lead_id, *project.partnerships.values_list("organisation_id", flat=True)}
    if any(organisation.pk not in allowed for organisation in data.organisations):
        raise ProjectError(
            _("Attending organisations must be the project's lead or partners."),
            code="organisations",
            field="organisations",
        )


def _apply_meeting(meeting: TechnicalSupportMeeting, data: MeetingData) -> None:
    meeting.date = data.date
    meeting.mode = data.mode
    meeting.topics = data.topics.strip()
    meeting.duration_minutes = data.duration_minutes
    meeting.province = data.province
    meeting.notes = data.notes.strip()


def _set_meeting_relations(meeting: TechnicalSupportMeeting, data: MeetingData) -> None:
    meeting.organisations.set(data.organisations)
    meeting.people.set(data.people)
    meeting.staff.set(data.staff)


@transaction.atomic
def record_meeting(*, project: EUProject, data: MeetingData, actor: Any) -> TechnicalSupportMeeting:
    """A technical-support meeting held, with one ledger delivery per attending organisation
    and per attending person."""
    _validate_meeting(project, data)
    meeting = TechnicalSupportMeeting(project=project)
    _apply_meeting(meeting, data)
    meeting.save()
    _set_meeting_relations(meeting, data)
    _record_meeting_deliveries(meeting)
    log_action("kaynak.helpdesk.project.meeting_recorded", actor=actor, target=meeting)
    return meeting


@transaction.atomic
def update_meeting(
    *, meeting: TechnicalSupportMeeting, data: MeetingData, actor: Any
) -> TechnicalSupportMeeting:
    """Change a meeting: the deliveries of those still attending are updated (never doubled),
    those of whoever no longer attends are withdrawn."""
    TechnicalSupportMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if meeting.deleted_at is not None:
        raise ProjectError(_("This meeting was deleted."), code="deleted")
    _validate_meeting(meeting.project, data)
    organisations_before = set(meeting.organisations.all())
    people_before = set(meeting.people.all())
    _apply_meeting(meeting, data)
    meeting.save()
    _set_meeting_relations(meeting, data)
    _withdraw_missing(meeting, organisations_before, people_before)
    _record_meeting_deliveries(meeting)
    log_action("kaynak.helpdesk.project.meeting_updated", actor=actor, target=meeting)
    return meeting


@transaction.atomic
def delete_meeting(*, meeting: TechnicalSupportMeeting, actor: Any) -> None:
    """Delete a meeting recorded by mistake: it leaves the project's pages and its deliveries
    are withdrawn. The row stays, marked deleted, so the withdrawn deliveries keep their
    source."""
    TechnicalSupportMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if meeting.deleted_at is not None:
        return
    for organisation in meeting.organisations.all():
        withdraw_delivery(source=meeting, organisation=organisation)
    for person in meeting.people.all():
        withdraw_delivery(source=meeting, person=person)
    meeting.deleted_at = timezone.now()
    meeting.save(update_fields=["deleted_at", "updated_at"])
    log_action(
        "kaynak.helpdesk.project.meeting_deleted",
        actor=actor,
        target=meeting.project,
        data={"meeting": meeting.pk, "date": meeting.date.isoformat()},
    )


# Queries ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    programme: str = ""
    status: str = ""
    province: Province | None = None
    theme: Theme | None = None
    text: str = ""


def _filtered(projects: QuerySet[EUProject], filters: ProjectFilters) -> QuerySet[EUProject]:
    if filters.programme:
        projects = projects.filter(programme=filters.programme)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.province is not None:
        projects = projects.filter(provinces=filters.province)
    if filters.theme is not None:
        projects = projects.filter(themes=filters.theme)
    for word in search_words(filters.text):
        projects = projects.filter(
            Q(search_text__contains=word)
            | Q(lead__search_text__contains=word)
            | Q(partners__search_text__contains=word)
        )
    # The joins above can repeat a project; a subquery keeps the totals' sums right.
    return EUProject.objects.filter(pk__in=projects.values("pk"))


def _with_list_relations(projects: QuerySet[EUProject]) -> QuerySet[EUProject]:
    return projects.select_related("lead", "lead__province").prefetch_related(
        Prefetch(
            "partnerships",
            queryset=ProjectPartner.objects.select_related("organisation").order_by(
                turkish_order("organisation__name")
            ),
        ),
        Prefetch("provinces", queryset=Province.objects.order_by("plate_code")),
        "themes",
    )


def projects_for_staff(filters: ProjectFilters) -> QuerySet[EUProject]:
    """The registry as staff see it, filtered, newest start first."""
    projects = _filtered(EUProject.objects.all(), filters)
    return (
        _with_list_relations(projects)
        .select_related("staff_contact")
        .annotate(
            meeting_count=Count(
                "meetings", filter=Q(meetings__deleted_at__isnull=True), distinct=True
            )
        )
        .order_by("-start_date", "-pk")
    )


def public_projects(filters: ProjectFilters) -> QuerySet[EUProject]:
    """Projects whose lead organisation consented to the public list, filtered."""
    projects = _filtered(EUProject.objects.filter(public_consent=True), filters)
    return _with_list_relations(projects).order_by("-start_date", "-pk")


@dataclass(frozen=True)
class ProjectTotals:
    projects: int
    total_budget: Decimal
    eu_contribution: Decimal

    @property
    def contribution_percent(self) -> Decimal | None:
        if not self.total_budget:
            return None
        return (self.eu_contribution * 100 / self.total_budget).quantize(Decimal("0.1"))


def project_totals(projects: QuerySet[EUProject]) -> ProjectTotals:
    """How many projects, and their budgets and EU contributions summed (in one query)."""
    sums = projects.order_by().aggregate(
        count=Count("pk"), budget=Sum("total_budget"), contribution=Sum("eu_contribution")
    )
    return ProjectTotals(
        projects=sums["count"] or 0,
        total_budget=sums["budget"] or Decimal(0),
        eu_contribution=sums["contribution"] or Decimal(0),
    )


def project_for_staff(pk: int) -> EUProject:
    """One project with what its staff page shows; raises ``EUProject.DoesNotExist``."""
    project: EUProject = (
        _with_list_relations(EUProject.objects.all())
        .select_related("staff_contact", "public_consent_by")
        .get(pk=pk)
    )
    return project


def project_meetings(project: EUProject) -> QuerySet[TechnicalSupportMeeting]:
    return (
        project.meetings.filter(deleted_at__isnull=True)
        .select_related("province")
        .prefetch_related("organisations", "people", "staff")
        .order_by("-date", "-pk")
    )


def project_request_links(project: EUProject) -> QuerySet[ProjectRequest]:
    return project.request_links.select_related(
        "request", "request__organisation", "request__category"
    ).order_by("-request__created_at", "-pk")


def project_delivery_count(project: EUProject) -> int:
    """The ledger deliveries (not withdrawn) the project's meetings and linked requests wrote."""
    meetings = [str(pk) for pk in project.meetings.values_list("pk", flat=True)]
    requests = [str(pk) for pk in project.request_links.values_list("request_id", flat=True)]
    return Delivery.objects.filter(
        Q(
            source_type=ContentType.objects.get_for_model(TechnicalSupportMeeting),
            source_id__in=meetings,
        )
        | Q(source_type=ContentType.objects.get_for_model(Request), source_id__in=requests),
        withdrawn_at__isnull=True,
    ).count()


def projects_of_organisation(organisation: Organisation) -> QuerySet[EUProject]:
    """The projects an organisation leads or is a partner in."""
    return (
        EUProject.objects.filter(Q(lead=organisation) | Q(partnerships__organisation=organisation))
        .distinct()
        .order_by("-start_date", "-pk")
    )


def organisations_of_project(project: EUProject) -> list[Organisation]:
    """The lead first, then the partners: who may attend a meeting."""
    partners = [p.organisation for p in project.partnerships.select_related("organisation")]
    return [project.lead, *partners]


def request_by_code(code: str) -> Request | None:
    """The request with this code (as typed: "#AB-1234", "ab-1234")."""
    token = code.strip().lstrip("#").strip().upper()
    return Request.objects.select_related("queue").filter(token__iexact=token).first()


def partners_from(
    groups: Iterable[tuple[str, Iterable[Organisation]]],
) -> list[tuple[Organisation, str]]:
    """Partner pairs from (role, organisations) groups, as the form collects them."""
    return [
        (organisation, role) for role, organisations in groups for organisation in organisations
    ]

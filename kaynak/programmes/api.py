"""Trainings and events over the API: the public upcoming list (anyone), activities with their
sessions (published ones for everyone, every activity and field for staff), and an activity's
registrations (staff: list, register someone — over the rules with a reason — and cancel).

Handlers are thin: they parse, ask ``staff_queries``/``services``, and present. What a caller
may not see answers 404; a broken rule answers 400 with the service's translated message.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from kaynak.accounts.api_auth import OptionalAuth, token_or_session
from kaynak.core.errors import KaynakError
from kaynak.core.pagination import PageNumber
from kaynak.core.permissions import can, require
from kaynak.directory.models import Organisation, Person
from kaynak.programmes import services, staff_queries
from kaynak.programmes.models import Activity, ActivityKind, Registration, Session

router = Router(tags=["activities"])

STAFF_VIEW = "programmes.view_staff"


class ProvinceRef(Schema):
    plate_code: int
    name: str


class ProgrammeRef(Schema):
    id: int
    name: str
    slug: str
    is_series: bool


class SessionPublicOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    online: bool
    province: ProvinceRef | None
    venue: str
    address: str
    stream_url: str = Field(description="Only for activities that need no registration")
    recording_url: str


class SessionFullOut(SessionPublicOut):
    """Every field, for staff (the meeting link is otherwise shown only to registrants)."""

    meeting_url: str
    capacity: int | None


class ActivityPublicOut(Schema):
    id: int
    slug: str
    title: str
    kind: str
    programme: ProgrammeRef
    topic: str | None = Field(description="Topic slug")
    themes: list[str] = Field(description="Theme slugs")
    language: str
    description: str
    target_audience: str
    trainers: list[str]
    registration_required: bool
    seats: int | None = Field(description="None: no limit")
    seats_left: int | None
    waitlist: bool
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None
    sessions: list[SessionPublicOut]


class ActivityFullOut(ActivityPublicOut):
    """Every field, for staff."""

    status: str
    capacity: int | None
    seats_per_organisation: int | None
    seats_taken: int
    waiting: int
    questions: list[dict[str, Any]]
    offer_hours: int
    completion_percent: int
    certificates: bool
    feedback: bool
    feedback_anonymous: bool
    copied_from_id: int | None
    published_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    sessions: list[SessionFullOut]  # type: ignore[assignment]


# Staff get the full record, everyone else the public one; tried in this order, a public
# record (which lacks the staff fields) is never mistaken for a full one.
SessionOut = Annotated[SessionFullOut | SessionPublicOut, Field(union_mode="left_to_right")]
ActivityOut = Annotated[ActivityFullOut | ActivityPublicOut, Field(union_mode="left_to_right")]


class ActivityPage(Schema):
    items: list[ActivityOut]
    count: int
    page: int
    pages: int
    page_size: int


class PersonRef(Schema):
    id: int
    full_name: str


class OrganisationRef(Schema):
    id: int
    name: str


class RegistrationOut(Schema):
    id: int
    activity_id: int
    code: str
    status: str
    person: PersonRef
    organisation: OrganisationRef | None
    email: str
    language: str
    answers: dict[str, Any]
    created_at: dt.datetime
    offer_expires_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    walk_in: bool
    staff_note: str
    added_by: str | None = Field(description="E-mail of the staff member who added it")

    @staticmethod
    def resolve_added_by(obj: Registration) -> str | None:
        return obj.added_by.email if obj.added_by else None


class RegistrationPage(Schema):
    items: list[RegistrationOut]
    count: int
    page: int
    pages: int
    page_size: int


class RegistrationIn(Schema):
    """Register someone from the directory. ``override`` (with a ``reason``) gives a seat even
    when the activity is full, registration is closed or the organisation has used its seats."""

    person_id: int
    organisation_id: int | None = None
    email: str = Field("", description="Empty: the person's first e-mail address")
    language: str = Field("tr", pattern="^(tr|en)$")
    answers: dict[str, Any] = Field(default_factory=dict)
    override: bool = False
    reason: str = Field("", max_length=250)


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=250)


class ActivityFilterIn(Schema):
    province: int | None = Field(None, description="Plate code of a session's province, e.g. 35")
    online: bool | None = Field(None, description="Only online (true) or in-person (false)")
    kind: ActivityKind | None = None
    topic: str | None = Field(None, description="Topic slug")
    programme: str | None = Field(None, description="Programme slug")


class StaffActivityFilterIn(ActivityFilterIn):
    status: str | None = Field(None, description="draft, published or cancelled (staff)")


# Presenting -------------------------------------------------------------------------------------


def _province(province: Any) -> dict[str, Any] | None:
    return {"plate_code": province.pk, "name": province.name} if province else None


def _session(session: Session, *, staff: bool, open_stream: bool) -> dict[str, Any]:
    shown = {
        "id": session.pk,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "online": session.online,
        "province": _province(session.province),
        "venue": session.venue,
        "address": session.address,
        "stream_url": session.stream_url if staff or open_stream else "",
        "recording_url": session.recording_url,
    }
    if staff:
        shown.update(meeting_url=session.meeting_url, capacity=session.capacity)
    return shown


def _activity(activity: Activity, *, staff: bool) -> dict[str, Any]:
    figures = staff_queries.seat_figures(activity)
    shown: dict[str, Any] = {
        "id": activity.pk,
        "slug": activity.slug,
        "title": activity.title,
        "kind": activity.kind,
        "programme": {
            "id": activity.programme.pk,
            "name": activity.programme.label,
            "slug": activity.programme.slug,
            "is_series": activity.programme.is_series,
        },
        "topic": activity.topic.slug if activity.topic else None,
        "themes": [theme.slug for theme in activity.themes.all()],
        "language": activity.language,
        "description": activity.description,
        "target_audience": activity.target_audience,
        "trainers": [trainer.name for trainer in activity.trainers.all()],
        "registration_required": activity.registration_required,
        "seats": figures.seats,
        "seats_left": figures.seats_left,
        "waitlist": activity.waitlist,
        "registration_opens_at": activity.registration_opens_at,
        "registration_closes_at": activity.registration_closes_at,
        "sessions": [
            _session(s, staff=staff, open_stream=not activity.registration_required)
            for s in activity.sessions.all()
        ],
    }
    if staff:
        shown.update(
            status=activity.status,
            capacity=activity.capacity,
            seats_per_organisation=activity.seats_per_organisation,
            seats_taken=figures.taken,
            waiting=figures.waiting,
            questions=activity.questions,
            offer_hours=activity.offer_hours,
            completion_percent=activity.completion_percent,
            certificates=activity.certificates,
            feedback=activity.feedback,
            feedback_anonymous=activity.feedback_anonymous,
            copied_from_id=activity.copied_from_id,
            published_at=activity.published_at,
            created_at=activity.created_at,
            updated_at=activity.updated_at,
        )
    return shown


def _page(
    request: HttpRequest, queryset: QuerySet[Activity], pagination: PageNumber.Input, staff: bool
) -> dict[str, Any]:
    page: dict[str, Any] = PageNumber().paginate_queryset(queryset, pagination, request)
    page["items"] = [_activity(activity, staff=staff) for activity in page["items"]]
    return page


def _filters(filters: ActivityFilterIn) -> staff_queries.ActivityFilters:
    return staff_queries.ActivityFilters(
        province=filters.province,
        online=filters.online,
        kind=filters.kind.value if filters.kind else "",
        topic=filters.topic or "",
        programme=filters.programme or "",
        status=getattr(filters, "status", None) or "",
    )


def _visible(request: HttpRequest, activity_id: int) -> tuple[Activity, bool]:
    staff = can(request.user, STAFF_VIEW)
    activities = staff_queries.activities_for_api(
        staff_queries.ActivityFilters(), include_unpublished=staff
    )
    return get_object_or_404(activities, pk=activity_id), staff


# Activities and sessions ------------------------------------------------------------------------


@router.get(
    "/activities/upcoming",
    response=ActivityPage,
    auth=None,
    summary="Upcoming activities (public): published, with a session still to come",
)
def upcoming(
    request: HttpRequest, filters: Query[ActivityFilterIn], pagination: Query[PageNumber.Input]
) -> dict[str, Any]:
    found = staff_queries.activities_for_api(_filters(filters), upcoming=True)
    return _page(request, found, pagination, staff=False)


@router.get(
    "/activities",
    response=ActivityPage,
    auth=OptionalAuth(),
    summary="Activities: published ones for everyone, every activity with every field for staff",
)
def activity_list(
    request: HttpRequest,
    filters: Query[StaffActivityFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    staff = can(request.user, STAFF_VIEW)
    found = staff_queries.activities_for_api(_filters(filters), include_unpublished=staff)
    return _page(request, found, pagination, staff=staff)


@router.get(
    "/activities/{activity_id}",
    response=ActivityOut,
    auth=OptionalAuth(),
    summary="One activity with its sessions",
)
def activity_detail(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    activity, staff = _visible(request, activity_id)
    return _activity(activity, staff=staff)


@router.get(
    "/activities/{activity_id}/sessions",
    response=list[SessionOut],
    auth=OptionalAuth(),
    summary="An activity's sessions",
)
def session_list(request: HttpRequest, activity_id: int) -> list[dict[str, Any]]:
    activity, staff = _visible(request, activity_id)
    open_stream = not activity.registration_required
    return [_session(s, staff=staff, open_stream=open_stream) for s in activity.sessions.all()]


# Registrations (staff) --------------------------------------------------------------------------


@router.get(
    "/activities/{activity_id}/registrations",
    response=RegistrationPage,
    auth=token_or_session,
    summary="An activity's registrations, in the order they came (staff)",
)
def registration_list(
    request: HttpRequest,
    activity_id: int,
    pagination: Query[PageNumber.Input],
    status: str | None = None,
) -> dict[str, Any]:
    require(request.user, STAFF_VIEW)
    activity = get_object_or_404(Activity, pk=activity_id)
    registrations = staff_queries.registrations_for_api(activity, status=status or "")
    page: dict[str, Any] = PageNumber().paginate_queryset(registrations, pagination, request)
    return page


@router.post(
    "/activities/{activity_id}/registrations",
    response={201: RegistrationOut},
    auth=token_or_session,
    summary="Register someone from the directory (staff; over the rules with a reason)",
)
def registration_create(
    request: HttpRequest, activity_id: int, body: RegistrationIn
) -> Status[Registration]:
    require(request.user, "programmes.manage_registrations")
    activity = get_object_or_404(Activity, pk=activity_id)
    person = Person.objects.filter(pk=body.person_id, erased_at__isnull=True).first()
    if person is None:
        raise KaynakError(_("There is no such person in the directory."), code="unknown_person")
    organisation = None
    if body.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=body.organisation_id).first()
        if organisation is None:
            raise KaynakError(
                _("There is no such organisation in the directory."), code="unknown_organisation"
            )
    email = body.email or (person.emails[0] if person.emails else "")
    if not email:
        raise KaynakError(_("This person has no e-mail address: send one."), code="email")
    registration = services.register(
        activity=activity,
        person=person,
        email=email,
        organisation=organisation,
        language=body.language,
        answers=body.answers,
        by=request.user,
        override=body.override,
        reason=body.reason,
    )
    return Status(201, staff_queries.registrations_for_api(activity).get(pk=registration.pk))


@router.post(
    "/registrations/{registration_id}/cancel",
    response=RegistrationOut,
    auth=token_or_session,
    summary="Cancel a registration with a reason (staff); a seat it held goes to the waiting list",
)
def registration_cancel(request: HttpRequest, registration_id: int, body: CancelIn) -> Registration:
    require(request.user, "programmes.manage_registrations")
    registration = get_object_or_404(Registration, pk=registration_id)
    services.cancel_registration(registration=registration, by=request.user, reason=body.reason)
    return staff_queries.registrations_for_api(registration.activity).get(pk=registration.pk)

"""Public pages of trainings and events: the upcoming list, an activity and its registration
form, the registrant's own page (by signed link), "Eğitimlerim", a programme or series, the
recordings, and the feeds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.directory import queries as directory_queries
from kaynak.directory import services as directory_services
from kaynak.programmes import feeds, queries, registering
from kaynak.programmes.forms import RegistrationForm, UpcomingFilterForm
from kaynak.programmes.links import registration_from_token, registration_token
from kaynak.programmes.models import (
    ACTIVE,
    SEAT_HOLDING,
    Activity,
    ActivityStatus,
    Certificate,
    Registration,
    RegistrationStatus,
    Session,
)
from kaynak.programmes.queries import Availability, availability
from kaynak.programmes.services import RegistrationError, accept_offer, cancel_registration

PAGE_SIZE = 20


def is_partial_request(request: HttpRequest) -> bool:
    """An htmx request for a part of the page (not a history restore, which needs it all)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# Presenting activities --------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    """An activity as a list shows it: its sessions still to come, where, and its seats."""

    activity: Activity
    sessions: list[Session]
    availability: Availability

    @property
    def first(self) -> Session | None:
        return self.sessions[0] if self.sessions else None

    @property
    def last(self) -> Session | None:
        return self.sessions[-1] if self.sessions else None

    @property
    def places(self) -> list[str]:
        """The provinces of its sessions in order, "Online" once if any is online."""
        seen: list[str] = []
        for session in self.sessions:
            if session.online:
                label = _("Online")
            else:
                label = str(session.province) if session.province else ""
            if label and label not in seen:
                seen.append(label)
        return seen


def _row(activity: Activity, now: dt.datetime) -> ActivityRow:
    sessions = getattr(activity, "upcoming_sessions", None)
    if sessions is None:
        sessions = list(activity.sessions.all())
    return ActivityRow(activity, list(sessions), availability(activity, now=now))


@vary_on_headers("HX-Request")
def upcoming(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = UpcomingFilterForm(request.GET)
    page = paginate(request, queries.upcoming_activities(form.filters(), now=now))
    rows = [_row(activity, now) for activity in page.object_list]
    template = "programmes/public/list.html"
    if is_partial_request(request):
        template += "#results"
    return render(request, template, {"form": form, "page": page, "rows": rows})


# One activity and its registration form ------------------------------------------------------


def _activity_page(
    request: HttpRequest,
    activity: Activity,
    *,
    form: RegistrationForm | None = None,
    candidates: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    seats = availability(activity, now=now)
    sessions = list(activity.sessions.all())
    takes_registrations = seats.state in ("open", "waitlist")
    if form is None and takes_registrations and activity.status == ActivityStatus.PUBLISHED:
        person = queries.person_of_user(request.user)
        form = RegistrationForm(
            activity,
            initial=RegistrationForm.initial_for(person, request.user, get_language() or "tr"),
        )
    return render(
        request,
        "programmes/public/activity.html",
        {
            "activity": activity,
            "availability": seats,
            "sessions": sessions,
            "upcoming_sessions": [s for s in sessions if s.ends_at >= now],
            "recordings": [s for s in sessions if s.recording_url],
            # The stream is public only when the activity needs no registration.
            "streams": []
            if activity.registration_required
            else [s for s in sessions if s.online and s.stream_url and s.ends_at >= now],
            "form": form,
            "candidates": candidates or [],
            "choice": form.typed_choice() if form is not None and form.is_bound else "",
        },
        status=status,
    )


def activity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _activity_page(request, queries.public_activity(slug))


@never_cache
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """The registration form's POST: everyone's errors next to the form, what they typed kept;
    on success the registrant's own page."""
    if request.method != "POST":
        return redirect("programmes:activity", slug=slug)
    activity = queries.public_activity(slug)
    form = RegistrationForm(activity, request.POST)
    valid = form.is_valid()
    name, province = form.typed_organisation()
    candidates = queries.organisation_candidates_for(name, province)
    decision = form.organisation_decision(candidates) if valid else None
    if decision is not None and not form.errors:
        user = request.user if request.user.is_authenticated else None
        try:
            registration = registering.register_applicant(
                activity=activity,
                applicant=form.applicant(),
                organisation=decision,
                answers=form.answers(),
                user=user,
            )
        except RegistrationError as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(
                request,
                _("Thank you. A confirmation is on its way to %(email)s.")
                % {"email": registration.email},
            )
            return redirect("programmes:registration", token=registration_token(registration))
    return _activity_page(request, activity, form=form, candidates=candidates)


@require_GET
def organisation_candidates(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx: the guard's candidates for the organisation typed so far."""
    activity = queries.public_activity(slug)
    form = RegistrationForm(activity, request.GET)
    name, province = form.typed_organisation()
    return render(
        request,
        "programmes/public/includes/organisation_candidates.html",
        {
            "candidates": queries.organisation_candidates_for(name, province),
            "choice": form.typed_choice(),
        },
    )


# The registrant's own page (signed link) -------------------------------------------------------


def qr_svg(code: str) -> SafeString:
    """The code as an inline SVG QR code (segno writes only paths: no script, no style)."""
    svg = segno.make_qr(code, error="m").svg_inline(scale=5, border=4, svgclass="qr-code")
    return mark_safe(svg)  # noqa: S308 - segno's own markup of our own code


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/public/link_invalid.html", status=404)


def _registration_or_none(token: str) -> Registration | None:
    registration = registration_from_token(token)
    if registration is None or registration.activity.status == ActivityStatus.DRAFT:
        return None
    return registration


@never_cache
def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_none(token)
    if registration is None:
        return _invalid_link(request)
    now = timezone.now()
    sessions = list(registration.activity.sessions.select_related("province").order_by("starts_at"))
    last_end = max((s.ends_at for s in sessions), default=None)
    return render(
        request,
        "programmes/public/registration.html",
        {
            "registration": registration,
            "activity": registration.activity,
            "token": token,
            "sessions": sessions,
            "holds_seat": registration.status in SEAT_HOLDING,
            "is_live": registration.status in ACTIVE,
            "can_cancel": registration.status in ACTIVE and (last_end is None or last_end > now),
            "is_offered": registration.status == RegistrationStatus.OFFERED,
            "position": (
                queries.waitlist_position(registration)
                if registration.status == RegistrationStatus.WAITLISTED
                else None
            ),
            "qr": qr_svg(registration.code),
            "certificates": queries.valid_certificates_of(registration),
            "survey_open": queries.survey_open_for(registration),
        },
    )


@never_cache
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST cancels (a freed seat goes to the next person waiting)."""
    registration = _registration_or_none(token)
    if registration is None:
        return _invalid_link(request)
    if request.method == "POST":
        if registration.status in ACTIVE:
            cancel_registration(registration=registration)
            messages.success(request, _("Your registration is cancelled."))
        return redirect("programmes:registration", token=token)
    return render(
        request,
        "programmes/public/registration_cancel.html",
        {"registration": registration, "activity": registration.activity, "token": token},
    )


@require_POST
def registration_accept(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_none(token)
    if registration is None:
        return _invalid_link(request)
    try:
        accept_offer(registration=registration)
    except RegistrationError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("The seat is yours. See you there!"))
    return redirect("programmes:registration", token=token)


def registration_calendar(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_none(token)
    if registration is None:
        raise Http404
    return feeds.calendar_response(
        feeds.registration_calendar(registration), f"{registration.activity.slug}.ics"
    )


# "Eğitimlerim" ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyRegistration:
    """One of the member's registrations, with the token of its signed pages."""

    registration: Registration
    token: str

    @property
    def certificates(self) -> list[Certificate]:
        return list(getattr(self.registration, "valid_certificates", []))


def _mine(registrations: list[Registration]) -> list[MyRegistration]:
    return [MyRegistration(r, registration_token(r)) for r in registrations]


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = queries.person_of_user(request.user)
    own = queries.registrations_of_member(person, queries.verified_emails_of(request.user))
    upcoming, past = queries.split_by_time(own)
    organisations = list(directory_queries.organisations_administered_by(request.user))
    for_organisations = (
        paginate(request, queries.registrations_of_organisations(organisations), 50)
        if organisations
        else None
    )
    feed = queries.calendar_feed_of(person)
    return render(
        request,
        "programmes/public/mine.html",
        {
            "upcoming": _mine(upcoming),
            "past": _mine(past),
            "organisations": organisations,
            "page": for_organisations,
            "calendar_url": (
                request.build_absolute_uri(
                    reverse("programmes:person-calendar", kwargs={"key": feed.key})
                )
                if feed is not None
                else ""
            ),
        },
    )


@require_POST
@login_required
def mine_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start, renew or stop the member's calendar address."""
    person = directory_services.person_for_user(user=request.user)
    action = request.POST.get("action", "")
    if action == "renew":
        registering.calendar_feed_renew(person=person, actor=request.user)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
    elif action == "stop":
        registering.calendar_feed_stop(person=person, actor=request.user)
        messages.success(request, _("Your calendar address no longer works."))
    else:
        registering.calendar_feed_start(person=person, actor=request.user)
    return redirect(reverse("programmes:mine") + "#calendar")


def person_calendar(request: HttpRequest, key: str) -> HttpResponse:
    person = queries.person_of_calendar_key(key)
    if person is None:
        raise Http404
    emails = queries.verified_emails_of(person.user) if person.user else []
    return feeds.calendar_response(
        feeds.registrations_calendar(
            _("My trainings"), queries.registrations_of_member(person, emails)
        ),
        "kaynak.ics",
    )


# A programme or series, the recordings, the feeds ----------------------------------------------


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    programme = queries.public_programme(slug)
    upcoming_rows: list[ActivityRow] = []
    past_rows: list[ActivityRow] = []
    for activity in queries.programme_activities(programme):
        row = _row(activity, now)
        running = any(session.ends_at >= now for session in row.sessions)
        (upcoming_rows if running else past_rows).append(row)
    past_rows.reverse()  # the latest first
    return render(
        request,
        "programmes/public/programme.html",
        {
            "programme": programme,
            "upcoming": upcoming_rows,
            "page": paginate(request, past_rows),
            "now": now,
        },
    )


def programme_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    programme = queries.public_programme(slug)
    return feeds.calendar_response(feeds.programme_calendar(programme), f"{programme.slug}.ics")


def recordings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/public/recordings.html",
        {"page": paginate(request, queries.public_recordings())},
    )

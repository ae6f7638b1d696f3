""" "Size uygun fonlar", an organisation's pipeline of tracked calls, and the center's funding
outcomes. Every page of one organisation answers 404 to anyone who may not see it (another
organisation's admin learns nothing)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.permissions import can, permission_required
from kaynak.directory.models import Organisation
from kaynak.directory.queries import organisations_administered_by
from kaynak.radar import matching, queries_outcomes, tracking
from kaynak.radar.alert_forms import TrackedForm, TrackForm
from kaynak.radar.models import Opportunity, OpportunityStatus, PipelineStage, TrackedOpportunity

TRACK = "radar.track_opportunities"
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def is_partial_request(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _organisation_for(user: Any, organisation_id: int, *, staff_too: bool) -> Organisation:
    organisation = get_object_or_404(
        Organisation.objects.select_related("province", "legal_form"), pk=organisation_id
    )
    allowed = can(user, TRACK, organisation) or (
        staff_too and (can(user, "radar.view_staff") or can(user, "directory.view_staff_directory"))
    )
    if not allowed:
        raise Http404
    return organisation


def _tracked_for(user: Any, pk: int) -> TrackedOpportunity:
    tracked = get_object_or_404(
        TrackedOpportunity.objects.select_related("organisation", "opportunity__funder"), pk=pk
    )
    if not can(user, TRACK, tracked.organisation):
        raise Http404
    return tracked


@never_cache
@login_required
def for_organisation(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    """ "Size uygun fonlar": open calls ranked by match with the organisation, with reasons."""
    organisation = _organisation_for(request.user, organisation_id, staff_too=True)
    context = {
        "organisation": organisation,
        "matches": matching.suitable_calls(organisation),
        "can_track": can(request.user, TRACK, organisation),
        "themes": list(organisation.themes.all()),
    }
    template = "radar/tracking/for_organisation.html"
    if is_partial_request(request):
        template = "radar/tracking/partials/matches.html"
    return render(request, template, context)


def _columns(organisation: Organisation) -> list[dict[str, Any]]:
    entries = list(tracking.pipeline_of(organisation))
    return [
        {
            "stage": value,
            "label": label,
            "entries": [entry for entry in entries if entry.stage == value],
        }
        for value, label in PipelineStage.choices
    ]


@never_cache
@login_required
def pipeline(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    """The organisation's tracked calls by stage."""
    organisation = _organisation_for(request.user, organisation_id, staff_too=False)
    context = {
        "organisation": organisation,
        "columns": _columns(organisation),
        "stages": PipelineStage.choices,
    }
    return render(request, "radar/tracking/pipeline.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def track(request: AuthenticatedHttpRequest, opportunity_id: int) -> HttpResponse:
    """Add a published call to one of the user's organisations' pipeline (POST); GET asks
    which organisation when there is a choice."""
    opportunity = get_object_or_404(
        Opportunity, pk=opportunity_id, status=OpportunityStatus.PUBLISHED
    )
    organisations = organisations_administered_by(request.user)
    if not organisations.exists():
        # Only an organisation's admins keep its pipeline: say so rather than a bare 404.
        context: dict[str, Any] = {"opportunity": opportunity, "form": None}
        return render(
            request,
            "radar/tracking/track.html",
            context,
            status=200 if request.method == "GET" else 404,
        )
    form = TrackForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        if not can(request.user, TRACK, organisation):
            raise Http404
        try:
            _tracked, created = tracking.track(
                organisation=organisation, opportunity=opportunity, actor=request.user
            )
        except tracking.TrackingError as error:
            form.add_error(None, str(error.message))
        else:
            if created:
                messages.success(request, _("Added to your pipeline."))
            else:
                messages.info(request, _("This call is already in your pipeline."))
            return redirect("radar:pipeline", organisation.pk)
    page: dict[str, Any] = {"opportunity": opportunity, "form": form}
    return render(request, "radar/tracking/track.html", page, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tracked_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A tracked call's details: stage, responsible, notes, amounts, sharing, reminders."""
    tracked = _tracked_for(request.user, pk)
    members = tracking.members_of(tracked.organisation)
    form = TrackedForm(request.POST or None, tracked=tracked, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tracking.update_tracked(tracked=tracked, actor=request.user, **data)
        except tracking.TrackingError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("radar:pipeline", tracked.organisation_id)
    context = {"tracked": tracked, "form": form, "opportunity": tracked.opportunity}
    status = 400 if form.errors else 200
    return render(request, "radar/tracking/tracked.html", context, status=status)


@never_cache
@login_required
@require_POST
def tracked_stage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move a tracked call to another stage (htmx: the pipeline's columns come back)."""
    tracked = _tracked_for(request.user, pk)
    try:
        tracking.change_stage(
            tracked=tracked, stage=request.POST.get("stage", ""), actor=request.user
        )
    except tracking.TrackingError as error:
        if is_partial_request(request):
            return HttpResponse(str(error.message), status=400)
        messages.error(request, str(error.message))
    if is_partial_request(request):
        context = {
            "organisation": tracked.organisation,
            "columns": _columns(tracked.organisation),
            "stages": PipelineStage.choices,
        }
        return render(request, "radar/tracking/partials/columns.html", context)
    return redirect("radar:pipeline", tracked.organisation_id)


@never_cache
@login_required
@require_POST
def tracked_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tracked = _tracked_for(request.user, pk)
    organisation_id = tracked.organisation_id
    tracking.untrack(tracked=tracked, actor=request.user)
    messages.success(request, _("Removed from your pipeline."))
    return redirect("radar:pipeline", organisation_id)


def _period(request: HttpRequest) -> tuple[queries_outcomes.Period, list[str]]:
    errors: list[str] = []
    values: dict[str, dt.date | None] = {"start": None, "end": None}
    for name in values:
        text = request.GET.get(name, "").strip()
        if text:
            try:
                values[name] = dt.date.fromisoformat(text)
            except ValueError:
                errors.append(_("Write the date as YYYY-MM-DD, e.g. 2027-03-31."))
    return queries_outcomes.Period(**values), errors


@never_cache
@permission_required("radar.view_funding_outcomes")
def outcomes(request: HttpRequest) -> HttpResponse:
    """Funding outcomes the NGOs shared: counts by stage and the grants won."""
    period, errors = _period(request)
    result = queries_outcomes.funding_outcomes(period)
    context = {
        "outcomes": result,
        "stages": [(label, result.by_stage[value]) for value, label in PipelineStage.choices],
        "errors": errors,
        "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""),
        "querystring": request.GET.urlencode(),
    }
    return render(request, "radar/tracking/outcomes.html", context)


@permission_required("radar.view_funding_outcomes")
def outcomes_csv(request: HttpRequest) -> HttpResponse:
    """Every shared entry of the period as CSV (one row per organisation and call)."""
    period, _errors = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="funding-outcomes.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Turkish letters as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Organisation"),
            _("Call"),
            _("Funder"),
            _("Stage"),
            _("Amount requested"),
            _("Amount won"),
            _("Currency"),
            _("Deadline"),
            _("Stage changed"),
        ]
    )
    for entry in queries_outcomes.shared_entries(period):
        call = entry.opportunity
        writer.writerow(
            [
                _cell(entry.organisation.name),
                _cell(call.title),
                _cell(call.funder_label),
                entry.get_stage_display(),
                entry.amount_requested if entry.amount_requested is not None else "",
                entry.amount_won if entry.amount_won is not None else "",
                call.currency,
                call.deadline_date.isoformat() if call.deadline_date else "",
                entry.stage_changed_at.date().isoformat(),
            ]
        )
    return response

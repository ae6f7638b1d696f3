"""Editors' pages of calls: the drafts queue, the review page of one call (the source text with
each field's evidence marked, the form with every field, publish, reject, back to drafts), and
the corrections download.

Thin: each view parses a form, calls ``services`` or a query, and presents the result or the
problem next to the field that caused it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaynak.core.permissions import permission_required
from kaynak.radar import corrections, services, staff_queries
from kaynak.radar.forms import DraftFilterForm, OpportunityForm, RejectForm, form_initial
from kaynak.radar.highlight import FIELD_LABELS, fields_of_reading, highlight
from kaynak.radar.models import Opportunity, OpportunityStatus
from kaynak.radar.services import RadarError

PAGE_SIZE = 50


# The queue --------------------------------------------------------------------------------------


@permission_required("radar.review_opportunities")
def drafts(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    if "status" not in query:
        query["status"] = OpportunityStatus.DRAFT  # the queue opens on what awaits review
    form = DraftFilterForm(query)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {"status": "draft"}
    calls = staff_queries.drafts_queue(
        status=filters.get("status") or "",
        source=filters.get("source"),
        funder=filters.get("funder"),
        language=filters.get("language") or "",
        missing=filters.get("missing") or "",
    )
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(call, staff_queries.empty_fields(call)) for call in page.object_list]
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "radar/staff/drafts.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "labels": FIELD_LABELS,
            "query": keep.urlencode(),
        },
    )


# One call ---------------------------------------------------------------------------------------


def _review_page(
    request: HttpRequest,
    opportunity: Opportunity,
    *,
    form: OpportunityForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    source = staff_queries.source_text(opportunity)
    marked = highlight(source.text, fields_of_reading(services.reading_of(opportunity)))
    context = {
        "opportunity": opportunity,
        "form": form or OpportunityForm(initial=form_initial(opportunity)),
        "reject_form": reject_form or RejectForm(),
        "raw_item": source.raw_item,
        "marked": marked,
        "changes": _history(opportunity),
        "links": list(opportunity.links.select_related("source")),
        "now": timezone.now(),
    }
    return render(request, "radar/staff/review.html", context, status=status)


def _label(name: str) -> str:
    try:
        field = Opportunity._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(
            f"{item.get('date', '')} {item.get('label', '')}".strip()
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return str(value)


def _history(opportunity: Opportunity) -> list[dict[str, Any]]:
    """The call's changes, newest first, each field with its label and old and new values."""
    return [
        {
            "change": change,
            "fields": [
                (_label(name), _shown(pair[0]), _shown(pair[1]))
                for name, pair in change.fields.items()
                if isinstance(pair, list) and len(pair) == 2
            ],
        }
        for change in opportunity.changes.select_related("actor")[:50]
    ]


def _after_publish(request: HttpRequest, opportunity: Opportunity) -> HttpResponse:
    messages.success(request, _("Published: %(title)s") % {"title": opportunity.title})
    following = staff_queries.next_draft_after(opportunity)
    if following is not None:
        return redirect("radar:staff-opportunity", following.pk)
    messages.info(request, _("No drafts left to review."))
    return redirect("radar:staff-drafts")


@permission_required("radar.review_opportunities")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the review page. POST: save the corrections (``action=save``), or save them and
    publish (``action=publish``) — both or neither."""
    opportunity = staff_queries.opportunity_for_review(pk)
    if request.method != "POST":
        return _review_page(request, opportunity)
    form = OpportunityForm(request.POST, initial=form_initial(opportunity))
    if not form.is_valid():
        return _review_page(request, opportunity, form=form, status=400)
    publishing = request.POST.get("action") == "publish"
    try:
        with transaction.atomic():
            change = services.edit(
                opportunity=opportunity,
                actor=request.user,
                changes=form.values(),
                note=form.cleaned_data["note"].strip(),
            )
            if publishing:
                opportunity = services.publish(
                    opportunity=staff_queries.opportunity_for_review(pk), actor=request.user
                )
    except RadarError as error:
        form.add_error(None, str(error.message))
        return _review_page(request, opportunity, form=form, status=400)
    if publishing:
        return _after_publish(request, opportunity)
    if change is None:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, _("Your corrections were saved."))
    return redirect("radar:staff-opportunity", opportunity.pk)


@require_POST
@permission_required("radar.review_opportunities")
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = staff_queries.opportunity_for_review(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _review_page(request, opportunity, reject_form=form, status=400)
    try:
        services.reject(
            opportunity=opportunity, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except RadarError as error:
        form.add_error("reason", str(error.message))
        return _review_page(request, opportunity, reject_form=form, status=400)
    messages.success(request, _("Rejected: %(title)s") % {"title": opportunity.title})
    following = staff_queries.next_draft_after(opportunity)
    if following is not None:
        return redirect("radar:staff-opportunity", following.pk)
    return redirect("radar:staff-drafts")


@require_POST
@permission_required("radar.review_opportunities")
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = staff_queries.opportunity_for_review(pk)
    services.reopen(opportunity=opportunity, actor=request.user)
    messages.success(request, _("The call is back among the drafts."))
    return redirect("radar:staff-opportunity", opportunity.pk)


# Corrections ------------------------------------------------------------------------------------


@permission_required("radar.export_corrections")
def corrections_zip(request: HttpRequest) -> HttpResponse:
    """Every call an editor corrected, as labelled cases for the extraction corpus."""
    data = corrections.as_zip(corrections.build_cases())
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="radar-corrections-{stamp}.zip"'
    return response

"""Public pages of calls: the list (open calls first, then upcoming, then recently closed) and
one call's page (what it is for, who may apply, when, the questions to prepare, and the way to
apply). Drafts are not found, except by staff, who see them as a preview."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kaynak.calls import queries
from kaynak.calls.models import Call, CallStatus
from kaynak.core.permissions import can


def call_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request, "calls/public/list.html", {"calls": queries.public_calls(now), "now": now}
    )


def days_left(call: Call, now: dt.datetime) -> int:
    """Whole days until the deadline, counting a part of a day as a day (0 once closed)."""
    seconds = (call.closes_at - now).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def call_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        if can(request.user, "calls.view_staff"):
            call = queries.call_for_staff(slug)
        else:
            call = queries.call_for_public(slug)
    except Call.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    context: dict[str, Any] = {
        "call": call,
        "now": now,
        "is_draft": call.status == CallStatus.DRAFT,
        "is_open": call.is_open(now),
        "not_yet_open": now < call.opens_at,
        "days_left": days_left(call, now),
        "shown": queries.questions_as_shown(call),
        "applicant_types": list(call.applicant_types.all()),
        "provinces": list(call.provinces.all()),
    }
    return render(request, "calls/public/call.html", context)

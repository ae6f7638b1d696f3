"""The agents' inbox and the page of one request with its actions.

Thin: each view parses a form, calls one ``services`` verb or a ``queries`` read, and presents
the result, or the ``HelpdeskError`` beside the form that caused it (what was typed kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from kaynak.core.permissions import permission_required
from kaynak.directory.views.public import is_partial_request
from kaynak.helpdesk import queries, services
from kaynak.helpdesk.forms import (
    AssignForm,
    CategoryForm,
    InboxFilterForm,
    MergeForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
)
from kaynak.helpdesk.models import CannedReply, Request, RequestStatus
from kaynak.helpdesk.services import HelpdeskError
from kaynak.library import queries as library_queries
from kaynak.library.models import Resource

PAGE_SIZE = 50
ANSWER = "helpdesk.answer_requests"
VIEW = "helpdesk.view_requests"


# The inbox -------------------------------------------------------------------------------------


@vary_on_headers("HX-Request")
@permission_required(VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    """The requests of the agent's queues, filtered (GET), the most urgent first."""
    form = InboxFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    page = Paginator(queries.inbox(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    items = list(page.object_list)
    left = queries.business_time_left(items, now)
    rows = [(item, queries.sla_state(item, now), _business(left.get(item.pk))) for item in items]
    keep = request.GET.copy()
    keep.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "now": now,
        "counts": queries.status_counts(request.user, filters),
        "query": keep.urlencode(),
    }
    template = "helpdesk/staff/inbox.html"
    if is_partial_request(request):
        template += "#results"
    return render(request, template, context)


def _business(left: dt.timedelta | None) -> str:
    """Business time left, as an agent reads it: "2 h 05 min"."""
    if left is None:
        return ""
    minutes = int(left.total_seconds() // 60)
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


# One request -----------------------------------------------------------------------------------


EVENT_LABELS: dict[str, Promise] = {
    "created": gettext_lazy("Request received"),
    "assigned": gettext_lazy("Assignee changed"),
    "prioritised": gettext_lazy("Priority changed"),
    "categorised": gettext_lazy("Category changed"),
    "waiting": gettext_lazy("Waiting for the requester"),
    "resumed": gettext_lazy("Clock running again"),
    "resolved": gettext_lazy("Resolved"),
    "reopened": gettext_lazy("Reopened"),
    "closed": gettext_lazy("Closed"),
    "merged": gettext_lazy("Merged"),
    "spam": gettext_lazy("Marked as spam"),
    "not_spam": gettext_lazy("No longer spam"),
    "sla_warned": gettext_lazy("SLA: due soon"),
    "sla_breached": gettext_lazy("SLA: breached"),
}


def _timeline(support_request: Request) -> list[queries.TimelineEntry]:
    entries = queries.timeline(support_request)
    for entry in entries:
        if entry.kind == "event":
            verb = entry.extra["verb"]
            label = str(EVENT_LABELS.get(verb, verb))
            if verb == "merged" and entry.item.object_id != str(support_request.pk):
                label += f" ← {entry.item.object_repr}"
            elif verb == "merged":
                label += f" → {(entry.item.data or {}).get('into', '')}"
            entry.extra["label"] = label
    return entries


def _request_page(
    request: HttpRequest,
    support_request: Request,
    *,
    bound: dict[str, forms.Form] | None = None,
    errors: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    unbound: dict[str, forms.Form] = {
        "reply": ReplyForm(support_request=support_request),
        "note": NoteForm(support_request=support_request),
        "assign": AssignForm(
            initial={"assignee": support_request.assignee_id}, support_request=support_request
        ),
        "priority": PriorityForm(
            initial={"priority": support_request.priority}, support_request=support_request
        ),
        "category": CategoryForm(
            initial={"category": support_request.category_id}, support_request=support_request
        ),
        "merge": MergeForm(support_request=support_request),
    }
    page_forms = {**unbound, **bound}
    context = {
        "support_request": support_request,
        "sla_state": queries.sla_state(support_request),
        "pauses": list(support_request.pauses.all()),
        "timeline": _timeline(support_request),
        "forms": page_forms,
        "errors": errors or {},
        "can_answer": request.user.has_perm(ANSWER, support_request),
        "statuses": RequestStatus,
        **(extra or {}),
    }
    return render(request, "helpdesk/staff/request.html", context, status=status)


@permission_required(VIEW)
def request_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The request's header, timeline and the agent's actions."""
    return _request_page(request, queries.request_for_user(request.user, token))


def _refused(
    request: HttpRequest,
    support_request: Request,
    name: str,
    error: HelpdeskError | str,
    form: forms.Form | None = None,
) -> HttpResponse:
    message = str(error.message) if isinstance(error, HelpdeskError) else error
    return _request_page(
        request,
        support_request,
        bound={name: form} if form is not None else None,
        errors={name: message},
        status=400,
    )


def _done(support_request: Request, message: str, request: HttpRequest) -> HttpResponse:
    messages.success(request, message)
    return redirect("helpdesk:staff-request", support_request.token)


def _reply(request: HttpRequest, support_request: Request) -> HttpResponse:
    form = ReplyForm(request.POST, request.FILES, support_request=support_request)
    if not form.is_valid():
        return _refused(request, support_request, "reply", "", form)
    how = request.POST.get("send", "send")
    try:
        services.reply(
            request=support_request,
            actor=request.user,
            body=form.cleaned_data["body"],
            canned=form.cleaned_data["canned"],
            attachments=form.uploads(),
            wait=how == "wait",
            resolve=how == "resolve",
        )
    except HelpdeskError as error:
        return _refused(request, support_request, "reply", error, form)
    return _done(support_request, _("Your answer was sent."), request)


def _note(request: HttpRequest, support_request: Request) -> HttpResponse:
    form = NoteForm(request.POST, request.FILES, support_request=support_request)
    if not form.is_valid():
        return _refused(request, support_request, "note", "", form)
    try:
        services.add_note(
            request=support_request,
            actor=request.user,
            body=form.cleaned_data["body"],
            mentions=form.cleaned_data["mentions"],
            attachments=form.uploads(),
        )
    except HelpdeskError as error:
        return _refused(request, support_request, "note", error, form)
    return _done(support_request, _("Your note was added."), request)


def _assign(request: HttpRequest, support_request: Request) -> HttpResponse:
    form = AssignForm(request.POST, support_request=support_request)
    if not form.is_valid():
        return _refused(request, support_request, "assign", "", form)
    assignee = request.user if "take" in request.POST else form.cleaned_data["assignee"]
    try:
        services.assign(request=support_request, assignee=assignee, actor=request.user)
    except HelpdeskError as error:
        return _refused(request, support_request, "assign", error, form)
    return _done(support_request, _("The assignee was changed."), request)


def _priority(request: HttpRequest, support_request: Request) -> HttpResponse:
    form = PriorityForm(request.POST, support_request=support_request)
    if not form.is_valid():
        return _refused(request, support_request, "priority", "", form)
    try:
        services.set_priority(
            request=support_request, priority=form.cleaned_data["priority"], actor=request.user
        )
    except HelpdeskError as error:
        return _refused(request, support_request, "priority", error, form)
    return _done(support_request, _("The priority was changed."), request)


def _category(request: HttpRequest, support_request: Request) -> HttpResponse:
    form = CategoryForm(request.POST, support_request=support_request)
    if not form.is_valid():
        return _refused(request, support_request, "category", "", form)
    try:
        services.set_category(
            request=support_request, category=form.cleaned_data["category"], actor=request.user
        )
    except HelpdeskError as error:
        return _refused(request, support_request, "category", error, form)
    return _done(support_request, _("The category was changed."), request)


def _merge(request: HttpRequest, support_request: Request) -> HttpResponse:
    """Two steps: the code names the target, the page shows its subject; merged on confirm."""
    form = MergeForm(request.POST, support_request=support_request)
    if not form.is_valid():
        return _refused(request, support_request, "merge", "", form)
    target = queries.merge_target(
        form.cleaned_data["target"], user=request.user, source=support_request
    )
    if target is None:
        return _refused(
            request, support_request, "merge", _("No other request you answer has this code."), form
        )
    if not form.cleaned_data["confirm"]:
        confirming = MergeForm(
            initial={"target": target.token, "confirm": True}, support_request=support_request
        )
        return _request_page(
            request,
            support_request,
            bound={"merge": confirming},
            extra={"merge_target": target},
        )
    try:
        services.merge(source=support_request, target=target, actor=request.user)
    except HelpdeskError as error:
        return _refused(request, support_request, "merge", error, form)
    messages.success(request, _("Merged into %(token)s.") % {"token": target.token})
    return redirect("helpdesk:staff-request", target.token)


# The verbs without a form: (service, message when done).
STATUS_VERBS: dict[str, tuple[Callable[..., Any], Promise]] = {
    "wait": (services.wait_for_requester, gettext_lazy("Now waiting for the requester.")),
    "resume": (services.resume, gettext_lazy("The request is open again.")),
    "resolve": (services.resolve, gettext_lazy("The request is resolved.")),
    "reopen": (services.reopen, gettext_lazy("The request is open again.")),
    "close": (services.close, gettext_lazy("The request is closed.")),
    "spam": (services.mark_spam, gettext_lazy("Marked as spam.")),
    "not-spam": (services.unmark_spam, gettext_lazy("No longer marked as spam.")),
}

ACTIONS: dict[str, Callable[[HttpRequest, Request], HttpResponse]] = {
    "reply": _reply,
    "note": _note,
    "assign": _assign,
    "priority": _priority,
    "category": _category,
    "merge": _merge,
}


@require_POST
@permission_required(VIEW)
def request_action(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """One action on the request (POST), each calling one service."""
    support_request = queries.request_for_user(request.user, token, ANSWER)
    if action in ACTIONS:
        return ACTIONS[action](request, support_request)
    if action not in STATUS_VERBS:
        return _refused(request, support_request, "status", _("Unknown action."))
    verb, done = STATUS_VERBS[action]
    try:
        verb(request=support_request, actor=request.user)
    except HelpdeskError as error:
        return _refused(request, support_request, "status", error)
    return _done(support_request, str(done), request)


# Composing an answer (htmx) --------------------------------------------------------------------


def _article_url(resource: Resource, language: str) -> str:
    """The article's absolute address in the request's language (the requester reads it)."""
    with translation.override(language):
        return settings.SITE_URL + reverse("library:resource", args=[resource.slug])


@require_GET
@permission_required(VIEW)
def compose(request: HttpRequest, token: str) -> HttpResponse:
    """htmx: the answer's text area again, with a canned reply (rendered for this request, in
    its language) or a library article's link added to what is typed."""
    support_request = queries.request_for_user(request.user, token, ANSWER)
    body = str(request.GET.get("reply-body") or "").rstrip()
    added = ""
    canned_pk = str(request.GET.get("reply-canned") or "")
    article = str(request.GET.get("article") or "")
    if canned_pk.isdigit():
        canned = queries.canned_replies_for(support_request.queue).filter(pk=canned_pk).first()
        if isinstance(canned, CannedReply):
            added = services.render_canned(canned, request=support_request, agent=request.user)
    elif article:
        resource = library_queries.published().filter(slug=article).first()
        if resource is not None:
            added = f"{resource.title}: {_article_url(resource, support_request.language)}"
    text = "\n\n".join(part for part in (body, added) if part)
    return render(request, "helpdesk/staff/partials/reply_body.html", {"text": text})


@require_GET
@permission_required(VIEW)
def articles(request: HttpRequest, token: str) -> HttpResponse:
    """htmx: library articles for the words searched (or, with none, for the request)."""
    support_request = queries.request_for_user(request.user, token, ANSWER)
    text = str(request.GET.get("article_q") or "").strip()[:200]
    if text:
        found = list(library_queries.search(library_queries.LibraryFilters(q=text))[:8])
    else:
        found = library_queries.suggest(support_request.subject, limit=8)
    return render(
        request,
        "helpdesk/staff/partials/articles.html",
        {"articles": found, "support_request": support_request},
    )

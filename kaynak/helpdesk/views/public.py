"""The support desk's public pages: the request form (with library suggestions while the
person types), the "sent" page and the one-click satisfaction question."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kaynak.helpdesk import queries, services, tokens
from kaynak.helpdesk.forms import (
    CONSENT_SOURCE,
    CONSENT_TEXT_VERSION,
    RequestForm,
    SatisfactionForm,
    public_queues,
)
from kaynak.helpdesk.models import Category, Request
from kaynak.library.queries import suggest as library_suggest

SENT_SALT = "kaynak.helpdesk.sent"
# The "sent" page is for the moment after submitting, not a lasting address.
SENT_MAX_AGE = 60 * 60


def _language() -> str:
    return "en" if (get_language() or "tr").startswith("en") else "tr"


def _home_page(request: HttpRequest, form: RequestForm) -> HttpResponse:
    queues = list(public_queues())
    categories = Category.objects.filter(queue__in=queues).select_related("queue")
    return render(
        request,
        "helpdesk/public/home.html",
        {"form": form, "queues": queues, "categories": categories},
    )


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """What the desk answers and the request form; POST sends it (errors beside the fields,
    what was typed kept)."""
    organisations = queries.affiliated_organisations(request.user)
    if request.method != "POST":
        initial: dict[str, Any] = {}
        if request.user.is_authenticated:
            initial = {"full_name": request.user.full_name, "email": request.user.email}
            if organisations:
                initial["organisation"] = organisations[0].pk
        return _home_page(request, RequestForm(initial=initial, organisations=organisations))
    form = RequestForm(request.POST, request.FILES, organisations=organisations)
    if form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        try:
            created = services.submit_request(
                queue=form.cleaned_data["queue"],
                category=form.cleaned_data["category"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                requester=form.requester(),
                language=_language(),
                actor=actor,
                attachments=form.uploads(),
                consent_version=CONSENT_TEXT_VERSION,
                consent_source=CONSENT_SOURCE,
            )
        except services.HelpdeskError as refused:
            field = "attachments" if refused.code == "attachment_refused" else None
            form.add_error(field, str(refused.message))
        else:
            sent = signing.dumps(created.pk, salt=SENT_SALT)
            return redirect("helpdesk:sent", token=sent)
    return _home_page(request, form)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """htmx: library articles that may answer what the person has typed so far."""
    text = " ".join(str(request.GET.get(name) or "")[:2000] for name in ("subject", "body")).strip()
    articles = library_suggest(text, limit=5) if text else []
    return render(request, "helpdesk/public/partials/suggestions.html", {"articles": articles})


@never_cache
@require_GET
def sent(request: HttpRequest, token: str) -> HttpResponse:
    """Right after submitting: the request's code and where the confirmation went."""
    try:
        pk = signing.loads(token, salt=SENT_SALT, max_age=SENT_MAX_AGE)
    except signing.BadSignature:
        pk = None
    found = Request.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        return render(request, "helpdesk/public/link_invalid.html", status=404)
    return render(request, "helpdesk/public/sent.html", {"support_request": found})


def _score_from(value: object) -> int | None:
    try:
        score = int(str(value))
    except ValueError:
        return None
    return score if 1 <= score <= 5 else None


@never_cache
@require_http_methods(["GET", "POST"])
def satisfaction(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the question (``?score=N`` only preselects: mail scanners follow links, so a
    GET never records); POST records the answer (a later answer replaces the earlier one)."""
    named = tokens.read_satisfaction_token(token)
    rated = (
        Request.objects.filter(pk=named[0], token=named[1]).select_related("satisfaction").first()
        if named is not None
        else None
    )
    if rated is None:
        return render(request, "helpdesk/public/link_invalid.html", status=404)
    if request.method == "POST":
        form = SatisfactionForm(request.POST)
        if form.is_valid():
            try:
                services.record_satisfaction(
                    token=token,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except services.HelpdeskError as refused:
                form.add_error(None, str(refused.message))
            else:
                return render(
                    request,
                    "helpdesk/public/satisfaction_thanks.html",
                    {"support_request": rated, "score": form.cleaned_data["score"]},
                )
    else:
        previous = getattr(rated, "satisfaction", None)
        score = _score_from(request.GET.get("score")) or (previous.score if previous else None)
        form = SatisfactionForm(
            initial={"score": score, "comment": previous.comment if previous else ""}
        )
    return render(
        request,
        "helpdesk/public/satisfaction.html",
        {
            "support_request": rated,
            "form": form,
            "scores": range(1, 6),
            "selected": _score_from(form["score"].value()),
            "answered": hasattr(rated, "satisfaction") and rated.satisfaction is not None,
        },
    )

"""Saved searches and digests: "Save this search", the confirmation link, "My saved searches",
the token page an e-mail subscriber manages theirs from, unsubscribing (one search, or all by
the one-click ``List-Unsubscribe`` POST) and "not relevant"."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.radar import alerts
from kaynak.radar.alert_forms import SubscribeForm, SwitchesForm
from kaynak.radar.alerts import Labels, describe_query
from kaynak.radar.models import SavedSearch


def _listing_query(request: HttpRequest) -> dict[str, Any]:
    source = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    return alerts.clean_query(QueryDict(source))


def _language() -> str:
    return (get_language() or "tr")[:2]


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """ "Save this search" from the listing (its query string comes along)."""
    query = _listing_query(request)
    verified = alerts.has_verified_address(request.user)
    initial = {"notify_new": True, "notify_changes": True, "notify_closing": False}
    form = SubscribeForm(request.POST or None, needs_email=not verified, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            search = alerts.subscribe(
                query=query,
                language=_language(),
                user=request.user if request.user.is_authenticated else None,
                email=data.get("email", ""),
                name=data["name"],
                notify_new=data["notify_new"],
                notify_changes=data["notify_changes"],
                notify_closing=data["notify_closing"],
            )
        except alerts.AlertError as error:
            form.add_error("email" if "email" in form.fields else None, str(error.message))
        else:
            if search.confirmed_at is not None:
                messages.success(request, _("Search saved: the weekly digest tells you its news."))
                return redirect("radar:my-searches")
            return render(request, "radar/alerts/subscribe_sent.html", {"email": search.email})
    context = {
        "form": form,
        "query": query,
        "description": describe_query(query),
        "listing_url": f"{reverse('radar:list')}?{_encode(query)}",
        "encoded_query": _encode(query),
    }
    return render(request, "radar/alerts/subscribe.html", context)


def _encode(query: dict[str, Any]) -> str:
    return urlencode(query, doseq=True)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: GET shows a button (a mail scanner opening links confirms
    nothing), POST confirms."""
    search, expired = alerts.search_from_confirmation(token)
    if search is None:
        return render(request, "radar/alerts/link_invalid.html", {"expired": expired}, status=404)
    if request.method == "POST":
        search = alerts.confirm(search=search)
        return render(request, "radar/alerts/confirm.html", {"search": search, "done": True})
    context = {"search": search, "done": search.confirmed_at is not None, "token": token}
    context["description"] = describe_query(search.query)
    return render(request, "radar/alerts/confirm.html", context)


def _rows(searches: list[SavedSearch], bound: dict[int, SwitchesForm] | None = None) -> list[Any]:
    bound = bound or {}
    labels = Labels()
    return [
        {
            "search": search,
            "form": bound.get(search.pk) or SwitchesForm.for_search(search),
            "description": describe_query(search.query, labels),
            "listing_url": f"{reverse('radar:list')}?{_encode(search.query)}",
        }
        for search in searches
    ]


@never_cache
@login_required
def my_searches(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "My saved searches": list, rename, switches, stop, delete."""
    searches = list(alerts.searches_of_user(request.user))
    return render(request, "radar/alerts/my_searches.html", {"rows": _rows(searches)})


def _save_switches(request: HttpRequest, search: SavedSearch, actor: Any) -> SwitchesForm:
    form = SwitchesForm(request.POST, prefix=f"s{search.pk}")
    if form.is_valid():
        data = form.cleaned_data
        alerts.update_search(
            search=search,
            actor=actor,
            name=data["name"],
            notify_new=data["notify_new"],
            notify_changes=data["notify_changes"],
            notify_closing=data["notify_closing"],
        )
        messages.success(request, _("Saved."))
    return form


@never_cache
@login_required
@require_POST
def my_search_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    if "delete" in request.POST:
        alerts.delete_search(search=search, actor=request.user)
        messages.success(request, _("The search was deleted."))
        return redirect("radar:my-searches")
    if "stop" in request.POST:
        alerts.unsubscribe(search=search, actor=request.user)
        messages.success(request, _("You will no longer get news of this search."))
        return redirect("radar:my-searches")
    form = _save_switches(request, search, request.user)
    if form.is_valid():
        return redirect("radar:my-searches")
    searches = list(alerts.searches_of_user(request.user))
    context = {"rows": _rows(searches, {search.pk: form})}
    return render(request, "radar/alerts/my_searches.html", context, status=400)


def _search_of_token(token: str) -> SavedSearch:
    search = alerts.search_by_token(token)
    if search is None:
        raise Http404
    return search


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The page a subscriber reaches from a digest, without an account: every active search of
    the address, its switches, and the unsubscribe buttons."""
    owner = _search_of_token(token)
    searches = list(alerts.searches_of_address(owner.email))
    bound: dict[int, SwitchesForm] = {}
    if request.method == "POST":
        search = next((s for s in searches if str(s.pk) == request.POST.get("search")), None)
        if search is None:
            raise Http404
        form = _save_switches(request, search, None)
        if form.is_valid():
            return redirect("radar:manage-searches", token)
        bound[search.pk] = form
    context = {"owner": owner, "token": token, "rows": _rows(searches, bound)}
    return render(request, "radar/alerts/manage.html", context, status=400 if bound else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one search: GET asks, POST does it."""
    search = _search_of_token(token)
    done = False
    if request.method == "POST":
        alerts.unsubscribe(search=search)
        done = True
    context = {"search": search, "token": token, "done": done, "all": False}
    context["description"] = describe_query(search.query)
    return render(request, "radar/alerts/unsubscribe.html", context)


@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no CSRF token, no session.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_all(request: HttpRequest, token: str) -> HttpResponse:
    """Stop every search of the address: the ``List-Unsubscribe`` target. GET asks (a link
    opened in a browser); POST — the button, or a mail client's one-click request with the
    body ``List-Unsubscribe=One-Click`` — does it."""
    search = _search_of_token(token)
    done = False
    if request.method == "POST":
        alerts.unsubscribe_all(email=search.email)
        done = True
    context = {"search": search, "token": token, "done": done, "all": True}
    return render(request, "radar/alerts/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def not_relevant(request: HttpRequest, token: str) -> HttpResponse:
    """ "Not relevant" from a digest: GET asks, POST dismisses the call for the address."""
    found = alerts.dismissal_from_token(token)
    if found is None:
        return render(request, "radar/alerts/link_invalid.html", {"expired": False}, status=404)
    search, opportunity = found
    done = False
    if request.method == "POST":
        alerts.dismiss(email=search.email, opportunity=opportunity)
        done = True
    context = {"opportunity": opportunity, "token": token, "done": done, "search": search}
    return render(request, "radar/alerts/not_relevant.html", context)

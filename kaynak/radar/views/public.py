"""Public pages of the funding radar: the listing of published calls (search, filters, htmx
partial of the results) and one call's page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from kaynak.radar import public_display, queries
from kaynak.radar.public_forms import ListingFilterForm
from kaynak.radar.queries import CLOSING_SOON_DAYS, SearchFilters

PAGE_SIZE = 20


def is_partial_request(request: HttpRequest) -> bool:
    """An htmx request for a part of the page (not a history restore, which needs it all)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def optional_url(name: str, *args: Any, query: str = "") -> str:
    """The URL of a page another part of the radar provides ("Save this search", "Track this
    call"), or "" while that page does not exist, so the link is simply not shown."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


def _with_query(name: str, filters: SearchFilters) -> str:
    query = filters.querystring()
    return reverse(name) + (f"?{query}" if query else "")


@require_GET
@vary_on_headers("HX-Request")
def listing(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = ListingFilterForm(request.GET, choices=queries.filter_choices())
    filters = form.filters()
    page: Page[Any] = Paginator(queries.search(filters, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": [public_display.row(call, now=now) for call in page.object_list],
        "closing_soon_days": CLOSING_SOON_DAYS,
        "closing_soon_url": "?" + filters.querystring(closing_within_days=CLOSING_SOON_DAYS),
        "expired_toggle_url": "?"
        + filters.querystring(include_expired=not filters.include_expired),
        "rss_url": _with_query("radar:rss", filters),
        "ical_url": _with_query("radar:ical", filters),
        "subscribe_url": optional_url("radar:subscribe", query=filters.querystring()),
    }
    template = "radar/public/list.html"
    if is_partial_request(request):
        template += "#results"
    return render(request, template, context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = queries.published_call(pk)
    links = [call.url] if call.url else []
    links += [link.url for link in call.links.all() if link.url not in links]
    return render(
        request,
        "radar/public/detail.html",
        {
            "row": public_display.row(call),
            "call": call,
            "summary": public_display.summary_html(call),
            "other_deadlines": public_display.other_deadlines(call),
            "changes": public_display.public_changes(call),
            "links": links,
            "closing_soon_days": CLOSING_SOON_DAYS,
            "track_url": optional_url("radar:track", call.pk),
            "ical_url": reverse("radar:call-ical", args=[call.pk]),
        },
    )

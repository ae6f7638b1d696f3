"""The library's public pages: the listing (search, filters, htmx partial of the results), a
resource, its PDF, "was this helpful?", a category, and the news."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from kaynak.library import queries, services
from kaynak.library.content import Video
from kaynak.library.forms import LibraryFilterForm
from kaynak.library.models import Category

PAGE_SIZE = 20
VOTED_SESSION_KEY = "library_helpful_votes"


def is_partial_request(request: HttpRequest) -> bool:
    """An htmx request for a part of the page (not a history restore, which needs it all)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _listing(request: HttpRequest, *, category: Category | None = None) -> HttpResponse:
    form = LibraryFilterForm(request.GET, choices=queries.filter_choices())
    filters = form.filters(tag=request.GET.get("tag", "")[:60])
    if category is not None:
        filters = queries.LibraryFilters(**{**filters.to_query(), "category": category.slug})
    page: Page[Any] = Paginator(queries.search(filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "category": category,
        "categories": queries.categories_in_use(),
        "action": request.path,
    }
    template = "library/list.html"
    if is_partial_request(request):
        template += "#results"
    return render(request, template, context)


@require_GET
@vary_on_headers("HX-Request")
def listing(request: HttpRequest) -> HttpResponse:
    return _listing(request)


@require_GET
@vary_on_headers("HX-Request")
def category(request: HttpRequest, slug: str) -> HttpResponse:
    return _listing(request, category=get_object_or_404(Category, slug=slug))


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = queries.published_resource(slug)
    video = Video(resource.video_provider, resource.video_id) if resource.video_id else None
    voted = resource.pk in request.session.get(VOTED_SESSION_KEY, [])
    return render(
        request,
        "library/detail.html",
        {
            "resource": resource,
            "video": video,
            "series": queries.series_neighbours(resource),
            "voted": voted,
        },
    )


@require_GET
def download(request: HttpRequest, slug: str) -> FileResponse:
    resource = queries.published_resource(slug)
    if not resource.file:
        raise Http404
    return FileResponse(
        resource.file.open("rb"),
        as_attachment=False,
        filename=f"{resource.slug}.pdf",
        content_type="application/pdf",
    )


@require_POST
def helpful(request: HttpRequest, slug: str) -> HttpResponse:
    """One anonymous vote per browser session: the session remembers which resources it voted
    on, nothing else is kept."""
    resource = queries.published_resource(slug)
    voted: list[int] = request.session.get(VOTED_SESSION_KEY, [])
    answer = request.POST.get("helpful")
    if answer in {"yes", "no"} and resource.pk not in voted:
        services.helpful_vote(resource=resource, helpful=answer == "yes")
        request.session[VOTED_SESSION_KEY] = [*voted[-199:], resource.pk]
    if is_partial_request(request):
        return render(request, "library/detail.html#helpful", {"resource": resource, "voted": True})
    messages.success(request, _("Thank you for your answer."))
    return redirect(reverse("library:resource", args=[resource.slug]) + "#helpful")


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    page: Page[Any] = Paginator(queries.published_news(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "library/news_list.html", {"page": page})


@require_GET
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "library/news_detail.html", {"post": queries.published_news_post(slug)})

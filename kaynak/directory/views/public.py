"""The public directory: organisations that agreed to be listed, and their profiles."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.vary import vary_on_headers

from kaynak.directory import queries
from kaynak.directory.forms import DirectoryFilterForm

PAGE_SIZE = 20


def is_partial_request(request: HttpRequest) -> bool:
    """An htmx request for a part of the page (not a history restore, which needs it all)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def render_page_or_partial(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """htmx gets ``template#partial``; everyone else the full page, which includes it."""
    name = f"{template}#{partial}" if is_partial_request(request) else template
    return render(request, name, context)


def paginate(request: HttpRequest, queryset: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# Vary: a cache must not hand the full page to htmx or the partial to a browser.
@vary_on_headers("HX-Request")
def directory_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    page = paginate(request, queries.public_directory(form.filters()))
    return render_page_or_partial(
        request, "directory/public_list.html", "results", {"form": form, "page": page}
    )


def organisation_profile(request: HttpRequest, pk: int) -> HttpResponse:
    profile = queries.public_profile(pk, viewer=request.user)
    return render(request, "directory/profile.html", {"profile": profile})


urlpatterns: list[URLPattern] = [
    path("", directory_list, name="list"),
    path("<int:pk>/", organisation_profile, name="detail"),
]

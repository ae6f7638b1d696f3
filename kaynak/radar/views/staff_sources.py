"""Editors' pages of sources: the list with each source's health, one source with its recent
scans ("Scan now", enable/disable), a scan's report and one raw item (shown as text, never as
HTML). Creating and editing a source's settings is in the Django admin."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaynak.core.permissions import permission_required
from kaynak.radar import source_admin, staff_queries
from kaynak.radar.extraction.text import decode, to_text
from kaynak.radar.services import RadarError

# A raw item page shows this much of a body; the rest is in the admin's download.
BODY_SHOWN = 200_000


def _admin_url(name: str, *args: object) -> str | None:
    """The Django admin's page for sources (registered by ``kaynak.radar.admin``), if any."""
    try:
        return reverse(f"admin:radar_source_{name}", args=args)
    except NoReverseMatch:
        return None


@permission_required("radar.manage_sources")
def sources(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "radar/staff/sources.html",
        {"sources": staff_queries.sources_with_health(), "add_url": _admin_url("add")},
    )


@permission_required("radar.manage_sources")
def source_page(request: HttpRequest, pk: int) -> HttpResponse:
    source = staff_queries.source_for_staff(pk)
    return render(
        request,
        "radar/staff/source.html",
        {
            "source": source,
            "scans": staff_queries.recent_scans(source),
            "change_url": _admin_url("change", source.pk),
        },
    )


@require_POST
@permission_required("radar.scan_sources")
def source_scan(request: HttpRequest, pk: int) -> HttpResponse:
    source = staff_queries.source_for_staff(pk)
    try:
        source_admin.request_scan(source=source, actor=request.user)
    except RadarError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The scan has started; its report appears below when it ends."))
    return redirect("radar:staff-source", source.pk)


@require_POST
@permission_required("radar.manage_sources")
def source_enabled(request: HttpRequest, pk: int) -> HttpResponse:
    source = staff_queries.source_for_staff(pk)
    enabled = request.POST.get("enabled") == "1"
    try:
        source_admin.set_source_enabled(source=source, enabled=enabled, actor=request.user)
    except RadarError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The source is enabled and scanned on its schedule.")
            if enabled
            else _("The source is disabled: it is no longer scanned."),
        )
    return redirect("radar:staff-source", source.pk)


@permission_required("radar.manage_sources")
def scan_page(request: HttpRequest, pk: int) -> HttpResponse:
    scan = staff_queries.scan_for_staff(pk)
    items = list(staff_queries.scan_items(scan))
    # The report names addresses; the raw item kept for each one links to its body.
    raw_by_url = {raw.url: raw.pk for raw in items} | {raw.final_url: raw.pk for raw in items}
    lines = [
        {**line, "raw_item": raw_by_url.get(line.get("url", ""))}
        for line in scan.report
        if isinstance(line, dict)
    ]
    return render(
        request, "radar/staff/scan.html", {"scan": scan, "lines": lines, "fetched": items}
    )


@permission_required("radar.manage_sources")
def raw_item_page(request: HttpRequest, pk: int) -> HttpResponse:
    raw = staff_queries.raw_item_for_staff(pk)
    data = bytes(raw.body)
    kind = staff_queries.body_kind(raw) if data else "txt"
    # The body as fetched (decoded), and the text extraction read from it; both are shown
    # escaped inside <pre>, so nothing fetched is ever rendered as HTML.
    body = "" if kind == "pdf" else decode(data)
    text = to_text(data, kind) if data else ""
    return render(
        request,
        "radar/staff/raw_item.html",
        {
            "raw": raw,
            "kind": kind,
            "size": len(data),
            "body": body[:BODY_SHOWN],
            "body_cut": len(body) > BODY_SHOWN,
            "text": text[:BODY_SHOWN],
            "headers": sorted((raw.headers or {}).items()),
        },
    )

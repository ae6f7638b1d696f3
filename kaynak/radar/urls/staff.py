"""The radar's staff pages (names start with "staff-"): the drafts queue and the review of one
call, sources with their scans and raw items, manual entry, the corrections download."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.radar.views import staff, staff_manual, staff_sources

urlpatterns: list[URLPattern] = [
    path(_("staff/"), staff.drafts, name="staff-drafts"),
    path(_("staff/calls/<int:pk>/"), staff.review, name="staff-opportunity"),
    path(_("staff/calls/<int:pk>/reject/"), staff.reject, name="staff-opportunity-reject"),
    path(_("staff/calls/<int:pk>/reopen/"), staff.reopen, name="staff-opportunity-reopen"),
    path(_("staff/corrections.zip"), staff.corrections_zip, name="staff-corrections"),
    path(_("staff/new/"), staff_manual.manual_entry, name="staff-manual"),
    path(_("staff/sources/"), staff_sources.sources, name="staff-sources"),
    path(_("staff/sources/<int:pk>/"), staff_sources.source_page, name="staff-source"),
    path(_("staff/sources/<int:pk>/scan/"), staff_sources.source_scan, name="staff-source-scan"),
    path(
        _("staff/sources/<int:pk>/enabled/"),
        staff_sources.source_enabled,
        name="staff-source-enabled",
    ),
    path(_("staff/scans/<int:pk>/"), staff_sources.scan_page, name="staff-scan"),
    path(_("staff/raw/<int:pk>/"), staff_sources.raw_item_page, name="staff-raw-item"),
]

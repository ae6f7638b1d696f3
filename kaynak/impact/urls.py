"""The impact pages: indicators and targets, the dashboard, the donor report."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.impact import dashboard, export_views, report_views, views

app_name = "impact"
urlpatterns: list[URLPattern] = [
    path("", dashboard.public_summary, name="public-summary"),
    path(_("staff/"), dashboard.staff_dashboard, name="staff-dashboard"),
    path(_("staff/indicators/"), views.indicators, name="staff-indicators"),
    path(_("staff/indicators/new/"), views.indicator_new, name="staff-indicator-new"),
    path(_("staff/indicators/<int:pk>/"), views.indicator_edit, name="staff-indicator-edit"),
    path(_("staff/values/"), views.values, name="staff-values"),
    path(_("staff/values/<int:pk>/approve/"), views.value_approve, name="staff-value-approve"),
    path(_("staff/values/<int:pk>/reject/"), views.value_reject, name="staff-value-reject"),
    path(_("staff/evidence/<int:pk>/"), views.evidence, name="staff-evidence"),
    path(
        _("staff/indicators/results.csv"),
        export_views.staff_results_csv,
        name="staff-results-csv",
    ),
    path(_("staff/open-data.csv"), export_views.staff_open_data_csv, name="staff-open-data-csv"),
    path(_("open-data.csv"), export_views.open_data_csv, name="open-data-csv"),
    path(_("staff/reports/"), report_views.report_list, name="staff-reports"),
    path(_("staff/reports/new/"), report_views.report_new, name="staff-report-new"),
    path(_("staff/reports/<int:pk>/"), report_views.report_detail, name="staff-report"),
    path(
        _("staff/reports/<int:pk>/finish/"), report_views.report_finish, name="staff-report-finish"
    ),
    path(_("staff/reports/<int:pk>/copy/"), report_views.report_copy, name="staff-report-copy"),
    path(
        _("staff/reports/<int:pk>/delete/"), report_views.report_delete, name="staff-report-delete"
    ),
    path(
        _("staff/reports/<int:pk>/report.pdf"),
        report_views.report_pdf_download,
        name="staff-report-pdf",
    ),
    path(
        _("staff/reports/<int:pk>/report.xlsx"),
        report_views.report_xlsx_download,
        name="staff-report-xlsx",
    ),
    path(
        _("staff/reports/<int:pk>/changes/"),
        report_views.report_changes,
        name="staff-report-changes",
    ),
]

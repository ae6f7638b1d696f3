"""The support desk's reports for staff."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.helpdesk.views import reports as views

urlpatterns: list[URLPattern] = [
    path(_("staff/reports/"), views.report_page, name="staff-reports"),
    path(_("staff/reports/export.xlsx"), views.report_xlsx, name="staff-reports-xlsx"),
]

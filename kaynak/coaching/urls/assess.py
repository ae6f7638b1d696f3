"""URLs of capacity assessments (namespace "coaching"): an NGO's list and assessments, starting
one (also for a coach's engagement), PDF and XLSX exports; staff: instruments and the export of
every completed assessment."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.coaching.views import assess as views

urlpatterns: list[URLPattern] = [
    path(_("assessments/"), views.assessments, name="assessments"),
    path(_("assessments/new/"), views.assessment_new, name="assessment-new"),
    path(_("assessments/<int:pk>/"), views.assessment_detail, name="assessment"),
    path(_("assessments/<int:pk>/delete/"), views.assessment_delete, name="assessment-delete"),
    path(_("assessments/<int:pk>.pdf"), views.assessment_pdf, name="assessment-pdf"),
    path(_("assessments/<int:pk>.xlsx"), views.assessment_xlsx, name="assessment-xlsx"),
    path(_("staff/instruments/"), views.staff_instruments, name="staff-instruments"),
    path(_("staff/instruments/<int:pk>/"), views.staff_instrument, name="staff-instrument"),
    path(
        _("staff/assessments.xlsx"),
        views.staff_assessments_xlsx,
        name="staff-assessments-xlsx",
    ),
]

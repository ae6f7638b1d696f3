"""The school's URLs (/okul/, English /en/school/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from kaynak.school.views import public, staff

app_name = "school"
urlpatterns = [
    path(_("staff/"), staff.cohort_list, name="staff-cohorts"),
    path(_("staff/new/"), staff.cohort_new, name="staff-cohort-new"),
    path(_("staff/cohort/<slug:slug>/"), staff.cohort_page, name="staff-cohort"),
    path(_("staff/cohort/<slug:slug>/attendance/"), staff.attendance_matrix, name="staff-matrix"),
    path(_("staff/cohort/<slug:slug>/modules/new/"), staff.module_new, name="staff-module-new"),
    path(_("staff/cohort/<slug:slug>/enrol/"), staff.enrol, name="staff-enrol"),
    path(
        _("staff/cohort/<slug:slug>/participants/<int:pk>/withdraw/"),
        staff.withdraw,
        name="staff-withdraw",
    ),
    path(_("staff/cohort/<slug:slug>/graduate/"), staff.graduate, name="staff-graduate"),
    path(_("staff/graduation/<str:code>/revoke/"), staff.revoke, name="staff-revoke"),
    path(_("staff/graduation/<str:code>.pdf"), staff.graduation_pdf, name="staff-graduation-pdf"),
    path(_("my-school/"), public.mine, name="mine"),
    path(_("my-school/certificate/<str:code>.pdf"), public.my_certificate, name="my-certificate"),
    path(_("graduation/<str:code>/"), public.verify, name="graduation"),
]

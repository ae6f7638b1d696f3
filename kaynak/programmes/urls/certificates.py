"""URLs: certificates (public check, PDFs, staff) and the feedback survey and its results.

Public: ``certificate-check`` (type a code), ``certificate`` (by code: what the QR code opens),
``certificate-pdf`` (code + the registration's signed token: for the registrant's own page and
mail), ``certificate-pdf-mine`` (code, for the logged-in holder), ``feedback`` (the survey, by
the registration's signed token). Staff names start with ``staff-``.
"""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.programmes.views import certificates, feedback

urlpatterns: list[URLPattern] = [
    path(_("certificates/"), certificates.certificate_check, name="certificate-check"),
    path(_("certificates/<str:code>/"), certificates.certificate_verify, name="certificate"),
    path(
        _("certificates/<str:code>/pdf/<str:token>/"),
        certificates.certificate_pdf,
        name="certificate-pdf",
    ),
    path(
        _("certificates/<str:code>/download/"),
        certificates.my_certificate_pdf,
        name="certificate-pdf-mine",
    ),
    path(_("feedback/<str:token>/"), feedback.survey, name="feedback"),
    # Staff
    path(
        _("staff/<int:pk>/certificates/"),
        certificates.staff_certificates,
        name="staff-certificates",
    ),
    path(
        _("staff/<int:pk>/certificates/issue/"),
        certificates.staff_issue_all,
        name="staff-certificates-issue",
    ),
    path(
        _("staff/registrations/<int:pk>/certificate/"),
        certificates.staff_issue,
        name="staff-certificate-issue",
    ),
    path(
        _("staff/certificates/<str:code>/reissue/"),
        certificates.staff_reissue,
        name="staff-certificate-reissue",
    ),
    path(
        _("staff/certificates/<str:code>/revoke/"),
        certificates.staff_revoke,
        name="staff-certificate-revoke",
    ),
    path(
        _("staff/certificates/<str:code>/pdf/"),
        certificates.staff_certificate_pdf,
        name="staff-certificate-pdf",
    ),
    path(_("staff/<int:pk>/feedback/"), feedback.activity_results, name="staff-feedback"),
    path(
        _("staff/trainers/<int:pk>/feedback/"),
        feedback.trainer_results,
        name="staff-trainer-feedback",
    ),
]

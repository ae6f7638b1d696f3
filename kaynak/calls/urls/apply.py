"""The applicant's URLs: start an application, its page and form, files, submission,
withdrawal, receipt, and "My applications"."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.calls.views import apply as views

urlpatterns: list[URLPattern] = [
    path(_("call/<slug:slug>/apply/"), views.apply, name="apply"),
    path(
        _("call/<slug:slug>/apply/organisations/"),
        views.apply_candidates,
        name="apply-candidates",
    ),
    path(_("applications/<str:code>/"), views.application_detail, name="application"),
    path(_("applications/<str:code>/save/"), views.application_save, name="application-save"),
    path(_("applications/<str:code>/submit/"), views.application_submit, name="application-submit"),
    path(
        _("applications/<str:code>/withdraw/"),
        views.application_withdraw,
        name="application-withdraw",
    ),
    path(
        _("applications/<str:code>/receipt.pdf"),
        views.application_receipt,
        name="application-receipt",
    ),
    path(
        _("applications/<str:code>/files/<slug:key>/"),
        views.application_file,
        name="application-file",
    ),
    path(
        _("applications/<str:code>/files/<slug:key>/upload/"),
        views.application_upload,
        name="application-upload",
    ),
    path(
        _("applications/<str:code>/files/<slug:key>/remove/"),
        views.application_remove_file,
        name="application-remove-file",
    ),
    path(_("my/"), views.mine, name="mine"),
]

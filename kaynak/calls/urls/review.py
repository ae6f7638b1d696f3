"""URLs: review and decisions (staff: a call's applications, rubric, reviewers, ranking,
decisions, export; reviewers: their own reviews)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.calls.views import review, review_staff

urlpatterns: list[URLPattern] = [
    path(
        _("staff/call/<slug:slug>/applications/"),
        review_staff.applications,
        name="staff-applications",
    ),
    path(
        _("staff/call/<slug:slug>/applications/<str:code>/"),
        review_staff.application_page,
        name="staff-application",
    ),
    path(
        _("staff/call/<slug:slug>/applications/<str:code>/assign/"),
        review_staff.application_assign,
        name="staff-application-assign",
    ),
    path(
        _("staff/call/<slug:slug>/applications/<str:code>/unassign/<int:pk>/"),
        review_staff.application_unassign,
        name="staff-application-unassign",
    ),
    path(
        _("staff/call/<slug:slug>/applications/<str:code>/reopen/<int:pk>/"),
        review_staff.review_reopen,
        name="staff-review-reopen",
    ),
    path(
        _("staff/call/<slug:slug>/applications/<str:code>/decide/"),
        review_staff.application_decide,
        name="staff-application-decide",
    ),
    path(
        _("staff/call/<slug:slug>/applications/<str:code>/files/<slug:key>/"),
        review_staff.application_file,
        name="staff-application-file",
    ),
    path(_("staff/call/<slug:slug>/rubric/"), review_staff.rubric, name="staff-rubric"),
    path(
        _("staff/call/<slug:slug>/rubric/<int:pk>/"),
        review_staff.rubric_edit,
        name="staff-rubric-edit",
    ),
    path(
        _("staff/call/<slug:slug>/rubric/<int:pk>/delete/"),
        review_staff.rubric_delete,
        name="staff-rubric-delete",
    ),
    path(
        _("staff/call/<slug:slug>/rubric/<int:pk>/move/"),
        review_staff.rubric_move,
        name="staff-rubric-move",
    ),
    path(_("staff/call/<slug:slug>/reviewers/"), review_staff.reviewers, name="staff-reviewers"),
    path(_("staff/call/<slug:slug>/ranking/"), review_staff.ranking, name="staff-ranking"),
    path(
        _("staff/call/<slug:slug>/decisions/"),
        review_staff.decision_templates,
        name="staff-decisions",
    ),
    path(
        _("staff/call/<slug:slug>/decisions/bulk/"),
        review_staff.decide_bulk,
        name="staff-decisions-bulk",
    ),
    path(
        _("staff/call/<slug:slug>/decisions/notify/"),
        review_staff.decisions_notify,
        name="staff-decisions-notify",
    ),
    path(
        _("staff/call/<slug:slug>/decisions/<str:decision>/<str:language>/"),
        review_staff.decision_template,
        name="staff-decision-template",
    ),
    path(_("staff/call/<slug:slug>/export.xlsx"), review_staff.export, name="staff-export"),
    path(_("reviews/"), review.my_reviews, name="reviews"),
    path(_("reviews/<str:code>/"), review.review_page, name="review"),
    path(_("reviews/<str:code>/conflict/"), review.review_conflict, name="review-conflict"),
    path(_("reviews/<str:code>/files/<slug:key>/"), review.review_file, name="review-file"),
]

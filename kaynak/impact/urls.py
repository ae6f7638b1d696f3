"""The impact pages: indicators and targets, the dashboard, the donor report."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.impact import views

app_name = "impact"
urlpatterns: list[URLPattern] = [
    path(_("staff/indicators/"), views.indicators, name="staff-indicators"),
    path(_("staff/indicators/new/"), views.indicator_new, name="staff-indicator-new"),
    path(_("staff/indicators/<int:pk>/"), views.indicator_edit, name="staff-indicator-edit"),
    path(_("staff/values/"), views.values, name="staff-values"),
    path(_("staff/values/<int:pk>/approve/"), views.value_approve, name="staff-value-approve"),
    path(_("staff/values/<int:pk>/reject/"), views.value_reject, name="staff-value-reject"),
    path(_("staff/evidence/<int:pk>/"), views.evidence, name="staff-evidence"),
]

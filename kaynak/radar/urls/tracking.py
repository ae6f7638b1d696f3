"""The radar's tracking pages: "Size uygun fonlar" for an organisation, its pipeline of
tracked calls, and the center's funding outcomes (shared entries only)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.radar.views import tracking

urlpatterns: list[URLPattern] = [
    path(
        _("organisation/<int:organisation_id>/suitable/"),
        tracking.for_organisation,
        name="for-organisation",
    ),
    path(_("organisation/<int:organisation_id>/pipeline/"), tracking.pipeline, name="pipeline"),
    path(_("call/<int:opportunity_id>/track/"), tracking.track, name="track"),
    path(_("tracked/<int:pk>/"), tracking.tracked_detail, name="tracked"),
    path(_("tracked/<int:pk>/stage/"), tracking.tracked_stage, name="tracked-stage"),
    path(_("tracked/<int:pk>/remove/"), tracking.tracked_remove, name="tracked-remove"),
    path(_("staff/outcomes/"), tracking.outcomes, name="staff-funding-outcomes"),
    path(_("staff/outcomes.csv"), tracking.outcomes_csv, name="staff-funding-outcomes-csv"),
]

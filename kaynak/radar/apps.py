from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RadarConfig(AppConfig):
    name = "kaynak.radar"
    label = "radar"
    verbose_name = _("Funding radar")

    def ready(self) -> None:
        from kaynak.directory.panels import register_organisation_panel

        # "Funding that suits you" and the pipeline, on the organisation's own pages.
        register_organisation_panel("radar/tracking/includes/organisation_links.html")

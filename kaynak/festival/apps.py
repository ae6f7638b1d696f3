from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FestivalConfig(AppConfig):
    name = "kaynak.festival"
    label = "festival"
    verbose_name = _("Festival")

    def ready(self) -> None:
        from kaynak.calls.signals import application_decided
        from kaynak.festival.services import on_application_decided

        # An accepted workshop proposal becomes an unscheduled session (see services).
        application_decided.connect(on_application_decided, dispatch_uid="festival.proposals")

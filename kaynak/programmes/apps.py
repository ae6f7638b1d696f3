from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "kaynak.programmes"
    label = "programmes"
    verbose_name = _("Trainings and events")

    def ready(self) -> None:
        from kaynak.programmes import outcomes

        outcomes.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "kaynak.coaching"
    label = "coaching"
    verbose_name = _("Coaching and academia")

    def ready(self) -> None:
        from kaynak.calls.signals import application_decided
        from kaynak.coaching import outcomes, panels
        from kaynak.coaching.receivers import on_application_decided

        application_decided.connect(
            on_application_decided, dispatch_uid="kaynak.coaching.application_decided"
        )
        outcomes.register()
        panels.register_panels()

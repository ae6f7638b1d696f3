from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolConfig(AppConfig):
    name = "kaynak.school"
    label = "school"
    verbose_name = _("Civil-society school")

    def ready(self) -> None:
        from kaynak.calls.signals import application_decided
        from kaynak.school.receivers import on_application_decided

        application_decided.connect(
            on_application_decided, dispatch_uid="kaynak.school.application_decided"
        )

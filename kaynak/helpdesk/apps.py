from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "kaynak.helpdesk"
    label = "helpdesk"
    verbose_name = _("Support desk")

    def ready(self) -> None:
        from kaynak.helpdesk.views.eu import register_panels

        register_panels()

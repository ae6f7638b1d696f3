from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kaynak.core"
    label = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from kaynak.core import checks, schedule  # noqa: F401  (registers checks and jobs)
        from kaynak.core.db import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="kaynak_tr_collation")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kaynak.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import password_reset

        from kaynak.accounts.receivers import verify_address_on_password_reset

        password_reset.connect(
            verify_address_on_password_reset, dispatch_uid="kaynak.accounts.verify_on_reset"
        )

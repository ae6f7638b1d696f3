from django.urls import path
from django.utils.translation import gettext_lazy as _

from kaynak.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.reach, name="reach"),
    path(_("names/"), views.names, name="names"),
]

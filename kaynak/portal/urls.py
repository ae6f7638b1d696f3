from django.urls import path
from django.utils.translation import gettext_lazy as _

from kaynak.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("about/"), views.about, name="about"),
    path(_("my-organisation/"), views.my, name="my"),
    path(_("staff/"), views.staff, name="staff"),
    path(_("staff/center/"), views.center_settings, name="center_settings"),
]

"""Kaynak's URLs: Turkish pages at /, English under /en/, the API at /api/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog, set_language

from kaynak.api.urls import api
from kaynak.portal import views as portal_views

admin.site.site_header = "Kaynak"
admin.site.site_title = "Kaynak"

urlpatterns = [
    path("api/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", portal_views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", include("kaynak.portal.urls")),
    path(_("organisations/"), include("kaynak.directory.urls")),
    path(_("reach/"), include("kaynak.ledger.urls")),
    path(_("activities/"), include("kaynak.programmes.urls")),
    path(_("funding/"), include("kaynak.radar.urls")),
    path(_("calls/"), include("kaynak.calls.urls")),
    path(_("school/"), include("kaynak.school.urls")),
    path(_("festival/"), include("kaynak.festival.urls")),
    path(_("library/"), include("kaynak.library.urls")),
    path(_("support/"), include("kaynak.helpdesk.urls")),
    path(_("coaching/"), include("kaynak.coaching.urls")),
    path(_("academia/"), include("kaynak.coaching.urls.academia")),
    path(_("impact/"), include("kaynak.impact.urls")),
    path("hesap/", include("kaynak.accounts.urls")),
    path("hesap/", include("allauth.urls")),
    path("yonetim/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "kaynak.portal.views.page_not_found"
handler500 = "kaynak.portal.views.server_error"

"""The public site's shell: home, about, the member's own page, the staff start page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from kaynak.core.models import CenterSettings
from kaynak.core.permissions import permission_required
from kaynak.portal import queries
from kaynak.portal.forms import CenterSettingsForm
from kaynak.portal.services import center_settings_update


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"home": queries.home_page()})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about.html", {"themes": queries.themes_in_order()})


@login_required
def my(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/my.html")


@permission_required("portal.view_staff_area")
def staff(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/staff.html", {"staff_links": queries.staff_links(request.user)})


@permission_required("portal.change_center_settings")
def center_settings(request: HttpRequest) -> HttpResponse:
    current = CenterSettings.current()
    form = CenterSettingsForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        center_settings_update(form=form, actor=request.user)
        messages.success(request, _("The center's settings are saved."))
        return redirect("portal:center_settings")
    return render(request, "portal/center_settings.html", {"form": form})


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # API clients get the API's error format, not a web page.
        return JsonResponse(
            {"error": {"code": "not_found", "message": _("Not found.")}}, status=404
        )
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())

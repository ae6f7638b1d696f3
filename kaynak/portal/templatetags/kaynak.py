"""Template helpers every page uses: ``{% main_navigation %}``, ``request|can:"action"`` and
``value|percent``."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext

from kaynak.core.permissions import can as can_do
from kaynak.portal.navigation import ShownItem, navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context: template.Context) -> list[ShownItem]:
    return navigation_for(context["request"])


@register.filter
def can(request: HttpRequest, action: str) -> bool:
    """``{% if request|can:"portal.change_center_settings" %}`` — the user may do the action."""
    return can_do(request.user, action)


@register.simple_tag(takes_context=True)
def can_on(context: template.Context, action: str, obj: Any) -> bool:
    """``{% can_on "directory.change_organisation" organisation as allowed %}``."""
    return can_do(context["request"].user, action, obj)


@register.simple_tag(takes_context=True)
def organisation_panels(context: template.Context, organisation: Any) -> str:
    """``{% organisation_panels organisation %}``: what other apps add to an organisation's page
    (see ``kaynak.directory.panels``)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from kaynak.directory.panels import organisation_panels as registered

    request = context.get("request")
    parts = [
        render_to_string(name, {"organisation": organisation}, request=request)
        for name in registered()
    ]
    return mark_safe("".join(parts))  # noqa: S308 — rendered templates, escaped by the engine


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    """A share as people write it in the page's language: "12.5%" in English, "%12,5" in
    Turkish (the translation puts the sign first)."""
    if value is None or value == "":
        return ""
    return gettext("%(percent)s%%") % {"percent": floatformat(value, digits)}

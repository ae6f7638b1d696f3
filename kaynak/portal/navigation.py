"""The site's main navigation. An area appears once the app behind it provides its page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    members_only: bool = False


# In the order people look for them. URL names of apps still to come are listed already: the
# item shows as soon as that app's URLconf provides the name.
MAIN_NAVIGATION = [
    NavItem("programmes:list", _("Trainings")),
    NavItem("calls:list", _("Calls for applications")),
    NavItem("festival:list", _("Festival")),
    NavItem("radar:list", _("Funding opportunities")),
    NavItem("helpdesk:home", _("Support")),
    NavItem("library:list", _("Library")),
    NavItem("academia:list", _("NGO–academia")),
    NavItem("directory:list", _("Organisations")),
    NavItem("portal:about", _("About us")),
    NavItem("portal:my", _("My organisation"), members_only=True),
]


@dataclass(frozen=True)
class ShownItem:
    url: str
    label: str
    current: bool


def navigation_for(request: HttpRequest) -> list[ShownItem]:
    shown = []
    for item in MAIN_NAVIGATION:
        if item.members_only and not request.user.is_authenticated:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        shown.append(ShownItem(url=url, label=str(item.label), current=current))
    return shown

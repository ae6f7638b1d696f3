from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kaynak.core.models import CenterSettings


def center(request: HttpRequest) -> dict[str, Any]:
    """The center's name, colours and contact details, for every page."""
    return {"center": CenterSettings.current()}

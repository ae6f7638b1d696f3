"""System checks: `kaynak check` runs them with the database checks switched on."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register

from kaynak.core.services_check import service_problems


@register(Tags.database)
def check_services(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    if not databases:
        return []
    return [Error(problem, id="kaynak.E001") for problem in service_problems()]

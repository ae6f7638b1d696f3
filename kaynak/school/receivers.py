"""The school's answer to the calls' decisions (connected in ``apps.SchoolConfig.ready``)."""

from __future__ import annotations

from typing import Any

from kaynak.calls.models import Application
from kaynak.school import services


def on_application_decided(
    sender: Any, *, application: Application, previous: str, **kwargs: Any
) -> None:
    """An application of a cohort's call accepted → its people join the cohort; no longer
    accepted → they leave it. A ``SchoolError`` refuses the decision."""
    services.apply_decision(
        application=application, previous=previous, actor=application.decided_by
    )

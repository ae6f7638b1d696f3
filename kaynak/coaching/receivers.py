"""The coaching app's answer to the calls' decisions (connected in ``apps.CoachingConfig``).

Accepting an application of a coaching round's call opens an engagement for its organisation;
accepting one of a partnership round's call files the organisation's partnership request. No
longer accepting undoes that, and is refused once work has started (a ``CoachingError``
refuses the decision).
"""

from __future__ import annotations

from typing import Any

from kaynak.calls.models import Application


def on_application_decided(
    sender: Any, *, application: Application, previous: str, **kwargs: Any
) -> None:
    from kaynak.coaching import academia, engagements

    engagements.apply_decision(application=application, previous=previous)
    academia.apply_decision(application=application, previous=previous)

from __future__ import annotations

from typing import Any

from django.db import transaction

from kaynak.core.audit import log_action
from kaynak.core.models import CenterSettings
from kaynak.portal.forms import CenterSettingsForm


@transaction.atomic
def center_settings_update(*, form: CenterSettingsForm, actor: Any) -> CenterSettings:
    """Save the center's identity from a validated form and record who changed what."""
    settings = form.save()
    log_action(
        "kaynak.portal.center_settings.changed",
        actor=actor,
        target=settings,
        data={"fields": sorted(form.changed_data)},
    )
    return settings

"""The programmes' outcome measures, registered in ``kaynak.ledger.outcomes``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, F
from django.utils.translation import gettext_lazy as _

from kaynak.ledger import outcomes
from kaynak.programmes.models import FeedbackResponse


def knowledge_gain(start: dt.date, end: dt.date) -> Decimal | None:
    """The mean of knowledge after − knowledge before (each 1–5) over the feedback submitted
    from ``start`` to ``end`` (both included); ``None`` when nobody answered."""
    mean = FeedbackResponse.objects.filter(
        submitted_at__date__gte=start, submitted_at__date__lte=end
    ).aggregate(gain=Avg(F("knowledge_after") - F("knowledge_before")))["gain"]
    if mean is None:
        return None
    return Decimal(str(mean)).quantize(Decimal("0.01"))


def register() -> None:
    outcomes.register(
        "knowledge-gain", _("Knowledge gain after trainings (1–5 scale)"), knowledge_gain
    )

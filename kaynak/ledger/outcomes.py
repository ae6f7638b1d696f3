"""Outcome measures: figures about results (knowledge gained, capacity grown) that apps above
the ledger compute from their own records and register here, so that indicators can read them
without the ledger or impact knowing those apps.

An app registers in its ``AppConfig.ready()``::

    outcomes.register("knowledge-gain", _("Knowledge gain after trainings"), knowledge_gain)

where the function takes the first and last day of a period (both included) and returns the
measure's value for it, or ``None`` when there is no data in the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

type OutcomeFunction = Callable[[dt.date, dt.date], Decimal | None]


@dataclass(frozen=True)
class OutcomeMeasure:
    slug: str
    label: str | Promise
    function: OutcomeFunction

    def value(self, start: dt.date, end: dt.date) -> Decimal | None:
        return self.function(start, end)


_measures: dict[str, OutcomeMeasure] = {}


def register(slug: str, label: str | Promise, function: OutcomeFunction) -> None:
    """Make an outcome measure known under ``slug``; registering a slug again replaces it."""
    _measures[slug] = OutcomeMeasure(slug=slug, label=label, function=function)


def outcome_measures() -> dict[str, OutcomeMeasure]:
    """Every registered outcome measure, by slug."""
    return dict(_measures)

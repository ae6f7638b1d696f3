"""Reads of the ledger that indicators need beyond ``kaynak.ledger.queries``: several services,
provinces, themes at once, organisation type, gender, first-time or returning, deliveries and
hours. Built on ``reached_deliveries`` so that withdrawn deliveries never count.

These count straight from the deliveries, for any filter and any period. The indicator table
reads the ledger's summary tables instead where they can answer (whole quarters; service,
theme and place filters): ``kaynak.impact.results.summary_value``, tested equal to these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Aggregate, Count, Exists, OuterRef, Q, QuerySet, Sum

from kaynak.core.models import ApplicantType, Province, Region, Theme
from kaynak.ledger.models import Delivery, ServiceKind
from kaynak.ledger.queries import ReachFilter, reached_deliveries


@dataclass(frozen=True)
class DeliverySelection:
    """Which deliveries an indicator counts; an empty collection does not narrow."""

    start: dt.date
    end: dt.date
    kinds: Collection[ServiceKind] = ()
    programme: str = ""
    themes: Collection[Theme] = ()
    provinces: Collection[Province] = ()
    regions: Collection[Region] = ()
    organisation_types: Collection[ApplicantType] = ()
    gender: str = ""
    # "" anyone, "first-time" or "returning" (see kaynak.impact.models.Reached)
    reached: str = ""


def _earlier(start: dt.date, subject: str) -> Exists:
    return Exists(
        Delivery.objects.filter(
            withdrawn_at__isnull=True, date__lt=start, **{subject: OuterRef(subject)}
        )
    )


def selected_deliveries(selection: DeliverySelection) -> QuerySet[Delivery]:
    """The deliveries (not withdrawn) of the selection's period, services, programme, themes,
    places, organisation types and gender; first-time/returning is applied by the measure."""
    s = selection
    deliveries = reached_deliveries(ReachFilter(start=s.start, end=s.end))
    where = Q()
    if s.kinds:
        where &= Q(kind__in=list(s.kinds))
    if s.programme:
        where &= Q(programme=s.programme)
    if s.themes:
        # A subquery, not a join: a delivery with two of the themes is still one delivery.
        where &= Q(
            pk__in=Delivery.themes.through.objects.filter(theme__in=list(s.themes)).values(
                "delivery_id"
            )
        )
    if s.provinces or s.regions:
        place = Q(province__in=list(s.provinces)) if s.provinces else Q(pk__in=[])
        if s.regions:
            place |= Q(province__in=Province.objects.filter(region__in=list(s.regions)))
        where &= place
    if s.organisation_types:
        where &= Q(organisation__legal_form__in=list(s.organisation_types))
    if s.gender:
        where &= Q(person__gender=s.gender)
    return deliveries.filter(where)


def _reached_condition(selection: DeliverySelection, subject: str) -> Q | None:
    """First-time (no delivery to the subject before the period) or returning; ``subject``
    "organisation" or "person", or "" for the delivery's own subject (the person when there
    is one, else the organisation, as the ledger keys its rows)."""
    if not selection.reached:
        return None
    if subject:
        earlier = Q(_earlier(selection.start, subject))
    else:
        earlier = (Q(person__isnull=False) & Q(_earlier(selection.start, "person"))) | (
            Q(person__isnull=True) & Q(_earlier(selection.start, "organisation"))
        )
    return earlier if selection.reached == "returning" else ~earlier


@dataclass(frozen=True)
class Measured:
    """A measure's value, and how many deliveries the filters selected in the period before
    first-time/returning was applied (0: the period has no data for this indicator)."""

    value: Decimal
    deliveries: int


def measure_deliveries(selection: DeliverySelection, measure: str) -> Measured:
    """``measure`` ("organisations", "people", "deliveries" or "hours": distinct organisations,
    distinct people, delivery rows, or the sum of their hours, ``Delivery.quantity``) over the
    selection; one query."""
    subject = {"organisations": "organisation", "people": "person"}.get(measure, "")
    condition = _reached_condition(selection, subject)
    aggregate: Aggregate
    match measure:
        case "organisations":
            aggregate = Count("organisation", distinct=True, filter=condition)
        case "people":
            aggregate = Count("person", distinct=True, filter=condition)
        case "deliveries":
            aggregate = Count("pk", filter=condition)
        case "hours":
            aggregate = Sum("quantity", filter=condition)
        case _:
            raise ValueError(f"Unknown measure {measure!r}")
    counted = selected_deliveries(selection).aggregate(value=aggregate, deliveries=Count("pk"))
    value = counted["value"]
    return Measured(
        value=Decimal(value) if value is not None else Decimal(0),
        deliveries=counted["deliveries"],
    )

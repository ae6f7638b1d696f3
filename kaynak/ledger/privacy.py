"""The ledger's part of a person's data export: the services delivered to them.

Found and imported by ``kaynak.directory.privacy`` when an export is made (the directory may
not import the ledger; the ledger registers itself instead). Erasure needs nothing here: the
deliveries stay, pointing at the anonymised person.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from kaynak.core.models import Theme
from kaynak.directory.models import Person
from kaynak.directory.privacy import register_export_section
from kaynak.ledger.models import Delivery


def deliveries_of_person(person: Person) -> QuerySet[Delivery]:
    """Every delivery to ``person``, withdrawn ones included, oldest first."""
    return (
        Delivery.objects.filter(person=person)
        .select_related("kind", "organisation", "province")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position")))
        .order_by("date", "pk")
    )


@register_export_section("deliveries")
def deliveries_section(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "service": delivery.kind.slug,
            "date": delivery.date.isoformat(),
            "programme": delivery.programme,
            "activity": delivery.activity,
            "organisation": delivery.organisation.name if delivery.organisation else None,
            "province": delivery.province.name if delivery.province else None,
            "themes": [theme.slug for theme in delivery.themes.all()],
            "hours": str(delivery.quantity) if delivery.quantity is not None else None,
            "recorded_at": delivery.created_at.isoformat(),
            "withdrawn_at": delivery.withdrawn_at.isoformat() if delivery.withdrawn_at else None,
        }
        for delivery in deliveries_of_person(person)
    ]

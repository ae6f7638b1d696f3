"""The only writers of the ledger. Call them inside the transaction that changes the source
record, so that the delivery and its cause are written (or withdrawn) together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from kaynak.core.errors import KaynakError
from kaynak.core.models import Province, Theme
from kaynak.directory.models import Organisation, Person
from kaynak.ledger.models import Delivery, ServiceKind
from kaynak.ledger.queries import ledger_changed


def _subject_filter(
    source: models.Model, organisation: Organisation | None, person: Person | None
) -> dict[str, object]:
    where: dict[str, object] = {
        "source_type": ContentType.objects.get_for_model(source),
        "source_id": str(source.pk),
    }
    if person is not None:
        where["person"] = person
    else:
        where.update(person__isnull=True, organisation=organisation)
    return where


def record_delivery(
    *,
    kind: str,
    source: models.Model,
    date: dt.date,
    organisation: Organisation | None = None,
    person: Person | None = None,
    programme: str = "",
    activity: str = "",
    province: Province | None = None,
    themes: Iterable[Theme] | None = None,
    quantity: Decimal | None = None,
) -> Delivery:
    """Record that ``source`` delivered a service of ``kind`` to a person and/or organisation.

    Idempotent: calling it again for the same source and subject updates the one row (and
    un-withdraws it). The province defaults to the person's, then the organisation's; the
    themes default to the organisation's.
    """
    if organisation is None and person is None:
        raise KaynakError("A delivery needs a person or an organisation.", code="no_subject")
    if source.pk is None:
        raise KaynakError("Save the source record before recording its delivery.")
    try:
        service = ServiceKind.objects.get(slug=kind)
    except ServiceKind.DoesNotExist:
        raise KaynakError(f"Unknown service kind {kind!r}.", code="unknown_kind") from None
    if province is None:
        province = (person.province if person else None) or (
            organisation.province if organisation else None
        )
    values = {
        "kind": service,
        "organisation": organisation,
        "date": date,
        "programme": programme[:120],
        "activity": activity[:250],
        "province": province,
        "quantity": quantity,
        "withdrawn_at": None,
    }
    with transaction.atomic():
        where = _subject_filter(source, organisation, person)
        delivery = Delivery.objects.select_for_update().filter(**where).first()
        if delivery is None:
            delivery = Delivery.objects.create(
                person=person,
                source_type=ContentType.objects.get_for_model(source),
                source_id=str(source.pk),
                **values,
            )
        else:
            for field, value in values.items():
                setattr(delivery, field, value)
            delivery.save()
        if themes is None and organisation is not None:
            themes = list(organisation.themes.all())
        delivery.themes.set(list(themes or []))
        transaction.on_commit(ledger_changed)
    return delivery


def withdraw_delivery(
    *,
    source: models.Model,
    organisation: Organisation | None = None,
    person: Person | None = None,
) -> int:
    """Withdraw the delivery ``source`` recorded for the subject (attendance undone, request
    reopened …). Returns how many rows were withdrawn (0 or 1); idempotent."""
    if organisation is None and person is None:
        raise KaynakError("A delivery needs a person or an organisation.", code="no_subject")
    withdrawn = Delivery.objects.filter(
        withdrawn_at__isnull=True, **_subject_filter(source, organisation, person)
    ).update(withdrawn_at=timezone.now())
    if withdrawn:
        transaction.on_commit(ledger_changed)
    return withdrawn


def record_deliveries(
    *,
    source: models.Model,
    organisation: Organisation,
    people: Iterable[Person],
    **fields: Any,
) -> list[Delivery]:
    """The deliveries of a source that serves an organisation through some of its people (a
    coaching session, a partnership's fieldwork): one per person named, on the organisation's
    behalf, or — when nobody is named — one for the organisation itself. So each subject counts
    once, and a source's deliveries and hours are not counted twice. Subjects no longer there
    (a person taken off, the organisation's own row once people are named) are withdrawn.
    ``fields`` are ``record_delivery``'s (kind, date, programme, activity, quantity …)."""
    named = list(dict.fromkeys(people))
    current = Delivery.objects.filter(
        source_type=ContentType.objects.get_for_model(source),
        source_id=str(source.pk),
        withdrawn_at__isnull=True,
    )
    keep = {person.pk for person in named}
    for person_id in current.filter(person__isnull=False).values_list("person_id", flat=True):
        if person_id not in keep:
            withdraw_delivery(source=source, person=Person(pk=person_id))
    if named:
        withdraw_delivery(source=source, organisation=organisation)
        return [
            record_delivery(source=source, organisation=organisation, person=person, **fields)
            for person in named
        ]
    return [record_delivery(source=source, organisation=organisation, **fields)]


def withdraw_deliveries(*, source: models.Model) -> int:
    """Withdraw every delivery of ``source`` (it was deleted or undone); returns how many."""
    withdrawn = Delivery.objects.filter(
        source_type=ContentType.objects.get_for_model(source),
        source_id=str(source.pk),
        withdrawn_at__isnull=True,
    ).update(withdrawn_at=timezone.now())
    if withdrawn:
        transaction.on_commit(ledger_changed)
    return withdrawn

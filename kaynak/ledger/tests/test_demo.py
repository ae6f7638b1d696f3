"""The small demo data set: believable, complete, and the same every time from the same seed."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from rich.progress import Progress

from kaynak.core.demo import DemoContext, build_demo
from kaynak.directory import demo as directory_demo
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def signature() -> tuple[Any, ...]:
    """The demo's content without database ids (which sequences give out differently)."""
    return (
        sorted(
            Organisation.objects.values_list(
                "name", "short_name", "province", "legal_form", "emails", "parent__name"
            ),
            key=repr,
        ),
        sorted(
            Person.objects.values_list("full_name", "province", "emails", "user__email"), key=repr
        ),
        sorted(
            Affiliation.objects.values_list("person__full_name", "organisation__name", "is_admin"),
            key=repr,
        ),
        sorted(
            Delivery.objects.values_list(
                "kind__slug",
                "date",
                "organisation__name",
                "person__full_name",
                "province",
                "withdrawn_at",
            ),
            key=repr,
        ),
    )


def differences(first: tuple[Any, ...], second: tuple[Any, ...]) -> list[str]:
    """What one signature has and the other lacks, part by part (a short message on failure)."""
    found = []
    for part, (a, b) in enumerate(zip(first, second, strict=True)):
        rows_a, rows_b = Counter(map(repr, a)), Counter(map(repr, b))
        only_first = sorted((rows_a - rows_b).elements())[:5]
        only_second = sorted((rows_b - rows_a).elements())[:5]
        if only_first or only_second:
            found.append(f"part {part}: only first {only_first}; only second {only_second}")
    return found


def build_and_sign(seed: int, now: dt.datetime) -> tuple[Any, ...]:
    with transaction.atomic():
        build_demo(scale="small", seed=seed, now=now)
        signed = signature()
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()
    return signed


def test_the_same_seed_in_the_same_hour_builds_the_same_demo():
    # The demo dates its records from its "now", to the hour.
    now = timezone.now().replace(minute=5)
    first = build_and_sign(7, now)

    assert differences(first, build_and_sign(7, now + dt.timedelta(minutes=50))) == []


def directory_of(seed: int) -> list[tuple[Any, ...]]:
    """The organisations the directory's demo makes from ``seed`` (the first thing a seed
    decides; the whole demo is not needed to see that another seed gives another one)."""
    with transaction.atomic():
        context = DemoContext(scale="small", rng=random.Random(seed), progress=Progress())
        directory_demo.build(context)
        made = sorted(Organisation.objects.values_list("name", "province"))
        transaction.set_rollback(True)
    return made


def test_another_seed_builds_another_directory():
    assert directory_of(7) == directory_of(7)
    assert directory_of(7) != directory_of(8)

"""What the assessment tests share: an NGO admin's account for an organisation, a logged-in
client, and an assessment answered (and completed) in one call through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.test import Client

from kaynak.accounts.models import User
from kaynak.accounts.tests.factories import UserFactory
from kaynak.coaching import assessing
from kaynak.coaching.models import Assessment, Instrument
from kaynak.coaching.tests.factories import small_instrument
from kaynak.directory import services as directory_services
from kaynak.directory.models import Organisation
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory


def ngo_admin(organisation: Organisation | None = None) -> User:
    """A member who acts for ``organisation`` (a new one if not given)."""
    user = UserFactory.create()
    AffiliationFactory.create(
        person=directory_services.person_for_user(user=user),
        organisation=organisation or OrganisationFactory.create(),
        is_admin=True,
    )
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answered(
    scores: Mapping[str, int | None],
    *,
    organisation: Organisation | None = None,
    instrument: Instrument | None = None,
    complete: bool = True,
    actor: Any = None,
    when: dt.datetime | None = None,
    **start: Any,
) -> Assessment:
    """An assessment of ``organisation`` with ``scores`` (question key → score), completed at
    ``when`` unless ``complete`` is False."""
    assessment = assessing.start_assessment(
        organisation=organisation or OrganisationFactory.create(),
        kind=start.pop("kind", "self"),
        stage=start.pop("stage", "baseline"),
        actor=actor,
        instrument=instrument or small_instrument(),
        **start,
    )
    assessing.save_answers(
        assessment=assessment,
        answers={key: (score, f"Kanıt {key}") for key, score in scores.items()},
        actor=actor,
    )
    if complete:
        assessment = assessing.complete_assessment(assessment=assessment, actor=actor, now=when)
    return assessment

"""Factories for the EU Support Unit's registry (kept apart from ``factories.py``, which other
parts of the support desk share)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from factory.declarations import LazyAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from kaynak.core.text import search_key
from kaynak.directory.tests.factories import OrganisationFactory
from kaynak.helpdesk.models import EUProgramme, EUProject, ProjectStatus


class EUProjectFactory(DjangoModelFactory[EUProject]):
    """An ongoing Civil Society Facility project with a lead, no partners and no consent."""

    class Meta:
        model = EUProject

    title = Sequence(lambda n: f"Sivil Toplumun Güçlendirilmesi Projesi {n}")
    programme = EUProgramme.IPA_CSF
    reference = Sequence(lambda n: f"EuropeAid/1783{n:02d}/DD/ACT/TR")
    lead = SubFactory(OrganisationFactory)
    total_budget = Decimal("250000.00")
    eu_contribution = Decimal("200000.00")
    start_date = dt.date(2025, 3, 1)
    end_date = dt.date(2027, 2, 28)
    status = ProjectStatus.ONGOING
    search_text = LazyAttribute(lambda p: search_key(f"{p.title} {p.reference}"))

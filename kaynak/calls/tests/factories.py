"""Factories for calls and applications. Add factories here; do not change existing ones in
ways that break other tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from kaynak.calls.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Criterion,
    Question,
    QuestionKind,
    ReviewAssignment,
)
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
from kaynak.programmes.tests.factories import ProgrammeFactory


class CallFactory(DjangoModelFactory[Call]):
    """A published call, open from a week ago for three more weeks."""

    class Meta:
        model = Call

    programme = SubFactory(ProgrammeFactory)
    title = Sequence(lambda n: f"Sivil Toplum Okulu {n}. Dönem Başvuruları")
    title_en = Sequence(lambda n: f"Civil-Society School, Cohort {n}: Applications")
    slug = Sequence(lambda n: f"sivil-toplum-okulu-{n}")
    description = "Derneklerin ve vakıfların kurumsal kapasitesini güçlendiren yedi modül."
    status = CallStatus.PUBLISHED
    opens_at = LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    closes_at = LazyFunction(lambda: timezone.now() + dt.timedelta(days=21))
    published_at = LazyFunction(timezone.now)


class QuestionFactory(DjangoModelFactory[Question]):
    class Meta:
        model = Question

    call = SubFactory(CallFactory)
    key = Sequence(lambda n: f"soru-{n}")
    position = Sequence(lambda n: n)
    kind = QuestionKind.LONG_TEXT
    label = "Kuruluşunuzun okuldan beklentileri nelerdir?"
    label_en = "What does your organisation expect from the school?"
    max_words = 300


class CriterionFactory(DjangoModelFactory[Criterion]):
    class Meta:
        model = Criterion

    call = SubFactory(CallFactory)
    position = Sequence(lambda n: n)
    name = "İhtiyacın açıklığı"
    name_en = "Clarity of need"


class ApplicationFactory(DjangoModelFactory[Application]):
    """A submitted application of an organisation through a person."""

    class Meta:
        model = Application

    call = SubFactory(CallFactory)
    organisation = SubFactory(OrganisationFactory)
    person = SubFactory(PersonFactory)
    status = ApplicationStatus.SUBMITTED
    language = "tr"
    submitted_at = LazyAttribute(
        lambda a: None if a.status == ApplicationStatus.DRAFT else timezone.now()
    )


# Review (helper C) ---------------------------------------------------------------------------


class ReviewAssignmentFactory(DjangoModelFactory[ReviewAssignment]):
    """One reviewer (pass ``reviewer``: a user with the reviewer role) on one application."""

    class Meta:
        model = ReviewAssignment

    application = SubFactory(ApplicationFactory)

"""The calls' demo: one open call with its form, rubric and applications, the same each time."""

from __future__ import annotations

import random

import pytest
from rich.progress import Progress

from kaynak.calls import answers, demo
from kaynak.calls.models import Application, ApplicationStatus, Call, QuestionKind
from kaynak.core.demo import DemoContext
from kaynak.directory.tests.factories import AffiliationFactory

pytestmark = pytest.mark.django_db


def _build(seed: int) -> Call:
    for _ in range(12):
        AffiliationFactory.create()
    demo.build(DemoContext(scale="small", rng=random.Random(seed), progress=Progress()))
    return Call.objects.get(slug=demo.SLUG)


def test_the_demo_call_is_open_with_its_form_rubric_and_applications() -> None:
    call = _build(7)
    assert call.is_open()
    kinds = set(call.questions.values_list("kind", flat=True))
    assert {QuestionKind.FILE, QuestionKind.CHOICE, QuestionKind.LONG_TEXT} <= kinds
    assert call.questions.filter(show_if__isnull=False).exists()
    assert call.criteria.count() == 4
    statuses = set(call.applications.values_list("status", flat=True))
    assert statuses == {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED}


def test_the_demo_answers_are_what_the_form_would_store() -> None:
    call = _build(7)
    for application in Application.objects.filter(status=ApplicationStatus.SUBMITTED):
        clean, errors = answers.validate(call, application.answers, final=True)
        assert errors == {}
        assert clean == application.answers

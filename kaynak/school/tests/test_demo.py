"""The school's demo: a closed call decided through the calls' services, the cohort its
decisions enrolled, attendance, the at-risk and those who cannot graduate, graduations."""

from __future__ import annotations

import random

import pytest
from rich.progress import Progress

from kaynak.accounts import demo as accounts_demo
from kaynak.calls.models import Application, ApplicationStatus
from kaynak.core.demo import DemoContext
from kaynak.directory import demo as directory_demo
from kaynak.school import demo
from kaynak.school.models import Cohort, Graduation
from kaynak.school.progress import Verdict, cohort_progress

pytestmark = pytest.mark.django_db


def test_the_demo_cohort_comes_from_its_call_and_has_every_standing() -> None:
    context = DemoContext(scale="small", rng=random.Random(2018), progress=Progress(disable=True))
    accounts_demo.build(context)
    directory_demo.build(context)

    demo.build(context)

    cohort = Cohort.objects.get()
    assert cohort.call is not None
    assert cohort.call.is_open() is False
    statuses = list(Application.objects.values_list("status", flat=True))
    assert len(statuses) == demo.APPLICATIONS
    assert statuses.count(ApplicationStatus.ACCEPTED) == demo.ACCEPTED
    assert cohort.participants.count() == 2 * demo.ACCEPTED
    assert cohort.modules.count() == 7
    board = cohort_progress(cohort)
    counts = {verdict: board.count(verdict) for verdict in Verdict}
    assert counts[Verdict.AT_RISK] > 0
    assert counts[Verdict.CANNOT_GRADUATE] > 0
    assert Graduation.objects.count() == counts[Verdict.GRADUATED] > 0

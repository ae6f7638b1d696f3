"""The school's part of a person's data export and erasure."""

from __future__ import annotations

import pytest

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes.models import Registration
from kaynak.programmes.tests.factories import attended
from kaynak.school import services
from kaynak.school.models import Graduation
from kaynak.school.tests.factories import CohortFactory, module_of

pytestmark = pytest.mark.django_db


def graduated(name: str) -> Graduation:
    cohort = CohortFactory.create(required_modules=1, name="2025–2026 Dönemi")
    module = module_of(cohort, start_in=-20)
    person = PersonFactory.create(full_name=name)
    services.enrol(cohort=cohort, person=person, organisation=None, actor=None)
    attended(Registration.objects.get(activity=module.activity, person=person))
    return services.graduate(cohort=cohort, actor=None).issued[0]


def test_the_export_lists_cohorts_and_graduation_certificates() -> None:
    graduation = graduated("Sevgi Aydın")
    admin = StaffFactory.create(roles=[Role.CENTER_ADMIN])

    export = person_data_export(person=graduation.participant.person, actor=admin)

    [row] = export["school"]
    assert row["cohort"] == "2025–2026 Dönemi"
    assert row["graduation"]["code"] == graduation.code
    assert row["graduation"]["holder_name"] == "Sevgi Aydın"


def test_erasure_removes_the_name_on_the_certificate_and_keeps_the_participation() -> None:
    graduation = graduated("Sevgi Aydın")
    admin = StaffFactory.create(roles=[Role.CENTER_ADMIN])

    person_erase(person=graduation.participant.person, actor=admin)

    graduation.refresh_from_db()
    assert "Sevgi" not in graduation.holder_name
    assert graduation.participant.status == "active"
    assert Registration.objects.filter(person=graduation.participant.person).exists()

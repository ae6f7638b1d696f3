"""Graduation: the rule, idempotence, revoking, the certificate PDF and its public check."""

from __future__ import annotations

import pytest
from django.test import Client

from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes.models import Registration
from kaynak.programmes.tests.factories import attended
from kaynak.school import certificates, services
from kaynak.school.models import Cohort, Graduation, Participant
from kaynak.school.services import SchoolError
from kaynak.school.tests.factories import CohortFactory, module_of

pytestmark = pytest.mark.django_db


def finished_cohort(modules: int = 3, required: int = 2) -> Cohort:
    cohort = CohortFactory.create(required_modules=required, name="2025–2026 Dönemi")
    for number in range(modules):
        module_of(cohort, start_in=-40 + 10 * number)
    return cohort


def participant_attending(cohort: Cohort, modules: int, name: str = "") -> Participant:
    person = PersonFactory.create(**({"full_name": name} if name else {}))
    participant = services.enrol(cohort=cohort, person=person, organisation=None, actor=None)
    for module in list(cohort.modules.select_related("activity"))[:modules]:
        attended(Registration.objects.get(activity=module.activity, person=person))
    return participant


def test_graduation_goes_to_those_who_meet_the_rule_with_what_they_did_frozen() -> None:
    cohort = finished_cohort(modules=3, required=2)
    graduate = participant_attending(cohort, modules=2, name="Zeynep Çelik")
    short = participant_attending(cohort, modules=1)

    run = services.graduate(cohort=cohort, actor=None)

    assert [g.participant_id for g in run.issued] == [graduate.pk]
    assert [p.pk for p, _reason in run.refused] == [short.pk]
    assert "1 of the 2" in run.refused[0][1]
    graduation = Graduation.objects.get()
    assert graduation.holder_name == "Zeynep Çelik"
    assert graduation.cohort_name == "2025–2026 Dönemi"
    assert (graduation.modules_completed, graduation.modules_total) == (2, 3)
    assert graduation.hours == 2 * 3 * 6  # two modules of three six-hour days


def test_graduating_again_issues_nothing_new() -> None:
    cohort = finished_cohort()
    participant_attending(cohort, modules=3)
    first = services.graduate(cohort=cohort, actor=None)

    second = services.graduate(cohort=cohort, actor=None)

    assert len(first.issued) == 1
    assert second.issued == []
    assert [g.pk for g in second.already] == [first.issued[0].pk]
    assert Graduation.objects.count() == 1


def test_a_withdrawn_participant_does_not_graduate() -> None:
    cohort = finished_cohort()
    participant = participant_attending(cohort, modules=3)
    services.withdraw(participant=participant, reason="Ayrıldı", actor=None)

    assert services.graduate(cohort=cohort, actor=None).issued == []


def test_a_revoked_certificate_is_not_issued_again_and_its_check_says_so(client: Client) -> None:
    cohort = finished_cohort()
    participant_attending(cohort, modules=3)
    graduation = services.graduate(cohort=cohort, actor=None).issued[0]

    services.revoke(graduation=graduation, reason="Yanlış kayıt", actor=None)
    again = services.graduate(cohort=cohort, actor=None)

    assert again.issued == []
    assert len(again.refused) == 1
    response = client.get(url("school:graduation", graduation.code, language="en"))
    assert b"REVOKED" in response.content


def test_revoking_needs_a_reason() -> None:
    cohort = finished_cohort()
    participant_attending(cohort, modules=3)
    graduation = services.graduate(cohort=cohort, actor=None).issued[0]

    with pytest.raises(SchoolError):
        services.revoke(graduation=graduation, reason="", actor=None)


def test_the_public_check_shows_the_name_and_cohort_and_nothing_more(client: Client) -> None:
    cohort = finished_cohort()
    participant = participant_attending(cohort, modules=3, name="Ömer Işık")
    graduation = services.graduate(cohort=cohort, actor=None).issued[0]

    response = client.get(url("school:graduation", graduation.code.lower(), language="en"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "VALID" in content
    assert "Ömer Işık" in content
    assert "2025–2026 Dönemi" in content
    assert participant.person.emails[0] not in content


def test_an_unknown_code_is_explained(client: Client) -> None:
    response = client.get(url("school:graduation", "ABCDEFGH23", language="en"))

    assert response.status_code == 404
    assert b"No graduation certificate has the code" in response.content


@pytest.mark.needs_tool("lib:pango-1.0")
def test_the_certificate_is_a_pdf() -> None:
    cohort = finished_cohort()
    participant_attending(cohort, modules=3)
    graduation = services.graduate(cohort=cohort, actor=None).issued[0]

    pdf = certificates.render_graduation_pdf(graduation, language="en")

    assert pdf.startswith(b"%PDF-")
    assert certificates.verification_url(graduation, "en").endswith(
        f"/en/school/graduation/{graduation.code}/"
    )

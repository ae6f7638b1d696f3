"""The applications workbook, read back with openpyxl: three sheets, Istanbul times, answers
as text in the call's order, numbers as numbers, formulas kept as text, and only for those
who may."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.calls import exports, reviewing
from kaynak.calls.models import ApplicationPerson, ApplicationStatus, QuestionKind
from kaynak.calls.tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    QuestionFactory,
    ReviewAssignmentFactory,
)
from kaynak.core.audit import history_for
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator() -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


def test_the_workbook_has_applications_scores_and_ranking(coordinator: User) -> None:
    # In the staff member's language (English here); Turkish text where there is no English.
    call = CallFactory.create(people_label="Temsilciler", reviewers_per_application=1)
    QuestionFactory.create(call=call, key="amac", position=1, label="Amacınız", label_en="")
    QuestionFactory.create(
        call=call,
        key="alan",
        position=2,
        kind=QuestionKind.CHOICE,
        label="Alan",
        label_en="Field",
        options=[{"key": "cevre", "tr": "Çevre", "en": "Environment"}],
    )
    QuestionFactory.create(
        call=call, key="butce", position=3, kind=QuestionKind.NUMBER, label="Bütçe", label_en=""
    )
    criteria = [
        CriterionFactory.create(call=call, name="Etki", name_en="", weight=Decimal(2), position=0),
        CriterionFactory.create(
            call=call, name="Ekip", name_en="Team", weight=Decimal(1), position=1
        ),
    ]
    application = ApplicationFactory.create(
        call=call,
        organisation=OrganisationFactory.create(name="Çağrı Çevre Derneği", province=province(35)),
        person=PersonFactory.create(full_name="İpek Şahin", emails=["ipek@cagri.org.tr"]),
        submitted_at=dt.datetime(2027, 3, 15, 13, 59, tzinfo=dt.UTC),
        answers={"amac": '=HYPERLINK("x")', "alan": "cevre", "butce": "125000.50"},
    )
    ApplicationFactory.create(call=call, status=ApplicationStatus.DRAFT)
    ApplicationPerson.objects.create(
        application=application, full_name="Ömer Kaya", email="omer@cagri.org.tr", role="Başkan"
    )
    reviewer = StaffFactory.create(roles=[Role.REVIEWER], full_name="Hakem Bir")
    assignment = ReviewAssignmentFactory.create(application=application, reviewer=reviewer)
    reviewing.review_save(
        assignment=assignment,
        scores={criteria[0].pk: (5, ""), criteria[1].pk: (2, "")},
        comment="Sağlam",
        actor=reviewer,
        submit=True,
    )

    workbook = load_workbook(io.BytesIO(exports.applications_xlsx(call=call, actor=coordinator)))

    assert workbook.sheetnames == ["Applications", "Scores", "Ranking"]
    rows = list(workbook["Applications"].iter_rows(values_only=True))
    assert rows[0] == (
        "Reference",
        "Organisation",
        "Province",
        "Applicant",
        "E-mail",
        "Submitted at (Istanbul)",
        "Status",
        "Reason for the decision",
        "Amacınız",
        "Field",
        "Bütçe",
        "Temsilciler",
    )
    assert len(rows) == 2  # the draft is left out
    assert rows[1] == (
        application.code,
        "Çağrı Çevre Derneği",
        "İzmir",
        "İpek Şahin",
        "ipek@cagri.org.tr",
        "15.03.2027 16:59",
        "Submitted",
        None,
        '=HYPERLINK("x")',
        "Environment",
        125000.5,
        "Ömer Kaya <omer@cagri.org.tr> (Başkan)",
    )
    assert workbook["Applications"]["I2"].data_type == "s"  # text, not a formula
    scores = list(workbook["Scores"].iter_rows(values_only=True))
    assert scores[0][:5] == ("Application", "Organisation", "Reviewer", "Etki", "Team")
    # (2·5 + 1·2) / 3 = 4.00
    assert scores[1][:7] == (
        application.code,
        "Çağrı Çevre Derneği",
        "Hakem Bir",
        5,
        2,
        4.0,
        "Sağlam",
    )
    ranking = list(workbook["Ranking"].iter_rows(values_only=True))
    assert ranking[1][:8] == (
        1,
        application.code,
        "Çağrı Çevre Derneği",
        "Submitted",
        4.0,
        0.0,
        1,
        "no",
    )
    assert ranking[1][8:] == (5.0, 2.0)
    assert history_for(call).filter(action="kaynak.calls.applications.exported").exists()


def test_the_export_is_only_for_those_who_may(coordinator: User) -> None:
    call = CallFactory.create()
    ApplicationFactory.create(call=call)
    staff = Client()
    staff.force_login(coordinator)
    response = staff.get(url("calls:staff-export", call.slug))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # In the page's language (Turkish by default).
    assert load_workbook(io.BytesIO(response.content)).sheetnames == [
        "Başvurular",
        "Puanlar",
        "Sıralama",
    ]
    for role in (Role.REVIEWER, Role.SUPPORT_AGENT):
        other = Client()
        other.force_login(StaffFactory.create(roles=[role]))
        assert other.get(url("calls:staff-export", call.slug)).status_code == 404

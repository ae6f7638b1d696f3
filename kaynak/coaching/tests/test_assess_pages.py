"""The assessment pages: an NGO admin's list, starting, the form (saved as a draft, scores
outside 1–4 refused next to the question with everything typed kept, completing), the results
(radar chart with the previous assessment, table, evidence), deleting a draft; a coach's
assessment of their engagement; who may see what (404 across organisations); staff pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.coaching import assessing
from kaynak.coaching.models import Answer, Assessment
from kaynak.coaching.tests.assess_support import answered, logged_in, ngo_admin
from kaynak.coaching.tests.factories import EngagementFactory, small_instrument
from kaynak.directory.models import Organisation
from kaynak.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

INSTRUMENT_LIST_QUERIES = 8
ASSESSMENT_LIST_QUERIES = 9
ALL_FOUR = {"gov-1": 2, "gov-2": 3, "fin-1": 3, "fin-2": 4}


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory.create(name="Umut Işığı Derneği")


@pytest.fixture
def member(organisation: Organisation) -> User:
    return ngo_admin(organisation)


@pytest.fixture
def client_of(member: User) -> Client:
    return logged_in(member)


def form_data(scores: dict[str, Any], action: str = "save") -> dict[str, Any]:
    data: dict[str, Any] = {"action": action}
    for key, score in scores.items():
        data[f"score-{key}"] = "" if score is None else str(score)
        data[f"evidence-{key}"] = f"Kanıt: {key} karar defteri"
    return data


def draft_of(organisation: Organisation, member: User) -> Assessment:
    return assessing.start_assessment(
        organisation=organisation,
        kind="self",
        stage="baseline",
        actor=member,
        instrument=small_instrument(),
    )


def test_the_list_shows_the_organisations_assessments_and_a_start_button(
    client_of: Client, organisation: Organisation, member: User
) -> None:
    completed = answered(ALL_FOUR, organisation=organisation)
    draft = draft_of(organisation, member)
    other = answered(ALL_FOUR)
    response = client_of.get(reverse("coaching:assessments"))
    assertContains(response, "Umut Işığı Derneği")
    assertContains(response, reverse("coaching:assessment", args=[completed.pk]))
    assertContains(response, reverse("coaching:assessment", args=[draft.pk]))
    assertNotContains(response, reverse("coaching:assessment", args=[other.pk]))
    assertContains(response, reverse("coaching:assessment-new"))


def test_an_admin_of_one_organisation_starts_for_it_without_choosing(
    client_of: Client, organisation: Organisation
) -> None:
    page = client_of.get(reverse("coaching:assessments")).content.decode()
    # The organisation is not asked for: the start form carries it (a hidden field).
    assert f'type="hidden" name="organisation" value="{organisation.pk}"' in page


def test_the_list_explains_itself_to_a_member_who_acts_for_no_organisation() -> None:
    response = logged_in(UserFactory.create()).get(reverse("coaching:assessments"))
    assert response.status_code == 200
    assertNotContains(response, reverse("coaching:assessment-new"))


def test_a_visitor_is_sent_to_log_in() -> None:
    response = Client().get(reverse("coaching:assessments"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_ngo_admin_starts_a_self_assessment_with_the_default_instrument(
    client_of: Client, organisation: Organisation
) -> None:
    response = client_of.post(
        reverse("coaching:assessment-new"),
        {"organisation": organisation.pk, "kind": "self", "stage": "baseline"},
    )
    assessment = Assessment.objects.get(organisation=organisation)
    assertRedirects(response, reverse("coaching:assessment", args=[assessment.pk]))
    assert assessment.instrument == assessing.default_instrument()
    page = client_of.get(reverse("coaching:assessment", args=[assessment.pk]))
    # One section per dimension, each question's four levels as radio buttons.
    assert page.content.decode().count('class="dimension"') == 7
    assertContains(page, 'type="radio" name="score-yonetisim-genel-kurul"', count=4)


def test_another_organisations_admin_cannot_start_or_see_an_assessment(
    organisation: Organisation, member: User
) -> None:
    stranger = logged_in(ngo_admin())
    response = stranger.post(
        reverse("coaching:assessment-new"),
        {"organisation": organisation.pk, "kind": "self", "stage": "baseline"},
    )
    assert response.status_code == 404
    assert not Assessment.objects.exists()
    draft = draft_of(organisation, member)
    completed = answered(ALL_FOUR, organisation=organisation)
    for name in ("coaching:assessment", "coaching:assessment-delete"):
        assert stranger.get(reverse(name, args=[draft.pk])).status_code == 404
    for name in ("coaching:assessment", "coaching:assessment-pdf", "coaching:assessment-xlsx"):
        assert stranger.get(reverse(name, args=[completed.pk])).status_code == 404
    assert (
        stranger.post(
            reverse("coaching:assessment", args=[draft.pk]), form_data(ALL_FOUR)
        ).status_code
        == 404
    )
    assert not Answer.objects.filter(assessment=draft).exists()


def test_saving_the_draft_keeps_the_answers(
    client_of: Client, organisation: Organisation, member: User
) -> None:
    draft = draft_of(organisation, member)
    response = client_of.post(
        reverse("coaching:assessment", args=[draft.pk]), form_data({"gov-1": 3, "gov-2": None})
    )
    assertRedirects(response, reverse("coaching:assessment", args=[draft.pk]))
    answer = Answer.objects.get(assessment=draft, indicator__key="gov-1")
    assert (answer.score, answer.evidence) == (3, "Kanıt: gov-1 karar defteri")
    draft.refresh_from_db()
    assert draft.status == "draft"
    page = client_of.get(reverse("coaching:assessment", args=[draft.pk]))
    assertContains(page, 'value="3" id="id_score-gov-1_2" checked')


def test_autosave_through_htmx_answers_with_the_time(
    client_of: Client, organisation: Organisation, member: User
) -> None:
    draft = draft_of(organisation, member)
    response = client_of.post(
        reverse("coaching:assessment", args=[draft.pk]),
        form_data({"gov-1": 2}),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert Answer.objects.get(assessment=draft, indicator__key="gov-1").score == 2


@pytest.mark.parametrize("score", ["0", "5"])
def test_a_score_outside_1_to_4_is_refused_next_to_the_question_and_nothing_saved(
    client_of: Client, organisation: Organisation, member: User, score: str
) -> None:
    draft = draft_of(organisation, member)
    data = form_data({"gov-1": 2, "gov-2": 3})
    data["score-gov-2"] = score
    response = client_of.post(reverse("coaching:assessment", args=[draft.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    question = html[html.index('id="question-gov-2"') : html.index('id="question-fin-1"')]
    assert "Choose one of the levels from 1 to 4." in question
    # What was typed is kept.
    assert "Kanıt: gov-2 karar defteri" in question
    assert not Answer.objects.filter(assessment=draft).exists()


def test_completing_with_a_missing_answer_names_it_and_keeps_the_draft(
    client_of: Client, organisation: Organisation, member: User
) -> None:
    draft = draft_of(organisation, member)
    scores = dict(ALL_FOUR, **{"fin-2": None})
    response = client_of.post(
        reverse("coaching:assessment", args=[draft.pk]), form_data(scores, action="complete")
    )
    assert response.status_code == 400
    html = response.content.decode()
    question = html[html.index('id="question-fin-2"') :]
    assert "Choose a level for this question." in question[:3000]
    assertContains(response, "Financial management question 2", status_code=400)
    draft.refresh_from_db()
    assert draft.status == "draft"
    # The answers given were saved as the draft.
    assert Answer.objects.filter(assessment=draft, score__isnull=False).count() == 3


def test_completing_shows_the_results_with_the_previous_assessment(
    client_of: Client, organisation: Organisation, member: User
) -> None:
    instrument = small_instrument()
    answered(
        {"gov-1": 1, "gov-2": 1, "fin-1": 2, "fin-2": 2},
        organisation=organisation,
        instrument=instrument,
        when=dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC),
    )
    draft = assessing.start_assessment(
        organisation=organisation,
        kind="self",
        stage="final",
        actor=member,
        instrument=instrument,
    )
    response = client_of.post(
        reverse("coaching:assessment", args=[draft.pk]), form_data(ALL_FOUR, action="complete")
    )
    assertRedirects(response, reverse("coaching:assessment", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "completed"
    assert draft.completed_by == member
    page = client_of.get(reverse("coaching:assessment", args=[draft.pk]))
    html = page.content.decode()
    # Two series: this assessment and the previous one.
    assert html.count('class="series"') == 2
    # The table: gov 2.50 (previous 1.00, +1.50), fin 3.50 (previous 2.00, +1.50).
    assert re.search(r"Governance</th>\s*<td[^>]*>2\.50</td>\s*<td[^>]*>1\.00</td>", html)
    assert "+1.50" in html
    assertContains(page, "Kanıt: gov-1 karar defteri")
    assertNotContains(page, 'type="radio"')


def test_a_completed_assessment_cannot_be_posted_to(
    client_of: Client, organisation: Organisation
) -> None:
    completed = answered(ALL_FOUR, organisation=organisation)
    response = client_of.post(
        reverse("coaching:assessment", args=[completed.pk]), form_data({"gov-1": 4})
    )
    assert response.status_code == 404
    assert Answer.objects.get(assessment=completed, indicator__key="gov-1").score == 2


def test_a_draft_is_deleted_after_asking(
    client_of: Client, organisation: Organisation, member: User
) -> None:
    draft = draft_of(organisation, member)
    assert client_of.get(reverse("coaching:assessment-delete", args=[draft.pk])).status_code == 200
    response = client_of.post(reverse("coaching:assessment-delete", args=[draft.pk]))
    assertRedirects(response, reverse("coaching:assessments"))
    assert not Assessment.objects.filter(pk=draft.pk).exists()


def test_the_coach_of_an_engagement_makes_the_coachs_assessment() -> None:
    coach = StaffFactory.create(roles=[Role.COACH])
    engagement = EngagementFactory.create(coach=coach)
    client = logged_in(coach)
    query = (
        f"?organisation={engagement.organisation_id}&engagement={engagement.pk}"
        "&stage=baseline&kind=coach"
    )
    assert client.get(reverse("coaching:assessment-new") + query).status_code == 200
    response = client.post(
        reverse("coaching:assessment-new"),
        {
            "organisation": engagement.organisation_id,
            "engagement": engagement.pk,
            "stage": "baseline",
            "kind": "coach",
        },
    )
    assessment = Assessment.objects.get(engagement=engagement)
    assertRedirects(response, reverse("coaching:assessment", args=[assessment.pk]))
    assert (assessment.kind, assessment.instrument) == ("coach", engagement.instrument)
    response = client.post(
        reverse("coaching:assessment", args=[assessment.pk]), form_data(ALL_FOUR, "complete")
    )
    assessment.refresh_from_db()
    assert assessment.status == "completed"


def test_another_coach_and_the_ngo_cannot_make_the_coachs_assessment() -> None:
    engagement = EngagementFactory.create(coach=StaffFactory.create(roles=[Role.COACH]))
    other_coach = logged_in(StaffFactory.create(roles=[Role.COACH]))
    ngo = logged_in(ngo_admin(engagement.organisation))
    data = {
        "organisation": engagement.organisation_id,
        "engagement": engagement.pk,
        "stage": "baseline",
        "kind": "coach",
    }
    assert other_coach.post(reverse("coaching:assessment-new"), data).status_code == 404
    assert ngo.post(reverse("coaching:assessment-new"), data).status_code == 404
    assert not Assessment.objects.exists()


def test_the_ngo_does_not_see_the_coachs_draft_but_sees_it_completed() -> None:
    coach = StaffFactory.create(roles=[Role.COACH])
    engagement = EngagementFactory.create(coach=coach)
    ngo = logged_in(ngo_admin(engagement.organisation))
    draft = answered(
        {"gov-1": 2},
        organisation=engagement.organisation,
        instrument=engagement.instrument,
        engagement=engagement,
        kind="coach",
        complete=False,
    )
    assert ngo.get(reverse("coaching:assessment", args=[draft.pk])).status_code == 404
    assessing.save_answers(
        assessment=draft,
        answers={k: (v, "") for k, v in ALL_FOUR.items()},
        actor=coach,
    )
    assessing.complete_assessment(assessment=draft, actor=coach)
    assert ngo.get(reverse("coaching:assessment", args=[draft.pk])).status_code == 200


def test_the_pdf_of_the_results_is_a_pdf(client_of: Client, organisation: Organisation) -> None:
    completed = answered(ALL_FOUR, organisation=organisation)
    response = client_of.get(reverse("coaching:assessment-pdf", args=[completed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_draft_has_no_exports(
    client_of: Client, organisation: Organisation, member: User
) -> None:
    draft = draft_of(organisation, member)
    assert client_of.get(reverse("coaching:assessment-pdf", args=[draft.pk])).status_code == 404
    assert client_of.get(reverse("coaching:assessment-xlsx", args=[draft.pk])).status_code == 404


def test_the_staff_see_instruments_and_their_use() -> None:
    staff = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))
    instrument = small_instrument()
    answered(ALL_FOUR, instrument=instrument)
    answered(ALL_FOUR, instrument=instrument, complete=False)
    response = staff.get(reverse("coaching:staff-instruments"))
    assertContains(response, "Kaynak Organisational Capacity Tool")
    html = response.content.decode()
    row = html[html.index(reverse("coaching:staff-instrument", args=[instrument.pk])) :]
    row = row[: row.index("</tr>")]
    assert re.search(r">2</td>$", row)
    page = staff.get(reverse("coaching:staff-instrument", args=[assessing.default_instrument().pk]))
    assertContains(page, "Are general assembly meetings held")
    html = page.content.decode()
    lists = re.findall(r'<ol class="levels">(.*?)</ol>', html, re.S)
    assert len(lists) == len(assessing.indicators_of(assessing.default_instrument())) == 23
    assert all(item.count("<li>") == 4 for item in lists)


def test_the_instrument_list_takes_the_same_queries_with_more_instruments(
    django_assert_num_queries: Any,
) -> None:
    staff = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))
    staff.get(reverse("coaching:staff-instruments"))  # the session, the MFA check, caches
    with django_assert_num_queries(INSTRUMENT_LIST_QUERIES):
        staff.get(reverse("coaching:staff-instruments"))
    for _ in range(3):
        answered(ALL_FOUR, instrument=small_instrument())
    with django_assert_num_queries(INSTRUMENT_LIST_QUERIES):
        response = staff.get(reverse("coaching:staff-instruments"))
    assert response.content.decode().count(">Test Capacity Tool") == 3


def test_the_assessment_list_takes_the_same_queries_with_more_assessments(
    django_assert_num_queries: Any, client_of: Client, organisation: Organisation
) -> None:
    client_of.get(reverse("coaching:assessments"))
    answered(ALL_FOUR, organisation=organisation)
    with django_assert_num_queries(ASSESSMENT_LIST_QUERIES):
        client_of.get(reverse("coaching:assessments"))
    for _ in range(3):
        answered(ALL_FOUR, organisation=organisation)
    with django_assert_num_queries(ASSESSMENT_LIST_QUERIES):
        response = client_of.get(reverse("coaching:assessments"))
    assert response.content.decode().count("Self-assessment · Baseline") == 4


def test_an_ngo_member_cannot_open_the_staff_pages(client_of: Client) -> None:
    assert client_of.get(reverse("coaching:staff-instruments")).status_code == 404
    assert client_of.get(reverse("coaching:staff-assessments-xlsx")).status_code == 404


def test_the_turkish_form_shows_the_turkish_questions_and_levels(
    client_of: Client, organisation: Organisation, member: User
) -> None:
    draft = draft_of(organisation, member)
    response = client_of.get(url("coaching:assessment", draft.pk, language="tr"))
    assertContains(response, "Yönetişim sorusu 1")
    assertContains(response, "Yok ya da çok zayıf", count=4)
    assertNotContains(response, "Absent or very weak")

"""The review pages: a reviewer sees only their own assignments (blind when the call says so),
scores through the form; staff see the score sheet, assign, rank, decide in bulk and edit the
decision e-mails. Members and other reviewers get a 404."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.calls.models import (
    ApplicationFile,
    ApplicationPerson,
    ApplicationStatus,
    Call,
    ConflictOfInterest,
    Criterion,
    DecisionTemplate,
    Review,
    ReviewAssignment,
)
from kaynak.calls.tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    QuestionFactory,
    ReviewAssignmentFactory,
)
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ORGANISATION = "Yeşil Kadın Kooperatifi"
APPLICANT = "Gülşen Karataş"


@pytest.fixture(autouse=True)
def _call_files(settings: Any, tmp_path: Path) -> None:
    settings.CALLS_FILES_DIR = tmp_path / "call-files"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator() -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


@pytest.fixture
def staff(coordinator: User) -> Client:
    return logged_in(coordinator)


@pytest.fixture
def reviewer() -> User:
    return StaffFactory.create(roles=[Role.REVIEWER])


def application_in(call: Call) -> Any:
    application = ApplicationFactory.create(
        call=call,
        organisation=OrganisationFactory.create(name=ORGANISATION),
        person=PersonFactory.create(full_name=APPLICANT, emails=["gulsen@yesil.coop"]),
        answers={"plan": "Kadın üreticilerle dijital pazarlama atölyeleri."},
    )
    QuestionFactory.create(call=call, key="plan", label="Planınız", label_en="Your plan")
    QuestionFactory.create(
        call=call, key="budget", kind="file", label="Bütçe", label_en="Budget", max_words=None
    )
    stored = ApplicationFile(
        application=application,
        question_key="budget",
        original_name="Yesil-Kooperatif-butce.pdf",
        content_type="application/pdf",
        size=9,
    )
    stored.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    stored.save()
    ApplicationPerson.objects.create(
        application=application, full_name="Nermin Aksoy", email="nermin@yesil.coop"
    )
    return application


def rubric(call: Call) -> list[Criterion]:
    return [
        CriterionFactory.create(call=call, name="Etki", name_en="Impact", weight=Decimal(2)),
        CriterionFactory.create(
            call=call, name="Fizibilite", name_en="Feasibility", weight=Decimal(1)
        ),
    ]


# The reviewer's pages ------------------------------------------------------------------------


def test_blind_review_hides_the_applicant_in_the_page(reviewer: User) -> None:
    call = CallFactory.create(blind_review=True)
    rubric(call)
    application = application_in(call)
    ReviewAssignmentFactory.create(application=application, reviewer=reviewer)
    client = logged_in(reviewer)

    page = client.get(url("calls:review", application.code, language="en"))
    mine = client.get(url("calls:reviews", language="en"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Kadın üreticilerle dijital pazarlama" in html  # the answers are there
    for hidden in (
        ORGANISATION,
        APPLICANT,
        "Nermin Aksoy",
        "nermin@yesil.coop",
        "gulsen@yesil.coop",
        "Yesil-Kooperatif-butce",
    ):
        assert hidden not in html, hidden
    assert "File 1" in html
    assert ORGANISATION not in mine.content.decode()
    download = client.get(url("calls:review-file", application.code, "budget", language="en"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n"  # type: ignore[attr-defined]
    download.close()
    assert "Yesil" not in download["Content-Disposition"]


def test_without_blind_review_the_reviewer_sees_the_names(reviewer: User) -> None:
    call = CallFactory.create(blind_review=False)
    application = application_in(call)
    ReviewAssignmentFactory.create(application=application, reviewer=reviewer)
    html = (
        logged_in(reviewer)
        .get(url("calls:review", application.code, language="en"))
        .content.decode()
    )
    assert ORGANISATION in html
    assert "Nermin Aksoy" in html
    assert "Yesil-Kooperatif-butce.pdf" in html


def test_a_reviewer_cannot_see_another_reviewers_application(reviewer: User) -> None:
    call = CallFactory.create()
    theirs = ReviewAssignmentFactory.create(
        application=application_in(call), reviewer=StaffFactory.create(roles=[Role.REVIEWER])
    )
    client = logged_in(reviewer)
    assert client.get(url("calls:review", theirs.application.code)).status_code == 404
    assert (
        client.get(url("calls:review-file", theirs.application.code, "budget")).status_code == 404
    )
    # …nor any staff page.
    assert client.get(url("calls:staff-applications", call.slug)).status_code == 404
    assert (
        client.get(url("calls:staff-application", call.slug, theirs.application.code)).status_code
        == 404
    )
    assert client.get(url("calls:staff-export", call.slug)).status_code == 404


def test_a_member_gets_a_404_on_review_pages() -> None:
    call = CallFactory.create()
    assignment = ReviewAssignmentFactory.create(
        application=application_in(call), reviewer=StaffFactory.create(roles=[Role.REVIEWER])
    )
    member = logged_in(UserFactory.create())
    assert member.get(url("calls:reviews")).status_code == 404
    assert member.get(url("calls:review", assignment.application.code)).status_code == 404
    assert member.get(url("calls:staff-ranking", call.slug)).status_code == 404


def test_a_visitor_is_sent_to_log_in() -> None:
    assert Client().get(url("calls:reviews")).status_code == 302


def test_the_reviewer_saves_a_draft_then_submits(reviewer: User) -> None:
    call = CallFactory.create()
    impact, feasibility = rubric(call)
    assignment = ReviewAssignmentFactory.create(application=application_in(call), reviewer=reviewer)
    client = logged_in(reviewer)
    address = url("calls:review", assignment.application.code, language="en")

    draft = client.post(address, {f"score_{impact.pk}": "4", "comment": "Umut verici", "save": "1"})
    assert draft.status_code == 302
    review = Review.objects.get()
    assert review.submitted_at is None
    assert review.comment == "Umut verici"

    incomplete = client.post(address, {f"score_{impact.pk}": "4", "submit": "1"})
    assert incomplete.status_code == 400
    assert "Score this criterion before submitting." in incomplete.content.decode()

    done = client.post(
        address,
        {
            f"score_{impact.pk}": "4",
            f"score_{feasibility.pk}": "2",
            f"comment_{feasibility.pk}": "Bütçe zayıf",
            "submit": "1",
        },
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.total == Decimal("3.33")  # (2·4 + 1·2) / 3
    page = client.get(address).content.decode()
    assert "Submit the review" not in page
    assert "3.33" in page


def test_a_score_outside_one_to_five_is_refused_by_the_form(reviewer: User) -> None:
    call = CallFactory.create()
    impact, feasibility = rubric(call)
    assignment = ReviewAssignmentFactory.create(application=application_in(call), reviewer=reviewer)
    response = logged_in(reviewer).post(
        url("calls:review", assignment.application.code, language="en"),
        {
            f"score_{impact.pk}": "6",
            f"score_{feasibility.pk}": "0",
            "comment": "kalsın",
            "submit": "1",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "kalsın" in response.content.decode()  # what was typed stays
    assert not Review.objects.filter(submitted_at__isnull=False).exists()


def test_declaring_a_conflict_from_the_review_page(reviewer: User) -> None:
    call = CallFactory.create()
    assignment = ReviewAssignmentFactory.create(application=application_in(call), reviewer=reviewer)
    client = logged_in(reviewer)
    response = client.post(
        url("calls:review-conflict", assignment.application.code), {"note": "Danışmanlık verdim"}
    )
    assert response.status_code == 302
    assert not ReviewAssignment.objects.exists()
    assert ConflictOfInterest.objects.get().reviewer == reviewer
    assert client.get(url("calls:review", assignment.application.code)).status_code == 404


# Staff pages ---------------------------------------------------------------------------------


def test_the_staff_list_shows_review_counts_in_a_fixed_number_of_queries(
    staff: Client, django_assert_num_queries: Any
) -> None:
    call = CallFactory.create()
    for _ in range(5):
        ReviewAssignmentFactory.create(
            application__call=call, reviewer=StaffFactory.create(roles=[Role.REVIEWER])
        )
    ApplicationFactory.create(call=call, status=ApplicationStatus.DRAFT)
    address = url("calls:staff-applications", call.slug, language="en")
    staff.get(address)  # warm the session and the site's settings
    with django_assert_num_queries(7):
        response = staff.get(address)
    assert response.status_code == 200
    assert response.content.decode().count("0 / 1") == 5


def test_staff_see_names_and_conflicts_on_the_application_page(staff: Client) -> None:
    call = CallFactory.create(blind_review=True)
    application = application_in(call)
    someone = StaffFactory.create(roles=[Role.REVIEWER], full_name="Kemal Ulu")
    ConflictOfInterest.objects.create(
        call=call, reviewer=someone, organisation=application.organisation
    )
    html = staff.get(
        url("calls:staff-application", call.slug, application.code, language="en")
    ).content.decode()
    assert ORGANISATION in html
    assert "Nermin Aksoy" in html
    assert "Kemal Ulu: conflict declared." in html


def test_assigning_a_conflicted_reviewer_shows_why_next_to_the_field(staff: Client) -> None:
    call = CallFactory.create()
    application = application_in(call)
    someone = StaffFactory.create(roles=[Role.REVIEWER])
    ConflictOfInterest.objects.create(
        call=call, reviewer=someone, organisation=application.organisation
    )
    response = staff.post(
        url("calls:staff-application-assign", call.slug, application.code, language="en"),
        {"reviewer": someone.pk},
    )
    assert response.status_code == 400
    assert "declared a conflict of interest" in response.content.decode()
    assert not ReviewAssignment.objects.exists()


def test_balanced_assignment_from_the_reviewers_page(staff: Client) -> None:
    call = CallFactory.create(reviewers_per_application=1)
    ApplicationFactory.create_batch(4, call=call)
    first, second = StaffFactory.create_batch(2, roles=[Role.REVIEWER])
    response = staff.post(
        url("calls:staff-reviewers", call.slug), {"reviewers": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert ReviewAssignment.objects.filter(reviewer=first).count() == 2
    assert ReviewAssignment.objects.filter(reviewer=second).count() == 2


def test_bulk_decisions_from_the_ranking_page(staff: Client) -> None:
    call = CallFactory.create()
    chosen = ApplicationFactory.create_batch(2, call=call)
    other = ApplicationFactory.create(call=call)
    page = staff.get(url("calls:staff-ranking", call.slug, language="en"))
    assert page.status_code == 200
    response = staff.post(
        url("calls:staff-decisions-bulk", call.slug),
        {"applications": [a.code for a in chosen], "decision": "waitlisted", "reason": "Yedek"},
    )
    assert response.status_code == 302
    assert {a.code for a in call.applications.filter(status="waitlisted")} == {
        a.code for a in chosen
    }
    other.refresh_from_db()
    assert other.status == "submitted"


def test_bulk_decisions_with_nothing_ticked_explain_it(staff: Client) -> None:
    call = CallFactory.create()
    ApplicationFactory.create(call=call)
    response = staff.post(
        url("calls:staff-decisions-bulk", call.slug, language="en"),
        {"decision": "accepted", "reason": "x"},
    )
    assert response.status_code == 400
    assert "Tick at least one application." in response.content.decode()


def test_a_template_with_an_unknown_variable_is_refused_next_to_the_field(staff: Client) -> None:
    call = CallFactory.create()
    ApplicationFactory.create(call=call)
    address = url("calls:staff-decision-template", call.slug, "accepted", "tr", language="en")
    response = staff.post(address, {"subject": "{call}", "body": "Merhaba {kurum}!"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown variable {kurum}" in html
    assert "Merhaba {kurum}!" in html
    assert not DecisionTemplate.objects.exists()
    saved = staff.post(address, {"subject": "{call}: tebrikler", "body": "Merhaba {organisation}!"})
    assert saved.status_code == 302
    preview = staff.get(address).content.decode()
    assert "Merhaba Örnek Dayanışma Derneği" in preview


def test_only_coordinators_decide(staff: Client) -> None:
    call = CallFactory.create()
    application = ApplicationFactory.create(call=call)
    officer = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))
    assert officer.get(url("calls:staff-ranking", call.slug)).status_code == 200
    refused = officer.post(
        url("calls:staff-application-decide", call.slug, application.code), {"decision": "accepted"}
    )
    assert refused.status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"
    staff.post(
        url("calls:staff-application-decide", call.slug, application.code), {"decision": "accepted"}
    )
    application.refresh_from_db()
    assert application.status == "accepted"


def test_the_rubric_page_adds_a_criterion_and_explains_a_bad_weight(staff: Client) -> None:
    call = CallFactory.create()
    address = url("calls:staff-rubric", call.slug, language="en")
    bad = staff.post(address, {"name": "Etki", "weight": "0"})
    assert bad.status_code == 400
    assert "Etki" in bad.content.decode()  # what was typed stays
    assert not call.criteria.exists()
    assert staff.post(address, {"name": "Etki", "weight": "2"}).status_code == 302
    assert call.criteria.get().weight == Decimal(2)
    page = staff.get(address).content.decode()
    assert "Etki" in page
    assert "Add a criterion" in page


def test_the_rubric_page_says_why_it_is_locked(staff: Client, reviewer: User) -> None:
    call = CallFactory.create()
    impact, _feasibility = rubric(call)
    assignment = ReviewAssignmentFactory.create(application__call=call, reviewer=reviewer)
    Review.objects.create(
        assignment=assignment, total=Decimal(3), submitted_at=assignment.assigned_at
    )
    page = staff.get(url("calls:staff-rubric", call.slug, language="en")).content.decode()
    assert "1 review is already submitted with this rubric" in page
    assert "Add a criterion" not in page
    refused = staff.post(url("calls:staff-rubric-delete", call.slug, impact.pk))
    assert refused.status_code == 302
    assert call.criteria.count() == 2


def test_the_reviewers_and_decisions_pages_show_and_send(
    staff: Client, reviewer: User, django_capture_on_commit_callbacks: Any
) -> None:
    call = CallFactory.create()
    application = ApplicationFactory.create(
        call=call,
        status=ApplicationStatus.ACCEPTED,
        person=PersonFactory.create(emails=["a@ornek.org"]),
    )
    ReviewAssignmentFactory.create(application=application, reviewer=reviewer)
    assert (
        str(reviewer)
        in staff.get(url("calls:staff-reviewers", call.slug, language="en")).content.decode()
    )
    page = staff.get(url("calls:staff-decisions", call.slug, language="en")).content.decode()
    assert "1 decided application has not been told yet" in page
    assert application.code in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff.post(url("calls:staff-decisions-notify", call.slug))
    assert sent.status_code == 302
    application.refresh_from_db()
    assert application.notified_at is not None


def test_the_staff_pages_answer_in_turkish(staff: Client) -> None:
    call = CallFactory.create()
    application = ApplicationFactory.create(call=call)
    for name, args in (
        ("calls:staff-applications", [call.slug]),
        ("calls:staff-application", [call.slug, application.code]),
        ("calls:staff-rubric", [call.slug]),
        ("calls:staff-reviewers", [call.slug]),
        ("calls:staff-ranking", [call.slug]),
        ("calls:staff-decisions", [call.slug]),
        ("calls:staff-decision-template", [call.slug, "rejected", "en"]),
    ):
        assert staff.get(url(name, *args)).status_code == 200, name

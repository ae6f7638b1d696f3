"""The staff pages that build calls: who may open them, the list's counts in one query, the
settings form, the form builder (a form per kind, options' errors on their line, conditions,
moving with htmx), publish / unpublish, copy and the preview."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.calls import building
from kaynak.calls.models import ApplicationStatus, Call, CallStatus, Question, QuestionKind
from kaynak.calls.tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    QuestionFactory,
)
from kaynak.directory.tests.factories import province
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")
OPTIONS = [{"key": "yes", "tr": "Evet", "en": "Yes"}, {"key": "no", "tr": "Hayır", "en": "No"}]


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
def draft() -> Call:
    return CallFactory.create(status=CallStatus.DRAFT, published_at=None, slug="okul-2027")


def call_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "programme": ProgrammeFactory.create().pk,
        "title": "Sivil Toplum Okulu 2027",
        "title_en": "Civil-Society School 2027",
        "slug": "",
        "description": "Yedi modül.",
        "opens_at": "2027-02-01T09:00",
        "closes_at": "2027-03-15T17:00",
        "applicant_types": [],
        "provinces": [],
        "one_per_organisation": "on",
        "people_label": "Temsilciler",
        "people_min": "1",
        "people_max": "2",
        "reviewers_per_application": "2",
        "spread_threshold": "1.5",
    }
    values.update(changes)
    return values


READ_PAGES = ["calls:staff", "calls:staff-call", "calls:staff-call-preview"]
MANAGE_PAGES = [
    "calls:staff-new",
    "calls:staff-call-settings",
    "calls:staff-call-copy",
    "calls:staff-question-new",
]


def page_url(name: str, call: Call) -> str:
    if name in ("calls:staff", "calls:staff-new"):
        return url(name)
    return url(name, call.slug)


@pytest.mark.parametrize("name", READ_PAGES + MANAGE_PAGES)
def test_visitors_are_sent_to_log_in_and_members_get_404(name: str, draft: Call) -> None:
    address = page_url(name, draft)
    visitor = Client().get(address)
    assert visitor.status_code == 302
    assert "/hesap/" in visitor["Location"]
    assert logged_in(UserFactory.create()).get(address).status_code == 404
    agent = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    assert agent.get(address).status_code == 404


@pytest.mark.parametrize("name", READ_PAGES + MANAGE_PAGES)
def test_a_coordinator_opens_every_page(name: str, staff: Client, draft: Call) -> None:
    assert staff.get(page_url(name, draft)).status_code == 200


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_an_me_officer_reads_but_does_not_build(name: str, draft: Call) -> None:
    officer = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))
    assert officer.get(page_url("calls:staff-call", draft)).status_code == 200
    assert officer.get(page_url(name, draft)).status_code == 404
    assert officer.post(url("calls:staff-call-publish", draft.slug)).status_code == 404


def test_the_list_shows_each_calls_counts_in_one_query(
    staff: Client, django_assert_num_queries: Any
) -> None:
    call = CallFactory.create(title="Okul çağrısı")
    ApplicationFactory.create_batch(2, call=call, status=ApplicationStatus.DRAFT)
    ApplicationFactory.create_batch(3, call=call)
    ApplicationFactory.create(call=call, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory.create(call=call, status=ApplicationStatus.REJECTED)
    staff.get(url("calls:staff"))
    # Session, user, TOTP, roles; the calls with their counts; the center's settings.
    with django_assert_num_queries(6) as few:
        response = staff.get(url("calls:staff"))
    shown = response.context["calls"][0]
    assert (shown.drafts, shown.submitted, shown.decided) == (2, 3, 2)
    CallFactory.create_batch(4)
    with django_assert_num_queries(len(few.captured_queries)):
        response = staff.get(url("calls:staff"))
    assert len(response.context["calls"]) == 5


def test_the_list_shows_the_deadline_in_istanbul_time(staff: Client) -> None:
    CallFactory.create(closes_at=dt.datetime(2027, 3, 15, 14, 0, tzinfo=dt.UTC))
    response = staff.get(url("calls:staff", language="en"))
    assertContains(response, "15 March 2027, 17:00")


def test_a_new_call_is_saved_as_a_draft_with_times_typed_in_istanbul(staff: Client) -> None:
    response = staff.post(
        url("calls:staff-new"),
        call_values(applicant_types=["1"], provinces=["34", "6"]),
    )
    call = Call.objects.get()
    assertRedirects(response, url("calls:staff-call", call.slug))
    assert call.status == CallStatus.DRAFT
    assert call.slug == "sivil-toplum-okulu-2027"
    assert call.closes_at == dt.datetime(2027, 3, 15, 17, 0, tzinfo=ISTANBUL)
    assert set(call.provinces.values_list("pk", flat=True)) == {34, 6}
    assert call.applicant_types.count() == 1


def test_a_deadline_before_the_opening_is_explained_next_to_it_and_kept(staff: Client) -> None:
    response = staff.post(
        url("calls:staff-new", language="en"),
        call_values(opens_at="2027-03-20T09:00", title="Yazılan başlık"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["closes_at"] == [
        "The deadline must come after the opening."
    ]
    assertContains(response, "Yazılan başlık", status_code=400)
    assert not Call.objects.exists()


def test_a_taken_address_is_explained_next_to_it(staff: Client, draft: Call) -> None:
    response = staff.post(url("calls:staff-new", language="en"), call_values(slug=draft.slug))
    assert response.status_code == 400
    assert "already" in response.context["form"].errors["slug"][0]


def test_more_people_at_least_than_at_most_is_explained_next_to_it(staff: Client) -> None:
    response = staff.post(
        url("calls:staff-new", language="en"), call_values(people_min="3", people_max="1")
    )
    assert response.status_code == 400
    assert "people_max" in response.context["form"].errors


def test_the_settings_change_the_call(staff: Client, draft: Call) -> None:
    values = call_values(
        programme=draft.programme.pk,
        slug=draft.slug,
        title="Yeni başlık",
        blind_review="on",
        spread_threshold="2.0",
        provinces=["35"],
    )
    response = staff.post(url("calls:staff-call-settings", draft.slug), values)
    assertRedirects(response, url("calls:staff-call", draft.slug))
    draft.refresh_from_db()
    assert (draft.title, draft.blind_review, draft.spread_threshold) == (
        "Yeni başlık",
        True,
        Decimal("2.0"),
    )
    assert list(draft.provinces.all()) == [province(35)]


def test_the_call_page_lists_questions_and_links_preview_and_settings(
    staff: Client, draft: Call
) -> None:
    QuestionFactory.create(call=draft, label="Neden başvuruyorsunuz?")
    response = staff.get(url("calls:staff-call", draft.slug))
    assertContains(response, "Neden başvuruyorsunuz?")
    assertContains(response, url("calls:staff-call-preview", draft.slug))
    assertContains(response, url("calls:staff-call-settings", draft.slug))
    assertContains(response, url("calls:staff-call-publish", draft.slug))
    assertContains(response, url("calls:staff-applications", draft.slug))
    assertContains(response, url("calls:staff-rubric", draft.slug))


# The form builder -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        (QuestionKind.LONG_TEXT, ["max_words"], ["options", "min_value", "max_file_mb"]),
        (QuestionKind.CHOICE, ["options"], ["max_words", "min_value"]),
        (QuestionKind.NUMBER, ["min_value", "max_value"], ["max_words", "options"]),
        (QuestionKind.FILE, ["max_file_mb"], ["max_words", "options", "min_value"]),
        (QuestionKind.DATE, [], ["max_words", "options", "min_value", "max_file_mb"]),
    ],
)
def test_the_question_form_shows_only_the_fields_of_its_kind(
    staff: Client, draft: Call, kind: str, shown: list[str], hidden: list[str]
) -> None:
    response = staff.get(url("calls:staff-question-new", draft.slug) + f"?kind={kind}")
    fields = response.context["form"].fields
    assert all(name in fields for name in shown)
    assert not any(name in fields for name in hidden)


def test_a_choice_question_is_added_with_options_typed_one_per_line(
    staff: Client, draft: Call
) -> None:
    response = staff.post(
        url("calls:staff-question-new", draft.slug),
        {
            "kind": "choice",
            "key": "tur",
            "label": "Kuruluş türü",
            "required": "on",
            "options": "dernek | Dernek | Association\nvakif | Vakıf\n",
        },
    )
    assertRedirects(response, url("calls:staff-call", draft.slug) + "#questions")
    question = draft.questions.get()
    assert question.options == [
        {"key": "dernek", "tr": "Dernek", "en": "Association"},
        {"key": "vakif", "tr": "Vakıf", "en": ""},
    ]


def test_an_options_problem_names_its_line_and_keeps_what_was_typed(
    staff: Client, draft: Call
) -> None:
    typed = "dernek | Dernek\nvakif\ndernek | Tekrar"
    response = staff.post(
        url("calls:staff-question-new", draft.slug, language="en"),
        {"kind": "choice", "key": "tur", "label": "Kuruluş türü", "options": typed},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["options"]
    assert errors[0].startswith("Line 2:")
    assert errors[1].startswith("Line 3:")
    assert "twice" in errors[1]
    assertContains(response, "vakif", status_code=400)
    assert not draft.questions.exists()


def test_a_services_refusal_is_shown_next_to_its_field(staff: Client, draft: Call) -> None:
    QuestionFactory.create(call=draft, key="amac")
    response = staff.post(
        url("calls:staff-question-new", draft.slug, language="en"),
        {"kind": "short_text", "key": "amac", "label": "Amaç"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["key"] == ["Another question of this call has this key."]


def test_a_condition_is_chosen_from_the_answers_of_earlier_choice_questions(
    staff: Client, coordinator: User, draft: Call
) -> None:
    scope = building.question_add(
        call=draft, by=coordinator, key="kapsam", kind="choice", label="Kapsam", options=OPTIONS
    )
    building.question_add(call=draft, by=coordinator, key="metin", kind="short_text", label="M")
    page = staff.get(url("calls:staff-question-new", draft.slug) + "?kind=long_text")
    groups = page.context["form"].fields["show_when"].choices
    assert groups == [("Kapsam", [(f"{scope.pk}:yes", "Evet"), (f"{scope.pk}:no", "Hayır")])]

    response = staff.post(
        url("calls:staff-question-new", draft.slug),
        {
            "kind": "long_text",
            "key": "ayrinti",
            "label": "Ayrıntı",
            "show_when": [f"{scope.pk}:yes"],
        },
    )
    assert response.status_code == 302
    added = draft.questions.get(key="ayrinti")
    assert (added.show_if, added.show_if_values) == (scope, ["yes"])


def test_the_first_question_offers_no_condition(staff: Client, draft: Call) -> None:
    response = staff.get(url("calls:staff-question-new", draft.slug) + "?kind=choice")
    assert "show_when" not in response.context["form"].fields


def test_editing_keeps_the_key_once_answered_and_says_why(staff: Client, coordinator: User) -> None:
    call = CallFactory.create()
    question = building.question_add(
        call=call, by=coordinator, key="amac", kind="short_text", label="Amaç"
    )
    ApplicationFactory.create(call=call, status=ApplicationStatus.DRAFT, answers={"amac": "x"})
    response = staff.post(
        url("calls:staff-question", call.slug, question.pk, language="en"),
        {"kind": "short_text", "key": "yeni", "label": "Amaç"},
    )
    assert response.status_code == 400
    assert "cannot change" in response.context["form"].errors["key"][0]
    question.refresh_from_db()
    assert question.key == "amac"


def test_moving_with_htmx_answers_the_list_in_place(
    staff: Client, coordinator: User, draft: Call
) -> None:
    first = building.question_add(call=draft, by=coordinator, key="a", kind="date", label="A")
    second = building.question_add(call=draft, by=coordinator, key="b", kind="date", label="B")
    response = staff.post(
        url("calls:staff-question-move", draft.slug, second.pk),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assertNotContains(response, "<html")
    assert [q.pk for q in response.context["questions"]] == [second.pk, first.pk]


def test_a_refused_move_is_said_in_the_list(staff: Client, coordinator: User, draft: Call) -> None:
    scope = building.question_add(
        call=draft, by=coordinator, key="k", kind="choice", label="Kapsam", options=OPTIONS
    )
    detail = building.question_add(
        call=draft,
        by=coordinator,
        key="d",
        kind="date",
        label="Tarih",
        show_if=scope,
        show_if_values=["yes"],
    )
    response = staff.post(
        url("calls:staff-question-move", draft.slug, detail.pk, language="en"),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assertContains(response, "must stay below")
    assert list(draft.questions.order_by("position").values_list("key", flat=True)) == ["k", "d"]


def test_removing_a_question(staff: Client, draft: Call) -> None:
    question = QuestionFactory.create(call=draft)
    response = staff.post(url("calls:staff-question-delete", draft.slug, question.pk))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_a_question_of_another_call_is_not_found(staff: Client, draft: Call) -> None:
    other = QuestionFactory.create()
    assert staff.get(url("calls:staff-question", draft.slug, other.pk)).status_code == 404
    assert staff.post(url("calls:staff-question-delete", draft.slug, other.pk)).status_code == 404


# Publishing, copying, preview -------------------------------------------------------------------


def test_publishing_without_questions_is_refused_with_a_message(staff: Client, draft: Call) -> None:
    response = staff.post(url("calls:staff-call-publish", draft.slug, language="en"), follow=True)
    assertContains(response, "Add at least one question before publishing.")
    draft.refresh_from_db()
    assert draft.status == CallStatus.DRAFT


def test_publish_then_back_to_draft(staff: Client, draft: Call) -> None:
    QuestionFactory.create(call=draft)
    staff.post(url("calls:staff-call-publish", draft.slug))
    draft.refresh_from_db()
    assert draft.status == CallStatus.PUBLISHED
    staff.post(url("calls:staff-call-unpublish", draft.slug))
    draft.refresh_from_db()
    assert draft.status == CallStatus.DRAFT


def test_copying_makes_a_draft_for_next_year(staff: Client, draft: Call) -> None:
    QuestionFactory.create(call=draft, key="amac")
    response = staff.post(
        url("calls:staff-call-copy", draft.slug),
        {
            "title": "Okul 2028",
            "opens_at": "2028-02-01T09:00",
            "closes_at": "2028-03-01T17:00",
        },
    )
    copy = Call.objects.get(slug="okul-2028")
    assertRedirects(response, url("calls:staff-call", copy.slug))
    assert copy.status == CallStatus.DRAFT
    assert list(copy.questions.values_list("key", flat=True)) == ["amac"]
    assert copy.opens_at == dt.datetime(2028, 2, 1, 9, 0, tzinfo=ISTANBUL)


def test_the_preview_shows_the_form_read_only_in_the_pages_language(
    staff: Client, coordinator: User, draft: Call
) -> None:
    scope = building.question_add(
        call=draft,
        by=coordinator,
        key="kapsam",
        kind="choice",
        label="Kapsam",
        label_en="Scope",
        options=OPTIONS,
    )
    building.question_add(
        call=draft,
        by=coordinator,
        key="ayrinti",
        kind="long_text",
        label="Ayrıntı",
        max_words=200,
        show_if=scope,
        show_if_values=["yes"],
    )
    turkish = staff.get(url("calls:staff-call-preview", draft.slug))
    assertContains(turkish, "Kapsam")
    assertContains(turkish, "Evet")
    assertContains(turkish, "disabled")
    english = staff.get(url("calls:staff-call-preview", draft.slug, language="en"))
    assertContains(english, "Scope")
    assertContains(english, "Asked only when the answer to “Scope” is: Yes.")
    assertContains(english, "At most 200 words.")


def test_changing_the_kind_with_htmx_shows_that_kinds_fields_and_keeps_what_was_typed(
    staff: Client, draft: Call
) -> None:
    response = staff.get(
        url("calls:staff-question-new", draft.slug),
        {"kind": "number", "key": "butce", "label": "Bütçeniz"},
        HTTP_HX_REQUEST="true",
    )
    assertNotContains(response, "<html")
    form = response.context["form"]
    assert "min_value" in form.fields
    assert "max_words" not in form.fields
    assertContains(response, 'value="butce"')
    assertContains(response, 'value="Bütçeniz"')


# The admin --------------------------------------------------------------------------------------


def test_the_admin_shows_calls_with_questions_and_rubric_but_changes_go_through_the_pages(
    staff: Client, draft: Call
) -> None:
    QuestionFactory.create(call=draft, label="Admin sorusu")
    CriterionFactory.create(call=draft, name="Etki ölçütü")
    assert staff.get(reverse("admin:calls_call_changelist")).status_code == 200
    change = staff.get(reverse("admin:calls_call_change", args=[draft.pk]))
    assertContains(change, "Admin sorusu")
    assertContains(change, "Etki ölçütü")
    assert staff.get(reverse("admin:calls_call_add")).status_code == 403
    assert staff.post(reverse("admin:calls_call_delete", args=[draft.pk])).status_code == 403
    member = logged_in(UserFactory.create())
    assert member.get(reverse("admin:calls_call_changelist")).status_code == 302


def test_a_call_of_a_programme_no_longer_active_can_still_be_saved(
    staff: Client, draft: Call
) -> None:
    draft.programme.is_active = False
    draft.programme.save()
    values = call_values(programme=draft.programme.pk, slug=draft.slug, title="Arşiv çağrısı")
    response = staff.post(url("calls:staff-call-settings", draft.slug), values)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Arşiv çağrısı"


def test_in_turkish_a_call_reads_as_a_call_for_applications_not_a_funding_call(
    staff: Client,
) -> None:
    """The funding radar's catalogue comes first and translates "Call" as a funding call
    ("Fon fırsatı"); the calls' pages say which call they mean (a message context)."""
    CallFactory.create()
    response = staff.get(url("calls:staff"))
    assertContains(response, "Başvuru çağrısı")
    assertContains(response, "Yeni başvuru çağrısı")
    assertNotContains(response, "Fon fırsatı")

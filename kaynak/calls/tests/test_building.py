"""Building calls: the services that create, change, publish, unpublish and copy a call, and
add, change, remove and move its questions — every rule with good and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.calls import building
from kaynak.calls.errors import CallError
from kaynak.calls.models import (
    ApplicationStatus,
    Call,
    CallStatus,
    DecisionTemplate,
    Question,
    QuestionKind,
)
from kaynak.calls.tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    QuestionFactory,
)
from kaynak.core.models import ApplicantType, AuditEntry
from kaynak.directory.tests.factories import province
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")
OPTIONS = [{"key": "yes", "tr": "Evet", "en": "Yes"}, {"key": "no", "tr": "Hayır", "en": "No"}]


@pytest.fixture
def coordinator() -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


def draft_call(**values: Any) -> Call:
    return CallFactory.create(status=CallStatus.DRAFT, published_at=None, **values)


def add(
    call: Call, by: User, key: str, kind: str = QuestionKind.SHORT_TEXT, **values: Any
) -> Question:
    return building.question_add(
        call=call, by=by, key=key, kind=kind, label=f"Soru {key}", **values
    )


def refused(code: str) -> Any:
    """``pytest.raises`` for a CallError naming ``code``; the test reads ``.value``."""
    return pytest.raises(CallError, check=lambda exc: exc.code == code)


# Calls ------------------------------------------------------------------------------------------


def test_a_new_call_is_a_draft_with_an_address_made_from_its_turkish_title(
    coordinator: User,
) -> None:
    opens = dt.datetime(2027, 2, 1, 9, 0, tzinfo=ISTANBUL)
    closes = dt.datetime(2027, 3, 15, 17, 0, tzinfo=ISTANBUL)
    call = building.call_create(
        by=coordinator,
        programme=ProgrammeFactory.create(),
        title="Sivil Toplum Okulu Çağrısı",
        opens_at=opens,
        closes_at=closes,
        applicant_types=ApplicantType.objects.filter(slug__in=["association", "foundation"]),
        provinces=[province(34), province(6)],
        people_label="Temsilciler",
        people_min=1,
        people_max=2,
    )
    assert call.status == CallStatus.DRAFT
    assert call.slug == "sivil-toplum-okulu-cagrisi"
    assert set(call.applicant_types.values_list("slug", flat=True)) == {"association", "foundation"}
    assert set(call.provinces.values_list("pk", flat=True)) == {34, 6}
    assert AuditEntry.objects.filter(
        action="kaynak.calls.call.created", object_id=str(call.pk)
    ).exists()


def test_a_call_must_open_before_its_deadline_and_the_message_shows_the_istanbul_time(
    coordinator: User,
) -> None:
    closes = dt.datetime(2027, 3, 15, 17, 0, tzinfo=ISTANBUL)
    with translation.override("en"), refused("closes_at") as error:
        building.call_create(
            by=coordinator,
            programme=ProgrammeFactory.create(),
            title="Geç açılan çağrı",
            opens_at=closes + dt.timedelta(hours=1),
            closes_at=closes,
        )
    assert "15 March 2027, 17:00" in str(error.value.message)
    assert not Call.objects.exists()


def test_a_second_call_with_the_same_title_gets_a_numbered_address(coordinator: User) -> None:
    first = draft_call(title="Festival Atölye Çağrısı", slug="festival-atolye-cagrisi")
    second = building.call_create(
        by=coordinator,
        programme=first.programme,
        title="Festival Atölye Çağrısı",
        opens_at=first.opens_at,
        closes_at=first.closes_at,
    )
    assert second.slug == "festival-atolye-cagrisi-2"


def test_a_taken_address_is_refused(coordinator: User) -> None:
    first = draft_call()
    with refused("slug"):
        building.call_create(
            by=coordinator,
            programme=first.programme,
            title="Başka",
            slug=first.slug,
            opens_at=first.opens_at,
            closes_at=first.closes_at,
        )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"people_min": 3, "people_max": 2, "people_label": "Temsilciler"}, "people_max"),
        ({"people_min": 0, "people_max": 2, "people_label": ""}, "people_label"),
        ({"reviewers_per_application": 0}, "reviewers_per_application"),
        ({"spread_threshold": Decimal("0")}, "spread_threshold"),
        ({"spread_threshold": Decimal("4.5")}, "spread_threshold"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(
    coordinator: User, changes: dict[str, Any], code: str
) -> None:
    call = draft_call(title="Okul")
    with refused(code):
        building.call_update(call=call, by=coordinator, **changes)
    call.refresh_from_db()
    assert call.title == "Okul"
    assert call.people_max == 0


def test_settings_change_dates_eligibility_people_and_review(coordinator: User) -> None:
    call = draft_call()
    closes = dt.datetime(2027, 4, 1, 17, 0, tzinfo=ISTANBUL)
    building.call_update(
        call=call,
        by=coordinator,
        closes_at=closes,
        one_per_organisation=False,
        people_label="Kolaylaştırıcılar",
        people_min=1,
        people_max=3,
        blind_review=True,
        reviewers_per_application=3,
        spread_threshold=Decimal("2.0"),
        provinces=[province(35)],
    )
    call.refresh_from_db()
    assert call.closes_at == closes
    assert (call.one_per_organisation, call.people_max, call.blind_review) == (False, 3, True)
    assert list(call.provinces.values_list("pk", flat=True)) == [35]
    entry = AuditEntry.objects.get(action="kaynak.calls.call.changed")
    assert "provinces" in entry.data["fields"]
    assert "closes_at" in entry.data["fields"]


def test_publishing_needs_a_question(coordinator: User) -> None:
    call = draft_call()
    with refused("questions"):
        building.call_publish(call=call, by=coordinator)
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_publishing_needs_a_deadline_in_the_future(coordinator: User) -> None:
    now = timezone.now()
    call = draft_call(opens_at=now - dt.timedelta(days=10), closes_at=now - dt.timedelta(days=1))
    QuestionFactory.create(call=call)
    with refused("closes_at") as error:
        building.call_publish(call=call, by=coordinator)
    assert "Istanbul" in str(error.value.message)


def test_publishing_sets_the_time_it_was_published(coordinator: User) -> None:
    call = draft_call()
    QuestionFactory.create(call=call)
    now = timezone.now()
    building.call_publish(call=call, by=coordinator, now=now)
    call.refresh_from_db()
    assert (call.status, call.published_at) == (CallStatus.PUBLISHED, now)


def test_a_call_goes_back_to_draft_only_while_nobody_has_submitted(coordinator: User) -> None:
    call = CallFactory.create()
    ApplicationFactory.create(call=call, status=ApplicationStatus.DRAFT)
    building.call_unpublish(call=call, by=coordinator)
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert call.published_at is None

    QuestionFactory.create(call=call)
    building.call_publish(call=call, by=coordinator)
    ApplicationFactory.create(call=call)
    with refused("submitted"):
        building.call_unpublish(call=call, by=coordinator)
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED


def test_next_years_call_copies_questions_conditions_rubric_and_decision_emails(
    coordinator: User,
) -> None:
    call = CallFactory.create(
        people_label="Temsilciler", people_min=1, people_max=2, blind_review=True
    )
    call.provinces.set([province(21)])
    scope = add(call, coordinator, "kapsam", QuestionKind.CHOICE, options=OPTIONS)
    detail = add(
        call, coordinator, "ayrinti", QuestionKind.LONG_TEXT, show_if=scope, show_if_values=["yes"]
    )
    CriterionFactory.create(call=call, name="Etki", weight=Decimal("2"))
    DecisionTemplate.objects.create(
        call=call, decision="accepted", language="tr", subject="Kabul", body="{organisation}"
    )
    ApplicationFactory.create(call=call)
    opens = dt.datetime(2028, 2, 1, 9, 0, tzinfo=ISTANBUL)
    closes = dt.datetime(2028, 3, 1, 17, 0, tzinfo=ISTANBUL)

    copy = building.call_copy(
        call=call, by=coordinator, title="Okul 2028", opens_at=opens, closes_at=closes
    )

    assert (copy.status, copy.opens_at, copy.closes_at) == (CallStatus.DRAFT, opens, closes)
    assert copy.slug == "okul-2028"
    assert copy.published_at is None
    assert (copy.people_label, copy.people_max, copy.blind_review) == ("Temsilciler", 2, True)
    assert list(copy.provinces.values_list("pk", flat=True)) == [21]
    copied = list(copy.questions.order_by("position"))
    assert [q.key for q in copied] == [scope.key, detail.key]
    assert copied[1].show_if == copied[0]  # the copy's own question, not last year's
    assert copied[1].show_if_values == ["yes"]
    assert list(copy.criteria.values_list("name", "weight")) == [("Etki", Decimal("2.00"))]
    assert copy.decision_templates.get().subject == "Kabul"
    assert not copy.applications.exists()
    assert call.questions.count() == 2  # last year's call is untouched


# Questions --------------------------------------------------------------------------------------


def test_questions_are_added_at_the_end_in_order(coordinator: User) -> None:
    call = draft_call()
    first = add(call, coordinator, "ad")
    second = add(
        call,
        coordinator,
        "butce",
        QuestionKind.NUMBER,
        min_value=Decimal(0),
        max_value=Decimal(1000),
    )
    assert (first.position, second.position) == (1, 2)
    assert AuditEntry.objects.filter(action="kaynak.calls.question.added").count() == 2


@pytest.mark.parametrize("key", ["Büyük", "iki kelime", "", "-bas", "son-"])
def test_a_key_must_be_a_plain_slug(coordinator: User, key: str) -> None:
    with refused("key"):
        add(draft_call(), coordinator, key)


def test_a_key_is_unique_in_the_call_but_may_repeat_in_another(coordinator: User) -> None:
    call = draft_call()
    add(call, coordinator, "amac")
    with refused("key"):
        add(call, coordinator, "amac")
    assert add(draft_call(), coordinator, "amac").key == "amac"


def test_a_key_never_changes_once_an_application_answered_it(coordinator: User) -> None:
    call = CallFactory.create()
    question = add(call, coordinator, "amac")
    unanswered = add(call, coordinator, "hedef")
    ApplicationFactory.create(call=call, status=ApplicationStatus.DRAFT, answers={"amac": "Eğitim"})
    with refused("key"):
        building.question_update(question=question, by=coordinator, key="amac-2")
    assert (
        building.question_update(question=unanswered, by=coordinator, key="hedef-2").key
        == "hedef-2"
    )


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ([{"key": "tek", "tr": "Tek"}], "at least two"),
        ([{"key": "a", "tr": "A"}, {"key": "a", "tr": "B"}], "twice"),
        ([{"key": "a", "tr": "A"}, {"key": "b", "tr": "", "en": "B"}], "Turkish"),
        ([{"key": "a", "tr": "A"}, {"key": "B C", "tr": "B"}], "small letters"),
    ],
)
def test_choice_options_need_two_unique_keys_and_turkish_labels(
    coordinator: User, options: list[dict[str, str]], words: str
) -> None:
    with translation.override("en"), refused("options") as error:
        add(draft_call(), coordinator, "secim", QuestionKind.CHOICE, options=options)
    assert words in str(error.value.message)


def test_english_option_labels_are_optional(coordinator: User) -> None:
    options = [{"key": "a", "tr": "Dernek"}, {"key": "b", "tr": "Vakıf", "en": "Foundation"}]
    question = add(draft_call(), coordinator, "tur", QuestionKind.MULTI_CHOICE, options=options)
    assert question.options == [
        {"key": "a", "tr": "Dernek", "en": ""},
        {"key": "b", "tr": "Vakıf", "en": "Foundation"},
    ]


@pytest.mark.parametrize(
    ("kind", "values", "code"),
    [
        (QuestionKind.NUMBER, {"max_words": 100}, "max_words"),
        (QuestionKind.LONG_TEXT, {"max_words": 0}, "max_words"),
        (QuestionKind.SHORT_TEXT, {"min_value": Decimal(1)}, "min_value"),
        (QuestionKind.NUMBER, {"min_value": Decimal(10), "max_value": Decimal(5)}, "max_value"),
        (QuestionKind.DATE, {"options": OPTIONS}, "options"),
    ],
)
def test_fields_belong_to_their_kind(
    coordinator: User, kind: str, values: dict[str, Any], code: str
) -> None:
    with refused(code):
        add(draft_call(), coordinator, "soru", kind, **values)


def test_text_word_limits_and_number_ranges_are_kept(coordinator: User) -> None:
    call = draft_call()
    text = add(call, coordinator, "ozet", QuestionKind.LONG_TEXT, max_words=250)
    number = add(
        call, coordinator, "uye", QuestionKind.NUMBER, min_value=Decimal(5), max_value=Decimal(5)
    )
    assert text.max_words == 250
    assert (number.min_value, number.max_value) == (Decimal(5), Decimal(5))


def test_a_condition_is_an_earlier_choice_question_and_some_of_its_options(
    coordinator: User,
) -> None:
    call = draft_call()
    scope = add(call, coordinator, "kapsam", QuestionKind.CHOICE, options=OPTIONS)
    shown = add(call, coordinator, "ayrinti", show_if=scope, show_if_values=["yes"])
    assert (shown.show_if, shown.show_if_values) == (scope, ["yes"])


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ([], "show_if_values"),
        (["maybe"], "show_if_values"),
    ],
)
def test_a_condition_needs_answers_of_its_question(
    coordinator: User, values: list[str], code: str
) -> None:
    call = draft_call()
    scope = add(call, coordinator, "kapsam", QuestionKind.CHOICE, options=OPTIONS)
    with refused(code):
        add(call, coordinator, "ayrinti", show_if=scope, show_if_values=values)


def test_a_condition_on_a_text_question_or_another_call_is_refused(coordinator: User) -> None:
    call = draft_call()
    text = add(call, coordinator, "metin")
    with refused("show_if"):
        add(call, coordinator, "ayrinti", show_if=text, show_if_values=["yes"])
    elsewhere = add(draft_call(), coordinator, "kapsam", QuestionKind.CHOICE, options=OPTIONS)
    with refused("show_if"):
        add(call, coordinator, "ayrinti", show_if=elsewhere, show_if_values=["yes"])


def test_a_condition_on_a_later_question_is_refused_so_conditions_never_loop(
    coordinator: User,
) -> None:
    call = draft_call()
    first = add(call, coordinator, "ilk", QuestionKind.CHOICE, options=OPTIONS)
    second = add(
        call,
        coordinator,
        "ikinci",
        QuestionKind.CHOICE,
        options=OPTIONS,
        show_if=first,
        show_if_values=["yes"],
    )
    with refused("show_if"):
        building.question_update(
            question=first, by=coordinator, show_if=second, show_if_values=["no"]
        )
    with refused("show_if"):
        building.question_update(
            question=first, by=coordinator, show_if=first, show_if_values=["no"]
        )


def test_a_question_others_depend_on_keeps_its_kind_and_the_options_they_use(
    coordinator: User,
) -> None:
    call = draft_call()
    scope = add(call, coordinator, "kapsam", QuestionKind.CHOICE, options=OPTIONS)
    add(call, coordinator, "ayrinti", show_if=scope, show_if_values=["yes"])
    with refused("kind"):
        building.question_update(
            question=scope, by=coordinator, kind=QuestionKind.SHORT_TEXT, options=[]
        )
    with refused("options"):
        building.question_update(
            question=scope,
            by=coordinator,
            options=[{"key": "no", "tr": "Hayır"}, {"key": "maybe", "tr": "Belki"}],
        )
    changed = building.question_update(
        question=scope,
        by=coordinator,
        kind=QuestionKind.MULTI_CHOICE,
        options=[*OPTIONS, {"key": "maybe", "tr": "Belki"}],
    )
    assert changed.kind == QuestionKind.MULTI_CHOICE


def test_a_question_others_depend_on_cannot_be_removed(coordinator: User) -> None:
    call = draft_call()
    scope = add(call, coordinator, "kapsam", QuestionKind.CHOICE, options=OPTIONS)
    add(call, coordinator, "ayrinti", show_if=scope, show_if_values=["yes"])
    with refused("dependants"):
        building.question_delete(question=scope, by=coordinator)
    assert call.questions.count() == 2


def test_removing_a_question_closes_the_gap_in_positions(coordinator: User) -> None:
    call = draft_call()
    _, second, _ = (add(call, coordinator, key) for key in ("a", "b", "c"))
    building.question_delete(question=second, by=coordinator)
    assert list(call.questions.values_list("key", "position")) == [("a", 1), ("c", 2)]
    assert AuditEntry.objects.filter(action="kaynak.calls.question.removed").exists()


def test_after_a_submission_questions_keep_their_kind_and_stay_but_wording_may_change(
    coordinator: User,
) -> None:
    call = CallFactory.create()
    question = add(call, coordinator, "amac", QuestionKind.LONG_TEXT)
    ApplicationFactory.create(call=call, answers={})
    with refused("submitted"):
        building.question_delete(question=question, by=coordinator)
    with refused("kind"):
        building.question_update(question=question, by=coordinator, kind=QuestionKind.SHORT_TEXT)
    changed = building.question_update(
        question=question,
        by=coordinator,
        label="Amacınız nedir?",
        help_text="Kısaca",
        label_en="Your aim?",
    )
    assert (changed.label, changed.help_text, changed.label_en) == (
        "Amacınız nedir?",
        "Kısaca",
        "Your aim?",
    )


def test_a_withdrawn_application_counts_as_submitted(coordinator: User) -> None:
    call = CallFactory.create()
    question = add(call, coordinator, "amac")
    ApplicationFactory.create(call=call, status=ApplicationStatus.WITHDRAWN)
    with refused("submitted"):
        building.question_delete(question=question, by=coordinator)


def test_questions_move_up_down_and_to_a_position(coordinator: User) -> None:
    call = draft_call()
    a, b, c = (add(call, coordinator, key) for key in ("a", "b", "c"))

    def order() -> list[str]:
        return list(call.questions.order_by("position").values_list("key", flat=True))

    building.question_move(question=c, by=coordinator, direction="up")
    assert order() == ["a", "c", "b"]
    building.question_move(question=a, by=coordinator, direction="down")
    assert order() == ["c", "a", "b"]
    building.question_move(question=b, by=coordinator, to=1)
    assert order() == ["b", "c", "a"]
    building.question_move(question=b, by=coordinator, direction="up")  # already first
    assert order() == ["b", "c", "a"]


def test_a_question_cannot_move_above_the_one_it_depends_on(coordinator: User) -> None:
    call = draft_call()
    scope = add(call, coordinator, "kapsam", QuestionKind.CHOICE, options=OPTIONS)
    detail = add(call, coordinator, "ayrinti", show_if=scope, show_if_values=["yes"])
    with refused("position"):
        building.question_move(question=detail, by=coordinator, direction="up")
    with refused("position"):
        building.question_move(question=scope, by=coordinator, direction="down")
    assert list(call.questions.order_by("position").values_list("key", flat=True)) == [
        "kapsam",
        "ayrinti",
    ]

"""Building calls: the verbs staff use to make a call, its form (questions with their
conditions) and publish it. Staff pages, the admin and scripts call these; nothing else writes
calls or questions.

Every broken rule raises a ``CallError`` whose ``code`` names the field at fault (``key``,
``options``, ``closes_at`` …), so a form can show the message next to that field.

The form stays answerable: a question's key is how answers are stored, so it never changes once
an application has answered it; a conditional question only depends on an *earlier* choice
question (so conditions cannot loop); and once anyone has submitted, questions are neither
removed nor given another kind (their wording may still improve).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kaynak.calls.errors import CallError
from kaynak.calls.models import (
    Call,
    CallStatus,
    Question,
    QuestionKind,
)
from kaynak.core.audit import log_action
from kaynak.core.db import free_slug, set_related
from kaynak.core.models import ApplicantType, Province
from kaynak.programmes.models import Programme

CALL_FIELDS = frozenset(
    {
        "title",
        "title_en",
        "slug",
        "description",
        "description_en",
        "opens_at",
        "closes_at",
        "one_per_organisation",
        "people_label",
        "people_label_en",
        "people_min",
        "people_max",
        "blind_review",
        "reviewers_per_application",
        "spread_threshold",
    }
)
QUESTION_FIELDS = frozenset(
    {
        "key",
        "kind",
        "label",
        "label_en",
        "help_text",
        "help_text_en",
        "required",
        "max_words",
        "min_value",
        "max_value",
        "options",
        "max_file_mb",
        "show_if",
        "show_if_values",
    }
)
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
CHOICE_KINDS = frozenset({QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE})
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
SPREAD_MAX = Decimal(4)  # the widest gap on a 1–5 scale


def local_time_text(moment: dt.datetime) -> str:
    """``moment`` as people here read it: "15 March 2027, 17:00" in Istanbul time."""
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


def unique_call_slug(text: str, *, exclude: Call | None = None) -> str:
    """A free address for a call from ``text``, Turkish letters folded, numbered when taken."""
    rows = Call.objects.exclude(pk=exclude.pk) if exclude is not None else Call.objects.all()
    return free_slug(rows, text, fallback="cagri", max_length=110)


def _check_fields(values: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"Not fields of this record: {', '.join(sorted(unknown))}")


def has_submissions(call: Call) -> bool:
    """Whether anyone has submitted to ``call`` (a withdrawn application was submitted too)."""
    return call.applications.filter(submitted_at__isnull=False).exists()


# Calls ------------------------------------------------------------------------------------------


def _check_call(call: Call) -> None:
    if not call.title.strip():
        raise CallError(_("Give the call a title."), code="title")
    if not call.slug or not re.fullmatch(r"[-a-zA-Z0-9_]+", call.slug):
        raise CallError(
            _("The address may use only letters without accents, digits and hyphens."),
            code="slug",
        )
    if Call.objects.filter(slug=call.slug).exclude(pk=call.pk).exists():
        raise CallError(_("Another call already has this address."), code="slug")
    if call.opens_at is None or call.closes_at is None:
        raise CallError(_("Give the opening and the deadline."), code="closes_at")
    if call.opens_at >= call.closes_at:
        raise CallError(
            _("The call must open before its deadline (%(deadline)s, Istanbul time).")
            % {"deadline": local_time_text(call.closes_at)},
            code="closes_at",
        )
    if call.people_max < call.people_min:
        raise CallError(
            _("“At most” cannot be fewer than “at least” (%(min)d).") % {"min": call.people_min},
            code="people_max",
        )
    if call.people_max and not call.people_label.strip():
        raise CallError(
            _("Say whom applications name (e.g. Representatives)."), code="people_label"
        )
    if call.reviewers_per_application < 1:
        raise CallError(
            _("Each application needs at least one reviewer."), code="reviewers_per_application"
        )
    if not Decimal(0) < Decimal(call.spread_threshold) <= SPREAD_MAX:
        raise CallError(_("Give a difference between 0 and 4 points."), code="spread_threshold")


def _set_eligibility(
    call: Call,
    applicant_types: Iterable[ApplicantType] | None,
    provinces: Iterable[Province] | None,
) -> list[str]:
    return [
        name
        for name, rows in (("applicant_types", applicant_types), ("provinces", provinces))
        if set_related(call, name, rows)
    ]


@transaction.atomic
def call_create(
    *,
    by: Any,
    programme: Programme,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    applicant_types: Iterable[ApplicantType] = (),
    provinces: Iterable[Province] = (),
    **values: Any,
) -> Call:
    """Create a call as a draft; add questions, then publish it."""
    _check_fields(values, CALL_FIELDS - {"title", "opens_at", "closes_at"})
    values = dict(values)
    slug = values.pop("slug", "") or unique_call_slug(title)
    call = Call(
        programme=programme,
        title=title.strip(),
        slug=slug,
        opens_at=opens_at,
        closes_at=closes_at,
        status=CallStatus.DRAFT,
        **values,
    )
    _check_call(call)
    call.save()
    _set_eligibility(call, applicant_types, provinces)
    log_action("kaynak.calls.call.created", actor=by, target=call, data={"slug": call.slug})
    return call


@transaction.atomic
def call_update(
    *,
    call: Call,
    by: Any,
    programme: Programme | None = None,
    applicant_types: Iterable[ApplicantType] | None = None,
    provinces: Iterable[Province] | None = None,
    **changes: Any,
) -> Call:
    """Change a call's texts, dates, eligibility, the people it asks for and its review
    settings. Only the fields given change."""
    _check_fields(changes, CALL_FIELDS)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if programme is not None:
        changes["programme"] = programme
    changed = sorted(name for name, value in changes.items() if getattr(call, name) != value)
    for name in changed:
        setattr(call, name, changes[name])
    if changed:
        _check_call(call)
        if call.status == CallStatus.PUBLISHED and "slug" in changed and has_submissions(call):
            raise CallError(
                _("People have applied through this address; it cannot change now."),
                code="slug",
            )
        call.save()
    changed += _set_eligibility(call, applicant_types, provinces)
    if changed:
        log_action(
            "kaynak.calls.call.changed", actor=by, target=call, data={"fields": sorted(changed)}
        )
    return call


@transaction.atomic
def call_publish(*, call: Call, by: Any, now: dt.datetime | None = None) -> Call:
    """Publish a call: its page appears and, from its opening, people may apply."""
    now = now or timezone.now()
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.PUBLISHED:
        return call
    if not call.questions.exists():
        raise CallError(_("Add at least one question before publishing."), code="questions")
    if call.closes_at <= now:
        raise CallError(
            _(
                "The deadline (%(deadline)s, Istanbul time) has passed; move it to the future "
                "before publishing."
            )
            % {"deadline": local_time_text(call.closes_at)},
            code="closes_at",
        )
    call.status = CallStatus.PUBLISHED
    call.published_at = now
    call.save(update_fields=["status", "published_at", "updated_at"])
    log_action("kaynak.calls.call.published", actor=by, target=call)
    return call


@transaction.atomic
def call_unpublish(*, call: Call, by: Any) -> Call:
    """Take a call back to draft, while nobody has submitted to it yet."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.DRAFT:
        return call
    if has_submissions(call):
        raise CallError(
            _("Applications have been submitted to this call; it stays published."),
            code="submitted",
        )
    call.status = CallStatus.DRAFT
    call.published_at = None
    call.save(update_fields=["status", "published_at", "updated_at"])
    log_action("kaynak.calls.call.unpublished", actor=by, target=call)
    return call


@transaction.atomic
def call_copy(
    *,
    call: Call,
    by: Any,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    slug: str = "",
    title_en: str = "",
) -> Call:
    """Next year's call: a draft with the same settings, eligibility, questions (with their
    conditions), rubric and decision e-mails, under a new title, address and dates."""
    source = Call.objects.get(pk=call.pk)
    copy = Call(
        programme=source.programme,
        title=title.strip(),
        title_en=title_en.strip() or source.title_en,
        slug=slug or unique_call_slug(title),
        description=source.description,
        description_en=source.description_en,
        status=CallStatus.DRAFT,
        opens_at=opens_at,
        closes_at=closes_at,
        one_per_organisation=source.one_per_organisation,
        people_label=source.people_label,
        people_label_en=source.people_label_en,
        people_min=source.people_min,
        people_max=source.people_max,
        blind_review=source.blind_review,
        reviewers_per_application=source.reviewers_per_application,
        spread_threshold=source.spread_threshold,
    )
    _check_call(copy)
    copy.save()
    copy.applicant_types.set(list(source.applicant_types.all()))
    copy.provinces.set(list(source.provinces.all()))
    copies: dict[int, Question] = {}
    # In order, so each condition's question is already copied when its dependant comes.
    for question in source.questions.order_by("position", "pk"):
        original_pk = question.pk
        show_if = copies[question.show_if_id] if question.show_if_id else None
        question.pk = None
        question.id = None
        question.call = copy
        question.show_if = show_if
        question.save()
        copies[original_pk] = question
    for criterion in source.criteria.all():
        criterion.pk = None
        criterion.id = None
        criterion.call = copy
        criterion.save()
    for template in source.decision_templates.all():
        template.pk = None
        template.id = None
        template.call = copy
        template.save()
    log_action(
        "kaynak.calls.call.copied",
        actor=by,
        target=copy,
        data={"from": source.pk, "from_slug": source.slug, "questions": len(copies)},
    )
    return copy


# Questions --------------------------------------------------------------------------------------


def option_problem(option: Mapping[str, Any], seen: set[str]) -> str | None:
    """What is wrong with one option of a choice question (``seen``: the keys before it), or
    None. The form names the line; the service names the option."""
    key = str(option.get("key", "")).strip()
    if not key:
        return str(_("give the option a key (e.g. yes)"))
    if not KEY_PATTERN.match(key):
        return str(
            _("the key “%(key)s” may use only small letters without accents, digits and hyphens")
            % {"key": key}
        )
    if key in seen:
        return str(_("the key “%(key)s” is used twice") % {"key": key})
    if not str(option.get("tr", "")).strip():
        return str(_("the option “%(key)s” needs a Turkish label") % {"key": key})
    return None


def _check_options(options: Sequence[Mapping[str, Any]]) -> None:
    if len(options) < 2:
        raise CallError(_("A choice question needs at least two options."), code="options")
    seen: set[str] = set()
    for number, option in enumerate(options, start=1):
        problem = option_problem(option, seen)
        if problem:
            raise CallError(
                _("Option %(number)d: %(problem)s.") % {"number": number, "problem": problem},
                code="options",
            )
        seen.add(str(option["key"]).strip())


def _clean_options(options: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "key": str(option.get("key", "")).strip(),
            "tr": str(option.get("tr", "")).strip(),
            "en": str(option.get("en", "")).strip(),
        }
        for option in options
    ]


def _before(a: Question, b: Question) -> bool:
    """Whether ``a`` comes before ``b`` in the form."""
    return (a.position, a.pk or 0) < (b.position, b.pk or 0) if b.pk else True


def _answered(question_key: str, call: Call) -> bool:
    """Whether any application (a draft too) holds an answer under ``question_key``."""
    return (
        call.applications.filter(answers__has_key=question_key).exists()
        or call.applications.filter(files__question_key=question_key).exists()
    )


def _check_question(question: Question, original: Question | None) -> None:
    call = question.call
    if not KEY_PATTERN.match(question.key or ""):
        raise CallError(
            _("The key may use only small letters without accents, digits and hyphens."),
            code="key",
        )
    if call.questions.filter(key=question.key).exclude(pk=question.pk).exists():
        raise CallError(_("Another question of this call has this key."), code="key")
    if question.kind not in QuestionKind.values:
        raise CallError(_("Choose the kind of question."), code="kind")
    if not question.label.strip():
        raise CallError(_("Write the question in Turkish."), code="label")
    if question.max_words is not None:
        if question.kind not in TEXT_KINDS:
            raise CallError(_("A word limit applies only to text questions."), code="max_words")
        if question.max_words < 1:
            raise CallError(_("A word limit must be at least 1."), code="max_words")
    if question.kind != QuestionKind.NUMBER and (
        question.min_value is not None or question.max_value is not None
    ):
        raise CallError(
            _("The smallest and largest values apply only to number questions."),
            code="min_value",
        )
    if (
        question.min_value is not None
        and question.max_value is not None
        and question.min_value > question.max_value
    ):
        raise CallError(
            _("The smallest value cannot be above the largest (%(largest)s).")
            % {"largest": question.max_value},
            code="max_value",
        )
    if question.kind in CHOICE_KINDS:
        _check_options(question.options)
    elif question.options:
        raise CallError(_("Only choice questions have options."), code="options")
    if question.kind == QuestionKind.FILE and not 1 <= question.max_file_mb <= 100:
        raise CallError(_("Give a size between 1 and 100 MB."), code="max_file_mb")
    _check_condition(question)
    if original is not None:
        _check_change(question, original)


def _check_condition(question: Question) -> None:
    condition = question.show_if
    if condition is None:
        if question.show_if_values:
            raise CallError(_("Choose the question whose answer shows this one."), code="show_if")
        return
    if condition.call_id != question.call_id:
        raise CallError(_("The condition must be a question of the same call."), code="show_if")
    if condition.pk == question.pk or not _before(condition, question):
        raise CallError(
            _("A question can depend only on a question that comes before it."), code="show_if"
        )
    if condition.kind not in CHOICE_KINDS:
        raise CallError(_("A question can depend only on a choice question."), code="show_if")
    keys = {option["key"] for option in condition.options}
    values = list(question.show_if_values)
    if not values:
        raise CallError(_("Choose the answers that show this question."), code="show_if_values")
    unknown = [value for value in values if value not in keys]
    if unknown:
        raise CallError(
            _("“%(question)s” has no option “%(key)s”.")
            % {"question": condition.label, "key": unknown[0]},
            code="show_if_values",
        )


def _check_change(question: Question, original: Question) -> None:
    call = question.call
    if question.key != original.key and _answered(original.key, call):
        raise CallError(
            _("Applications have answered this question; its key cannot change."), code="key"
        )
    if question.kind != original.kind and has_submissions(call):
        raise CallError(
            _("Applications have been submitted; the kind of question cannot change."),
            code="kind",
        )
    dependants = list(question.dependants.all())
    if dependants:
        if question.kind not in CHOICE_KINDS:
            raise CallError(
                _("“%(question)s” depends on this question; it stays a choice question.")
                % {"question": dependants[0].label},
                code="kind",
            )
        keys = {option["key"] for option in question.options}
        for dependant in dependants:
            missing = [value for value in dependant.show_if_values if value not in keys]
            if missing:
                raise CallError(
                    _("“%(question)s” is shown when the answer is “%(key)s”; keep that option.")
                    % {"question": dependant.label, "key": missing[0]},
                    code="options",
                )


def _locked_call(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def _question_log(question: Question) -> dict[str, Any]:
    return {"question": question.pk, "key": question.key, "kind": question.kind}


@transaction.atomic
def question_add(
    *,
    call: Call,
    by: Any,
    key: str,
    kind: str,
    label: str,
    options: Iterable[Mapping[str, Any]] = (),
    show_if: Question | None = None,
    show_if_values: Iterable[str] = (),
    **values: Any,
) -> Question:
    """Add a question at the end of the call's form."""
    _check_fields(values, QUESTION_FIELDS)
    call = _locked_call(call)
    if kind != QuestionKind.FILE:
        values.pop("max_file_mb", None)
    last = call.questions.aggregate(last=Max("position"))["last"]
    question = Question(
        call=call,
        key=key.strip(),
        kind=kind,
        label=label.strip(),
        options=_clean_options(options),
        show_if=show_if,
        show_if_values=list(show_if_values),
        position=(last or 0) + 1,
        **values,
    )
    _check_question(question, None)
    question.save()
    log_action("kaynak.calls.question.added", actor=by, target=call, data=_question_log(question))
    return question


@transaction.atomic
def question_update(*, question: Question, by: Any, **changes: Any) -> Question:
    """Change a question: wording and help always; key, kind, options and condition within the
    rules above."""
    _check_fields(changes, QUESTION_FIELDS)
    _locked_call(question.call)
    original = Question.objects.select_related("call").get(pk=question.pk)
    question = Question.objects.select_related("call").get(pk=question.pk)
    if "options" in changes:
        changes["options"] = _clean_options(changes["options"])
    if "show_if_values" in changes:
        changes["show_if_values"] = list(changes["show_if_values"])
    changed = sorted(name for name, value in changes.items() if getattr(question, name) != value)
    if not changed:
        return question
    for name in changed:
        setattr(question, name, changes[name])
    _check_question(question, original)
    question.save()
    log_action(
        "kaynak.calls.question.changed",
        actor=by,
        target=question.call,
        data={**_question_log(question), "fields": changed},
    )
    return question


def _renumber(questions: Sequence[Question]) -> None:
    for position, question in enumerate(questions, start=1):
        if question.position != position:
            question.position = position
            question.save(update_fields=["position"])


@transaction.atomic
def question_delete(*, question: Question, by: Any) -> None:
    """Remove a question nobody depends on, while nobody has submitted to the call."""
    call = _locked_call(question.call)
    question = Question.objects.get(pk=question.pk)
    if has_submissions(call):
        raise CallError(
            _("Applications have been submitted; questions can no longer be removed."),
            code="submitted",
        )
    dependant = question.dependants.first()
    if dependant is not None:
        raise CallError(
            _("“%(question)s” depends on this question; change or remove it first.")
            % {"question": dependant.label},
            code="dependants",
        )
    data = _question_log(question)
    question.delete()
    _renumber(list(call.questions.order_by("position", "pk")))
    log_action("kaynak.calls.question.removed", actor=by, target=call, data=data)


@transaction.atomic
def question_move(
    *, question: Question, by: Any, direction: str = "", to: int | None = None
) -> Question:
    """Move a question one place ``up`` or ``down``, or ``to`` a position (1 is first). A
    question stays below the one it depends on, and above the ones depending on it."""
    call = _locked_call(question.call)
    order = list(call.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(order) if q.pk == question.pk)
    if to is not None:
        target = min(max(to, 1), len(order)) - 1
    elif direction == "up":
        target = max(index - 1, 0)
    elif direction == "down":
        target = min(index + 1, len(order) - 1)
    else:
        raise ValueError(f"Move up, down or to a position, not {direction!r}")
    if target == index:
        return order[index]
    moving = order.pop(index)
    order.insert(target, moving)
    placed = {q.pk: i for i, q in enumerate(order)}
    for q in order:
        if q.show_if_id is not None and placed[q.show_if_id] > placed[q.pk]:
            condition = next(c for c in order if c.pk == q.show_if_id)
            raise CallError(
                _("“%(dependant)s” depends on “%(question)s”; it must stay below it.")
                % {"dependant": q.label, "question": condition.label},
                code="position",
            )
    _renumber(order)
    log_action(
        "kaynak.calls.question.moved",
        actor=by,
        target=call,
        data={**_question_log(moving), "position": target + 1},
    )
    return moving

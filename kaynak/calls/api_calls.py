"""Calls over the API (public, no authentication): the published calls (``open=true`` for those
taking applications now, ``programme=<slug>``) and one call with its questions, labels in the
request's language (Accept-Language). A draft answers 404 in the house error format.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from kaynak.calls import queries
from kaynak.calls.models import Call
from kaynak.core.pagination import PageNumber

router = Router(tags=["calls"])


class ProgrammeRef(Schema):
    name: str
    slug: str


class OptionOut(Schema):
    key: str
    label: str


class ConditionOut(Schema):
    question: str = Field(description="Key of the earlier choice question")
    values: list[str] = Field(description="Its option keys that show this question")


class QuestionOut(Schema):
    key: str
    kind: str
    label: str
    help: str
    required: bool
    max_words: int | None
    min_value: Decimal | None
    max_value: Decimal | None
    max_file_mb: int | None
    options: list[OptionOut]
    show_if: ConditionOut | None


class CallOut(Schema):
    slug: str
    title: str
    description: str
    programme: ProgrammeRef
    opens_at: dt.datetime
    closes_at: dt.datetime
    is_open: bool
    applicant_types: list[str] = Field(description="Slugs; empty: every kind")
    provinces: list[int] = Field(description="Plate codes; empty: every province")
    one_per_organisation: bool
    people_label: str
    people_min: int
    people_max: int


class CallDetailOut(CallOut):
    questions: list[QuestionOut]


class CallPage(Schema):
    items: list[CallOut]
    count: int
    page: int
    pages: int
    page_size: int


class CallFilterIn(Schema):
    open: bool = Field(False, description="Only calls taking applications now")
    programme: str = Field("", description="Programme slug")


def _call(call: Call) -> dict[str, Any]:
    english = (get_language() or "tr").startswith("en")
    return {
        "slug": call.slug,
        "title": call.label,
        "description": (call.description_en if english and call.description_en else "")
        or call.description,
        "programme": {"name": call.programme.label, "slug": call.programme.slug},
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "is_open": call.is_open(),
        "applicant_types": [kind.slug for kind in call.applicant_types.all()],
        "provinces": [province.pk for province in call.provinces.all()],
        "one_per_organisation": call.one_per_organisation,
        "people_label": call.people_heading,
        "people_min": call.people_min,
        "people_max": call.people_max,
    }


def _questions(call: Call) -> list[dict[str, Any]]:
    return [
        {
            "key": question.key,
            "kind": question.kind,
            "label": question.text,
            "help": question.help,
            "required": question.required,
            "max_words": question.max_words,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "max_file_mb": question.max_file_mb if question.kind == "file" else None,
            "options": [
                {"key": option["key"], "label": queries.option_text(option)}
                for option in question.options
            ],
            "show_if": (
                {"question": question.show_if.key, "values": question.show_if_values}
                if question.show_if
                else None
            ),
        }
        for question in queries.form_questions(call)
    ]


@router.get("/calls", response=CallPage, auth=None, summary="Published calls for applications")
def call_list(
    request: HttpRequest, filters: Query[CallFilterIn], pagination: Query[PageNumber.Input]
) -> dict[str, Any]:
    found = queries.published_calls(open_only=filters.open, programme=filters.programme)
    page: dict[str, Any] = PageNumber().paginate_queryset(found, pagination, request)
    page["items"] = [_call(call) for call in page["items"]]
    return page


@router.get(
    "/calls/{slug}", response=CallDetailOut, auth=None, summary="A published call with its form"
)
def call_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    try:
        call = queries.call_for_public(slug)
    except Call.DoesNotExist:
        raise Http404 from None
    return {**_call(call), "questions": _questions(call)}

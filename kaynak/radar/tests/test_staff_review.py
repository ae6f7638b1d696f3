"""Reviewing one call: corrections saved as changes (errors beside the fields, typed values
kept, nothing half-saved), publish in one click, reject with a required reason, back to
drafts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import AuditEntry
from kaynak.radar import manual, queries
from kaynak.radar.forms import form_initial
from kaynak.radar.models import ChangeKind, Opportunity, OpportunityChange, OpportunityStatus
from kaynak.radar.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

ANNOUNCEMENT = """Kadın Kooperatiflerine Destek Programı
Programın amacı kırsal alanda kadınların ekonomik hayata katılımını desteklemektir.
Son başvuru tarihi: 15 Aralık 2026 saat 17:00
Proje başına azami destek tutarı 750.000 TL'dir.
Uygun başvuru sahipleri: dernekler ve vakıflar.
"""


@pytest.fixture
def editor_user() -> User:
    return StaffFactory.create(roles=[Role.RADAR_EDITOR])


@pytest.fixture
def editor(editor_user: User) -> Client:
    client = Client()
    client.force_login(editor_user)
    return client


@pytest.fixture
def draft(editor_user: User) -> Opportunity:
    return manual.enter_text(
        actor=editor_user,
        text=ANNOUNCEMENT,
        title="Kadın Kooperatiflerine Destek Programı",
        url="https://ajans.example.org/kadin-kooperatifleri",
    ).opportunity


def posted(call: Opportunity, **changes: Any) -> dict[str, Any]:
    """The review form as the page fills it, with ``changes``."""
    data: dict[str, Any] = {}
    for name, value in form_initial(Opportunity.objects.get(pk=call.pk)).items():
        if value is None:
            data[name] = ""
        elif name == "funder":
            data[name] = value.pk
        elif isinstance(value, dt.date | dt.time):
            data[name] = value.isoformat()[:10] if isinstance(value, dt.date) else f"{value:%H:%M}"
        else:
            data[name] = value
    return data | changes


def test_an_editor_corrects_the_deadline_and_the_change_is_kept(
    editor: Client, editor_user: User, draft: Opportunity
) -> None:
    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft, deadline_date="2026-12-22", note="Süre uzatıldı") | {"action": "save"},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.deadline_date == dt.date(2026, 12, 22)
    assert draft.status == OpportunityStatus.DRAFT
    change = OpportunityChange.objects.get(opportunity=draft, kind=ChangeKind.EDITED)
    assert change.fields == {"deadline_date": ["2026-12-15", "2026-12-22"]}
    assert change.actor == editor_user
    assert change.note == "Süre uzatıldı"
    assert AuditEntry.objects.filter(action="kaynak.radar.opportunity.edited").exists()


def test_amounts_are_read_as_editors_write_them(editor: Client, draft: Opportunity) -> None:
    editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft, amount_min="100.000", amount_max="1.500.000,50", currency="EUR"),
    )

    draft.refresh_from_db()
    assert (draft.amount_min, draft.amount_max, draft.currency) == (
        Decimal("100000"),
        Decimal("1500000.50"),
        "EUR",
    )


def test_saving_unchanged_fields_records_nothing(editor: Client, draft: Opportunity) -> None:
    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"), posted(draft), follow=True
    )

    assertContains(response, "Nothing was changed.")
    assert not OpportunityChange.objects.filter(kind=ChangeKind.EDITED).exists()


def test_a_country_group_shortcut_adds_its_countries(editor: Client, draft: Opportunity) -> None:
    editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft, country_groups=["western-balkans"], countries=["TR"]),
    )

    assert sorted(draft.countries.values_list("code", flat=True)) == [
        "AL",
        "BA",
        "ME",
        "MK",
        "RS",
        "TR",
        "XK",
    ]


def test_bad_values_are_explained_beside_the_fields_and_kept_and_nothing_is_saved(
    editor: Client, draft: Opportunity
) -> None:
    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft, title="Yeni başlık", amount_min="900.000", amount_max="abc"),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["amount_max"] == ["Write an amount such as 150000 or 1.500.000,00."]
    assertContains(response, 'value="Yeni başlık"', status_code=400)
    assertContains(response, 'value="abc"', status_code=400)
    draft.refresh_from_db()
    assert draft.title == "Kadın Kooperatiflerine Destek Programı"
    assert not OpportunityChange.objects.filter(kind=ChangeKind.EDITED).exists()


def test_the_smallest_grant_cannot_exceed_the_largest(editor: Client, draft: Opportunity) -> None:
    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft, amount_min="900.000", amount_max="100.000"),
    )

    assert response.context["form"].errors["amount_min"] == [
        "The smallest grant is larger than the largest."
    ]


def test_a_fixed_deadline_needs_its_date(editor: Client, draft: Opportunity) -> None:
    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft, deadline_date="", deadline_time=""),
    )

    assert response.context["form"].errors["deadline_date"] == ["A fixed deadline needs its date."]


def test_publish_saves_the_corrections_and_shows_the_call_publicly(
    editor: Client, editor_user: User, draft: Opportunity
) -> None:
    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft, title="Kadın Kooperatifleri Hibe Programı") | {"action": "publish"},
        follow=True,
    )

    assertContains(response, "Published: Kadın Kooperatifleri Hibe Programı")
    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.PUBLISHED
    assert draft.published_at is not None
    assert draft.reviewed_by == editor_user
    assert list(draft.changes.values_list("kind", flat=True)[:2]) == [
        ChangeKind.PUBLISHED,
        ChangeKind.EDITED,
    ]
    assert draft in queries.published()


def test_publish_goes_on_to_the_next_draft_of_the_queue(editor: Client, draft: Opportunity) -> None:
    older = OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    Opportunity.objects.filter(pk=older.pk).update(created_at=draft.created_at - dt.timedelta(1))

    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft) | {"action": "publish"},
    )

    assert response["Location"] == url("radar:staff-opportunity", older.pk, language="en")


def test_a_call_the_service_refuses_to_publish_says_why_and_keeps_its_corrections_unsaved(
    editor: Client, draft: Opportunity
) -> None:
    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="en"),
        posted(draft, title="Başka başlık", url="", summary="") | {"action": "publish"},
    )

    assertContains(
        response, "Add the original link or a summary before publishing.", status_code=400
    )
    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.DRAFT
    assert draft.title == "Kadın Kooperatiflerine Destek Programı"


def test_rejecting_needs_a_reason(editor: Client, draft: Opportunity) -> None:
    response = editor.post(
        url("radar:staff-opportunity-reject", draft.pk, language="en"), {"reason": "  "}
    )

    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"] == ["Say why the call is rejected."]
    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.DRAFT


def test_a_rejected_call_keeps_its_reason_and_can_go_back_to_drafts(
    editor: Client, draft: Opportunity
) -> None:
    editor.post(
        url("radar:staff-opportunity-reject", draft.pk, language="en"),
        {"reason": "Bir ihale ilanı, hibe değil."},
    )
    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.REJECTED
    assert draft.rejection_reason == "Bir ihale ilanı, hibe değil."
    assert draft not in queries.published()

    editor.post(url("radar:staff-opportunity-reopen", draft.pk, language="en"))

    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.DRAFT
    assert draft.changes.first().kind == ChangeKind.REOPENED  # type: ignore[union-attr]


def test_the_turkish_review_page_works_the_same(editor: Client, draft: Opportunity) -> None:
    response = editor.post(
        url("radar:staff-opportunity", draft.pk, language="tr"),
        posted(draft) | {"action": "publish"},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.PUBLISHED


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_date_field_shows_the_deadline_as_the_browsers_date_picker_reads_it(
    editor: Client, draft: Opportunity, language: str
) -> None:
    """A date input only takes ISO dates: a Turkish "15.03.2027" would show it empty, and the
    next save would lose the deadline."""
    assert draft.deadline_date is not None
    page = editor.get(url("radar:staff-opportunity", draft.pk, language=language))

    assertContains(page, f'name="deadline_date" value="{draft.deadline_date.isoformat()}"')


def test_actions_only_take_posts(editor: Client, draft: Opportunity) -> None:
    assert editor.get(url("radar:staff-opportunity-reject", draft.pk)).status_code == 405
    assert editor.get(url("radar:staff-opportunity-reopen", draft.pk)).status_code == 405

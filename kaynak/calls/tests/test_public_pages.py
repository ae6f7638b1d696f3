"""The public pages of calls: the list (open, then upcoming, then recently closed), one call's
page (eligibility in words, dates in Istanbul time, days left, the questions, the way to apply),
drafts hidden from the public and previewed by staff, Turkish and English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.calls.models import CallStatus, QuestionKind
from kaynak.calls.queries import RECENTLY_CLOSED_DAYS
from kaynak.calls.tests.factories import CallFactory, QuestionFactory
from kaynak.calls.views.public import days_left
from kaynak.core.models import ApplicantType
from kaynak.directory.tests.factories import province

pytestmark = pytest.mark.django_db


def in_days(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_open_calls_come_first_then_upcoming_then_recently_closed(
    client: Client, django_assert_num_queries: Any
) -> None:
    later = CallFactory.create(title="Açık, geç kapanan", closes_at=in_days(30))
    sooner = CallFactory.create(title="Açık, yakında kapanan", closes_at=in_days(3))
    upcoming = CallFactory.create(
        title="Yakında açılacak", opens_at=in_days(5), closes_at=in_days(40)
    )
    closed = CallFactory.create(title="Yeni kapandı", opens_at=in_days(-30), closes_at=in_days(-2))
    CallFactory.create(
        title="Çoktan kapandı",
        opens_at=in_days(-RECENTLY_CLOSED_DAYS - 30),
        closes_at=in_days(-RECENTLY_CLOSED_DAYS - 1),
    )
    CallFactory.create(title="Taslak", status=CallStatus.DRAFT, published_at=None)
    client.get(url("calls:list"))
    # Three lists, each with its types and provinces; the center's settings.
    with django_assert_num_queries(10) as few:
        response = client.get(url("calls:list"))
    calls = response.context["calls"]
    assert calls.open == [sooner, later]
    assert calls.upcoming == [upcoming]
    assert calls.closed == [closed]
    assertNotContains(response, "Taslak")
    assertNotContains(response, "Çoktan kapandı")
    CallFactory.create_batch(3)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url("calls:list"))


def test_the_list_says_who_may_apply_and_the_deadline_in_istanbul_time(client: Client) -> None:
    call = CallFactory.create(
        closes_at=dt.datetime(2099, 3, 15, 14, 0, tzinfo=dt.UTC), title_en="School"
    )
    call.applicant_types.set([ApplicantType.objects.get(slug="foundation")])
    call.provinces.set([province(35)])
    response = client.get(url("calls:list", language="en"))
    assertContains(response, "School")
    assertContains(response, "Deadline: 15 March 2099, 17:00 (Istanbul time)")
    assertContains(response, "Foundation")
    assertContains(response, "İzmir")
    assertContains(response, call.programme.label)


def test_a_calls_page_says_eligibility_dates_days_left_and_questions(client: Client) -> None:
    call = CallFactory.create(
        title="Okul çağrısı",
        title_en="School call",
        description="Türkçe açıklama",
        description_en="English description",
        closes_at=in_days(9.5),
        people_label="Temsilciler",
        people_label_en="Representatives",
        people_min=2,
        people_max=2,
    )
    call.applicant_types.set([ApplicantType.objects.get(slug="association")])
    QuestionFactory.create(call=call, label="Beklentiniz?", label_en="Your expectations?")
    QuestionFactory.create(
        call=call,
        kind=QuestionKind.CHOICE,
        max_words=None,
        label="Tür",
        label_en="Kind",
        options=[{"key": "a", "tr": "Dernek", "en": "Association"}, {"key": "b", "tr": "Vakıf"}],
    )
    response = client.get(url("calls:call", call.slug, language="en"))
    assertContains(response, "School call")
    assertContains(response, "English description")
    assertContains(response, "10 days left")
    assertContains(response, "Every province")
    assertContains(response, "One application per organisation")
    assertContains(response, "The application names 2 people.")
    assertContains(response, "Your expectations?")
    assertContains(response, "At most 300 words.")
    assertContains(response, "Vakıf")  # no English label: the Turkish one

    turkish = client.get(url("calls:call", call.slug))
    assertContains(turkish, "Türkçe açıklama")
    assertContains(turkish, "Beklentiniz?")
    assertNotContains(turkish, "Your expectations?")


def test_a_closed_call_says_when_it_closed_and_offers_no_apply_button(client: Client) -> None:
    call = CallFactory.create(
        opens_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2020, 2, 3, 14, 0, tzinfo=dt.UTC),
    )
    response = client.get(url("calls:call", call.slug, language="en"))
    assertContains(response, "closed on 3 February 2020")
    assertContains(response, "applications are no longer accepted")
    assertNotContains(response, url("calls:apply", call.slug, language="en"))
    assert response.context["is_open"] is False


def test_an_upcoming_call_says_when_it_opens(client: Client) -> None:
    call = CallFactory.create(
        opens_at=dt.datetime(2099, 5, 1, 6, 0, tzinfo=dt.UTC), closes_at=in_days(365 * 80)
    )
    response = client.get(url("calls:call", call.slug, language="en"))
    assertContains(response, "Applications open on 1 May 2099, 09:00 (Istanbul time).")


def test_an_open_call_links_to_its_application_form(client: Client) -> None:
    call = CallFactory.create()
    response = client.get(url("calls:call", call.slug))
    assertContains(response, f'href="{url("calls:apply", call.slug)}"')


def test_a_draft_is_not_found_by_the_public_or_members_but_staff_preview_it() -> None:
    draft = CallFactory.create(status=CallStatus.DRAFT, published_at=None)
    address = url("calls:call", draft.slug, language="en")
    assert Client().get(address).status_code == 404
    member = Client()
    member.force_login(UserFactory.create())
    assert member.get(address).status_code == 404
    staff = Client()
    staff.force_login(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))
    response = staff.get(address)
    assertContains(response, "Preview: this call is a draft")


def test_an_unknown_call_is_not_found(client: Client) -> None:
    assert client.get(url("calls:call", "yok-boyle-bir-cagri")).status_code == 404


def test_days_left_counts_part_of_a_day_as_a_day() -> None:
    now = timezone.now()
    call = CallFactory.build(closes_at=now + dt.timedelta(hours=30))
    assert days_left(call, now) == 2
    call.closes_at = now - dt.timedelta(hours=1)
    assert days_left(call, now) == 0

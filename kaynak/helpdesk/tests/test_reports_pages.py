"""The reports page and its XLSX export: who may open them (in Turkish and English), the
filters, the tables, and a workbook with one sheet per table."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.helpdesk.models import RequestStatus, SatisfactionResponse
from kaynak.helpdesk.tests.factories import RequestFactory, support_queue

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer() -> Client:
    return logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("name", ["helpdesk:staff-reports", "helpdesk:staff-reports-xlsx"])
def test_an_me_officer_opens_the_reports(officer: Client, name: str, language: str) -> None:
    assert officer.get(url(name, language=language)).status_code == 200


@pytest.mark.parametrize("name", ["helpdesk:staff-reports", "helpdesk:staff-reports-xlsx"])
def test_visitors_are_sent_to_log_in(client: Client, name: str) -> None:
    response = client.get(url(name))
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", ["helpdesk:staff-reports", "helpdesk:staff-reports-xlsx"])
def test_a_member_or_other_staff_may_not_open_them(name: str) -> None:
    # The house permission_required answers 404 rather than 403 (it does not tell what exists).
    for user in (UserFactory.create(), StaffFactory.create(roles=[Role.RADAR_EDITOR])):
        assert logged_in(user).get(url(name)).status_code == 404


def test_the_page_shows_the_period_and_the_tables(officer: Client) -> None:
    today = timezone.localdate()
    request = RequestFactory.create(
        status=RequestStatus.RESOLVED,
        first_response_at=timezone.now(),
        resolved_at=timezone.now(),
    )
    SatisfactionResponse.objects.create(request=request, score=5)
    response = officer.get(url("helpdesk:staff-reports", language="en"))
    assertContains(response, "Support desk reports")
    assertContains(response, "<meter", html=False)
    assertContains(response, support_queue().name_en)
    assert response.context["report"].total == 1
    assert response.context["report"].period.end == today


def test_a_period_before_the_requests_shows_none(officer: Client) -> None:
    RequestFactory.create()
    response = officer.get(
        url("helpdesk:staff-reports"), {"start": "2020-01-01", "end": "2020-12-31"}
    )
    assert response.context["report"].total == 0


def test_an_end_before_the_start_is_explained_next_to_the_field(officer: Client) -> None:
    response = officer.get(
        url("helpdesk:staff-reports", language="en"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assertContains(response, "The end date is before the start date.")
    assertContains(response, 'value="2026-05-01"')


def test_the_this_year_preset_starts_on_the_first_of_january(officer: Client) -> None:
    response = officer.get(url("helpdesk:staff-reports"), {"preset": "year"})
    assert response.context["report"].period.start == dt.date(timezone.localdate().year, 1, 1)


def test_the_page_reads_a_bounded_number_of_queries(
    officer: Client, django_assert_max_num_queries: object
) -> None:
    RequestFactory.create_batch(5, status=RequestStatus.OPEN)
    officer.get(url("helpdesk:staff-reports"))  # warm the session and the caches
    RequestFactory.create_batch(20, status=RequestStatus.OPEN)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert officer.get(url("helpdesk:staff-reports")).status_code == 200


def test_the_xlsx_has_one_sheet_per_table_with_real_numbers_and_dates(officer: Client) -> None:
    RequestFactory.create(status=RequestStatus.OPEN)
    response = officer.get(url("helpdesk:staff-reports-xlsx", language="en"), {"preset": "12m"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "By month",
        "By queue",
        "By category",
        "Top categories",
        "By province",
        "By channel",
        "Times (hours)",
        "SLA attainment",
        "CSAT by queue",
        "CSAT by agent",
        "CSAT by month",
    ]
    months = list(workbook["By month"].iter_rows(values_only=True))
    assert months[0] == ("Month", "Requests", "Share (%)")
    assert isinstance(months[-1][0], dt.datetime)  # a real date cell
    assert [row[1] for row in months[1:]].count(1) == 1
    by_queue = list(workbook["By queue"].iter_rows(values_only=True))
    assert by_queue[1][1:] == (1, 100.0)


def test_the_xlsx_headers_are_in_the_users_language(officer: Client) -> None:
    response = officer.get(url("helpdesk:staff-reports-xlsx", language="tr"))
    workbook = load_workbook(io.BytesIO(response.content))
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    with_english = next(
        load_workbook(
            io.BytesIO(officer.get(url("helpdesk:staff-reports-xlsx", language="en")).content)
        )
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert with_english[0] == "Month"
    # Turkish headers come from the lead's catalogue; until then they equal the English ones.
    assert len(header) == len(with_english)

"""The impact journey in a real browser, from the demo data: an M&E officer opens the dashboard
for a year, clicks Ankara on the map of Turkey and sees the organisations behind its figure,
then makes the donor report for that year and downloads its PDF and XLSX."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import User
from kaynak.accounts.tests.factories import TOTP_SECRET
from kaynak.core.demo import DEMO_ADMIN_EMAIL, build_demo
from kaynak.core.models import Province
from kaynak.impact.demo import ME_OFFICER_EMAIL
from kaynak.impact.figures import Scope, compute_figures
from kaynak.impact.tests.conftest import YEAR
from kaynak.ledger.queries import ReachFilter, organisations_reached

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def english(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_dashboard_map_drill_down_and_the_donor_report_of_a_year(
    page: Page, live_server: LiveServer
) -> None:
    build_demo(scale="small")
    officer = User.objects.filter(email=ME_OFFICER_EMAIL).first() or User.objects.get(
        email=DEMO_ADMIN_EMAIL
    )
    with translation.override("en"):
        year = compute_figures(Scope(*YEAR))
    ankara = Province.objects.get(plate_code=6)
    in_ankara = sorted(
        organisations_reached(ReachFilter(start=YEAR[0], end=YEAR[1], province=ankara)).values_list(
            "name", flat=True
        )
    )
    assert in_ankara, "the demo reaches organisations in Ankara in 2025"
    if not officer.authenticator_set.exists():  # type: ignore[attr-defined]
        TOTP.activate(officer, TOTP_SECRET)
    log_in(page, live_server, officer)

    # The dashboard of 2025: the headline figure is the ledger's.
    page.goto(f"{english('impact:staff-dashboard')}?year=2025")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{year.headline.organisations:,}")

    # Ankara on the map opens the organisations behind its figure.
    page.locator('a.map-link[data-plate="06"]').click()
    expect(page).to_have_url(re.compile(r"/en/reach/names/\?.*province=6"))
    expect(page.locator("main")).to_contain_text(f"{len(in_ankara):,}")
    expect(page.locator("main table")).to_contain_text(in_ankara[0])

    # The donor report of 2025, one click from the dashboard of 2025.
    page.go_back()
    page.get_by_role("link", name="Make the donor report of this period").click()
    expect(page.get_by_label("Year")).to_have_value("2025")
    page.get_by_label("Title").fill("2025 yılı faaliyet raporu")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025 yılı faaliyet raporu")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download XLSX").click()
    with open(xlsx_download.value.path(), "rb") as handle:
        workbook = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)
    values = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert year.headline.organisations in values
    assert year.headline.deliveries in values

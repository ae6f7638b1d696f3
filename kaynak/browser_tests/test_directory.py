"""The directory's journeys in a real browser: registering an organisation that already exists
is caught at the door, and the member is linked to it instead of creating a duplicate."""

from __future__ import annotations

import re
import secrets

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.services import member_create
from kaynak.core.models import ApplicantType
from kaynak.directory.models import Affiliation, Organisation
from kaynak.directory.services import organisation_create
from kaynak.directory.tests.factories import province

# The live server's requests see only committed data, so the tests run outside a transaction;
# the reference data the migrations load is restored before each test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def url(name: str, *args: object) -> str:
    """The Turkish URL of ``name``, whatever language this thread last used."""
    with translation.override("tr"):
        return reverse(name, args=args)


def at(live_server: LiveServer, path: str) -> re.Pattern[str]:
    return re.compile(re.escape(live_server.url + path) + r"(\?.*)?$")


def test_member_registering_a_known_organisation_is_offered_it_and_linked_not_duplicated(
    page: Page, live_server: LiveServer
) -> None:
    known = organisation_create(
        actor=None,
        name="Ege Çevre ve Doğa Koruma Derneği",
        province=province(35),
        emails=["info@egecevre.org.tr"],
        legal_form=ApplicantType.objects.get(slug="association"),
    )
    password = secrets.token_urlsafe(16)
    member = member_create(
        email="deniz.kaya@example.org", password=password, full_name="Deniz Kaya", verified=True
    )

    page.goto(url("account_login"))
    page.locator("input[name=login]").fill("deniz.kaya@example.org")
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    expect(page).not_to_have_url(at(live_server, url("account_login")))

    page.goto(url("directory:register"))
    # Typed the way people type: capitals, no Turkish letters, the legal form abbreviated.
    page.locator("input[name=name]").press_sequentially("EGE CEVRE VE DOGA KORUMA DER.")
    page.locator("select[name=province]").select_option("35")
    page.locator("input[name=email]").fill("egecevre@gmail.com")

    # The resolver answers while the member types (htmx), before anything is submitted.
    candidates = page.locator("#candidates")
    expect(candidates.get_by_text("Ege Çevre ve Doğa Koruma Derneği")).to_be_visible()
    expect(page).to_have_url(at(live_server, url("directory:register")))
    assert Organisation.objects.count() == 1

    candidates.locator(f"button[name=join][value='{known.pk}']").click()

    expect(page).to_have_url(at(live_server, url("directory:mine")))
    expect(page.locator("main")).to_contain_text("Ege Çevre ve Doğa Koruma Derneği")
    assert Organisation.objects.count() == 1
    affiliation = Affiliation.objects.select_related("person").get(organisation=known)
    assert affiliation.person.user_id == member.pk
    assert affiliation.is_admin is False  # a staff member confirms admin rights later


def test_visitor_searches_the_directory_and_the_results_follow_the_typing(
    page: Page, live_server: LiveServer
) -> None:
    for name, plate in [("Boğaziçi Gönüllüleri Vakfı", 34), ("Ankara Gönüllüleri Derneği", 6)]:
        organisation_create(
            actor=None, name=name, province=province(plate), public_listing_consent=True
        )

    page.goto(url("directory:list"))
    results = page.locator("#results")
    expect(results.get_by_text("Ankara Gönüllüleri Derneği")).to_be_visible()

    # "ISTANBUL" in capitals without the dot finds the organisations of the province İstanbul.
    page.locator("input[name=q]").press_sequentially("ISTANBUL")

    expect(results.get_by_text("Ankara Gönüllüleri Derneği")).to_have_count(0)
    expect(results.get_by_text("Boğaziçi Gönüllüleri Vakfı")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?.*q=ISTANBUL"))

"""The people's duplicates queue in a real browser: a staff member sets one pair aside as "not
the same" without leaving the list (htmx, under the Content Security Policy), merges another
choosing whose values to keep, and finds the merge in the history."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.directory.models import CandidateStatus, DuplicateCandidate, Person, RecordKind
from kaynak.directory.tests.factories import AffiliationFactory, PersonFactory, province

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def url(name: str, *args: object) -> str:
    with translation.override("tr"):
        return reverse(name, args=args)


def logged_in(page: Page, live_server: LiveServer, role: Role) -> None:
    """The browser carries the session of a staff member who has set up TOTP."""
    client = Client()
    client.force_login(StaffFactory.create(roles=[role]))
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def pair(left: Person, right: Person, score: float, evidence: list[str]) -> DuplicateCandidate:
    return DuplicateCandidate.objects.create(
        kind=RecordKind.PERSON, left_id=left.pk, right_id=right.pk, score=score, evidence=evidence
    )


def test_staff_set_one_pair_of_people_aside_and_merge_another(
    page: Page, live_server: LiveServer
) -> None:
    ayse = PersonFactory.create(
        full_name="Ayşe Nur Yılmaz", phones=["+905321234567"], province=province(65)
    )
    ayse_again = PersonFactory.create(
        full_name="AYSE YILMAZ", phones=["+905321234567"], province=province(65), birth_year=1984
    )
    AffiliationFactory.create(person=ayse_again)
    mehmet = PersonFactory.create(full_name="Mehmet Demir", birth_year=1970)
    namesake = PersonFactory.create(full_name="Mehmet Demir", birth_year=1970)
    to_merge = pair(ayse, ayse_again, 0.93, ["similar-name", "phone", "province"])
    to_reject = pair(mehmet, namesake, 0.8, ["name", "province", "birth-year"])
    logged_in(page, live_server, Role.PROGRAMME_COORDINATOR)

    page.goto(url("portal:staff"))
    page.locator(f"main a[href='{url('directory:person_duplicates')}']").click()
    row = page.locator(f"#candidate-{to_reject.pk}")
    expect(row).to_contain_text("Mehmet Demir")
    row.get_by_role("button", name="Aynı değil").click()

    expect(row.get_by_role("status")).to_have_text("Aynı değil")
    expect(page).to_have_url(re.compile(re.escape(url("directory:person_duplicates")) + "$"))
    to_reject.refresh_from_db()
    assert to_reject.status == CandidateStatus.REJECTED

    page.locator(f"#candidate-{to_merge.pk}").get_by_role("link", name="Karşılaştır").click()
    # Keep the second record (it has the birth year), with the name as the first spells it.
    page.locator("input[name=keep][value=right]").check()
    page.locator("input[name=value_full_name][value=left]").check()
    page.get_by_role("button", name="Birleştir").click()

    expect(page.locator(".message.success")).to_contain_text("birleştirildi")
    expect(page).to_have_url(re.compile(re.escape(url("directory:person_merges")) + "#merge-"))
    expect(page.locator("main table")).to_contain_text("Ayşe Nur Yılmaz")
    kept = Person.objects.get(pk=ayse_again.pk)
    assert (kept.full_name, kept.birth_year) == ("Ayşe Nur Yılmaz", 1984)
    assert not Person.objects.filter(pk=ayse.pk).exists()

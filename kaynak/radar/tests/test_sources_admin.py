"""Funders and sources in the admin: settings checked by the adapter, health shown; raw items,
scans and calls only read."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.audit import history_for
from kaynak.radar.models import RawItem, RawRole, ScanRun, ScanTrigger, Source
from kaynak.radar.tests.factories import FunderFactory, OpportunityFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(StaffFactory.create(roles=[Role.CENTER_ADMIN]))
    return client


def source_form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Örnek Ajans duyuruları",
        "funder": "",
        "kind": "html",
        "url": "https://ornek.example.gov.tr/duyurular",
        "language": "tr",
        "config": '{"item": "div.duyuru", "title": "h3", "link": "a"}',
        "follow_links": "on",
        "frequency": "weekly",
        "weekday": "0",
        "at_time": "06:00",
        "next_scan_at_0": "",
        "next_scan_at_1": "",
    } | changes


def test_every_radar_page_of_the_admin_opens(admin_client: Client) -> None:
    source = SourceFactory.create()
    scan = ScanRun.objects.create(source=source, trigger=ScanTrigger.COMMAND)
    raw = RawItem.objects.create(
        source=source, scan=scan, role=RawRole.LISTING, url=source.url, body=b"<rss>x</rss>"
    )
    opportunity = OpportunityFactory.create()

    for model in ("funder", "source", "rawitem", "scanrun", "opportunity"):
        response = admin_client.get(reverse(f"admin:radar_{model}_changelist"))
        assert response.status_code == 200, model
    raw_page = admin_client.get(reverse("admin:radar_rawitem_change", args=[raw.pk]))
    assertContains(raw_page, "&lt;rss&gt;x&lt;/rss&gt;")
    assertNotContains(raw_page, 'name="body"')
    call_page = admin_client.get(reverse("admin:radar_opportunity_change", args=[opportunity.pk]))
    assert call_page.status_code == 200
    assertNotContains(call_page, 'name="title"')


def test_a_source_with_settings_its_kind_cannot_use_is_refused_next_to_the_field(
    admin_client: Client,
) -> None:
    response = admin_client.post(
        reverse("admin:radar_source_add"), source_form(config='{"item": "div[["}')
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["config"]
    assert '"title" (a CSS selector) is required.' in errors
    assert '"item": "div[[" is not a valid CSS selector.' in errors
    assertContains(response, "div[[")  # what was typed is kept
    assert not Source.objects.exists()


def test_a_valid_source_is_saved_disabled_by_default_and_logged(admin_client: Client) -> None:
    response = admin_client.post(reverse("admin:radar_source_add"), source_form())

    assert response.status_code == 302
    source = Source.objects.get()
    assert source.enabled is False
    assert source.config == {"item": "div.duyuru", "title": "h3", "link": "a"}
    assert [entry.action for entry in history_for(source)] == ["kaynak.radar.source.created"]


def test_a_scanned_source_needs_an_address(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:radar_source_add"), source_form(kind="rss", url="", config="{}")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"] == [
        "Every source but a manual one needs an address."
    ]


def test_the_source_list_shows_health_and_filters_flagged_sources(admin_client: Client) -> None:
    SourceFactory.create(name="Sağlıklı kaynak", consecutive_failures=0)
    SourceFactory.create(name="Bozuk kaynak", consecutive_failures=3, last_error="timeout")

    flagged = admin_client.get(reverse("admin:radar_source_changelist") + "?health=flagged")

    assertContains(flagged, "Bozuk kaynak")
    assertNotContains(flagged, "Sağlıklı kaynak")


def test_funders_are_found_with_folded_turkish_search(admin_client: Client) -> None:
    FunderFactory.create(name="İzmir Kalkınma Ajansı")

    response = admin_client.get(reverse("admin:radar_funder_changelist") + "?q=IZMIR")

    assertContains(response, "İzmir Kalkınma Ajansı")


def test_enabling_a_source_in_the_admin_plans_its_next_scan(admin_client: Client) -> None:
    source = SourceFactory.create(enabled=False, next_scan_at=None, config={})
    form = source_form(kind="rss", url=source.url, config="{}", enabled="on", name=source.name)

    response = admin_client.post(reverse("admin:radar_source_change", args=[source.pk]), form)

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.enabled is True
    assert source.next_scan_at is not None
    assert timezone.localtime(source.next_scan_at).strftime("%a %H:%M") == "Mon 06:00"


def test_a_radar_editor_sets_up_sources_in_the_admin_and_others_cannot() -> None:
    editor = Client()
    editor.force_login(StaffFactory.create(roles=[Role.RADAR_EDITOR]))
    coordinator = Client()
    coordinator.force_login(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))

    assert editor.get(reverse("admin:radar_source_changelist")).status_code == 200
    response = editor.post(reverse("admin:radar_source_add"), source_form())
    assert response.status_code == 302
    assert Source.objects.count() == 1
    assert coordinator.get(reverse("admin:radar_source_changelist")).status_code == 403
    assert coordinator.post(reverse("admin:radar_source_add"), source_form()).status_code == 403
    assert Source.objects.count() == 1

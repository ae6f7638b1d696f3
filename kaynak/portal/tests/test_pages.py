from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from kaynak.accounts.models import Role
from kaynak.accounts.services import member_create, role_grant
from kaynak.core.models import AuditEntry, CenterSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def center_admin(client):
    from allauth.mfa.models import Authenticator

    user = member_create(email="yonetici@merkez.example", password=None, verified=True)
    role_grant(user=user, role=Role.CENTER_ADMIN, actor=None)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    client.force_login(user)
    return user


def test_home_page_is_turkish_by_default_and_shows_the_center_and_its_themes(client):
    CenterSettings.objects.update_or_create(pk=1, defaults={"name_tr": "Kaynak Merkezi Ankara"})
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="tr">' in html
    assert "Kaynak Merkezi Ankara" in html
    assert "Çevre ve iklim" in html  # a theme, from the reference data


def test_english_home_page_is_under_en_and_fully_english(client):
    CenterSettings.objects.update_or_create(pk=1, defaults={"name_en": "Resource Center Ankara"})
    response = client.get("/en/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Resource Center Ankara" in html
    assert "Environment and climate" in html
    assert "Çevre ve iklim" not in html


def test_language_switch_takes_the_visitor_to_the_same_page_in_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=False)
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_navigation_shows_only_areas_that_exist(client):
    html = client.get("/").content.decode()
    with translation.override("tr"):
        about = reverse("portal:about")
    assert f'href="{about}"' in html
    # "My organisation" is for members only.
    with translation.override("tr"):
        assert reverse("portal:my") not in html


def test_unknown_page_shows_the_friendly_404_in_turkish(client, settings):
    settings.DEBUG = False
    response = client.get("/boyle-bir-sayfa-yok/")
    assert response.status_code == 404
    assert "Sayfa bulunamadı" in response.content.decode()


def test_unknown_api_path_answers_in_the_api_error_format(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_server_error_page_is_bilingual_and_needs_no_database(rf):
    from kaynak.portal.views import server_error

    response = server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Bir sorun oluştu" in body
    assert "Something went wrong" in body


def test_center_admin_changes_name_and_colours_and_the_change_is_audited(client, center_admin):
    url = reverse("portal:center_settings")
    data = {
        "name_tr": "Karadeniz STK Merkezi",
        "name_en": "Black Sea NGO Center",
        "primary_colour": "#0b6e4f",
        "accent_colour": "#f2a541",
        "email": "iletisim@karadeniz.example",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    center = CenterSettings.current()
    assert (center.name_tr, center.primary_colour) == ("Karadeniz STK Merkezi", "#0b6e4f")
    assert "--brand: #0b6e4f" in client.get("/").content.decode()
    entry = AuditEntry.objects.get(action="kaynak.portal.center_settings.changed")
    assert entry.actor == center_admin
    assert "primary_colour" in entry.data["fields"]


def test_a_bad_colour_is_explained_in_turkish_and_the_typed_values_are_kept(client, center_admin):
    with translation.override("tr"):
        turkish_page = reverse("portal:center_settings")
    response = client.post(
        turkish_page,
        {
            "name_tr": "Yeni ad",
            "name_en": "New name",
            "primary_colour": "mavi",
            "accent_colour": "#f2a541",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "onaltılık" in html  # the Turkish validation message, next to the field
    assert 'value="Yeni ad"' in html
    assert 'value="mavi"' in html
    assert CenterSettings.current().name_tr != "Yeni ad"


def test_center_settings_are_hidden_from_other_staff_and_members(client):
    from allauth.mfa.models import Authenticator

    coordinator = member_create(email="koord@merkez.example", password=None, verified=True)
    role_grant(user=coordinator, role=Role.PROGRAMME_COORDINATOR, actor=None)
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={})
    client.force_login(coordinator)
    assert client.get(reverse("portal:center_settings")).status_code == 404
    member = member_create(email="uye@dernek.example", password=None, verified=True)
    client.force_login(member)
    assert client.get(reverse("portal:center_settings")).status_code == 404
    client.logout()
    response = client.get(reverse("portal:center_settings"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_every_page_carries_a_content_security_policy_with_a_nonce(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'nonce-" in policy


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_home_page_shows_the_reach_from_the_ledger_in_turkish_number_format(client):
    import datetime as dt

    from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
    from kaynak.ledger.services import record_delivery

    organisations = OrganisationFactory.create_batch(2)
    person = PersonFactory.create()
    # Three deliveries to two organisations and one person: 2 organisations, 1 person reached.
    record_delivery(
        kind="training",
        source=organisations[0],
        date=dt.date(2025, 3, 1),
        organisation=organisations[0],
    )
    record_delivery(
        kind="support",
        source=organisations[1],
        date=dt.date(2025, 4, 1),
        organisation=organisations[1],
        person=person,
    )
    record_delivery(
        kind="support",
        source=organisations[0],
        date=dt.date(2025, 5, 1),
        organisation=organisations[0],
    )
    html = client.get("/").content.decode()
    assert "<strong>2</strong> ulaşılan kuruluş" in html
    assert "<strong>1</strong> ulaşılan kişi" in html


def test_home_page_leaves_out_figures_that_are_zero(client):
    html = client.get("/en/").content.decode()
    assert "organisations reached" not in html

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(admin_user, client):
    """A logged-in superuser who has set up two-factor authentication (staff must)."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={})
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("typed", ["istanbul", "İSTANBUL", "Istanbul", "ISTANBUL"])
def test_admin_search_finds_istanbul_however_it_is_typed(staff_client, typed):
    response = staff_client.get(reverse("admin:core_province_changelist"), {"q": typed})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("name", flat=True)) == ["İstanbul"]


def test_admin_search_on_countries_ignores_turkish_letters(staff_client):
    response = staff_client.get(reverse("admin:core_country_changelist"), {"q": "turkiye"})
    assert list(response.context["cl"].queryset.values_list("code", flat=True)) == ["TR"]


def test_reference_data_cannot_be_changed_in_the_admin(staff_client):
    response = staff_client.post(reverse("admin:core_theme_change", args=[1]), {"name_tr": "x"})
    assert response.status_code in {200, 403}
    from kaynak.core.models import Theme

    assert not Theme.objects.filter(name_tr="x").exists()


def test_an_objects_admin_history_shows_its_audit_entries(staff_client, admin_user):
    from kaynak.core.audit import log_action
    from kaynak.core.models import CenterSettings

    center = CenterSettings.current()
    log_action(
        "kaynak.portal.center_settings.changed",
        actor=admin_user,
        target=center,
        data={"fields": ["name_tr"]},
    )
    response = staff_client.get(reverse("admin:core_centersettings_history", args=[center.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "kaynak.portal.center_settings.changed" in html
    assert "name_tr" in html

"""The staff pages: indicators for a period, an indicator with its targets, reported values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.directory.tests.factories import province, service_kind
from kaynak.impact import services
from kaynak.impact.models import Indicator, ManualValue, Measure, Reached, ValueStatus
from kaynak.impact.services import IndicatorFilters, TargetData
from kaynak.impact.tests.conftest import Q1, YEAR, Fixture, computed, manual
from kaynak.ledger.forms import reach_filter_params
from kaynak.ledger.queries import ReachFilter


def url(name: str, language: str = "tr", *args: Any) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_visitors_log_in_and_staff_without_the_right_get_a_404(db: None) -> None:
    page = url("impact:staff-indicators")
    assert Client().get(page).status_code == 302
    agent = StaffFactory.create(roles=[Role.SUPPORT_AGENT])
    assert logged_in(agent).get(page).status_code == 404
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    assert logged_in(coordinator).get(page).status_code == 200
    assert logged_in(coordinator).get(url("impact:staff-indicator-new")).status_code == 404


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_list_shows_value_target_progress_and_no_data(
    ledger: Fixture, me_officer: User, language: str
) -> None:
    computed(
        me_officer,
        Measure.ORGANISATIONS,
        code="O1.1",
        targets=[TargetData("2025 Q1", *Q1, Decimal(4))],
    )
    manual(me_officer, code="O2.1")
    response = logged_in(me_officer).get(
        url("impact:staff-indicators", language), {"year": "2025", "quarter": "1"}
    )
    assertContains(response, "O1.1")
    assertContains(response, ">3</a>", html=False)
    assertContains(response, "75 %")  # of the target
    assertContains(response, ">-1<", html=False)  # variance
    assertContains(response, f'<html lang="{language}"', html=False)
    if language == "en":  # (the Turkish catalogue is the lead's)
        assertContains(response, "no data")


def test_a_simple_computed_value_links_to_the_names_behind_it(
    ledger: Fixture, me_officer: User
) -> None:
    computed(
        me_officer,
        Measure.ORGANISATIONS,
        filters=IndicatorFilters(kinds=[service_kind("training")], provinces=[province(6)]),
        reached=Reached.FIRST_TIME,
    )
    response = logged_in(me_officer).get(url("impact:staff-indicators", "en"), {"year": "2025"})
    reach_filter = ReachFilter(
        start=YEAR[0], end=YEAR[1], kind=service_kind("training"), province=province(6)
    )
    params = {**reach_filter_params(reach_filter), "measure": "new-organisations"}
    with translation.override("en"):
        names = reverse("ledger:names")
    expected = names + "?" + "&amp;".join(f"{k}={v}" for k, v in params.items())
    assertContains(response, f'href="{expected}"')


def test_a_value_with_no_equivalent_reach_filter_has_no_link(
    ledger: Fixture, me_officer: User
) -> None:
    computed(me_officer, Measure.HOURS)
    response = logged_in(me_officer).get(url("impact:staff-indicators", "en"), {"year": "2025"})
    assertContains(response, ">15<", html=False)
    assertNotContains(response, "measure=")


def test_the_list_costs_one_query_per_indicator(
    ledger: Fixture, me_officer: User, django_assert_num_queries: Any
) -> None:
    client = logged_in(me_officer)
    page = url("impact:staff-indicators", "en")
    for code in ("a", "b", "c"):
        computed(
            me_officer, Measure.PEOPLE, code=code, targets=[TargetData("y", *YEAR, Decimal(1))]
        )
    client.get(page)  # sessions, caches and the like warmed
    # Session, user, MFA check, role names, indicators, five filter prefetches, targets, the
    # center's settings (12), then one query per indicator.
    with django_assert_num_queries(BASE + 3):
        client.get(page)
    computed(me_officer, Measure.DELIVERIES, code="d")
    with django_assert_num_queries(BASE + 4):
        client.get(page)


BASE = 12


def test_an_indicator_whose_filters_select_nothing_says_no_data(
    ledger: Fixture, me_officer: User
) -> None:
    computed(me_officer, Measure.ORGANISATIONS, filters=IndicatorFilters(provinces=[province(65)]))
    response = logged_in(me_officer).get(url("impact:staff-indicators", "en"), {"year": "2025"})
    assertContains(response, "no data")
    assertContains(response, "no delivery of the period matches its filters")
    assertNotContains(response, "measure=")


def test_a_wrong_period_is_explained_next_to_its_field(me_officer: User) -> None:
    response = logged_in(me_officer).get(
        url("impact:staff-indicators", "en"), {"start": "2025-05-01", "end": "2025-04-01"}
    )
    assertContains(response, "The range ends before it starts.")
    assertContains(response, "Correct the period above")


def _indicator_post(**overrides: str) -> dict[str, str]:
    data = {
        "code": "O9.1",
        "name_tr": "Eğitim alan kişiler",
        "name_en": "People trained",
        "level": "output",
        "method": "computed",
        "unit": "kişi",
        "measure": "people",
        "position": "0",
        "active": "on",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-label": "2025",
        "targets-0-start": "2025-01-01",
        "targets-0-end": "2025-12-31",
        "targets-0-value": "3000",
        "targets-1-label": "",
        "targets-1-start": "",
        "targets-1-end": "",
        "targets-1-value": "",
    }
    return data | overrides


def test_an_indicator_is_created_with_its_targets(me_officer: User) -> None:
    assertContains(logged_in(me_officer).get(url("impact:staff-indicator-new")), "targets-0-label")
    response = logged_in(me_officer).post(
        url("impact:staff-indicator-new", "en"),
        _indicator_post(kinds=str(service_kind("training").pk)),
    )
    indicator = Indicator.objects.get(code="O9.1")
    assertRedirects(response, url("impact:staff-indicator-edit", "en", indicator.pk))
    assert [k.slug for k in indicator.kinds.all()] == ["training"]
    assert [(t.label, t.value) for t in indicator.targets.all()] == [("2025", Decimal(3000))]


def test_overlapping_targets_are_explained_and_what_was_typed_is_kept(
    me_officer: User,
) -> None:
    response = logged_in(me_officer).post(
        url("impact:staff-indicator-new", "en"),
        _indicator_post(
            **{
                "targets-1-label": "Faz 1",
                "targets-1-start": "2025-06-01",
                "targets-1-end": "2026-05-31",
                "targets-1-value": "1500",
            }
        ),
    )
    assert response.status_code == 200
    assertContains(response, "overlap")
    assertContains(response, "Nothing was saved")
    assertContains(response, 'value="Faz 1"')
    assertContains(response, 'value="O9.1"')
    assert not Indicator.objects.exists()


def test_a_target_that_is_not_a_number_is_explained(me_officer: User) -> None:
    response = logged_in(me_officer).post(
        url("impact:staff-indicator-new", "en"), _indicator_post(**{"targets-0-value": "üç bin"})
    )
    assertContains(response, "Enter a number, such as 12 or 12.5.")
    assertContains(response, 'value="üç bin"')
    assert not Indicator.objects.exists()


def test_editing_an_indicator_shows_its_targets(me_officer: User) -> None:
    indicator = computed(
        me_officer, Measure.PEOPLE, targets=[TargetData("Faz 1", *YEAR, Decimal(30))]
    )
    response = logged_in(me_officer).get(url("impact:staff-indicator-edit", "tr", indicator.pk))
    assertContains(response, 'value="Faz 1"')


def test_saving_an_indicator_keeps_untouched_targets_and_drops_deleted_ones(
    me_officer: User,
) -> None:
    indicator = computed(
        me_officer,
        Measure.PEOPLE,
        code="O9.1",
        targets=[
            TargetData("2025 Q1", *Q1, Decimal(1)),
            TargetData("2025 Q2", Q1[1] + dt.timedelta(days=1), dt.date(2025, 6, 30), Decimal(2)),
        ],
    )
    post = _indicator_post(
        **{
            "targets-TOTAL_FORMS": "3",
            "targets-INITIAL_FORMS": "2",
            "targets-0-label": "2025 Q1",
            "targets-0-start": "2025-01-01",
            "targets-0-end": "2025-03-31",
            "targets-0-value": "1",
            "targets-1-label": "2025 Q2",
            "targets-1-start": "2025-04-01",
            "targets-1-end": "2025-06-30",
            "targets-1-value": "2",
            "targets-1-DELETE": "on",
            "targets-2-label": "",
            "targets-2-start": "",
            "targets-2-end": "",
            "targets-2-value": "",
        }
    )
    response = logged_in(me_officer).post(
        url("impact:staff-indicator-edit", "en", indicator.pk), post
    )
    assert response.status_code == 302
    assert list(indicator.targets.values_list("label", flat=True)) == ["2025 Q1"]


def test_a_value_that_is_not_a_number_is_explained_beside_it(me_officer: User) -> None:
    indicator = manual(me_officer)
    response = logged_in(me_officer).post(
        url("impact:staff-values", "en"),
        {
            "indicator": str(indicator.pk),
            "period_start": "2025-01-01",
            "period_end": "2025-03-31",
            "value": "on iki",
        },
    )
    assert response.status_code == 200
    assertContains(response, "“on iki” is not a number")
    assertContains(response, 'value="on iki"')
    assert not ManualValue.objects.exists()


def test_a_value_is_entered_then_approved_from_the_page(
    me_officer: User, center_admin: User, settings: Any, tmp_path: Any
) -> None:
    settings.IMPACT_FILES_DIR = tmp_path
    indicator = manual(me_officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = logged_in(me_officer).post(
        url("impact:staff-values", "tr"),
        {
            "indicator": str(indicator.pk),
            "period_start": "2025-01-01",
            "period_end": "2025-03-31",
            "value": "12,5",
            "evidence": [SimpleUploadedFile("liste.pdf", b"%PDF-1.4", "application/pdf")],
        },
    )
    assertRedirects(response, url("impact:staff-values", "tr"))
    value = ManualValue.objects.get()
    assert value.value == Decimal("12.5")
    listing = logged_in(center_admin).get(url("impact:staff-values", "tr"))
    assertContains(listing, "liste.pdf")
    download = logged_in(center_admin).get(
        url("impact:staff-evidence", "tr", value.evidence.get().pk)
    )
    assert download.getvalue() == b"%PDF-1.4"
    own = logged_in(me_officer).post(url("impact:staff-value-approve", "en", value.pk))
    assert own.status_code == 400
    assertContains(own, "Someone else must approve", status_code=400)
    logged_in(center_admin).post(url("impact:staff-value-approve", "tr", value.pk))
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED


def test_a_programme_coordinator_may_enter_but_not_approve(me_officer: User) -> None:
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    value = services.manual_value_enter(
        indicator=manual(me_officer), period_start=Q1[0], period_end=Q1[1], value="2",
        actor=me_officer,
    )  # fmt: skip
    client = logged_in(coordinator)
    assert client.get(url("impact:staff-values", "tr")).status_code == 200
    assert client.post(url("impact:staff-value-approve", "tr", value.pk)).status_code == 404
    assert (
        client.post(url("impact:staff-value-reject", "tr", value.pk), {"reason": "x"}).status_code
        == 404
    )
    value.refresh_from_db()
    assert value.status == ValueStatus.ENTERED


def test_rejecting_from_the_page_keeps_the_reason(me_officer: User, center_admin: User) -> None:
    value = services.manual_value_enter(
        indicator=manual(me_officer), period_start=Q1[0], period_end=Q1[1], value="2",
        actor=me_officer,
    )  # fmt: skip
    logged_in(center_admin).post(
        url("impact:staff-value-reject", "tr", value.pk), {"reason": "Kanıt eksik"}
    )
    value.refresh_from_db()
    assert (value.status, value.rejection_reason) == (ValueStatus.REJECTED, "Kanıt eksik")

""" "Size uygun fonlar": which open calls suit an organisation, in which order, with which
reasons; and who may see the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import Theme
from kaynak.directory.models import Organisation
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.radar import matching
from kaynak.radar.models import OpportunityStatus, TrackedOpportunity
from kaynak.radar.tests.factories import OpportunityFactory, in_days

pytestmark = pytest.mark.django_db


IZMIR_EN = "İzmir"  # as the reference data spells it in English too


def organisation(**kwargs) -> Organisation:
    themes = kwargs.pop("themes", ["women", "labour"])
    kwargs.setdefault("province", province(35))  # İzmir
    found = OrganisationFactory.create(**kwargs)
    found.themes.set(Theme.objects.filter(slug__in=themes))
    return found


def admin_of(org: Organisation) -> User:
    user = UserFactory.create()
    AffiliationFactory.create(
        organisation=org, person=PersonFactory.create(user=user), is_admin=True
    )
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(matches: list[matching.Match]) -> list[str]:
    return [match.opportunity.title for match in matches]


def test_calls_are_ranked_by_shared_themes_type_country_and_province():
    org = organisation()
    OpportunityFactory.create(title="Bir tema", themes=["women"])
    OpportunityFactory.create(title="İki tema", themes=["women", "labour"])
    OpportunityFactory.create(
        title="İki tema, dernek ve Türkiye",
        themes=["women", "labour"],
        applicant_types=["association"],
        countries=["TR"],
    )
    OpportunityFactory.create(
        title="İzmir Kalkınma Ajansı kadın programı", summary="İzmir ilinde", themes=["women"]
    )

    found = matching.suitable_calls(org)

    assert titles(found) == [
        "İki tema, dernek ve Türkiye",  # 3+3+2+1
        "İki tema",  # 6
        "İzmir Kalkınma Ajansı kadın programı",  # 3+2
        "Bir tema",  # 3
    ]
    assert [m.score for m in found] == [9, 6, 5, 3]
    with translation.override("en"):
        assert found[2].reasons == ["Your themes: women", f"Names your province: {IZMIR_EN}"]


def test_each_match_says_why_in_the_visitors_language():
    org = organisation()
    OpportunityFactory.create(
        themes=["women", "labour"], applicant_types=["association"], countries=["TR", "DE"]
    )

    [match] = matching.suitable_calls(org)

    with translation.override("en"):
        assert match.reasons == [
            "Your themes: women, labour and employment",
            "May apply: association",
            "Organisations from Türkiye may apply",
        ]


def test_calls_the_organisation_cannot_apply_to_are_left_out():
    org = organisation()
    OpportunityFactory.create(
        title="Yalnız belediyeler", themes=["women"], applicant_types=["municipality"]
    )
    OpportunityFactory.create(title="Yalnız Balkanlar", themes=["women"], countries=["AL", "RS"])
    OpportunityFactory.create(title="Başka tema", themes=["environment"])
    OpportunityFactory.create(title="Süresi geçmiş", themes=["women"], deadline_date=in_days(-2))
    OpportunityFactory.create(title="Taslak", themes=["women"], status=OpportunityStatus.DRAFT)
    OpportunityFactory.create(
        title="Uygun", themes=["women"], applicant_types=["association", "foundation"]
    )

    assert titles(matching.suitable_calls(org)) == ["Uygun"]


def test_an_organisation_without_themes_sees_every_call_it_may_apply_to():
    org = organisation(themes=[])
    OpportunityFactory.create(title="Çevre", themes=["environment"])
    OpportunityFactory.create(title="Belediyeler", applicant_types=["municipality"])

    assert titles(matching.suitable_calls(org)) == ["Çevre"]


def test_the_page_shows_reasons_and_marks_calls_already_in_the_pipeline():
    org = organisation()
    tracked = OpportunityFactory.create(title="Zaten takipte", themes=["women"])
    OpportunityFactory.create(title="Yeni fırsat", themes=["labour"])
    TrackedOpportunity.objects.create(organisation=org, opportunity=tracked)

    response = logged_in(admin_of(org)).get(url("radar:for-organisation", org.pk, language="en"))

    assertContains(response, "Yeni fırsat")
    assertContains(response, "Your themes: labour and employment")
    assertContains(response, "In your pipeline")
    assertContains(response, "Add to our pipeline")


def test_staff_see_the_page_without_the_add_button():
    org = organisation()
    OpportunityFactory.create(title="Yeni fırsat", themes=["labour"])
    staff = StaffFactory.create(roles=[Role.RADAR_EDITOR])

    response = logged_in(staff).get(url("radar:for-organisation", org.pk))

    assertContains(response, "Yeni fırsat")
    assertNotContains(response, 'name="organisation"')


def test_another_organisations_admin_and_a_member_get_not_found(client):
    org = organisation()
    other_admin = admin_of(organisation(name="Başka Dernek"))
    member = UserFactory.create()

    assert logged_in(other_admin).get(url("radar:for-organisation", org.pk)).status_code == 404
    assert logged_in(member).get(url("radar:for-organisation", org.pk)).status_code == 404
    assert client.get(url("radar:for-organisation", org.pk)).status_code == 302


def test_the_page_reads_a_bounded_number_of_queries(django_assert_max_num_queries):
    org = organisation()
    for n in range(12):
        OpportunityFactory.create(
            title=f"Fırsat {n}", themes=["women"], applicant_types=["association"], countries=["TR"]
        )
    client = logged_in(admin_of(org))
    client.get(url("radar:for-organisation", org.pk))  # sessions, permissions warmed up

    with django_assert_max_num_queries(15):
        response = client.get(url("radar:for-organisation", org.pk))
    assertContains(response, "Fırsat 11")

"""The public directory and organisation profiles."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import Theme
from kaynak.directory.models import OrganisationStatus
from kaynak.directory.tests.factories import OrganisationFactory, province

pytestmark = pytest.mark.django_db


def names_on(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


def test_only_active_organisations_that_agreed_are_listed(client):
    OrganisationFactory.create(name="Listelenen Derneği")
    OrganisationFactory.create(name="Rızası Olmayan Derneği", public_listing_consent=False)
    OrganisationFactory.create(name="Kapanmış Derneği", status=OrganisationStatus.CLOSED)

    response = client.get(url("directory:list"))

    assert response.status_code == 200
    assert names_on(response) == ["Listelenen Derneği"]
    assertNotContains(response, "Rızası Olmayan")
    assertNotContains(response, "Kapanmış")


@pytest.mark.parametrize("typed", ["istanbul", "İSTANBUL", "Istanbul", "ıstanbul", "ISTANBUL"])
def test_search_folds_turkish_letters_and_case_in_names(client, typed):
    OrganisationFactory.create(name="İstanbul Gönüllüleri Derneği", province=province(6))
    OrganisationFactory.create(name="Ankara Gönüllüleri Derneği", province=province(6))

    response = client.get(url("directory:list"), {"q": typed})

    assert names_on(response) == ["İstanbul Gönüllüleri Derneği"]


def test_search_finds_organisations_of_the_province_named(client):
    OrganisationFactory.create(name="Boğaziçi Kültür Derneği", province=province(34))
    OrganisationFactory.create(name="Ankara Kültür Derneği", province=province(6))

    assert names_on(client.get(url("directory:list"), {"q": "istanbul"})) == [
        "Boğaziçi Kültür Derneği"
    ]
    # Every word must match: the name or the province.
    assert names_on(client.get(url("directory:list"), {"q": "IZMIR kultur"})) == []
    assert names_on(client.get(url("directory:list"), {"q": "ISTANBUL KÜLTÜR"})) == [
        "Boğaziçi Kültür Derneği"
    ]


def test_search_ignores_punctuation_and_diacritics_the_way_people_type(client):
    OrganisationFactory.create(name="Ege Çevre ve Doğa Koruma Derneği", province=province(35))

    for typed in ["ege cevre", "EGE ÇEVRE", "doğa-koruma", "DOGA KORUMA DERNEGI"]:
        assert names_on(client.get(url("directory:list"), {"q": typed})) == [
            "Ege Çevre ve Doğa Koruma Derneği"
        ], typed


def test_filters_by_province_theme_and_type(client):
    environment = Theme.objects.get(slug="environment")
    children = Theme.objects.get(slug="children")
    wanted = OrganisationFactory.create(name="İzmir Çevre Vakfı", province=province(35))
    wanted.legal_form_id = "foundation"
    wanted.save()
    wanted.themes.set([environment, children])
    other_theme = OrganisationFactory.create(name="İzmir Çocuk Vakfı", province=province(35))
    other_theme.legal_form_id = "foundation"
    other_theme.save()
    other_theme.themes.set([children])
    other_type = OrganisationFactory.create(name="İzmir Çevre Derneği", province=province(35))
    other_type.themes.set([environment])
    OrganisationFactory.create(name="Ankara Çevre Vakfı", province=province(6)).themes.set(
        [environment]
    )

    response = client.get(
        url("directory:list"),
        {"province": "35", "theme": "environment", "legal_form": "foundation"},
    )

    assert names_on(response) == ["İzmir Çevre Vakfı"]
    assert names_on(client.get(url("directory:list"), {"theme": "children"})) == [
        "İzmir Çevre Vakfı",
        "İzmir Çocuk Vakfı",
    ]


def test_an_unknown_filter_value_is_explained_and_ignored(client):
    OrganisationFactory.create(name="Bir Derneği")

    response = client.get(url("directory:list", language="en"), {"province": "99"})

    assert response.status_code == 200
    assert names_on(response) == ["Bir Derneği"]
    assertContains(response, "Select a valid choice")


def test_results_are_in_turkish_alphabetical_order(client):
    for name in ["Zeytin Derneği", "Çınar Derneği", "Cem Derneği", "İnci Derneği", "Işık Derneği"]:
        OrganisationFactory.create(name=name)
    OrganisationFactory.create(name="Dal Derneği")

    response = client.get(url("directory:list"))

    # c < ç < d, and dotless ı before dotted i.
    assert names_on(response) == [
        "Cem Derneği",
        "Çınar Derneği",
        "Dal Derneği",
        "Işık Derneği",
        "İnci Derneği",
        "Zeytin Derneği",
    ]


def test_the_list_is_paginated_and_keeps_the_filters_in_page_links(client):
    for n in range(25):
        OrganisationFactory.create(name=f"Kadın Dayanışma Derneği {n:02d}")

    first = client.get(url("directory:list"), {"q": "kadin"})
    second = client.get(url("directory:list"), {"q": "kadin", "page": "2"})

    assert len(names_on(first)) == 20
    assert len(names_on(second)) == 5
    assertContains(first, "?q=kadin&amp;page=2")
    assert set(names_on(first)).isdisjoint(names_on(second))


def test_the_list_takes_the_same_number_of_queries_for_many_organisations(
    client, django_assert_num_queries
):
    environment = Theme.objects.get(slug="environment")
    for n in range(3):
        OrganisationFactory.create(name=f"Az Derneği {n}").themes.set([environment])
    client.get(url("directory:list"))  # the center's settings row is made on the first page
    # The chosen theme, the count, the center, the province/theme/type choices of the filters,
    # the page, and the themes of the page.
    with django_assert_num_queries(8):
        client.get(url("directory:list"), {"theme": "environment"})
    for n in range(30):
        OrganisationFactory.create(name=f"Çok Derneği {n}").themes.set([environment])
    with django_assert_num_queries(8):
        response = client.get(url("directory:list"), {"theme": "environment"})
    assert len(names_on(response)) == 20


def test_htmx_gets_only_the_results_and_a_browser_the_whole_page(client):
    OrganisationFactory.create(name="Kısmi Derneği")

    partial = client.get(url("directory:list"), {"q": "kismi"}, headers={"HX-Request": "true"})
    page = client.get(url("directory:list"), {"q": "kismi"})

    assert partial.content.decode().lstrip().startswith('<section id="results"')
    assertNotContains(partial, "<html")
    assertContains(partial, "Kısmi Derneği")
    assertContains(page, "<html", count=1)
    assertContains(page, '<section id="results"', count=1)
    assert "HX-Request" in partial["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(
        url("directory:list"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assertContains(response, "<html")


def test_the_profile_shows_the_public_fields_and_never_contact_details(client):
    organisation = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği",
        short_name="EÇEDEK",
        province=province(35),
        district="Karşıyaka",
        website="https://ecedek.org.tr",
        description="Kıyıları koruyoruz.",
        founding_year=1998,
        emails=["baskan@ecedek.org.tr"],
        phones=["+905321234567"],
        address="Gizli Sokak 1",
        tax_no="1234567890",
    )
    organisation.themes.set([Theme.objects.get(slug="environment")])

    response = client.get(url("directory:detail", organisation.pk))

    for shown in ["EÇEDEK", "İzmir", "Karşıyaka", "https://ecedek.org.tr", "Kıyıları", "1998"]:
        assertContains(response, shown)
    assertContains(response, "Çevre ve iklim")
    for hidden in ["baskan@ecedek.org.tr", "+905321234567", "5321234567", "Gizli", "1234567890"]:
        assertNotContains(response, hidden)


def test_a_profile_that_is_not_listed_is_not_found_except_by_staff(client):
    hidden = OrganisationFactory.create(name="Gizli Derneği", public_listing_consent=False)
    closed = OrganisationFactory.create(name="Kapalı Derneği", status=OrganisationStatus.CLOSED)

    assert client.get(url("directory:detail", hidden.pk)).status_code == 404
    assert client.get(url("directory:detail", closed.pk)).status_code == 404
    member = Client()
    member.force_login(UserFactory.create())
    assert member.get(url("directory:detail", hidden.pk)).status_code == 404
    staff = Client()
    staff.force_login(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    assertContains(staff.get(url("directory:detail", hidden.pk)), "Gizli Derneği")


def test_a_branch_shows_its_parent_only_when_the_parent_is_listed(client):
    listed_parent = OrganisationFactory.create(name="Genel Merkez Derneği")
    hidden_parent = OrganisationFactory.create(
        name="Saklı Merkez Derneği", public_listing_consent=False
    )
    branch = OrganisationFactory.create(name="İzmir Şubesi A", parent=listed_parent)
    other = OrganisationFactory.create(name="İzmir Şubesi B", parent=hidden_parent)

    assertContains(client.get(url("directory:detail", branch.pk)), "Genel Merkez Derneği")
    assertNotContains(client.get(url("directory:detail", other.pk)), "Saklı Merkez")
    assertContains(client.get(url("directory:detail", listed_parent.pk)), "İzmir Şubesi A")


def test_the_directory_is_in_the_main_navigation_in_both_languages(client):
    assertContains(client.get("/"), f'href="{url("directory:list")}"')
    english = client.get("/en/")
    assertContains(english, f'href="{url("directory:list", language="en")}"')
    assert url("directory:list", language="en").startswith("/en/")

""" "My organisation": an NGO admin's organisations, their record and people, and registering an
organisation with the resolver asked first."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import User
from kaynak.accounts.tests.factories import UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.audit import history_for
from kaynak.core.models import Theme
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> User:
    return UserFactory.create(full_name="Deniz Kaya", email="deniz@ornek-stk.org.tr")


@pytest.fixture
def member_client(member: User) -> Client:
    client = Client()
    client.force_login(member)
    return client


def admin_of(user: User, organisation: Organisation) -> Affiliation:
    person = Person.objects.filter(user=user).first() or PersonFactory.create(
        user=user, full_name=user.full_name
    )
    return AffiliationFactory.create(person=person, organisation=organisation, is_admin=True)


@pytest.fixture
def organisation(member: User) -> Organisation:
    organisation = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği",
        province=province(35),
        emails=["info@ecedek.org.tr"],
        phones=["+902321234567"],
    )
    admin_of(member, organisation)
    return organisation


def edit_data(organisation: Organisation, **changes):
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "legal_form": organisation.legal_form_id or "",
        "province": organisation.province_id or "",
        "district": organisation.district,
        "address": organisation.address,
        "emails": "\n".join(organisation.emails),
        "phones": "\n".join(organisation.phones),
        "website": organisation.website,
        "themes": [t.pk for t in organisation.themes.all()],
        "founding_year": organisation.founding_year or "",
        "size_band": organisation.size_band,
        "description": organisation.description,
        "association_registry_no": "",
        "foundation_registry_no": "",
        "tax_no": "",
        "public_listing_consent": "on" if organisation.public_listing_consent else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_my_organisations_lists_those_i_administer_and_my_unconfirmed_claims(
    member, member_client, organisation
):
    claimed = OrganisationFactory.create(name="Karşıyaka Gençlik Derneği")
    AffiliationFactory.create(person=member.person, organisation=claimed, is_admin=False)
    OrganisationFactory.create(name="Başkasının Derneği")

    response = member_client.get(url("directory:mine", language="en"))

    assert list(response.context["organisations"]) == [organisation]
    assertContains(response, url("directory:edit", organisation.pk, language="en"))
    assertContains(response, "Karşıyaka Gençlik Derneği")
    assertContains(response, "awaiting confirmation")
    assertNotContains(response, url("directory:edit", claimed.pk, language="en"))
    assertNotContains(response, "Başkasının")


def test_visitors_are_sent_to_log_in(client, organisation):
    for page in [
        url("directory:mine"),
        url("directory:edit", organisation.pk),
        url("directory:people", organisation.pk),
        url("directory:register"),
    ]:
        response = client.get(page)
        assert response.status_code == 302
        assert "/hesap/" in response["Location"]


def test_the_admin_saves_the_record_and_the_change_is_audited(member, member_client, organisation):
    environment = Theme.objects.get(slug="environment")
    data = edit_data(
        organisation,
        short_name="EÇEDEK",
        emails="INFO@ecedek.org.tr\n baskan@ecedek.org.tr ",
        phones="0232 123 45 67\n(532) 765 43 21",
        themes=[environment.pk],
        founding_year="1998",
        public_listing_consent="on",
    )

    response = member_client.post(url("directory:edit", organisation.pk), data)

    assertRedirects(response, url("directory:edit", organisation.pk))
    organisation.refresh_from_db()
    assert organisation.short_name == "EÇEDEK"
    assert organisation.emails == ["info@ecedek.org.tr", "baskan@ecedek.org.tr"]
    assert organisation.phones == ["+902321234567", "+905327654321"]
    assert list(organisation.themes.all()) == [environment]
    assert organisation.founding_year == 1998
    assert organisation.public_listing_consent is True
    assert "ecedek" in organisation.search_text
    entry = history_for(organisation)[0]
    assert entry.action == "kaynak.directory.organisation.changed"
    assert entry.actor == member
    assert set(entry.data["changes"]) >= {"short_name", "emails", "phones", "themes"}


def test_bad_input_is_explained_next_to_its_field_keeps_what_was_typed_and_writes_nothing(
    member_client, organisation
):
    before = list(Organisation.objects.values())
    data = edit_data(
        organisation,
        name="   ",
        emails="info@ecedek.org.tr\nyanlis-adres\n",
        phones="0232 123 45 67\n12345",
        founding_year="bin dokuz yüz",
    )

    response = member_client.post(url("directory:edit", organisation.pk, language="en"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "emails", "phones", "founding_year"}
    assert form.errors["emails"] == ["“yanlis-adres” is not an e-mail address."]
    assert form.errors["phones"] == ["“12345” is not a phone number."]
    assertContains(response, "yanlis-adres")
    assertContains(response, "bin dokuz yüz")
    assertContains(response, 'aria-invalid="true"')
    assert list(Organisation.objects.values()) == before
    assert not history_for(organisation).filter(action__endswith="changed").exists()


def test_the_form_speaks_turkish_on_turkish_pages(member_client, organisation):
    response = member_client.post(
        url("directory:edit", organisation.pk), edit_data(organisation, founding_year="x")
    )
    assertContains(response, "Tam bir sayı girin.")  # Django's own Turkish message


def test_another_organisations_admin_gets_404_and_changes_nothing(organisation):
    stranger = UserFactory.create()
    admin_of(stranger, OrganisationFactory.create(name="Kendi Derneği"))
    client = Client()
    client.force_login(stranger)
    current = Affiliation.objects.get(organisation=organisation)

    assert client.get(url("directory:edit", organisation.pk)).status_code == 404
    assert (
        client.post(
            url("directory:edit", organisation.pk), edit_data(organisation, name="Ele geçirildi")
        ).status_code
        == 404
    )
    assert client.get(url("directory:people", organisation.pk)).status_code == 404
    assert (
        client.post(
            url("directory:people", organisation.pk), {"full_name": "Sızan Kişi"}
        ).status_code
        == 404
    )
    assert (
        client.post(url("directory:affiliation_end", organisation.pk, current.pk)).status_code
        == 404
    )
    organisation.refresh_from_db()
    assert organisation.name == "Ege Çevre ve Doğa Koruma Derneği"
    current.refresh_from_db()
    assert current.end_date is None
    assert not Person.objects.filter(full_name="Sızan Kişi").exists()


def test_a_member_whose_claim_is_not_confirmed_cannot_edit(member_client, member):
    claimed = OrganisationFactory.create()
    AffiliationFactory.create(
        person=PersonFactory.create(user=member), organisation=claimed, is_admin=False
    )

    assert member_client.get(url("directory:edit", claimed.pk)).status_code == 404


def test_the_admin_adds_a_person_and_ends_an_affiliation(member_client, organisation):
    response = member_client.post(
        url("directory:people", organisation.pk),
        {"full_name": "  Ayşe   Yılmaz ", "email": "AYSE@ecedek.org.tr", "role": "Sekreter"},
    )

    assertRedirects(response, url("directory:people", organisation.pk))
    added = Affiliation.objects.get(organisation=organisation, person__full_name="Ayşe Yılmaz")
    assert added.person.emails == ["ayse@ecedek.org.tr"]
    assert added.role == "Sekreter"
    assert added.is_admin is False
    page = member_client.get(url("directory:people", organisation.pk))
    assertContains(page, "Ayşe Yılmaz")

    member_client.post(url("directory:affiliation_end", organisation.pk, added.pk))

    added.refresh_from_db()
    assert added.end_date is not None
    actions = set(history_for(organisation).values_list("action", flat=True))
    assert {"kaynak.directory.affiliation.created", "kaynak.directory.affiliation.ended"} <= (
        actions
    )


def test_adding_a_person_with_a_bad_email_writes_nothing(member_client, organisation):
    people_before = Person.objects.count()

    response = member_client.post(
        url("directory:people", organisation.pk, language="en"),
        {"full_name": "Ayşe Yılmaz", "email": "ayse-at-ecedek", "role": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["“ayse-at-ecedek” is not an e-mail address."]
    }
    assertContains(response, "ayse-at-ecedek")
    assert Person.objects.count() == people_before


def test_the_admin_cannot_end_an_affiliation_of_another_organisation(member_client, organisation):
    elsewhere = AffiliationFactory.create()

    response = member_client.post(url("directory:affiliation_end", organisation.pk, elsewhere.pk))

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.end_date is None


# Registering an organisation ------------------------------------------------------------------


def register_data(**changes):
    data = {
        "name": "Deniz Feneri Gençlik Derneği",
        "province": "35",
        "email": "info@denizfeneri-genclik.org.tr",
        "phone": "0232 555 44 33",
        "website": "denizfeneri-genclik.org.tr",
        "legal_form": "association",
    }
    data.update(changes)
    return data


def test_a_new_organisation_is_registered_with_the_member_as_its_admin(member, member_client):
    response = member_client.post(url("directory:register"), register_data())

    created = Organisation.objects.get(name="Deniz Feneri Gençlik Derneği")
    assertRedirects(response, url("directory:edit", created.pk))
    assert created.province_id == 35
    assert created.emails == ["info@denizfeneri-genclik.org.tr"]
    assert created.phones == ["+902325554433"]
    assert created.website == "https://denizfeneri-genclik.org.tr"
    assert created.legal_form_id == "association"
    assert created.public_listing_consent is False
    affiliation = Affiliation.objects.get(organisation=created)
    assert affiliation.is_admin is True
    assert affiliation.person.user == member
    assert affiliation.person.emails == [member.email]
    assert affiliation.person.full_name == "Deniz Kaya"


def test_registering_a_known_organisation_offers_it_instead_of_creating_a_duplicate(
    member_client,
):
    known = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği", province=province(35)
    )

    response = member_client.post(
        url("directory:register", language="en"),
        register_data(name="EGE CEVRE VE DOGA KORUMA DER.", email="egecevre@gmail.com"),
    )

    assert response.status_code == 200
    assert [organisation for _c, organisation in response.context["candidates"]] == [known]
    assertContains(response, "Is it one of these?")
    assertContains(response, f'name="join" value="{known.pk}"')
    assertContains(response, "EGE CEVRE VE DOGA KORUMA DER.")  # what was typed stays
    assert Organisation.objects.count() == 1


def test_choosing_the_candidate_links_the_member_without_admin_rights(member, member_client):
    known = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği", province=province(35)
    )

    response = member_client.post(
        url("directory:register"),
        register_data(
            name="EGE CEVRE VE DOGA KORUMA DER.", email="egecevre@gmail.com", join=str(known.pk)
        ),
    )

    assertRedirects(response, url("directory:mine"))
    assert Organisation.objects.count() == 1
    affiliation = Affiliation.objects.get(organisation=known)
    assert affiliation.person.user == member
    assert affiliation.is_admin is False
    mine = member_client.get(url("directory:mine", language="en"))
    assertContains(mine, "awaiting confirmation")
    assert member_client.get(url("directory:edit", known.pk)).status_code == 404


def test_only_an_offered_candidate_can_be_chosen(member_client):
    OrganisationFactory.create(name="Ege Çevre ve Doğa Koruma Derneği", province=province(35))
    unrelated = OrganisationFactory.create(
        name="Van Kadın Dayanışma Derneği", province=province(65)
    )

    response = member_client.post(
        url("directory:register", language="en"),
        register_data(name="Ege Çevre ve Doğa Koruma Derneği", join=str(unrelated.pk)),
    )

    assert response.status_code == 200
    assertContains(response, "Choose one of the organisations listed below.")
    assert not Affiliation.objects.filter(organisation=unrelated).exists()


def test_saying_none_of_these_fits_registers_a_new_organisation(member_client):
    OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(35))
    typed = register_data(name="Kadın Dayanışma Derneği", email="kadin@dayanisma-izmir.org")

    first = member_client.post(url("directory:register"), typed)
    assert first.status_code == 200
    assert Organisation.objects.count() == 1

    second = member_client.post(url("directory:register"), {**typed, "none_fit": "on"})

    assert second.status_code == 302
    assert Organisation.objects.filter(name="Kadın Dayanışma Derneği").count() == 2


def test_bad_registration_input_is_explained_and_nothing_is_created(member_client):
    response = member_client.post(
        url("directory:register", language="en"),
        register_data(name=" ", email="yok", phone="123", province="99"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "email", "phone", "province"}
    assert errors["email"] == ["“yok” is not an e-mail address."]
    assert Organisation.objects.count() == 0
    assert Person.objects.count() == 0


def test_the_candidates_follow_the_typing_over_htmx(member_client):
    known = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği", province=province(35)
    )

    response = member_client.get(
        url("directory:register_candidates", language="en"),
        {"name": "ege cevre ve doga koruma dernegi", "province": "35", "email": ""},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<div id="candidates"')
    assert "<html" not in html
    assert known.name in html
    empty = member_client.get(
        url("directory:register_candidates"), {"name": ""}, headers={"HX-Request": "true"}
    )
    assert known.name not in empty.content.decode()


def test_the_register_page_asks_the_resolver_as_the_member_types(member_client):
    response = member_client.get(url("directory:register"))

    assertContains(response, f'hx-get="{url("directory:register_candidates")}"')
    assertContains(response, 'id="candidates"')


def test_the_portal_page_links_to_my_organisations(member_client):
    assertContains(member_client.get(url("portal:my")), url("directory:mine"))

"""Registering from the activity page: one form for the person, their organisation (through
the directory's guard), the eligibility questions and the consent. Every refusal is explained
next to the form with what was typed kept, and leaves nothing written."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains

from kaynak.accounts.tests.factories import UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.models import (
    Affiliation,
    ConsentPurpose,
    ConsentRecord,
    Organisation,
    Person,
)
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.programmes.links import registration_from_token
from kaynak.programmes.models import Registration, RegistrationStatus
from kaynak.programmes.registering import CONSENT_TEXT_VERSION
from kaynak.programmes.tests.factories import (
    RegistrationFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db

BOARD_QUESTION = {
    "key": "board",
    "text": "Derneğinizin yönetim kurulunda mısınız?",
    "text_en": "Are you on your organisation's board?",
    "required": True,
    "kind": "yes-no",
}


def typed(**changes: str) -> dict[str, str]:
    data = {
        "full_name": "Zeynep Arslan",
        "email": "Zeynep.Arslan@Ornek-Dernek.org.tr",
        "phone": "0532 123 45 67",
        "province": "35",
        "language": "tr",
        "organisation_name": "",
        "organisation_province": "",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def register(client, activity, language: str = "tr", **changes: str):
    return client.post(
        url("programmes:register", activity.slug, language=language), typed(**changes)
    )


def nothing_written() -> bool:
    return not (
        Registration.objects.exists()
        or Person.objects.exists()
        or ConsentRecord.objects.exists()
        or Organisation.objects.exists()
    )


def registration_of(response, language: str = "tr") -> Registration:
    """The registration whose signed page the response redirects to."""
    assert response.status_code == 302, response.context["form"].errors
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert response["Location"] == url("programmes:registration", token, language=language)
    registration = registration_from_token(token)
    assert registration is not None
    return registration


# Success ---------------------------------------------------------------------------------------


def test_a_visitor_registers_and_lands_on_their_own_page(client):
    activity = activity_with_sessions(2, capacity=10)

    response = register(client, activity)

    registration = registration_of(response)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == "zeynep.arslan@ornek-dernek.org.tr"
    assert registration.language == "tr"
    person = registration.person
    assert person.full_name == "Zeynep Arslan"
    assert person.emails == ["zeynep.arslan@ornek-dernek.org.tr"]
    assert person.phones == ["+905321234567"]
    assert person.province_id == 35
    consent = ConsentRecord.objects.get(person=person)
    assert consent.purpose == ConsentPurpose.DATA_PROCESSING
    assert consent.granted is True
    assert consent.text_version == CONSENT_TEXT_VERSION
    page = client.get(response["Location"])
    assertContains(page, registration.code)
    assertContains(page, "<svg")
    assertContains(page, "zeynep.arslan@ornek-dernek.org.tr")  # "a confirmation is on its way to …"


def test_beyond_the_seats_a_visitor_is_told_their_place_on_the_waiting_list(client):
    activity = activity_with_sessions(1, capacity=1)
    RegistrationFactory.create(activity=activity)
    RegistrationFactory.create(activity=activity, status=RegistrationStatus.WAITLISTED)

    response = register(client, activity, language="en")

    registration = registration_of(response, "en")
    assert registration.status == RegistrationStatus.WAITLISTED
    page = client.get(response["Location"])
    assertContains(page, "You are on the waiting list: number 2.")
    assertContains(page, registration.code)


def test_answers_to_the_eligibility_questions_are_kept(client):
    activity = activity_with_sessions(
        1,
        questions=[
            BOARD_QUESTION,
            {"key": "why", "text": "Neden?", "required": False, "kind": "text"},
        ],
    )

    response = register(client, activity, answer_board="on", answer_why="  Öğrenmek için. ")

    assert registration_of(response).answers == {"board": True, "why": "Öğrenmek için."}


def test_the_same_e_mail_finds_the_person_already_in_the_directory(client):
    known = PersonFactory.create(full_name="Zeynep Arslan", emails=["zeynep@ornek.org"])
    activity = activity_with_sessions(1)

    response = register(client, activity, full_name="ZEYNEP ARSLAN", email="Zeynep@Ornek.org")

    assert registration_of(response).person == known
    assert Person.objects.count() == 1
    # What a visitor types never changes a known person's record.
    known.refresh_from_db()
    assert known.phones == []


def test_a_name_alone_does_not_make_someone_a_known_person(client):
    known = PersonFactory.create(full_name="Zeynep Arslan", emails=["baska@ornek.org"])
    activity = activity_with_sessions(1)

    response = register(client, activity)

    assert registration_of(response).person != known
    assert Person.objects.count() == 2


def test_a_member_registers_as_their_own_person_with_the_form_filled_in(client):
    user = UserFactory.create(email="deniz@ornek-stk.org.tr", full_name="Deniz Kaya")
    person = PersonFactory.create(
        full_name="Deniz Kaya", emails=["deniz@ornek-stk.org.tr"], user=user, province=province(6)
    )
    organisation = OrganisationFactory.create(name="Ankara Gençlik Derneği")
    AffiliationFactory.create(person=person, organisation=organisation, is_admin=True)
    activity = activity_with_sessions(1)
    client.force_login(user)

    form = client.get(url("programmes:activity", activity.slug)).context["form"]
    assert form.initial["full_name"] == "Deniz Kaya"
    assert form.initial["email"] == "deniz@ornek-stk.org.tr"
    assert form.initial["province"] == 6
    assert form.initial["organisation_name"] == "Ankara Gençlik Derneği"

    response = register(
        client,
        activity,
        full_name="Deniz Kaya",
        email="deniz@ornek-stk.org.tr",
        organisation_name="Ankara Gençlik Derneği",
        organisation_province="6",
        organisation_choice=str(organisation.pk),
    )

    registration = registration_of(response)
    assert registration.person == person
    assert registration.organisation == organisation
    assert registration.added_by == user
    assert Person.objects.count() == 1


# The directory's "is this your organisation?" guard ------------------------------------------


def test_a_known_organisation_typed_in_capitals_and_ascii_is_offered_not_duplicated(client):
    known = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği", province=province(35)
    )
    activity = activity_with_sessions(1)

    first = register(
        client,
        activity,
        language="en",
        organisation_name="EGE CEVRE VE DOGA KORUMA DERNEGI",
        organisation_province="35",
    )

    assert first.status_code == 200
    assert first.context["candidates"] == [known]
    assertContains(first, "Is it one of these?")
    assertContains(first, f'name="organisation_choice" value="{known.pk}"')
    assertContains(first, "The directory already has organisations like this one.")
    assertContains(first, 'value="EGE CEVRE VE DOGA KORUMA DERNEGI"')  # what was typed stays
    assertContains(first, 'value="Zeynep Arslan"')
    assert not Registration.objects.exists()

    second = register(
        client,
        activity,
        organisation_name="EGE CEVRE VE DOGA KORUMA DERNEGI",
        organisation_province="35",
        organisation_choice=str(known.pk),
    )

    assert registration_of(second).organisation == known
    assert Organisation.objects.count() == 1


def test_saying_none_of_the_candidates_fits_records_a_new_organisation(client):
    OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(35))
    activity = activity_with_sessions(1)

    response = register(
        client,
        activity,
        organisation_name="Kadın Dayanışma Derneği",
        organisation_province="35",
        organisation_choice="new",
    )

    created = registration_of(response).organisation
    assert created is not None
    assert Organisation.objects.filter(name="Kadın Dayanışma Derneği").count() == 2
    assert created.province_id == 35
    assert created.public_listing_consent is False


def test_an_organisation_the_directory_does_not_know_is_recorded_at_once(client):
    activity = activity_with_sessions(1)

    response = register(
        client, activity, organisation_name="Van Kadın Kooperatifi", organisation_province="65"
    )

    organisation = registration_of(response).organisation
    assert organisation is not None
    assert organisation.name == "Van Kadın Kooperatifi"
    # A visitor's registration writes no affiliation: the link is the registration itself.
    assert not Affiliation.objects.exists()


def test_only_an_organisation_the_guard_offered_can_be_chosen(client):
    OrganisationFactory.create(name="Ege Çevre ve Doğa Koruma Derneği", province=province(35))
    unrelated = OrganisationFactory.create(
        name="Van Kadın Dayanışma Derneği", province=province(65)
    )
    activity = activity_with_sessions(1)

    response = register(
        client,
        activity,
        language="en",
        organisation_name="Ege Çevre ve Doğa Koruma Derneği",
        organisation_province="35",
        organisation_choice=str(unrelated.pk),
    )

    assert response.status_code == 200
    assertContains(response, "Choose one of the organisations listed")
    assert not Registration.objects.exists()


def test_the_candidates_follow_the_typing_over_htmx(client):
    known = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği", province=province(35)
    )
    activity = activity_with_sessions(1)
    address = url("programmes:organisation-candidates", activity.slug)

    found = client.get(
        address,
        {"organisation_name": "ege cevre ve doga koruma dernegi", "organisation_province": "35"},
        headers={"HX-Request": "true"},
    )
    empty = client.get(address, {"organisation_name": ""}, headers={"HX-Request": "true"})

    html = found.content.decode().strip()
    assert html.startswith('<div id="organisation-candidates"')
    assert "<html" not in html
    assert known.name in html
    assert known.name not in empty.content.decode()


# Refusals: explained next to the form, typed values kept, nothing written ---------------------


def test_registration_after_the_window_is_refused_with_the_reason(client):
    activity = activity_with_sessions(1, registration_closes_at=in_days(-1))

    response = register(client, activity, language="en")

    assert response.status_code == 200
    assertContains(response, "Registration for this activity has closed.")
    assertContains(response, 'role="alert"')
    assertContains(response, 'value="Zeynep Arslan"')
    assert nothing_written()


def test_a_full_activity_without_a_waiting_list_refuses(client):
    activity = activity_with_sessions(1, capacity=1, waitlist=False)
    RegistrationFactory.create(activity=activity)
    people = Person.objects.count()

    response = register(client, activity, language="en")

    assert response.status_code == 200
    assertContains(response, "This activity is full and keeps no waiting list.")
    assert Registration.objects.count() == 1
    assert Person.objects.count() == people
    assert not ConsentRecord.objects.exists()


def test_registering_twice_is_explained_and_rolls_back_everything_else(client):
    activity = activity_with_sessions(1)
    register(client, activity)

    response = register(
        client,
        activity,
        language="en",
        organisation_name="Yeni Bir Dernek",
        organisation_province="6",
    )

    assert response.status_code == 200
    assertContains(response, "You are already registered for this activity.")
    assert Registration.objects.count() == 1
    # The refused registration took its new organisation and its consent record with it.
    assert not Organisation.objects.exists()
    assert ConsentRecord.objects.count() == 1


def test_a_missing_required_answer_is_named_next_to_its_question(client):
    activity = activity_with_sessions(1, questions=[BOARD_QUESTION])

    english = register(client, activity, language="en")
    turkish = register(client, activity)

    assert english.status_code == 200
    assert english.context["form"].errors["answer_board"] == [
        "Please answer: Are you on your organisation's board?"
    ]
    assert (
        "Derneğinizin yönetim kurulunda mısınız?"
        in turkish.context["form"].errors["answer_board"][0]
    )
    assert nothing_written()


@pytest.mark.parametrize("bad", ["zeynep", "zeynep@", "zeynep arslan@ornek.org"])
def test_a_bad_e_mail_address_is_explained_next_to_the_field(client, bad):
    activity = activity_with_sessions(1)

    response = register(client, activity, language="en", email=bad)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [f"“{bad}” is not an e-mail address."]
    assertContains(response, 'id="id_email_error"')
    assertContains(response, f'value="{bad}"')
    assert nothing_written()


def test_everything_missing_is_named_field_by_field(client):
    activity = activity_with_sessions(1)

    response = client.post(
        url("programmes:register", activity.slug, language="en"),
        {"organisation_name": "Bir Dernek", "phone": "123"},
    )

    assert set(response.context["form"].errors) == {
        "full_name",
        "email",
        "phone",
        "province",
        "language",
        "organisation_province",
        "consent",
    }
    assertContains(response, "Please agree, or we cannot register you")
    assert nothing_written()


def test_no_mail_is_queued_for_a_refused_registration(client, django_capture_on_commit_callbacks):
    activity = activity_with_sessions(1, registration_closes_at=in_days(-1))

    with django_capture_on_commit_callbacks() as callbacks:
        register(client, activity)

    assert callbacks == []

"""The applicant's pages: starting (login first, the guard), the form that saves itself,
files, submitting, the application's page, "My applications", and who may see what."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaynak.accounts.models import User
from kaynak.accounts.tests.factories import UserFactory
from kaynak.calls import applying
from kaynak.calls.models import Application, ApplicationStatus, Call, QuestionKind
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory, QuestionFactory
from kaynak.core.models import Province
from kaynak.directory import services as directory_services
from kaynak.directory.models import Organisation
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory
from kaynak.programmes.registering import OrganisationDecision

pytestmark = pytest.mark.django_db

OPTIONS = [
    {"key": "evet", "tr": "Evet", "en": "Yes"},
    {"key": "hayir", "tr": "Hayır", "en": "No"},
]


@pytest.fixture(autouse=True)
def _call_files(settings: Any, tmp_path: Path) -> None:
    settings.CALLS_FILES_DIR = tmp_path / "call-files"


@pytest.fixture
def call() -> Call:
    call = CallFactory.create(slug="mentorluk-2027")
    QuestionFactory.create(call=call, key="beklenti", kind=QuestionKind.LONG_TEXT, max_words=5)
    ever = QuestionFactory.create(
        call=call, key="daha-once", kind=QuestionKind.CHOICE, options=OPTIONS
    )
    QuestionFactory.create(
        call=call,
        key="hangisi",
        kind=QuestionKind.SHORT_TEXT,
        label="Hangi programa katıldınız?",
        label_en="Which programme did you take part in?",
        show_if=ever,
        show_if_values=["evet"],
    )
    QuestionFactory.create(call=call, key="rapor", kind=QuestionKind.FILE, max_file_mb=1)
    return call


@pytest.fixture
def user() -> User:
    return UserFactory.create()


@pytest.fixture
def organisation(user: User) -> Organisation:
    organisation = OrganisationFactory.create(name="Umut Işığı Derneği")
    AffiliationFactory.create(
        person=directory_services.person_for_user(user=user), organisation=organisation
    )
    return organisation


@pytest.fixture
def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(call: Call, user: User, organisation: Organisation) -> Application:
    return applying.start_application(
        call=call,
        user=user,
        organisation=OrganisationDecision(organisation=organisation),
        language="en",
    )


def _url(name: str, application: Application, **kw: str) -> str:
    return reverse(f"calls:{name}", kwargs={"code": application.code, **kw})


def test_a_visitor_logs_in_first_and_comes_back_to_the_form(call: Call) -> None:
    url = reverse("calls:apply", kwargs={"slug": call.slug})
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={url}")


def test_a_member_starts_for_their_organisation_and_lands_on_the_form(
    call: Call, client_of: Client, organisation: Organisation
) -> None:
    url = reverse("calls:apply", kwargs={"slug": call.slug})
    page = client_of.get(url)
    assert organisation.name in page.content.decode()
    response = client_of.post(url, {"organisation": str(organisation.pk)})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("application", application)
    form = client_of.get(response["Location"]).content.decode()
    assert 'hx-post="' + _url("application-save", application) in form
    assert "What does your organisation expect from the school?" in form
    # The conditional question waits for its answer.
    assert "Which programme did you take part in?" not in form


def test_a_name_variant_of_an_organisation_that_applied_is_caught_with_a_link(
    call: Call, client_of: Client
) -> None:
    applied = OrganisationFactory.create(
        name="Kadın Dayanışma Vakfı", province=Province.objects.get(pk=35)
    )
    first = ApplicationFactory.create(call=call, organisation=applied)
    url = reverse("calls:apply", kwargs={"slug": call.slug})
    typed = {
        "organisation": "other",
        "organisation_name": "Kadin Dayanisma Vakfi",
        "organisation_province": "35",
    }
    asked = client_of.post(url, typed)
    assert asked.status_code == 400
    assert "Is it one of these?" in asked.content.decode()
    assert f'value="{applied.pk}"' in asked.content.decode()
    refused = client_of.post(url, {**typed, "organisation_choice": str(applied.pk)})
    assert refused.status_code == 409
    assert first.code in refused.content.decode()
    assert Application.objects.count() == 1


def test_the_form_saves_itself_as_they_type(draft: Application, client_of: Client) -> None:
    response = client_of.post(
        _url("application-save", draft),
        {
            "q-beklenti": "Bir iki üç dört beş altı",
            "q-daha-once": "hayir",
            "shown": "beklenti,daha-once,rapor",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Saved {timezone.localtime():%H:%M}" in body
    assert "6 words; at most 5" in body
    draft.refresh_from_db()
    assert draft.answers == {"beklenti": "Bir iki üç dört beş altı", "daha-once": "hayir"}


def test_a_condition_met_shows_its_question_without_a_reload(
    draft: Application, client_of: Client
) -> None:
    response = client_of.post(
        _url("application-save", draft),
        {"q-daha-once": "evet", "shown": "beklenti,daha-once,rapor"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'id="questions" hx-swap-oob="true"' in body
    assert "Which programme did you take part in?" in body


def test_a_refused_file_keeps_what_was_typed(draft: Application, client_of: Client) -> None:
    response = client_of.post(
        _url("application-upload", draft, key="rapor"),
        {
            "q-beklenti": "Yeni bir başlangıç",
            "q-daha-once": "hayir",
            "q-rapor": SimpleUploadedFile("rapor.pdf", b"MZ\x90\x00" + b"\x00" * 60),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Accepted: PDF, DOCX, XLSX, ODT, ODS, JPG, PNG files up to 1 MB" in body
    assert "Yeni bir başlangıç" in body
    draft.refresh_from_db()
    assert draft.answers["beklenti"] == "Yeni bir başlangıç"
    assert not draft.files.exists()


def test_an_uploaded_file_is_streamed_to_its_owner_only(
    draft: Application, client_of: Client
) -> None:
    client_of.post(
        _url("application-upload", draft, key="rapor"),
        {"q-rapor": SimpleUploadedFile("Faaliyet Raporu.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    download = client_of.get(_url("application-file", draft, key="rapor"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n%%EOF\n"  # type: ignore[attr-defined]
    assert "attachment" in download["Content-Disposition"]
    stranger = Client()
    stranger.force_login(UserFactory.create())
    assert stranger.get(_url("application-file", draft, key="rapor")).status_code == 404


def test_another_members_application_is_not_found(draft: Application) -> None:
    stranger = Client()
    stranger.force_login(UserFactory.create())
    for name in ("application", "application-submit", "application-withdraw"):
        assert stranger.get(_url(name, draft)).status_code == 404
    assert stranger.post(_url("application-save", draft), {"q-beklenti": "x"}).status_code == 404
    draft.refresh_from_db()
    assert draft.answers == {}


def test_staff_see_an_application_and_a_blind_reviewer_sees_no_names(
    draft: Application, call: Call, organisation: Organisation
) -> None:
    from kaynak.accounts.models import Role
    from kaynak.accounts.tests.factories import StaffFactory
    from kaynak.calls.models import ReviewAssignment

    Application.objects.filter(pk=draft.pk).update(
        status=ApplicationStatus.SUBMITTED, submitted_at=timezone.now()
    )
    staff = Client()
    staff.force_login(StaffFactory.create(roles=[Role.ME_OFFICER]))
    response = staff.get(_url("application", draft))
    assert response.status_code == 200
    assert organisation.name in response.content.decode()
    call.blind_review = True
    call.save()
    reviewer = StaffFactory.create(roles=[Role.REVIEWER])
    ReviewAssignment.objects.create(application=draft, reviewer=reviewer)
    client = Client()
    client.force_login(reviewer)
    page = client.get(_url("application", draft))
    assert page.status_code == 200
    assert organisation.name not in page.content.decode()


def test_submitting_after_the_confirmation_shows_the_status_and_the_receipt(
    draft: Application, client_of: Client
) -> None:
    client_of.post(
        _url("application-upload", draft, key="rapor"),
        {
            "q-beklenti": "Kapasitemizi güçlendirmek",
            "q-daha-once": "hayir",
            "q-rapor": SimpleUploadedFile("rapor.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    confirm = client_of.get(_url("application-submit", draft))
    assert "Kapasitemizi güçlendirmek" in confirm.content.decode()
    refused = client_of.post(_url("application-submit", draft), {})
    assert refused.status_code == 400
    response = client_of.post(_url("application-submit", draft), {"consent": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    page = client_of.get(_url("application", draft)).content.decode()
    assert "Submitted" in page
    assert "Download the receipt (PDF)" in page
    receipt = client_of.get(_url("application-receipt", draft))
    assert receipt.content.startswith(b"%PDF-")


def test_an_incomplete_application_returns_to_the_form_with_the_marked_answers(
    draft: Application, client_of: Client
) -> None:
    response = client_of.post(_url("application-submit", draft), {"consent": "on"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Please answer this question." in body
    assert "Please upload a file." in body


def test_after_the_deadline_the_draft_is_readable_and_closed(
    draft: Application, client_of: Client, call: Call
) -> None:
    client_of.post(_url("application-save", draft), {"q-beklenti": "Geç kalan taslak"})
    call.opens_at = timezone.now() - dt.timedelta(days=10)
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    page = client_of.get(_url("application", draft)).content.decode()
    assert "The deadline was" in page
    assert "Geç kalan taslak" in page
    assert "hx-post" not in page
    late = client_of.post(_url("application-save", draft), {"q-beklenti": "Değişti"})
    assert late.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {"beklenti": "Geç kalan taslak"}


def test_the_applicant_withdraws_a_submitted_application(
    draft: Application, client_of: Client, user: User
) -> None:
    Application.objects.filter(pk=draft.pk).update(
        status=ApplicationStatus.SUBMITTED, submitted_at=timezone.now()
    )
    assert (
        "Withdraw the application"
        in client_of.get(_url("application-withdraw", draft)).content.decode()
    )
    response = client_of.post(_url("application-withdraw", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.WITHDRAWN


def test_people_rows_are_added_and_removed(
    call: Call, client_of: Client, draft: Application
) -> None:
    call.people_max = 3
    call.people_label = "Temsilciler"
    call.people_label_en = "Representatives"
    call.save()
    page = client_of.get(_url("application", draft)).content.decode()
    assert "Representatives" in page
    assert 'name="people-0-full_name"' in page
    # Saving redirects to a GET (a reload never posts an older form again) with one more row.
    added = client_of.post(
        _url("application-save", draft),
        {
            "people-count": "1",
            "people-0-full_name": "Ali Veli",
            "people-0-email": "ali@ornek.org",
            "people-add": "1",
        },
        follow=True,
    )
    assert added.redirect_chain[-1][0].endswith("?more=1")
    page = added.content.decode()
    assert 'name="people-1-full_name"' in page
    assert 'value="Ali Veli"' in page
    assert [p.full_name for p in draft.people.all()] == ["Ali Veli"]
    removed = client_of.post(
        _url("application-save", draft),
        {
            "people-count": "1",
            "people-0-full_name": "Ali Veli",
            "people-0-email": "ali@ornek.org",
            "people-remove": "0",
        },
    )
    assert removed.status_code == 302
    assert not draft.people.exists()


def test_my_applications_lists_the_accounts_applications(
    client_of: Client, user: User, django_assert_num_queries: Any
) -> None:
    person = directory_services.person_for_user(user=user)
    for _ in range(3):
        ApplicationFactory.create(user=user, person=person)
    ApplicationFactory.create()  # someone else's
    client_of.get(reverse("calls:mine"))  # warm the session and site settings
    # The session, the user, the applications (one query, however many), the base page.
    with django_assert_num_queries(7):
        response = client_of.get(reverse("calls:mine"))
    assert response.content.decode().count("<tr>") == 4  # the heading and three rows

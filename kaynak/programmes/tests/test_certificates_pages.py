"""Certificate pages: the public check, the holder's PDF, and the staff page of an activity."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes import certificates, links
from kaynak.programmes.models import Certificate
from kaynak.programmes.tests.factories import (
    RegistrationFactory,
    attended,
    past_activity_with_sessions,
)
from kaynak.programmes.views import certificates as views

pytestmark = pytest.mark.django_db

NAME = "Işıl Çağlar Şahinoğlu"


def issued(name: str = NAME, **kwargs) -> Certificate:
    activity = past_activity_with_sessions(2, title="Gönüllü Yönetimi Eğitimi")
    registration = RegistrationFactory.create(
        activity=activity, person=PersonFactory.create(full_name=name), **kwargs
    )
    return certificates.issue_certificate(registration=attended(registration))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator() -> Client:
    return logged_in(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))


# The public check ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_check_shows_a_valid_certificates_facts_to_anyone(client, language):
    certificate = issued()

    response = client.get(url("programmes:certificate", certificate.code, language=language))

    assert response.status_code == 200
    assertContains(response, NAME)
    assertContains(response, "Gönüllü Yönetimi Eğitimi")
    assertContains(response, certificate.code)
    assertContains(response, certificates.format_hours(certificate.hours))
    assertContains(response, 'class="certificate-status valid"')


def test_the_check_says_valid_in_words(client):
    certificate = issued()

    response = client.get(url("programmes:certificate", certificate.code, language="en"))

    assertContains(response, "VALID")
    assertNotContains(response, "REVOKED")


def test_a_revoked_certificate_shows_as_revoked_with_its_date_and_reason(client):
    certificate = issued()
    certificates.revoke_certificate(certificate=certificate, reason="Attendance sheet was wrong")
    certificate.refresh_from_db()

    response = client.get(url("programmes:certificate", certificate.code, language="en"))

    assert response.status_code == 200
    assertContains(response, "REVOKED")
    assertContains(response, "Attendance sheet was wrong")
    assertContains(response, f"{certificate.revoked_at:%Y}")
    assertContains(response, 'class="certificate-status revoked"')


def test_a_certificate_replaced_after_a_name_correction_points_to_its_replacement(client):
    certificate = issued(name="Isil Caglar")
    replacement = certificates.reissue_certificate(certificate=certificate, holder_name=NAME)

    response = client.get(url("programmes:certificate", certificate.code, language="en"))

    assertContains(response, "REVOKED")
    assertContains(response, "The name was corrected")
    assertContains(response, url("programmes:certificate", replacement.code, language="en"))


@pytest.mark.parametrize("language", ["tr", "en"])
def test_an_unknown_code_is_a_404_that_says_so(client, language):
    issued()

    response = client.get(url("programmes:certificate", "NOSUCHCODE", language=language))

    assert response.status_code == 404
    assertContains(response, "NOSUCHCODE", status_code=404)
    assertContains(response, 'class="message error"', status_code=404)
    assertContains(response, 'name="code"', status_code=404)  # the form to try again


def test_the_unknown_code_sentence_in_english(client):
    response = client.get(url("programmes:certificate", "NOSUCHCODE", language="en"))

    assertContains(response, "No certificate has the code", status_code=404)


def test_a_code_typed_in_lower_case_goes_to_the_certificate(client):
    certificate = issued()

    response = client.get(url("programmes:certificate", certificate.code.lower(), language="en"))

    assertRedirects(response, url("programmes:certificate", certificate.code, language="en"))


def test_the_form_takes_a_typed_code_to_its_page(client):
    certificate = issued()
    typed = f" {certificate.code[:5].lower()}-{certificate.code[5:]} "

    response = client.get(url("programmes:certificate-check"), {"code": typed})

    assertRedirects(response, url("programmes:certificate", certificate.code))


def test_the_form_explains_a_code_that_cannot_be_one_and_keeps_it(client):
    response = client.get(url("programmes:certificate-check", language="en"), {"code": "12"})

    assert response.status_code == 200
    assertContains(response, "ten letters and digits")
    assertContains(response, 'value="12"')


# The holder's PDF ------------------------------------------------------------------------------


@pytest.mark.needs_tool("lib:pango-1.0")
def test_the_holder_downloads_the_pdf_by_the_signed_link_of_their_registration(client):
    certificate = issued()
    token = links.registration_token(certificate.registration)

    response = client.get(url("programmes:certificate-pdf", certificate.code, token))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert certificate.code in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_the_signed_link_in_mail_is_absolute_and_in_the_registrants_language(client):
    certificate = issued(language="en")

    address = certificates.certificate_pdf_url(certificate)

    assert address.startswith("http")
    assert "/en/" in address
    assert client.get(urlsplit(address).path).status_code == 200


@pytest.mark.parametrize("token", ["forged", "WzEsIkFCQyJd:1:abc"])
def test_a_forged_token_gets_no_pdf(client, token):
    certificate = issued()

    response = client.get(url("programmes:certificate-pdf", certificate.code, token))

    assert response.status_code == 404


def test_another_registrations_token_gets_no_pdf(client):
    certificate = issued()
    someone_else = issued(name="Başka Biri")
    token = links.registration_token(someone_else.registration)

    response = client.get(url("programmes:certificate-pdf", certificate.code, token))

    assert response.status_code == 404


def test_the_holder_of_a_replaced_certificate_gets_the_replacement(client):
    old = issued(name="Isil Caglar")
    new = certificates.reissue_certificate(certificate=old, holder_name=NAME)
    token = links.registration_token(old.registration)

    response = client.get(url("programmes:certificate-pdf", old.code, token))

    assert response.status_code == 200
    assert new.code in response["Content-Disposition"]


def test_a_revoked_certificate_is_not_handed_to_its_holder(client):
    certificate = issued()
    certificates.revoke_certificate(certificate=certificate, reason="Did not attend")
    token = links.registration_token(certificate.registration)

    response = client.get(url("programmes:certificate-pdf", certificate.code, token))

    assert response.status_code == 404


@pytest.mark.needs_tool("lib:pango-1.0")
def test_a_logged_in_holder_downloads_their_own_pdf():
    user = UserFactory.create()
    certificate = issued()
    person = certificate.registration.person
    person.user = user
    person.save()

    response = logged_in(user).get(url("programmes:certificate-pdf-mine", certificate.code))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_someone_elses_account_gets_no_pdf():
    certificate = issued()

    response = logged_in(UserFactory.create()).get(
        url("programmes:certificate-pdf-mine", certificate.code)
    )

    assert response.status_code == 404


def test_a_visitor_is_asked_to_log_in_for_the_account_download(client):
    certificate = issued()

    response = client.get(url("programmes:certificate-pdf-mine", certificate.code))

    assert response.status_code == 302
    assert "/hesap/" in response["Location"]


# Staff ------------------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_for_the_staff_page(client):
    certificate = issued()

    response = client.get(
        url("programmes:staff-certificates", certificate.registration.activity_id)
    )

    assert response.status_code == 302


@pytest.mark.parametrize(
    "user",
    [
        pytest.param(lambda: UserFactory.create(), id="member"),
        pytest.param(lambda: StaffFactory.create(roles=[Role.SUPPORT_AGENT]), id="support"),
        pytest.param(lambda: StaffFactory.create(roles=[Role.ME_OFFICER]), id="me-officer"),
    ],
)
def test_only_those_who_run_activities_see_the_staff_page(user):
    certificate = issued()
    client = logged_in(user())

    response = client.get(
        url("programmes:staff-certificates", certificate.registration.activity_id)
    )
    pdf = client.get(url("programmes:staff-certificate-pdf", certificate.code))
    revoke = client.post(
        url("programmes:staff-certificate-revoke", certificate.code), {"reason": "x"}
    )

    assert (response.status_code, pdf.status_code, revoke.status_code) == (404, 404, 404)
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_the_staff_page_shows_who_completed_and_who_holds_a_certificate(coordinator):
    activity = past_activity_with_sessions(2)
    done = certificates.issue_certificate(
        registration=attended(
            RegistrationFactory.create(
                activity=activity, person=PersonFactory.create(full_name="Ayşe Demir")
            )
        )
    )
    attended(
        RegistrationFactory.create(
            activity=activity, person=PersonFactory.create(full_name="Cem Öztürk")
        ),
        sessions=1,
    )
    gul = attended(
        RegistrationFactory.create(
            activity=activity, person=PersonFactory.create(full_name="Gül Kaya")
        )
    )

    response = coordinator.get(url("programmes:staff-certificates", activity.pk, language="en"))

    assert response.status_code == 200
    assertContains(response, "Ayşe Demir")
    assertContains(response, done.code)
    assertContains(response, "Cem Öztürk")
    assertContains(response, "not completed", count=1)
    assertContains(response, "Issue 1 certificate")  # Gül Kaya completed, has none yet
    assertContains(response, url("programmes:staff-certificate-issue", gul.pk, language="en"))
    assertNotContains(
        response, url("programmes:staff-certificate-issue", done.registration_id, language="en")
    )


def test_the_staff_page_takes_the_same_queries_however_many_registrants(
    coordinator, django_assert_num_queries
):
    activity = past_activity_with_sessions(2)
    for _ in range(2):
        certificates.issue_certificate(
            registration=attended(RegistrationFactory.create(activity=activity))
        )
    page = url("programmes:staff-certificates", activity.pk)
    coordinator.get(page)  # warm the caches a first visit fills (center settings, sessions)
    with CaptureQueriesContext(connection) as few:
        assert coordinator.get(page).status_code == 200
    for _ in range(5):
        attended(RegistrationFactory.create(activity=activity), sessions=1)
    certificates.issue_certificate(
        registration=attended(RegistrationFactory.create(activity=activity))
    )

    with django_assert_num_queries(len(few)):
        response = coordinator.get(page)

    assert response.content.decode().count('<tr id="registration-') == 8


def test_bulk_issue_from_the_staff_page_reports_issued_and_skipped(coordinator):
    activity = past_activity_with_sessions(2)
    attended(
        RegistrationFactory.create(
            activity=activity, person=PersonFactory.create(full_name="Ayşe Demir")
        )
    )
    attended(
        RegistrationFactory.create(
            activity=activity, person=PersonFactory.create(full_name="Cem Öztürk")
        ),
        sessions=1,
    )

    response = coordinator.post(
        url("programmes:staff-certificates-issue", activity.pk, language="en")
    )

    assert response.status_code == 200
    assertContains(response, "1 certificate issued.")
    assertContains(response, "1 registrant skipped")
    assertContains(response, "Cem Öztürk attended 1 of 2 sessions")
    assert list(Certificate.objects.values_list("holder_name", flat=True)) == ["Ayşe Demir"]


def test_issuing_one_certificate_from_the_staff_page(coordinator):
    activity = past_activity_with_sessions(1)
    registration = attended(RegistrationFactory.create(activity=activity))

    response = coordinator.post(url("programmes:staff-certificate-issue", registration.pk))

    assertRedirects(response, url("programmes:staff-certificates", activity.pk))
    assert registration.certificates.filter(revoked_at__isnull=True).count() == 1


def test_issuing_for_someone_who_did_not_complete_explains_why(coordinator):
    activity = past_activity_with_sessions(2)
    registration = attended(RegistrationFactory.create(activity=activity), sessions=1)

    response = coordinator.post(
        url("programmes:staff-certificate-issue", registration.pk, language="en"), follow=True
    )

    assertContains(response, "attended 1 of 2 sessions")
    assert not Certificate.objects.exists()


def test_revoking_from_the_staff_page_needs_a_reason_and_keeps_the_page(coordinator):
    certificate = issued()

    response = coordinator.post(
        url("programmes:staff-certificate-revoke", certificate.code, language="en"),
        {"reason": "   "},
    )

    assert response.status_code == 400
    assertContains(response, "This field is required.", status_code=400)
    assertContains(response, 'aria-invalid="true"', status_code=400)
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_revoking_from_the_staff_page_shows_on_the_public_check(coordinator, client):
    certificate = issued()

    response = coordinator.post(
        url("programmes:staff-certificate-revoke", certificate.code),
        {"reason": "Katılım listesi hatalıydı"},
    )

    assertRedirects(
        response, url("programmes:staff-certificates", certificate.registration.activity_id)
    )
    check = client.get(url("programmes:certificate", certificate.code, language="en"))
    assertContains(check, "REVOKED")
    assertContains(check, "Katılım listesi hatalıydı")


def test_reissuing_from_the_staff_page_with_the_same_name_explains_and_keeps_it(coordinator):
    certificate = issued()

    response = coordinator.post(
        url("programmes:staff-certificate-reissue", certificate.code, language="en"),
        {"holder_name": NAME},
    )

    assert response.status_code == 400
    assertContains(response, "The name is the same as on the certificate", status_code=400)
    assertContains(response, f'value="{NAME}"', status_code=400)
    assert Certificate.objects.count() == 1


def test_reissuing_from_the_staff_page_with_a_corrected_name(coordinator):
    certificate = issued(name="Isil Caglar Sahinoglu")

    response = coordinator.post(
        url("programmes:staff-certificate-reissue", certificate.code), {"holder_name": NAME}
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.replaced_by is not None
    assert certificate.replaced_by.holder_name == NAME


@pytest.mark.needs_tool("lib:pango-1.0")
def test_staff_download_any_certificate_pdf(coordinator):
    certificate = issued()

    response = coordinator.get(url("programmes:staff-certificate-pdf", certificate.code))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


# URLs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "view"),
    [
        ("programmes:certificate-check", (), views.certificate_check),
        ("programmes:certificate", ("ABCDEFGH23",), views.certificate_verify),
        ("programmes:certificate-pdf", ("ABCDEFGH23", "a:b:c"), views.certificate_pdf),
        ("programmes:certificate-pdf-mine", ("ABCDEFGH23",), views.my_certificate_pdf),
        ("programmes:staff-certificates", (1,), views.staff_certificates),
        ("programmes:staff-certificate-revoke", ("ABCDEFGH23",), views.staff_revoke),
    ],
)
@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_addresses_reach_these_pages_not_another_areas(name, args, view, language):
    with translation.override(language):
        assert resolve(url(name, *args, language=language)).func == view

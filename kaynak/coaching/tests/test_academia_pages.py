"""The academia pages: staff lists, matching with its reasons and "Confirm this pair" (htmx too),
a partnership's page (activities, publications, public toggle), members' own partnerships, and
the public pages, which show nothing that is not public."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.coaching import academia
from kaynak.coaching.models import (
    AcademicProfile,
    Partnership,
    PartnershipActivity,
    PartnershipOutput,
    RequestStatus,
)
from kaynak.coaching.tests.factories import (
    AcademicProfileFactory,
    PartnershipFactory,
    PartnershipRequestFactory,
)
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.library.models import Resource

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def prefixed(prefix: str, **fields: Any) -> dict[str, Any]:
    """A form's POST data under its prefix (the partnership page has several forms)."""
    return {f"{prefix}-{name}": value for name, value in fields.items()}


@pytest.fixture
def coordinator() -> Client:
    return client_for(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))


def disability() -> Theme:
    return Theme.objects.get(slug="disability")


# Staff --------------------------------------------------------------------------------------------


def test_the_staff_list_filters_by_theme_and_its_queries_do_not_grow_with_rows(
    coordinator: Client, django_assert_max_num_queries
):
    PartnershipFactory.create(title="Engelli istihdamı", theme=disability())
    PartnershipFactory.create(title="Kırsal kadın", theme=Theme.objects.get(slug="women"))
    page = coordinator.get(url("academia:staff"), {"theme": disability().pk})
    assertContains(page, "Engelli istihdamı")
    assertNotContains(page, "Kırsal kadın")

    PartnershipFactory.create_batch(10)
    with django_assert_max_num_queries(16):
        coordinator.get(url("academia:staff"))


def test_the_staff_xlsx_has_a_row_per_partnership(coordinator: Client):
    PartnershipFactory.create(title="=Engelli istihdamı")

    response = coordinator.get(url("academia:staff-xlsx"))

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "=Engelli istihdamı"  # text, not a formula
    assert len(rows) == 2


def test_members_and_other_staff_do_not_see_the_staff_pages():
    member = client_for(UserFactory.create())
    coach = client_for(StaffFactory.create(roles=[Role.COACH]))
    for name in ("academia:staff", "academia:matching", "academia:staff-academics"):
        assert member.get(url(name)).status_code == 404
        assert coach.get(url(name)).status_code == 404


def test_a_coordinator_adds_a_new_person_as_an_academic(coordinator: Client):
    response = coordinator.post(
        url("academia:staff-academics"),
        {
            "full_name": "Derya Öztürk",
            "email": "derya@uni.edu.tr",
            "title": "Dr.",
            "institution": "Van Yüzüncü Yıl Üniversitesi",
            "themes": [disability().pk],
            "provinces": [65],
            "languages": ["tr", "ku"],
            "expertise": "Engellilik ve kırsal yaşam",
            "is_available": "on",
        },
    )

    assert response.status_code == 302
    profile = AcademicProfile.objects.get()
    assert profile.person.full_name == "Derya Öztürk"
    assert profile.languages == ["tr", "ku"]


def test_an_academic_without_an_institution_is_explained_and_the_typing_kept(
    coordinator: Client,
):
    person = PersonFactory.create(full_name="Cem Aydın")

    response = coordinator.post(
        url("academia:staff-academics"),
        {"person": person.pk, "find": "Cem", "institution": "", "expertise": "Göç çalışmaları"},
    )

    assert response.status_code == 422
    assertContains(response, "Göç çalışmaları", status_code=422)
    assertContains(response, 'id="id_institution_error"', status_code=422)
    assert not AcademicProfile.objects.exists()


def test_a_coordinator_files_a_request_for_an_organisation_found_by_name(coordinator: Client):
    organisation = OrganisationFactory.create(name="Yaşam Engelsiz Derneği")
    found = coordinator.get(url("academia:staff-requests"), {"q": "engelsiz"})
    assertContains(found, "Yaşam Engelsiz Derneği")

    response = coordinator.post(
        url("academia:staff-requests"),
        {"organisation": organisation.pk, "needs": "Engelli istihdamı", "q": "engelsiz"},
    )

    assert response.status_code == 302
    assert organisation.partnership_requests.get().needs == "Engelli istihdamı"


def test_the_matching_page_shows_each_request_with_its_proposals_and_reasons(coordinator: Client):
    request = PartnershipRequestFactory.create(needs="Engelli gençlerin istihdamı")
    request.themes.set([disability()])
    profile = AcademicProfileFactory.create(expertise="Engellilik ve istihdam")
    profile.themes.set([disability()])
    profile.provinces.set([province(6)])

    page = coordinator.get(url("academia:matching", language="en"))

    assertContains(page, request.organisation.name)
    assertContains(page, profile.person.full_name)
    assertContains(page, "Shared theme: Disability")
    assertContains(page, "Works in Ankara")
    assertContains(page, "Shared words: Engelli, istihdamı")
    assertContains(page, "Confirm this pair")


def confirm_data(request, profile, **changes) -> dict[str, object]:
    prefix = f"r{request.pk}-a{profile.pk}"
    data = {
        "academic_id": profile.pk,
        f"{prefix}-academic": profile.pk,
        f"{prefix}-reason": "Shared theme: Disability",
        f"{prefix}-title": "Engelli Gençler Araştırması",
        f"{prefix}-theme": disability().pk,
        f"{prefix}-province": 6,
        f"{prefix}-goals": "Bir rapor",
        f"{prefix}-starts_on": "2026-03-01",
    }
    data.update({f"{prefix}-{key}": value for key, value in changes.items()})
    return data


def test_confirming_a_pair_on_the_matching_page_starts_the_partnership(coordinator: Client):
    request = PartnershipRequestFactory.create()
    profile = AcademicProfileFactory.create()

    response = coordinator.post(
        url("academia:matching-confirm", request.pk), confirm_data(request, profile)
    )

    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("academia:staff-partnership", partnership.slug)
    assert partnership.academic == profile
    assert partnership.match_reason == "Shared theme: Disability"
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED


def test_confirming_with_htmx_swaps_the_requests_card(coordinator: Client):
    request = PartnershipRequestFactory.create()
    profile = AcademicProfileFactory.create()

    response = coordinator.post(
        url("academia:matching-confirm", request.pk),
        confirm_data(request, profile),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assertContains(response, f'id="request-{request.pk}"')
    assertContains(response, "Engelli Gençler Araştırması")
    assertNotContains(response, "<html")


def test_a_confirmation_without_a_title_is_explained_and_the_typing_kept(coordinator: Client):
    request = PartnershipRequestFactory.create()
    profile = AcademicProfileFactory.create()

    response = coordinator.post(
        url("academia:matching-confirm", request.pk),
        confirm_data(request, profile, title="", goals="Kendi yazdığımız hedefler"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    assertContains(response, "Kendi yazdığımız hedefler", status_code=422)
    assertContains(response, "id_r", status_code=422)
    assert not Partnership.objects.exists()


def test_pairing_someone_not_in_the_academics_list_is_impossible_on_the_page(
    coordinator: Client,
):
    request = PartnershipRequestFactory.create()
    profile = AcademicProfileFactory.create()
    data = confirm_data(request, profile)
    data[f"r{request.pk}-a{profile.pk}-academic"] = 999999

    response = coordinator.post(url("academia:matching-confirm", request.pk), data)

    assert response.status_code == 422
    assert not Partnership.objects.exists()


def test_a_coordinator_records_an_activity_and_a_publication_that_appears_in_the_library(
    coordinator: Client,
):
    partnership = PartnershipFactory.create(is_public=True)
    member = AffiliationFactory.create(organisation=partnership.organisation).person

    activity = coordinator.post(
        url("academia:activity-add", partnership.slug),
        prefixed(
            "activity",
            kind="fieldwork",
            title="Saha görüşmeleri",
            date="2026-04-10",
            participants=[member.pk],
            participant_count=8,
        ),
    )
    output = coordinator.post(
        url("academia:output-add", partnership.slug),
        prefixed(
            "output",
            kind="report",
            title="Engelli Gençler Raporu",
            published_on="2026-09-01",
            link_url="https://yayin.example.org/rapor",
        ),
    )

    assert activity.status_code == 302
    assert output.status_code == 302
    assert PartnershipActivity.objects.get().participants.get() == member
    resource = PartnershipOutput.objects.get().resource
    assert resource is not None
    library = Client().get(url("library:resource", resource.slug))
    assertContains(library, "Engelli Gençler Raporu")
    assertContains(library, partnership.title)
    assertContains(Client().get(url("library:list")), "Engelli Gençler Raporu")


def test_a_publication_file_that_is_not_a_pdf_is_explained_next_to_the_file(
    coordinator: Client,
):
    partnership = PartnershipFactory.create()

    response = coordinator.post(
        url("academia:output-add", partnership.slug),
        prefixed(
            "output",
            kind="report",
            title="Taslak Rapor",
            published_on="2026-09-01",
            file=SimpleUploadedFile("rapor.docx", b"not a pdf"),
        ),
    )

    assert response.status_code == 422
    assertContains(response, 'id="id_output-file_error"', status_code=422)
    assertContains(response, "Taslak Rapor", status_code=422)
    assert not Resource.objects.exists()


def test_showing_a_partnership_publicly_needs_the_consent_ticked(coordinator: Client):
    partnership = PartnershipFactory.create()
    public = url("academia:staff-public", partnership.slug)

    refused = coordinator.post(public, {"is_public": "on"})
    partnership.refresh_from_db()
    assert refused.status_code == 422
    assert not partnership.is_public

    coordinator.post(public, {"is_public": "on", "consent": "on"})
    partnership.refresh_from_db()
    assert partnership.is_public


# Members ----------------------------------------------------------------------------------------


def test_an_academic_sees_their_partnerships_and_records_an_activity():
    user = UserFactory.create()
    profile = AcademicProfileFactory.create(person=PersonFactory.create(user=user))
    partnership = PartnershipFactory.create(academic=profile, title="Yaşlı bakımı")
    client = client_for(user)

    assertContains(client.get(url("academia:mine")), "Yaşlı bakımı")
    response = client.post(
        url("academia:my-partnership", partnership.slug),
        prefixed(
            "activity",
            kind="conference",
            title="Ortak konferans",
            date="2026-05-05",
            participant_count=40,
        ),
    )

    assert response.status_code == 302
    assert partnership.activities.get().title == "Ortak konferans"


def test_an_ngo_admin_sees_their_organisations_partnership_but_cannot_record():
    user = UserFactory.create()
    partnership = PartnershipFactory.create(title="Kırsal kalkınma")
    AffiliationFactory.create(
        organisation=partnership.organisation,
        person=PersonFactory.create(user=user),
        is_admin=True,
    )
    client = client_for(user)

    assertContains(client.get(url("academia:mine")), "Kırsal kalkınma")
    page = client.get(url("academia:my-partnership", partnership.slug))
    assertContains(page, "Kırsal kalkınma")
    assertNotContains(page, 'name="activity-participant_count"')
    refused = client.post(
        url("academia:my-partnership", partnership.slug),
        prefixed("activity", kind="other", title="x", date="2026-05-05", participant_count=1),
    )
    assert refused.status_code == 404


def test_another_organisations_member_cannot_see_a_partnership():
    partnership = PartnershipFactory.create()
    user = UserFactory.create()
    AffiliationFactory.create(person=PersonFactory.create(user=user), is_admin=True)

    response = client_for(user).get(url("academia:my-partnership", partnership.slug))

    assert response.status_code == 404


# Public -------------------------------------------------------------------------------------------


def test_the_public_list_shows_only_public_partnerships_marking_running_ones(
    django_assert_max_num_queries,
):
    PartnershipFactory.create(
        title="Tamamlanan", is_public=True, status="completed", ends_on=timezone.localdate()
    )
    PartnershipFactory.create(title="Süren", is_public=True)
    PartnershipFactory.create(title="Gizli", is_public=False, status="completed")
    PartnershipFactory.create(title="Erken biten", is_public=True, status="ended")

    page = Client().get(url("academia:list", language="en"))

    assertContains(page, "Tamamlanan")
    assertContains(page, "Süren")
    assertContains(page, "Under way")
    assertNotContains(page, "Gizli")
    assertNotContains(page, "Erken biten")
    PartnershipFactory.create_batch(8, is_public=True)
    with django_assert_max_num_queries(12):
        Client().get(url("academia:list"))


def test_a_non_public_partnership_is_not_found_publicly():
    hidden = PartnershipFactory.create(is_public=False)

    assert Client().get(url("academia:partnership", hidden.slug)).status_code == 404


def test_the_public_page_names_the_organisation_only_with_its_consent():
    listed = PartnershipFactory.create(is_public=True)
    unlisted = PartnershipFactory.create(
        is_public=True, organisation=OrganisationFactory.create(public_listing_consent=False)
    )

    assertContains(Client().get(url("academia:partnership", listed.slug)), listed.organisation.name)
    page = Client().get(url("academia:partnership", unlisted.slug, language="en"))
    assertNotContains(page, unlisted.organisation.name)
    assertContains(page, "A civil-society organisation")
    assertContains(page, unlisted.academic.person.full_name)


def test_the_public_page_lists_only_published_outputs():
    partnership = PartnershipFactory.create(is_public=True)
    academia.output_save(
        partnership=partnership,
        kind="book",
        title="Kitap",
        published_on=dt.date(2026, 1, 1),
        link_url="https://ornek.org/kitap",
        actor=None,
    )

    page = Client().get(url("academia:partnership", partnership.slug))

    resource = partnership.outputs.get().resource
    assert resource is not None
    assertContains(page, "Kitap")
    assertContains(page, url("library:resource", resource.slug))


def test_a_coordinator_edits_an_activity_and_deletes_it_and_a_publication(coordinator: Client):
    partnership = PartnershipFactory.create(title="Göç ve eğitim")
    member = AffiliationFactory.create(organisation=partnership.organisation).person
    activity = academia.activity_save(
        partnership=partnership,
        kind="fieldwork",
        title="Saha",
        date=dt.date(2026, 4, 1),
        participants=[member],
        participant_count=3,
        actor=None,
    )
    output = academia.output_save(
        partnership=partnership,
        kind="brief",
        title="Politika notu",
        published_on=dt.date(2026, 5, 1),
        link_url="https://ornek.org/not",
        actor=None,
    )
    page = coordinator.get(url("academia:staff-partnership", partnership.slug))
    assertContains(page, "Saha")
    assertContains(page, "Politika notu")
    assertContains(
        coordinator.get(url("academia:activity-edit", partnership.slug, activity.pk)), "Saha"
    )

    refused = coordinator.post(
        url("academia:activity-edit", partnership.slug, activity.pk),
        prefixed(
            "activity",
            kind="fieldwork",
            title="Saha",
            date="2026-04-01",
            participants=[member.pk],
            participant_count=0,
        ),
    )
    assertContains(refused, 'id="id_activity-participant_count_error"', status_code=422)
    coordinator.post(url("academia:activity-delete", partnership.slug, activity.pk))
    coordinator.post(url("academia:output-delete", partnership.slug, output.pk))

    assert not partnership.activities.exists()
    assert not partnership.outputs.exists()


def test_a_coordinator_changes_an_academics_profile_and_closes_a_request(coordinator: Client):
    profile = AcademicProfileFactory.create(institution="Eski Üniversite")
    request = PartnershipRequestFactory.create()
    assertContains(coordinator.get(url("academia:staff-academic", profile.pk)), "Eski Üniversite")

    coordinator.post(
        url("academia:staff-academic", profile.pk),
        {"institution": "Yeni Üniversite", "languages": ["tr"], "is_available": ""},
    )
    coordinator.post(url("academia:staff-request-close", request.pk))

    profile.refresh_from_db()
    request.refresh_from_db()
    assert profile.institution == "Yeni Üniversite"
    assert not profile.is_available
    assert request.status == RequestStatus.CLOSED


def test_a_partnership_is_completed_only_with_its_end_date_on_its_page(coordinator: Client):
    partnership = PartnershipFactory.create()
    data = {
        "title": partnership.title,
        "theme": partnership.theme_id,
        "province": partnership.province_id,
        "starts_on": partnership.starts_on.isoformat(),
        "status": "completed",
    }

    refused = coordinator.post(url("academia:staff-partnership", partnership.slug), data)
    done = coordinator.post(
        url("academia:staff-partnership", partnership.slug),
        {**data, "ends_on": timezone.localdate().isoformat()},
    )

    assertContains(refused, 'id="id_ends_on_error"', status_code=422)
    assert done.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "completed"


def test_the_organisation_panels_query_lists_only_that_organisations_partnerships():
    from kaynak.coaching.queries_academia import partnerships_of_organisation

    mine = PartnershipFactory.create()
    PartnershipFactory.create()

    assert list(partnerships_of_organisation(mine.organisation)) == [mine]

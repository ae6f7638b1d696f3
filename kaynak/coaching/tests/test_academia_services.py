"""The academia services: academics, requests from accepted applications, confirming pairs,
activities as ledger deliveries, and publications as library items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaynak.calls.decisions import decide
from kaynak.calls.models import ApplicationStatus
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory
from kaynak.coaching import academia
from kaynak.coaching.errors import CoachingError
from kaynak.coaching.models import (
    AcademicProfile,
    Partnership,
    PartnershipActivity,
    PartnershipOutput,
    PartnershipRequest,
    PartnershipRound,
    RequestStatus,
)
from kaynak.coaching.tests.factories import (
    AcademicProfileFactory,
    PartnershipFactory,
    PartnershipRequestFactory,
)
from kaynak.core.errors import KaynakError
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.ledger.models import Delivery
from kaynak.library import queries as library_queries
from kaynak.library.models import PublicationStatus, Resource

pytestmark = pytest.mark.django_db


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def live_deliveries(activity: PartnershipActivity) -> set[tuple[int | None, int | None]]:
    return set(
        Delivery.objects.filter(
            source_id=str(activity.pk), kind__slug="academia", withdrawn_at__isnull=True
        ).values_list("organisation_id", "person_id")
    )


# Academics ----------------------------------------------------------------------------------------


def test_a_directory_person_becomes_an_academic_with_languages_checked():
    person = PersonFactory.create(full_name="Zeynep Arıkan")

    profile = academia.academic_save(
        person=person,
        title="Doç. Dr.",
        institution="Ege Üniversitesi",
        themes=[theme("ageing")],
        provinces=[province(35)],
        languages=["TR", "en", "tr"],
        expertise="Yaşlılık ve bakım politikaları",
        actor=None,
    )

    assert profile.languages == ["tr", "en"]
    assert [t.slug for t in profile.themes.all()] == ["ageing"]
    assert str(profile) == "Doç. Dr. Zeynep Arıkan"


def test_an_unknown_language_code_is_refused_next_to_the_field_and_nothing_is_saved():
    person = PersonFactory.create()

    with pytest.raises(CoachingError) as refused:
        academia.academic_save(
            person=person, title="", institution="ODTÜ", languages=["tr", "xx"], actor=None
        )

    assert "xx" in str(refused.value.fields["languages"])
    assert not AcademicProfile.objects.filter(person=person).exists()


def test_a_new_academic_typed_with_a_known_address_is_not_added_twice():
    known = PersonFactory.create(full_name="Mehmet Kaya", emails=["mkaya@uni.edu.tr"])

    found = academia.academic_person(full_name="Mehmet Kaya", email="MKaya@uni.edu.tr", actor=None)
    new = academia.academic_person(full_name="Selin Ak", email="selin@uni.edu.tr", actor=None)

    assert found == known
    assert new.pk != known.pk
    assert new.full_name == "Selin Ak"


# Requests from applications ---------------------------------------------------------------------


@pytest.fixture
def partnership_round() -> PartnershipRound:
    call = CallFactory.create()
    return PartnershipRound.objects.create(
        programme=call.programme,
        call=call,
        name="STÖ–Akademi 2026",
        slug="sto-akademi-2026",
        needs_question="ihtiyac",
        themes_question="temalar",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )


def test_accepting_an_application_files_an_open_request_with_its_needs_and_themes(
    partnership_round,
):
    application = ApplicationFactory.create(
        call=partnership_round.call,
        answers={"ihtiyac": "Kırsal kadın kooperatifleri üzerine araştırma", "temalar": "women"},
    )

    decide(application=application, decision=ApplicationStatus.ACCEPTED)
    decide(application=application, decision=ApplicationStatus.WAITLISTED)
    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    request = PartnershipRequest.objects.get(application=application)
    assert request.status == RequestStatus.OPEN
    assert request.needs == "Kırsal kadın kooperatifleri üzerine araştırma"
    assert [t.slug for t in request.themes.all()] == ["women"]
    assert application.organisation is not None
    assert request.province == application.organisation.province
    assert PartnershipRequest.objects.count() == 1


def test_without_a_themes_answer_the_request_takes_the_organisations_themes(partnership_round):
    organisation = OrganisationFactory.create()
    organisation.themes.set([theme("youth"), theme("disability")])
    application = ApplicationFactory.create(
        call=partnership_round.call, organisation=organisation, answers={"ihtiyac": "Gençlik"}
    )

    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    request = PartnershipRequest.objects.get(application=application)
    assert {t.slug for t in request.themes.all()} == {"youth", "disability"}


def test_an_application_of_another_call_files_no_request():
    application = ApplicationFactory.create(answers={"ihtiyac": "x"})

    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    assert not PartnershipRequest.objects.exists()


def test_no_longer_accepting_removes_an_unmatched_request(partnership_round):
    application = ApplicationFactory.create(
        call=partnership_round.call, answers={"ihtiyac": "Engelli hakları"}
    )
    decide(application=application, decision=ApplicationStatus.ACCEPTED)

    decide(application=application, decision=ApplicationStatus.REJECTED)

    assert not PartnershipRequest.objects.exists()


def test_un_accepting_a_matched_request_is_refused_and_the_decision_stays(partnership_round):
    application = ApplicationFactory.create(
        call=partnership_round.call, answers={"ihtiyac": "Engelli hakları"}
    )
    decide(application=application, decision=ApplicationStatus.ACCEPTED)
    request = PartnershipRequest.objects.get()
    academia.partnership_confirm(
        request=request,
        academic=AcademicProfileFactory.create(),
        title="Engelli hakları izleme",
        theme=theme("disability"),
        province=province(6),
        goals="",
        starts_on=dt.date(2026, 2, 1),
        actor=None,
    )

    with pytest.raises(KaynakError, match="already paired"):
        decide(application=application, decision=ApplicationStatus.REJECTED)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert PartnershipRequest.objects.get().status == RequestStatus.MATCHED


def test_a_request_needs_its_needs():
    with pytest.raises(CoachingError) as refused:
        academia.request_save(organisation=OrganisationFactory.create(), needs="  ", actor=None)

    assert "needs" in refused.value.fields
    assert not PartnershipRequest.objects.exists()


def test_a_request_defaults_to_the_organisations_province_and_themes():
    organisation = OrganisationFactory.create(province=province(35))
    organisation.themes.set([theme("environment")])

    request = academia.request_save(organisation=organisation, needs="İklim", actor=None)

    assert request.province == province(35)
    assert [t.slug for t in request.themes.all()] == ["environment"]


# Confirming ---------------------------------------------------------------------------------------


def test_confirming_a_pair_starts_the_partnership_and_matches_the_request():
    request = PartnershipRequestFactory.create()
    academic = AcademicProfileFactory.create()

    partnership = academia.partnership_confirm(
        request=request,
        academic=academic,
        title="Engelli Gençlerin İstihdamı",
        theme=theme("disability"),
        province=province(6),
        goals="Bir saha araştırması",
        starts_on=dt.date(2026, 3, 1),
        actor=None,
        reason="Shared theme: Disability",
    )

    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED
    assert partnership.request == request
    assert partnership.slug == "engelli-genclerin-istihdami"
    assert partnership.match_reason == "Shared theme: Disability"


def test_a_person_who_is_not_an_academic_cannot_be_paired_and_nothing_is_written():
    request = PartnershipRequestFactory.create()
    person = PersonFactory.create(full_name="Ali Vural")

    with pytest.raises(CoachingError) as refused:
        academia.partnership_confirm(
            request=request,
            academic=person,
            title="Deneme",
            theme=theme("youth"),
            province=province(6),
            goals="",
            starts_on=dt.date(2026, 3, 1),
            actor=None,
        )
    with pytest.raises(CoachingError):
        academia.partnership_create(
            organisation=request.organisation,
            academic=person,
            title="Deneme",
            theme=theme("youth"),
            province=province(6),
            goals="",
            starts_on=dt.date(2026, 3, 1),
            actor=None,
        )

    assert str(refused.value.message) == (
        "Ali Vural is not in the academics list; add their academic profile first."
    )
    assert refused.value.fields["academic"] == refused.value.message
    assert not Partnership.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_a_matched_request_cannot_be_confirmed_twice():
    request = PartnershipRequestFactory.create(status=RequestStatus.MATCHED)

    with pytest.raises(CoachingError):
        academia.partnership_confirm(
            request=request,
            academic=AcademicProfileFactory.create(),
            title="İkinci",
            theme=theme("youth"),
            province=province(6),
            goals="",
            starts_on=dt.date(2026, 3, 1),
            actor=None,
        )

    assert not Partnership.objects.exists()


def test_a_partnership_cannot_take_the_address_of_the_staff_pages():
    partnership = academia.partnership_create(
        organisation=OrganisationFactory.create(),
        academic=AcademicProfileFactory.create(),
        title="Staff",
        theme=theme("youth"),
        province=province(6),
        goals="",
        starts_on=dt.date(2026, 3, 1),
        actor=None,
    )

    assert partnership.slug == "staff-2"


def test_a_completed_partnership_needs_its_end_date():
    partnership = PartnershipFactory.create()

    with pytest.raises(CoachingError) as refused:
        academia.partnership_update(
            partnership=partnership,
            title=partnership.title,
            theme=partnership.theme,
            province=partnership.province,
            goals="",
            starts_on=partnership.starts_on,
            ends_on=None,
            status="completed",
            actor=None,
        )

    assert "ends_on" in refused.value.fields
    partnership.refresh_from_db()
    assert partnership.status == "active"


# Activities → ledger ------------------------------------------------------------------------------


def test_an_activity_is_a_delivery_for_each_of_the_organisations_people_who_took_part():
    partnership = PartnershipFactory.create()
    organisation = partnership.organisation
    member = AffiliationFactory.create(organisation=organisation).person
    outsider = PersonFactory.create()

    activity = academia.activity_save(
        partnership=partnership,
        kind="fieldwork",
        title="Saha görüşmeleri",
        date=dt.date(2026, 4, 10),
        participants=[member, outsider, partnership.academic.person],
        participant_count=12,
        actor=None,
    )

    # The academic and the outsider are no beneficiaries of the organisation; each subject
    # counts once (the organisation through its member, not also on its own).
    assert live_deliveries(activity) == {(organisation.pk, member.pk)}
    delivery = Delivery.objects.get(source_id=str(activity.pk))
    assert delivery.date == dt.date(2026, 4, 10)
    assert delivery.province == partnership.province
    assert list(delivery.themes.all()) == [partnership.theme]


def test_taking_someone_off_an_activity_withdraws_their_delivery_and_deleting_withdraws_all():
    partnership = PartnershipFactory.create()
    first, second = (
        AffiliationFactory.create(organisation=partnership.organisation).person for _ in range(2)
    )
    activity = academia.activity_save(
        partnership=partnership,
        kind="training",
        title="Ortak eğitim",
        date=dt.date(2026, 5, 2),
        participants=[first, second],
        participant_count=2,
        actor=None,
    )

    academia.activity_save(
        partnership=partnership,
        activity=activity,
        kind="training",
        title="Ortak eğitim",
        date=dt.date(2026, 5, 2),
        participants=[first],
        participant_count=5,
        actor=None,
    )
    assert live_deliveries(activity) == {(partnership.organisation_id, first.pk)}

    academia.activity_delete(activity=activity, actor=None)
    assert not PartnershipActivity.objects.exists()
    assert live_deliveries(activity) == set()
    assert Delivery.objects.filter(kind__slug="academia").count() == 2  # kept, withdrawn


def test_an_activity_without_the_organisations_people_is_the_organisations_delivery():
    partnership = PartnershipFactory.create()
    activity = academia.activity_save(
        partnership=partnership,
        kind="conference",
        title="Ortak konferans",
        date=dt.date(2026, 6, 1),
        participants=[partnership.academic.person],
        participant_count=80,
        actor=None,
    )
    assert live_deliveries(activity) == {(partnership.organisation_id, None)}


def test_fewer_participants_than_people_named_is_refused_with_nothing_written():
    partnership = PartnershipFactory.create()
    people = [AffiliationFactory.create(organisation=partnership.organisation).person] * 1 + [
        PersonFactory.create()
    ]

    with pytest.raises(CoachingError) as refused:
        academia.activity_save(
            partnership=partnership,
            kind="conference",
            title="Konferans",
            date=dt.date(2026, 6, 1),
            participants=people,
            participant_count=1,
            actor=None,
        )

    assert "participant_count" in refused.value.fields
    assert not PartnershipActivity.objects.exists()
    assert not Delivery.objects.exists()


# Outputs → library --------------------------------------------------------------------------------


def add_output(partnership: Partnership, **kwargs: object) -> PartnershipOutput:
    values: dict[str, object] = {
        "kind": "report",
        "title": "Engelli Gençler ve İş Gücü Piyasası",
        "published_on": dt.date(2026, 9, 1),
        "authors": "Doç. Dr. Ayşe Demir, Örnek Derneği",
        "summary": "Saha araştırmasının bulguları.",
        "link_url": "https://yayinlar.example.org/engelli-gencler",
        **kwargs,
    }
    return academia.output_save(partnership=partnership, actor=None, **values)  # type: ignore[arg-type]


def test_a_public_partnerships_publication_is_published_in_the_library_with_its_link():
    partnership = PartnershipFactory.create(is_public=True)

    output = add_output(partnership)

    resource = output.resource
    assert resource is not None
    assert resource.status == PublicationStatus.PUBLISHED
    assert resource.kind == "publication"
    assert resource.link_url == "https://yayinlar.example.org/engelli-gencler"
    assert list(resource.themes.all()) == [partnership.theme]
    assert resource in library_queries.published()


def test_a_private_partnerships_publication_is_a_draft_not_on_the_library_list():
    partnership = PartnershipFactory.create(is_public=False)

    output = add_output(partnership)

    assert output.resource is not None
    assert output.resource.status == PublicationStatus.DRAFT
    assert output.resource not in library_queries.published()


def test_making_a_partnership_public_publishes_its_outputs_and_private_again_drafts_them():
    partnership = PartnershipFactory.create(is_public=False)
    output = add_output(partnership)

    library_item = Resource.objects.filter(partnership_output=output)

    academia.partnership_set_public(partnership=partnership, is_public=True, actor=None)
    assert library_item.get().status == PublicationStatus.PUBLISHED

    academia.partnership_set_public(partnership=partnership, is_public=False, actor=None)
    assert library_item.get().status == PublicationStatus.DRAFT


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_file_with_nothing_written():
    partnership = PartnershipFactory.create(is_public=True)

    with pytest.raises(CoachingError) as refused:
        add_output(
            partnership,
            link_url="",
            file=SimpleUploadedFile("rapor.docx", b"PK\x03\x04 not a pdf"),
        )

    assert "file" in refused.value.fields
    assert not PartnershipOutput.objects.exists()
    assert not Resource.objects.exists()


def test_a_publication_needs_a_file_or_a_link():
    with pytest.raises(CoachingError) as refused:
        add_output(PartnershipFactory.create(), link_url="")

    assert "file" in refused.value.fields
    assert not Resource.objects.exists()


def test_deleting_a_publication_removes_its_library_item():
    output = add_output(PartnershipFactory.create(is_public=True))

    academia.output_delete(output=output, actor=None)

    assert not PartnershipOutput.objects.exists()
    assert not Resource.objects.exists()


def test_two_publications_with_the_same_title_get_two_library_addresses():
    partnership = PartnershipFactory.create()

    first = add_output(partnership)
    second = add_output(partnership)

    assert first.resource is not None
    assert second.resource is not None
    assert first.resource.slug != second.resource.slug

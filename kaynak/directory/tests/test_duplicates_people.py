"""The duplicates queue for people: what the resolver proposes, the staff pages (list, compare,
merge, not the same, undo) and who may see them — personal data, so only staff who see people."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url as url_in
from kaynak.core.permissions import can
from kaynak.directory.merging import (
    candidate_reject,
    duplicate_candidates_refresh,
    open_candidates,
    person_merge,
)
from kaynak.directory.models import (
    Affiliation,
    CandidateStatus,
    ConsentRecord,
    DuplicateCandidate,
    MergeRecord,
    Person,
    RecordKind,
)
from kaynak.directory.privacy import person_erase
from kaynak.directory.resolution import duplicate_person_pairs, people_duplicates
from kaynak.directory.services import person_create
from kaynak.directory.tasks import refresh_person_duplicate_candidates
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    """These tests read the English pages unless they say otherwise."""
    return url_in(name, *args, language=language)


@pytest.fixture
def admin(db):
    return StaffFactory.create(roles=[Role.CENTER_ADMIN])


@pytest.fixture
def admin_client(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def candidate_for(left: Person, right: Person, score: float = 0.9, **fields) -> DuplicateCandidate:
    return DuplicateCandidate.objects.create(
        kind=RecordKind.PERSON,
        left_id=min(left.pk, right.pk),
        right_id=max(left.pk, right.pk),
        score=score,
        evidence=fields.pop("evidence", ["similar-name", "phone"]),
        **fields,
    )


def checked_radio(name: str, value: str, index: int) -> str:
    return f'<input type="radio" name="{name}" value="{value}" id="id_{name}_{index}" checked>'


@pytest.fixture
def twins():
    """One woman, registered twice: once at a training, once by her association."""
    association = OrganisationFactory.create(name="Van Kadın Derneği", province=province(65))
    left = PersonFactory.create(
        full_name="Ayşe Nur Yılmaz",
        emails=["aysenur@vankadin.org.tr"],
        phones=["+905321234567"],
        province=province(65),
        birth_year=1984,
    )
    right = PersonFactory.create(
        full_name="AYSE YILMAZ",
        emails=["ayse.yilmaz@gmail.com"],
        phones=["+905321234567"],
        province=province(65),
        birth_year=None,
        gender="woman",
    )
    AffiliationFactory.create(person=right, organisation=association, role="Başkan")
    return left, right


def pairs_found() -> dict[tuple[int, int], list[str]]:
    return {(left, right): evidence for left, right, _score, evidence in duplicate_person_pairs()}


# What the resolver proposes


def test_the_same_phone_typed_two_ways_makes_a_pair():
    first = person_create(actor=None, full_name="Mehmet Demir", phones=["0532 765 43 21"])
    second = person_create(
        actor=None, full_name="Demir, Mehmet", phones=["+90 (532) 7654321"], emails=["m@d.org"]
    )

    found = pairs_found()

    assert first.phones == second.phones == ["+905327654321"]
    assert "phone" in found[(first.pk, second.pk)]
    assert "name" in found[(first.pk, second.pk)]


def test_the_same_email_makes_a_pair_even_with_a_typo_in_the_name():
    first = PersonFactory.create(full_name="Zeynep Kaya", emails=["zeynep@ornek.org"])
    second = PersonFactory.create(full_name="Zeynap Kaya", emails=["zeynep@ornek.org"])

    assert set(pairs_found()[(first.pk, second.pk)]) >= {"email", "similar-name"}


def test_namesakes_with_nothing_else_in_common_are_not_proposed():
    PersonFactory.create(full_name="Ayşe Yılmaz", province=province(6), phones=[], emails=[])
    PersonFactory.create(full_name="Ayşe Yılmaz", province=province(6), phones=[], emails=[])
    PersonFactory.create(full_name="AYSE YILMAZ", province=province(35), birth_year=1990)

    assert pairs_found() == {}


def test_the_same_name_province_and_birth_year_alone_are_not_proposed():
    # At national scale this many people share a name, a province and a birth year by chance.
    PersonFactory.create(full_name="Ali Rıza Şahin", province=province(6), birth_year=1975)
    PersonFactory.create(full_name="ALI RIZA SAHIN", province=province(6), birth_year=1975)

    assert pairs_found() == {}


def test_colleagues_with_similar_names_at_one_organisation_are_proposed():
    organisation = OrganisationFactory.create()
    first = PersonFactory.create(full_name="Hatice Öztürk", province=None)
    second = PersonFactory.create(full_name="Hatice Ozturk", province=None)
    colleague = PersonFactory.create(full_name="Mustafa Çelik", province=None)
    for person in (first, second, colleague):
        AffiliationFactory.create(person=person, organisation=organisation)

    found = pairs_found()

    assert "organisation" in found[(first.pk, second.pk)]
    assert list(found) == [(first.pk, second.pk)]


def test_a_misspelt_colleague_is_proposed_but_a_namesake_elsewhere_is_not():
    organisation = OrganisationFactory.create()
    first = PersonFactory.create(full_name="Zeynep Kaya", province=None)
    second = PersonFactory.create(full_name="Zeynap Kaya", province=None)
    elsewhere = PersonFactory.create(full_name="Zeynep Kaya", province=None)
    for person in (first, second):
        AffiliationFactory.create(person=person, organisation=organisation)
    AffiliationFactory.create(person=elsewhere)

    found = pairs_found()

    assert list(found) == [(first.pk, second.pk)]
    assert set(found[(first.pk, second.pk)]) == {"similar-name", "organisation"}


def test_an_address_typed_for_very_many_people_is_no_evidence(monkeypatch):
    monkeypatch.setattr(people_duplicates, "MAX_BLOCK", 3)
    same = PersonFactory.create_batch(3, full_name="Murat Aydın", emails=["yok@yok.com"])
    PersonFactory.create_batch(4, full_name="Elif Aydın", emails=["bilinmiyor@yok.com"])

    assert list(pairs_found()) == [
        (same[0].pk, same[1].pk),
        (same[0].pk, same[2].pk),
        (same[1].pk, same[2].pk),
    ]


def test_a_family_sharing_a_phone_is_not_proposed():
    PersonFactory.create(full_name="Fatma Arslan", phones=["+903122223344"])
    PersonFactory.create(full_name="Hüseyin Arslan", phones=["+903122223344"])

    assert pairs_found() == {}


def test_what_says_two_people_differ_is_shown_with_the_pair():
    first = PersonFactory.create(
        full_name="Emre Koç", emails=["emre@koc.org"], province=province(6), birth_year=1980
    )
    second = PersonFactory.create(
        full_name="Emre Koç", emails=["emre@koc.org"], province=province(34), birth_year=1981
    )

    evidence = pairs_found()[(first.pk, second.pk)]

    assert {"email", "different-province", "different-birth-year"} <= set(evidence)


def test_an_erased_person_is_never_proposed(twins, admin):
    left, _right = twins
    person_erase(person=left, actor=admin)

    assert pairs_found() == {}


def test_the_nightly_task_queues_people_and_never_proposes_a_rejected_pair(
    twins, admin, django_capture_on_commit_callbacks
):
    left, right = twins
    PersonFactory.create(full_name="Can Yücel", emails=["can@ornek.org"])

    with django_capture_on_commit_callbacks(execute=True):
        result = refresh_person_duplicate_candidates.enqueue()

    result.refresh()
    assert result.return_value == 1
    [pair] = open_candidates(kind=RecordKind.PERSON)
    assert (pair.left_id, pair.right_id) == (left.pk, right.pk)
    assert {"phone", "similar-name", "province"} <= set(pair.evidence)
    assert not open_candidates(kind=RecordKind.ORGANISATION).exists()

    candidate_reject(candidate=pair, actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        again = refresh_person_duplicate_candidates.enqueue()

    again.refresh()
    assert again.return_value == 0
    assert DuplicateCandidate.objects.get().status == CandidateStatus.REJECTED


def test_a_pair_of_people_and_a_pair_of_organisations_with_the_same_ids_are_two_pairs(twins):
    left, right = twins
    duplicate_candidates_refresh(pairs=[(left.pk, right.pk, 0.9, ["phone"])])
    duplicate_candidates_refresh(pairs=[(left.pk, right.pk, 0.8, ["name"])], kind=RecordKind.PERSON)

    assert DuplicateCandidate.objects.filter(left_id=left.pk, right_id=right.pk).count() == 2


# The pages


def test_the_queue_shows_both_people_side_by_side_with_the_evidence(admin_client, twins):
    left, right = twins
    others = PersonFactory.create_batch(2)
    candidate_for(others[0], others[1], score=0.71, evidence=["name", "email"])
    best = candidate_for(left, right, score=0.93, evidence=["similar-name", "phone", "province"])

    response = admin_client.get(url("directory:person_duplicates", language="tr"))

    page = response.content.decode()
    assert page.index("0,93") < page.index("0,71")  # best first, Turkish decimals
    for shown in (
        "Ayşe Nur Yılmaz",
        "AYSE YILMAZ",
        "aysenur@vankadin.org.tr",
        "ayse.yilmaz@gmail.com",
        "+905321234567",  # E.164
        "Van",
        "<dd>1984</dd>",  # no thousands separator in a year
        "Van Kadın Derneği",
    ):
        assertContains(response, shown, html=False)
    assertContains(response, url("directory:person_duplicate", best.pk, language="tr"))


def test_the_queue_takes_as_many_queries_for_many_pairs_as_for_a_few(
    admin_client, django_assert_num_queries
):
    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url("directory:person_duplicates")).status_code == 200
        return len(captured)

    first, second = PersonFactory.create_batch(2)
    candidate_for(first, second)
    queries_for_the_page()  # the very first page view creates the center's settings
    few = queries_for_the_page()
    people = PersonFactory.create_batch(30)
    for one, other in pairwise(people):
        candidate_for(one, other, score=0.8)
        AffiliationFactory.create(person=one)
    candidate_for(first, people[0])

    assert queries_for_the_page() == few
    # Session, user, the TOTP check of staff, the count, the page of pairs, their people (with
    # provinces and user accounts), their affiliations (with organisations), the center's
    # settings.
    with django_assert_num_queries(8):
        response = admin_client.get(url("directory:person_duplicates"), {"page": 2})
    assert len(response.context["rows"]) == 31 - 25  # 31 pairs, 25 a page


def test_the_compare_page_shows_both_people_with_a_choice_per_differing_field(admin_client, twins):
    left, right = twins
    right.user = UserFactory.create(email="ayse@example.org")
    right.save()
    candidate = candidate_for(
        left, right, evidence=["similar-name", "phone", "province", "organisation"]
    )

    response = admin_client.get(url("directory:person_duplicate", candidate.pk))

    assertContains(response, "Compare two people")
    for evidence in ("Similar name", "Same phone number", "Same province", "Same organisation"):
        assertContains(response, f'<span class="badge">{evidence}</span>', html=True)
    assertContains(response, 'name="value_full_name"', count=2)
    # An empty value is not pre-chosen over a real one; e-mails are combined unless told.
    assertContains(response, checked_radio("value_birth_year", "left", 0), html=True)
    assertContains(response, checked_radio("value_gender", "right", 1), html=True)
    assertContains(response, checked_radio("value_emails", "both", 2), html=True)
    # The same phone and province on both: shown once, nothing to choose.
    assertNotContains(response, 'name="value_phones"')
    assertNotContains(response, 'name="value_province"')
    assertContains(response, "ayse@example.org")  # the user account follows the kept record
    assertContains(response, "Van Kadın Derneği · Başkan")
    assertContains(response, url("directory:staff_person", left.pk))


def test_staff_merge_two_people_choosing_the_values_to_keep(admin_client, admin, twins):
    left, right = twins
    ConsentRecord.objects.create(person=right, purpose="contact", granted=True, text_version="v1")
    candidate = candidate_for(left, right)

    response = admin_client.post(
        url("directory:person_duplicate", candidate.pk),
        {
            "keep": "left",
            "value_full_name": "left",
            "value_emails": "both",
            "value_birth_year": "left",
            "value_gender": "right",
        },
    )

    record = MergeRecord.objects.get()
    assertRedirects(
        response,
        f"{url('directory:person_merges')}#merge-{record.pk}",
        fetch_redirect_response=False,
    )
    assert not Person.objects.filter(pk=right.pk).exists()
    kept = Person.objects.get(pk=left.pk)
    assert (kept.full_name, kept.birth_year, kept.gender) == ("Ayşe Nur Yılmaz", 1984, "woman")
    assert kept.emails == ["aysenur@vankadin.org.tr", "ayse.yilmaz@gmail.com"]
    assert Affiliation.objects.get().person == kept
    assert ConsentRecord.objects.get().person == kept
    candidate.refresh_from_db()
    assert (candidate.status, record.kind, record.merged_by) == (
        CandidateStatus.MERGED,
        RecordKind.PERSON,
        admin,
    )
    history = admin_client.get(url("directory:person_merges"))
    assertContains(
        history, f'<td>AYSE YILMAZ <span class="small">#{right.pk}</span></td>', html=True
    )


def test_a_bad_choice_is_explained_next_to_the_field_and_no_one_is_merged(admin_client, twins):
    left, right = twins
    candidate = candidate_for(left, right)

    response = admin_client.post(
        url("directory:person_duplicate", candidate.pk, language="tr"),
        {"keep": "left", "value_full_name": "both", "value_gender": "right"},
    )

    assert response.status_code == 200
    assertContains(response, "Geçerli bir seçenek seçin.")
    assertContains(response, checked_radio("value_gender", "right", 1), html=True)
    assert Person.objects.filter(pk__in=[left.pk, right.pk]).count() == 2
    assert not MergeRecord.objects.exists()


def test_two_people_with_their_own_user_accounts_are_not_merged_and_the_page_says_why(
    admin_client, twins
):
    left, right = twins
    for person in (left, right):
        person.user = UserFactory.create()
        person.save()
    candidate = candidate_for(left, right)

    response = admin_client.post(url("directory:person_duplicate", candidate.pk), {"keep": "left"})

    assertContains(response, "Both people have a user account of their own.")
    assert Person.objects.filter(pk__in=[left.pk, right.pk]).count() == 2
    assert not MergeRecord.objects.exists()


def test_not_the_same_from_the_list_answers_htmx_with_the_row_only(admin_client, admin, twins):
    candidate = candidate_for(*twins)

    response = admin_client.post(
        url("directory:person_duplicate_reject", candidate.pk), headers={"HX-Request": "true"}
    )

    assertNotContains(response, "<html")
    assertContains(response, f'<tr id="candidate-{candidate.pk}">', html=False)
    assertNotContains(response, url("directory:person_duplicate", candidate.pk))
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == (CandidateStatus.REJECTED, admin)


def test_not_the_same_without_htmx_returns_to_the_queue_and_the_pair_is_not_proposed_again(
    admin_client, twins
):
    left, right = twins
    candidate = candidate_for(left, right)

    response = admin_client.post(
        url("directory:person_duplicate_reject", candidate.pk), follow=True
    )
    added = duplicate_candidates_refresh(
        pairs=[(left.pk, right.pk, 0.99, ["email"])], kind=RecordKind.PERSON
    )

    assertRedirects(response, url("directory:person_duplicates"))
    assertContains(response, "“Ayşe Nur Yılmaz” and “AYSE YILMAZ” are marked as not the same")
    assertContains(response, "No possible duplicates to review.")
    assert added == 0
    assert not open_candidates(kind=RecordKind.PERSON).exists()


def test_a_decided_pair_cannot_be_merged_from_its_page(admin_client, admin, twins):
    left, right = twins
    candidate = candidate_for(left, right)
    candidate_reject(candidate=candidate, actor=admin)

    page = admin_client.get(url("directory:person_duplicate", candidate.pk))
    response = admin_client.post(url("directory:person_duplicate", candidate.pk), {"keep": "left"})

    assertContains(page, "This pair is already decided")
    assertNotContains(page, ">Merge</button>")
    assertContains(response, "This pair is already decided")
    assert Person.objects.filter(pk__in=[left.pk, right.pk]).count() == 2


def test_staff_undo_a_merge_of_people_from_their_history(admin_client, admin, twins):
    left, right = twins
    record = person_merge(survivor=left, merged=right, values={}, actor=admin)

    response = admin_client.post(url("directory:person_merge_undo", record.pk), follow=True)

    assertContains(response, "The merge is undone: “AYSE YILMAZ” is back.")
    assert Affiliation.objects.get().person_id == right.pk
    assertNotContains(response, url("directory:person_merge_undo", record.pk))


def test_a_pair_with_an_erased_person_leaves_the_queue(admin_client, admin, twins):
    left, right = twins
    candidate = candidate_for(left, right)
    person_erase(person=right, actor=admin)

    assertContains(
        admin_client.get(url("directory:person_duplicates")), "No possible duplicates to review."
    )
    assert admin_client.get(url("directory:person_duplicate", candidate.pk)).status_code == 404


def test_an_organisation_pair_is_not_reachable_as_a_pair_of_people(admin_client, twins):
    left, right = OrganisationFactory.create_batch(2)
    candidate = DuplicateCandidate.objects.create(
        kind=RecordKind.ORGANISATION, left_id=left.pk, right_id=right.pk, score=0.9
    )

    assert admin_client.get(url("directory:person_duplicate", candidate.pk)).status_code == 404


def test_the_queue_is_linked_from_the_organisations_queue_and_the_staff_page(admin_client):
    people_queue = url("directory:person_duplicates")

    assertContains(admin_client.get(url("directory:duplicates")), f'href="{people_queue}"')
    assertContains(admin_client.get(url("portal:staff")), f'href="{people_queue}"')


def test_support_agents_see_neither_link():
    client = Client()
    client.force_login(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))

    assertNotContains(client.get(url("portal:staff")), url("directory:person_duplicates"))


# Who may use them


@pytest.fixture
def pages(twins, admin):
    left, right = twins
    third, fourth = PersonFactory.create_batch(2)
    record = person_merge(survivor=third, merged=fourth, values={}, actor=admin)
    candidate = candidate_for(left, right)
    return [
        ("get", url("directory:person_duplicates")),
        ("get", url("directory:person_duplicate", candidate.pk)),
        ("post", url("directory:person_duplicate", candidate.pk)),
        ("post", url("directory:person_duplicate_reject", candidate.pk)),
        ("get", url("directory:person_merges")),
        ("post", url("directory:person_merge_undo", record.pk)),
    ]


def test_visitors_are_sent_to_log_in(client, pages):
    for method, page in pages:
        response = getattr(client, method)(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(url("account_login")), page


@pytest.mark.parametrize("role", [Role.SUPPORT_AGENT, Role.RADAR_EDITOR])
def test_staff_whose_role_does_not_merge_people_get_404_and_change_nothing(pages, role):
    client = Client()
    client.force_login(StaffFactory.create(roles=[role]))
    for method, page in pages:
        response = getattr(client, method)(page, {"keep": "left"} if method == "post" else None)
        assert response.status_code == 404, page
        assertNotContains(response, "AYSE YILMAZ", status_code=404)
    assert DuplicateCandidate.objects.get().status == CandidateStatus.OPEN
    assert MergeRecord.objects.get().undone_at is None
    assert Person.objects.count() == 3


def test_an_ngo_admin_cannot_reach_the_queue_even_about_their_own_people(pages, twins):
    _left, right = twins
    user = UserFactory.create()
    AffiliationFactory.create(
        organisation=Affiliation.objects.get(person=right).organisation,
        person=PersonFactory.create(user=user),
        is_admin=True,
        end_date=None,
    )
    client = Client()
    client.force_login(user)
    for method, page in pages:
        assert getattr(client, method)(page).status_code == 404, page


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CENTER_ADMIN, True),
        (Role.PROGRAMME_COORDINATOR, True),
        (Role.ME_OFFICER, True),
        (Role.SUPPORT_AGENT, False),  # sees people, merges nothing
        (Role.RADAR_EDITOR, False),
    ],
)
def test_only_staff_who_see_people_and_manage_the_directory_merge_people(role, allowed, pages):
    user = StaffFactory.create(roles=[role])
    client = Client()
    client.force_login(user)

    assert can(user, "directory.merge_people") is allowed
    assert can(user, "directory.view_person") or not allowed
    expected = 200 if allowed else 404
    assert client.get(url("directory:person_duplicates")).status_code == expected

"""The duplicates queue: refreshed from the resolver, decisions kept, and the staff pages."""

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
from kaynak.core.audit import history_for
from kaynak.core.errors import KaynakError
from kaynak.directory.merging import (
    candidate_reject,
    duplicate_candidates_refresh,
    merge_undo,
    open_candidates,
    organisation_merge,
)
from kaynak.directory.models import (
    CandidateStatus,
    DuplicateCandidate,
    MergeRecord,
    Organisation,
    RecordKind,
)
from kaynak.directory.tasks import refresh_duplicate_candidates
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    """These tests read the English pages (the Turkish ones are checked by the catalogue tests)."""
    return url_in(name, *args, language=language)


@pytest.fixture
def admin(db):
    return StaffFactory.create(roles=[Role.CENTER_ADMIN])


@pytest.fixture
def admin_client(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def candidate_for(left: Organisation, right: Organisation, score: float = 0.9, **fields):
    return DuplicateCandidate.objects.create(
        kind=RecordKind.ORGANISATION,
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
    left = OrganisationFactory.create(
        name="Kadın Dayanışma Derneği",
        province=province(65),
        phones=["+904322141516"],
        emails=["info@kadindayanisma.org"],
    )
    right = OrganisationFactory.create(
        name="KADIN DAYANISMA DER.",
        short_name="KDD",
        province=province(65),
        phones=["+904322141516"],
        tax_no="9876543210",
    )
    return left, right


# The queue and its services


def test_refresh_adds_new_pairs_in_order_and_keeps_every_decision(twins):
    left, right = twins
    rejected = OrganisationFactory.create()
    merged_pair = OrganisationFactory.create()
    candidate_for(left, rejected, status=CandidateStatus.REJECTED, score=0.7)
    candidate_for(left, merged_pair, status=CandidateStatus.MERGED, score=0.8)

    added = duplicate_candidates_refresh(
        pairs=[
            (right.pk, left.pk, 0.97, ["similar-name", "phone"]),  # found the other way round
            (left.pk, rejected.pk, 0.99, ["name"]),
            (left.pk, merged_pair.pk, 0.99, ["name"]),
            (left.pk, right.pk, 0.96, ["phone"]),  # the same pair twice in one run
        ]
    )

    assert added == 1
    new = DuplicateCandidate.objects.get(left_id=left.pk, right_id=right.pk)
    assert (new.status, new.score, new.evidence) == (
        CandidateStatus.OPEN,
        0.97,
        ["similar-name", "phone"],
    )
    assert DuplicateCandidate.objects.get(right_id=rejected.pk).status == CandidateStatus.REJECTED
    assert DuplicateCandidate.objects.get(right_id=merged_pair.pk).status == CandidateStatus.MERGED
    assert list(open_candidates()) == [new]
    # A second run finds nothing new.
    assert duplicate_candidates_refresh(pairs=[(left.pk, right.pk, 0.97, ["phone"])]) == 0


def test_a_rejected_pair_is_never_proposed_again(twins, admin):
    left, right = twins
    candidate = candidate_for(left, right)

    candidate_reject(candidate=candidate, actor=admin)
    added = duplicate_candidates_refresh(pairs=[(left.pk, right.pk, 0.99, ["name"])])

    assert added == 0
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED
    assert candidate.decided_by == admin
    assert not open_candidates().exists()
    assert history_for(candidate).get().action == "kaynak.directory.duplicate_candidate.rejected"


def test_a_pair_is_decided_only_once(twins, admin):
    candidate = candidate_for(*twins)
    candidate_reject(candidate=candidate, actor=admin)

    with pytest.raises(KaynakError, match="already decided") as refused:
        candidate_reject(candidate=candidate, actor=admin)
    assert refused.value.code == "already_decided"


def test_a_pair_about_a_record_merged_away_leaves_the_queue_until_the_merge_is_undone(twins, admin):
    left, right = twins
    third = OrganisationFactory.create(name="Kadın Dayanışma Derneği Van")
    waiting = candidate_for(right, third)
    record = organisation_merge(survivor=left, merged=right, values={}, actor=admin)
    assert list(open_candidates()) == []
    merge_undo(record=record, actor=admin)
    assert list(open_candidates()) == [waiting]


# The pages


def test_the_queue_lists_open_pairs_best_score_first(admin_client, twins):
    left, right = twins
    others = OrganisationFactory.create_batch(2)
    candidate_for(others[0], others[1], score=0.71)
    best = candidate_for(left, right, score=0.95)
    candidate_for(left, others[0], score=0.99, status=CandidateStatus.REJECTED)

    response = admin_client.get(url("directory:duplicates", language="tr"))

    assertContains(response, "<title>Olası mükerrer kayıtlar · ", html=False)
    page = response.content.decode()
    assert page.index("0,95") < page.index("0,71")  # Turkish decimals
    assertNotContains(response, "0,99")
    assertContains(response, url("directory:duplicate", best.pk, language="tr"))
    assertContains(response, "KADIN DAYANISMA DER.")


def test_the_queue_takes_as_many_queries_for_many_pairs_as_for_a_few(
    admin_client, django_assert_num_queries
):
    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url("directory:duplicates")).status_code == 200
        return len(captured)

    first, second, third = OrganisationFactory.create_batch(3)
    candidate_for(first, second)
    queries_for_the_page()  # the very first page view creates the center's settings
    few = queries_for_the_page()
    organisations = OrganisationFactory.create_batch(30)
    for one, other in pairwise(organisations):
        candidate_for(one, other, score=0.8)
    candidate_for(third, organisations[0])

    assert queries_for_the_page() == few
    # Session, user, the TOTP check of staff, the count, the page of pairs, their organisations
    # (one query for all) and the center's settings.
    with django_assert_num_queries(7):
        response = admin_client.get(url("directory:duplicates"), {"page": 2})
    assert len(response.context["rows"]) == 31 - 25  # 31 pairs, 25 a page


def test_the_compare_page_shows_both_records_with_the_evidence_and_a_choice_per_field(
    admin_client, twins
):
    left, right = twins
    candidate = candidate_for(
        left, right, evidence=["similar-name", "phone", "province", "different-legal-form"]
    )
    AffiliationFactory.create(organisation=right, person=PersonFactory.create())

    response = admin_client.get(url("directory:duplicate", candidate.pk))

    assertContains(response, "Kadın Dayanışma Derneği")
    assertContains(response, "KADIN DAYANISMA DER.")
    for evidence in ("Similar name", "Same phone number", "Same province"):
        assertContains(response, f'<span class="badge">{evidence}</span>', html=True)
    # Evidence that the two differ stands out.
    assertContains(
        response, '<span class="badge signal-against">Different legal form</span>', html=True
    )
    # Differing fields get a choice, with an empty value not pre-chosen over a real one.
    assertContains(response, 'name="value_name"', count=2)
    assertContains(response, checked_radio("value_tax_no", "right", 1), html=True)
    assertContains(response, checked_radio("value_emails", "both", 2), html=True)
    # The same phone on both: shown once, nothing to choose.
    assertNotContains(response, 'name="value_phones"')
    assertContains(response, "Affiliations (organisation): 1")


def test_the_compare_page_is_in_english_under_en(admin_client, twins):
    candidate = candidate_for(*twins)
    response = admin_client.get(url("directory:duplicate", candidate.pk, language="en"))
    assertContains(response, "Compare two records")


def test_staff_merge_a_pair_from_the_compare_page(admin_client, admin, twins):
    left, right = twins
    candidate = candidate_for(left, right)

    response = admin_client.post(
        url("directory:duplicate", candidate.pk),
        {
            "keep": "right",
            "value_name": "left",
            "value_short_name": "right",
            "value_emails": "both",
            "value_tax_no": "right",
        },
    )

    record = MergeRecord.objects.get()
    assertRedirects(
        response, f"{url('directory:merges')}#merge-{record.pk}", fetch_redirect_response=False
    )
    assert not Organisation.objects.filter(pk=left.pk).exists()
    kept = Organisation.objects.get(pk=right.pk)
    assert (kept.name, kept.short_name, kept.tax_no) == (
        "Kadın Dayanışma Derneği",
        "KDD",
        "9876543210",
    )
    assert kept.emails == ["info@kadindayanisma.org"]
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED
    assert record.merged_by == admin
    history = admin_client.get(url("directory:merges"))
    # The merged record's name comes from the snapshot: the record itself is gone.
    assertContains(
        history,
        f'<td>Kadın Dayanışma Derneği <span class="small">#{left.pk}</span></td>',
        html=True,
    )
    assertContains(history, url("directory:merge_undo", record.pk))


def test_a_bad_choice_is_explained_next_to_the_field_and_nothing_is_merged(admin_client, twins):
    left, right = twins
    candidate = candidate_for(left, right)

    response = admin_client.post(
        url("directory:duplicate", candidate.pk, language="tr"),
        {"keep": "left", "value_name": "both", "value_tax_no": "right"},
    )

    assert response.status_code == 200
    assertContains(response, "Geçerli bir seçenek seçin.")
    assertContains(response, checked_radio("value_tax_no", "right", 1), html=True)
    assert Organisation.objects.filter(pk__in=[left.pk, right.pk]).count() == 2
    assert not MergeRecord.objects.exists()


def test_a_refused_merge_is_explained_on_the_page(admin_client, twins):
    left, right = twins
    Organisation.objects.filter(pk=right.pk).update(parent=left)
    candidate = candidate_for(left, right)

    response = admin_client.post(
        url("directory:duplicate", candidate.pk), {"keep": "left", "value_parent": "left"}
    )

    assertContains(response, "branch and its parent")
    assert not MergeRecord.objects.exists()


def test_a_pair_marked_as_not_the_same_is_not_merged_from_its_page(admin_client, admin, twins):
    left, right = twins
    candidate = candidate_for(left, right)
    candidate_reject(candidate=candidate, actor=admin)

    page = admin_client.get(url("directory:duplicate", candidate.pk))
    response = admin_client.post(url("directory:duplicate", candidate.pk), {"keep": "left"})

    assertContains(page, "This pair is already decided")
    assertNotContains(page, ">Merge</button>")
    assertContains(response, "This pair is already decided")
    assert Organisation.objects.filter(pk__in=[left.pk, right.pk]).count() == 2


def test_not_the_same_from_the_list_answers_htmx_with_the_row_only(admin_client, admin, twins):
    candidate = candidate_for(*twins)

    response = admin_client.post(
        url("directory:duplicate_reject", candidate.pk), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assertNotContains(response, "<html")
    assertContains(response, f'<tr id="candidate-{candidate.pk}">', html=False)
    assertContains(response, "Not the same")  # the status badge
    assertNotContains(response, url("directory:duplicate", candidate.pk))
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == (CandidateStatus.REJECTED, admin)


def test_not_the_same_without_htmx_returns_to_the_queue_with_a_message(admin_client, twins):
    candidate = candidate_for(*twins)

    response = admin_client.post(url("directory:duplicate_reject", candidate.pk), follow=True)

    assertRedirects(response, url("directory:duplicates"))
    assertContains(response, "are marked as not the same")
    assertContains(response, "No possible duplicates to review.")


def test_rejecting_a_decided_pair_again_says_so_in_the_row(admin_client, admin, twins):
    candidate = candidate_for(*twins)
    candidate_reject(candidate=candidate, actor=admin)

    response = admin_client.post(
        url("directory:duplicate_reject", candidate.pk), headers={"HX-Request": "true"}
    )

    assertContains(response, "This pair was already decided")


def test_staff_undo_a_merge_from_the_history(admin_client, admin, twins):
    left, right = twins
    record = organisation_merge(survivor=left, merged=right, values={}, actor=admin)

    response = admin_client.post(url("directory:merge_undo", record.pk), follow=True)

    assertContains(response, "The merge is undone: “KADIN DAYANISMA DER.” is back.")
    assert Organisation.objects.filter(pk=right.pk).exists()
    assertNotContains(response, url("directory:merge_undo", record.pk))


def test_an_undo_that_is_refused_is_explained(admin_client, admin, twins):
    left, right = twins
    third = OrganisationFactory.create()
    first = organisation_merge(survivor=left, merged=right, values={}, actor=admin)
    organisation_merge(survivor=third, merged=left, values={}, actor=admin)

    response = admin_client.post(url("directory:merge_undo", first.pk), follow=True)

    assertContains(response, "has since been merged into another one")
    assert not Organisation.objects.filter(pk=right.pk).exists()


def test_the_merge_history_in_turkish(admin_client, admin, twins):
    left, right = twins
    organisation_merge(survivor=left, merged=right, values={}, actor=admin)
    response = admin_client.get(url("directory:merges"))
    assert response.status_code == 200
    assertContains(response, 'lang="tr"', html=False)


# Who may use them


def merge_pages(candidate: DuplicateCandidate, record: MergeRecord) -> list[tuple[str, str]]:
    return [
        ("get", url("directory:duplicates")),
        ("get", url("directory:duplicate", candidate.pk)),
        ("post", url("directory:duplicate_reject", candidate.pk)),
        ("get", url("directory:merges")),
        ("post", url("directory:merge_undo", record.pk)),
    ]


@pytest.fixture
def pages(twins, admin):
    left, right = twins
    third, fourth = OrganisationFactory.create_batch(2)
    record = organisation_merge(survivor=third, merged=fourth, values={}, actor=admin)
    return merge_pages(candidate_for(left, right), record)


def test_visitors_are_sent_to_log_in(client, pages):
    for method, page in pages:
        response = getattr(client, method)(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(url("account_login")), page


@pytest.mark.parametrize("role", [Role.SUPPORT_AGENT, Role.RADAR_EDITOR])
def test_staff_whose_role_does_not_merge_get_404(pages, role):
    client = Client()
    client.force_login(StaffFactory.create(roles=[role]))
    for method, page in pages:
        assert getattr(client, method)(page).status_code == 404, page
    assert DuplicateCandidate.objects.get().status == CandidateStatus.OPEN
    assert MergeRecord.objects.get().undone_at is None


@pytest.mark.parametrize("role", [Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER])
def test_programme_and_me_staff_may_use_the_queue(pages, role):
    client = Client()
    client.force_login(StaffFactory.create(roles=[role]))
    assert client.get(url("directory:duplicates")).status_code == 200


def test_an_ngo_admin_cannot_reach_the_queue_even_for_their_own_organisation(pages, twins):
    left, _right = twins
    user = UserFactory.create()
    AffiliationFactory.create(
        organisation=left, person=PersonFactory.create(user=user), is_admin=True, end_date=None
    )
    client = Client()
    client.force_login(user)
    for method, page in pages:
        assert getattr(client, method)(page).status_code == 404, page


# The nightly task, with the real resolver


def test_the_nightly_task_queues_what_the_resolver_finds_and_never_proposes_a_rejected_pair(
    admin, django_capture_on_commit_callbacks
):
    ege = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği",
        province=province(35),
        emails=["info@egecevre.org.tr"],
        phones=["+902324441122"],
    )
    ege_again = OrganisationFactory.create(
        name="EGE CEVRE VE DOGA KORUMA DERNEGI",
        province=province(35),
        emails=["baskan@egecevre.org.tr"],
        phones=["+902324441122"],
    )
    unrelated = OrganisationFactory.create(name="Anadolu Gençlik Kooperatifi", province=province(6))

    with django_capture_on_commit_callbacks(execute=True):
        result = refresh_duplicate_candidates.enqueue()

    result.refresh()  # it ran when the transaction committed
    assert result.return_value == 1
    [pair] = open_candidates()
    assert (pair.left_id, pair.right_id) == (ege.pk, ege_again.pk)
    assert "phone" in pair.evidence
    assert not DuplicateCandidate.objects.filter(left_id=unrelated.pk).exists()
    assert not DuplicateCandidate.objects.filter(right_id=unrelated.pk).exists()

    candidate_reject(candidate=pair, actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        again = refresh_duplicate_candidates.enqueue()

    again.refresh()
    assert again.return_value == 0
    assert not open_candidates().exists()
    assert DuplicateCandidate.objects.get().status == CandidateStatus.REJECTED

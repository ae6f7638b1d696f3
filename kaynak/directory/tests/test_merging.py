"""Merging organisations and people: every reference moves, collisions keep the survivor's row,
and undo gives back exactly the state before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.core.audit import history_for, log_action
from kaynak.core.models import AuditEntry, Theme
from kaynak.directory.merging import (
    MergeError,
    merge_undo,
    organisation_merge,
    person_merge,
    references_to,
)
from kaynak.directory.merging.snapshots import move_back, remove, restore
from kaynak.directory.models import (
    Affiliation,
    CandidateStatus,
    ConsentPurpose,
    ConsentRecord,
    DuplicateCandidate,
    MergeRecord,
    Organisation,
    Person,
    RecordKind,
)
from kaynak.directory.services import consent_record, organisation_update
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.ledger.models import Delivery
from kaynak.ledger.services import record_delivery

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 14)
BEFORE = dt.datetime(2025, 3, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)
MERGE_TIME = dt.datetime(2025, 4, 1, 10, 0, 0, 654321, tzinfo=dt.UTC)
UNDO_TIME = dt.datetime(2025, 4, 2, 11, 0, 0, 987654, tzinfo=dt.UTC)


@pytest.fixture
def admin(db):
    return StaffFactory.create(roles=[Role.CENTER_ADMIN])


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def activity(number: int) -> Theme:
    """A record that caused a delivery. The service apps (trainings, support requests …) do not
    exist yet; any saved row serves as the generic ``Delivery.source``."""
    return Theme.objects.order_by("pk")[number]


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, except the audit log and the merge records (which only grow)."""
    skip = {"core.auditentry", "directory.mergerecord"}
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in skip and not model._meta.proxy
    }


def distinct_organisations_reached() -> int:
    return (
        Delivery.objects.filter(withdrawn_at__isnull=True, organisation__isnull=False)
        .values("organisation")
        .distinct()
        .count()
    )


def org_with_everything(**fields: Any) -> Organisation:
    return OrganisationFactory.create(**fields)


@pytest.fixture
def pair(time_machine):
    """Two records of one association, with rows of every kind referring to each."""
    time_machine.move_to(BEFORE)
    survivor = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği",
        short_name="",
        emails=["info@egecevre.org.tr"],
        phones=["+902324441122"],
        tax_no="",
    )
    merged = OrganisationFactory.create(
        name="EGE CEVRE VE DOGA KORUMA DERNEGI",
        short_name="EÇEDEK",
        emails=["egecevre@gmail.com", "info@egecevre.org.tr"],
        phones=["+905321234567"],
        tax_no="1234567890",
        province=province(35),
    )
    survivor.themes.set([theme("environment"), theme("youth")])
    merged.themes.set([theme("environment"), theme("women")])
    both = PersonFactory.create(full_name="Deniz Aksoy")
    only_merged = PersonFactory.create(full_name="Mert Kaya")
    AffiliationFactory.create(person=both, organisation=survivor, role="Başkan")
    AffiliationFactory.create(person=both, organisation=merged, role="Başkan", is_admin=True)
    AffiliationFactory.create(
        person=both,
        organisation=merged,
        role="Sayman",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2021, 1, 1),
    )
    AffiliationFactory.create(person=only_merged, organisation=merged, role="Üye")
    branch = OrganisationFactory.create(name="Ege Çevre Derneği Aydın Şubesi", parent=merged)
    # The same training reached both records: one organisation, so one delivery after a merge.
    record_delivery(kind="training", source=activity(0), date=DAY, organisation=survivor)
    record_delivery(kind="training", source=activity(0), date=DAY, organisation=merged)
    record_delivery(kind="support", source=activity(1), date=DAY, organisation=merged)
    record_delivery(
        kind="webinar", source=activity(2), date=DAY, organisation=merged, person=only_merged
    )
    # A delivery whose *source* is the merged organisation: a generic foreign key.
    other = OrganisationFactory.create(name="Van Kadın Dayanışma Derneği", province=province(65))
    record_delivery(kind="academia", source=merged, date=DAY, organisation=other)
    log_action("kaynak.directory.organisation.created", target=merged)
    return survivor, merged, branch


def test_references_are_found_in_every_app_without_merge_code():
    found = {(r.model._meta.label_lower, r.column) for r in references_to(Organisation)}

    assert {
        ("directory.affiliation", "organisation_id"),
        ("directory.organisation", "parent_id"),
        ("directory.organisation_themes", "organisation_id"),
        ("ledger.delivery", "organisation_id"),
        ("ledger.delivery", "source_id"),
    } <= found
    # The audit log is history: entries about a merged record keep its id.
    assert not {label for label, _column in found if label == "core.auditentry"}


def test_every_reference_moves_to_the_survivor(pair, admin):
    survivor, merged, branch = pair
    merged_id = merged.pk

    record = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)

    assert not Organisation.objects.filter(pk=merged_id).exists()
    assert set(survivor.themes.values_list("slug", flat=True)) == {"environment", "youth", "women"}
    assert not Affiliation.objects.filter(organisation_id=merged_id).exists()
    assert Affiliation.objects.filter(organisation=survivor).count() == 3
    branch.refresh_from_db()
    assert branch.parent == survivor
    assert not Delivery.objects.filter(organisation_id=merged_id).exists()
    assert set(
        Delivery.objects.filter(organisation=survivor).values_list("kind__slug", flat=True)
    ) == {"training", "support", "webinar"}
    sourced = Delivery.objects.get(kind__slug="academia")
    assert sourced.source == survivor
    entry = history_for(survivor).get(action="kaynak.directory.organisation.merged")
    assert entry.actor == admin
    assert entry.data["merged_id"] == merged_id
    assert entry.data["merge"] == record.pk
    # Audit entries about the merged record stay its history, under its old id.
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(merged_id),
        action="kaynak.directory.organisation.created",
    ).exists()


def test_where_both_records_have_a_row_for_the_same_thing_the_survivor_keeps_its_own(pair, admin):
    survivor, merged, _branch = pair
    [survivor_training] = Delivery.objects.filter(organisation=survivor)
    merged_training = Delivery.objects.get(organisation=merged, kind__slug="training")
    both = Person.objects.get(full_name="Deniz Aksoy")
    survivor_current = Affiliation.objects.get(person=both, organisation=survivor)
    merged_current = Affiliation.objects.get(person=both, organisation=merged, end_date=None)

    record = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)

    trainings = Delivery.objects.filter(kind__slug="training")
    assert list(trainings.values_list("pk", "organisation")) == [
        (survivor_training.pk, survivor.pk)
    ]
    current = Affiliation.objects.filter(person=both, organisation=survivor, end_date=None)
    assert list(current.values_list("pk", flat=True)) == [survivor_current.pk]
    assert Affiliation.objects.filter(person=both, organisation=survivor).count() == 2
    set_aside = {(row["model"], row["pk"]) for row in record.snapshot["restore"]}
    assert ("ledger.delivery", merged_training.pk) in set_aside
    assert ("directory.affiliation", merged_current.pk) in set_aside
    assert ("directory.organisation", merged.pk) in set_aside


def test_the_survivor_takes_the_values_chosen_field_by_field(pair, admin):
    survivor, merged, _branch = pair

    organisation_merge(
        survivor=survivor,
        merged=merged,
        values={"name": "survivor", "short_name": "merged", "province": "merged", "phones": "both"},
        actor=admin,
    )

    survivor.refresh_from_db()
    assert survivor.name == "Ege Çevre ve Doğa Koruma Derneği"
    assert survivor.short_name == "EÇEDEK"
    assert survivor.province == province(35)
    assert survivor.phones == ["+902324441122", "+905321234567"]
    # Not chosen: lists are combined, an empty value is filled from the merged record.
    assert survivor.emails == ["info@egecevre.org.tr", "egecevre@gmail.com"]
    assert survivor.tax_no == "1234567890"
    # The search text follows the chosen names: the acronym finds it now.
    assert "ecedek" in survivor.search_text


def test_the_survivor_keeps_its_own_values_when_told(pair, admin):
    survivor, merged, _branch = pair

    organisation_merge(
        survivor=survivor,
        merged=merged,
        values={"emails": "survivor", "tax_no": "survivor", "province": "survivor"},
        actor=admin,
    )

    survivor.refresh_from_db()
    assert survivor.emails == ["info@egecevre.org.tr"]
    assert survivor.tax_no == ""
    assert survivor.province == province(6)


def test_undo_restores_exactly_the_state_before_the_merge(pair, admin, time_machine):
    survivor, merged, _branch = pair
    candidate = DuplicateCandidate.objects.create(
        kind=RecordKind.ORGANISATION,
        left_id=min(survivor.pk, merged.pk),
        right_id=max(survivor.pk, merged.pk),
        score=0.93,
        evidence=["name", "email-domain"],
    )
    before = dump()

    time_machine.move_to(MERGE_TIME, tick=False)
    record = organisation_merge(
        survivor=survivor,
        merged=merged,
        values={"name": "merged", "short_name": "merged", "phones": "both"},
        actor=admin,
    )
    merged_state = dump()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED

    time_machine.move_to(UNDO_TIME, tick=False)
    merge_undo(record=record, actor=admin)

    assert merged_state != before
    assert dump() == before
    record.refresh_from_db()
    assert record.undone_at == UNDO_TIME
    assert record.undone_by == admin
    assert history_for(survivor).filter(action="kaynak.directory.organisation.merge_undone")


def test_distinct_reach_drops_by_one_after_a_merge_and_comes_back_after_undo(pair, admin):
    survivor, merged, _branch = pair
    reached = distinct_organisations_reached()

    record = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    assert distinct_organisations_reached() == reached - 1

    merge_undo(record=record, actor=admin)
    assert distinct_organisations_reached() == reached


def test_a_merge_can_be_undone_only_once(pair, admin):
    survivor, merged, _branch = pair
    record = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    merge_undo(record=record, actor=admin)

    with pytest.raises(MergeError, match="already been undone"):
        merge_undo(record=record, actor=admin)


def test_undo_is_refused_while_the_survivor_is_merged_into_another_record(pair, admin):
    survivor, merged, _branch = pair
    third = OrganisationFactory.create(name="Ege Çevre ve Doğa Koruma Derneği Genel Merkezi")
    first = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    second = organisation_merge(survivor=third, merged=survivor, values={}, actor=admin)
    state = dump()

    with pytest.raises(MergeError, match="merged into another one") as refused:
        merge_undo(record=first, actor=admin)

    assert refused.value.code == "merge_refused"
    assert dump() == state
    # Undone in the reverse order, both merges come apart.
    merge_undo(record=second, actor=admin)
    merge_undo(record=first, actor=admin)
    assert Organisation.objects.filter(pk__in=[survivor.pk, merged.pk, third.pk]).count() == 3


def test_undo_is_refused_while_a_later_merge_into_the_survivor_stands(pair, admin):
    survivor, merged, _branch = pair
    third = OrganisationFactory.create(name="Ege Çevre Doğa Der.")
    first = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    organisation_merge(survivor=survivor, merged=third, values={}, actor=admin)

    with pytest.raises(MergeError, match="Undo that merge first"):
        merge_undo(record=first, actor=admin)


def test_undo_is_refused_when_a_value_the_merge_set_was_changed_since(pair, admin):
    survivor, merged, _branch = pair
    record = organisation_merge(
        survivor=survivor, merged=merged, values={"short_name": "merged"}, actor=admin
    )
    survivor.refresh_from_db()
    organisation_update(organisation=survivor, actor=admin, short_name="EÇDK")

    with pytest.raises(MergeError, match="short name or acronym"):
        merge_undo(record=record, actor=admin)
    assert not Organisation.objects.filter(pk=merged.pk).exists()


def test_a_change_to_another_field_since_the_merge_survives_the_undo(pair, admin):
    survivor, merged, _branch = pair
    record = organisation_merge(
        survivor=survivor, merged=merged, values={"short_name": "merged"}, actor=admin
    )
    survivor.refresh_from_db()
    organisation_update(organisation=survivor, actor=admin, district="Bornova")

    merge_undo(record=record, actor=admin)

    survivor.refresh_from_db()
    assert survivor.short_name == ""
    assert survivor.district == "Bornova"
    assert Organisation.objects.get(pk=merged.pk).short_name == "EÇEDEK"


def test_undo_is_refused_when_a_row_to_restore_refers_to_something_deleted_since(pair, admin):
    survivor, merged, _branch = pair
    record = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    # The person of the affiliation the merge set aside is deleted (with their other rows).
    both = Person.objects.get(full_name="Deniz Aksoy")
    Affiliation.objects.filter(person=both).delete()
    both.delete()

    with pytest.raises(MergeError, match="person it refers to was deleted"):
        merge_undo(record=record, actor=admin)
    assert not Organisation.objects.filter(pk=merged.pk).exists()
    record.refresh_from_db()
    assert record.undone_at is None


def test_rows_changed_since_the_merge_stay_where_they_are_after_undo(pair, admin):
    survivor, merged, _branch = pair
    record = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    support = Delivery.objects.get(kind__slug="support")
    elsewhere = OrganisationFactory.create(name="Başka Bir Dernek")
    Delivery.objects.filter(pk=support.pk).update(organisation=elsewhere)

    merge_undo(record=record, actor=admin)

    assert Delivery.objects.get(pk=support.pk).organisation == elsewhere
    entry = history_for(survivor).get(action="kaynak.directory.organisation.merge_undone")
    assert entry.data["not_restored"] == 1


def test_a_record_cannot_be_merged_with_itself(pair, admin):
    survivor, _merged, _branch = pair
    with pytest.raises(MergeError, match="itself"):
        organisation_merge(survivor=survivor, merged=survivor, values={}, actor=admin)


@pytest.mark.parametrize("direction", ["parent into branch", "branch into parent"])
def test_a_branch_and_its_parent_are_not_merged(pair, admin, direction):
    _survivor, merged, branch = pair
    state = dump()
    survivor, other = (branch, merged) if direction == "parent into branch" else (merged, branch)

    with pytest.raises(MergeError, match="branch and its parent"):
        organisation_merge(survivor=survivor, merged=other, values={}, actor=admin)
    assert dump() == state


def test_a_merge_of_a_record_merged_away_meanwhile_is_refused(pair, admin):
    survivor, merged, _branch = pair
    stale = Organisation.objects.get(pk=merged.pk)
    organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)

    with pytest.raises(MergeError, match="no longer exists"):
        organisation_merge(survivor=survivor, merged=stale, values={}, actor=admin)


def test_an_unknown_field_choice_is_a_programming_error(pair, admin):
    survivor, merged, _branch = pair
    with pytest.raises(TypeError, match="search_text"):
        organisation_merge(
            survivor=survivor, merged=merged, values={"search_text": "merged"}, actor=admin
        )
    with pytest.raises(ValueError, match="name"):
        organisation_merge(survivor=survivor, merged=merged, values={"name": "both"}, actor=admin)


# People


@pytest.fixture
def people(time_machine):
    time_machine.move_to(BEFORE)
    organisation = OrganisationFactory.create(name="Kadın Dayanışma Derneği")
    survivor = PersonFactory.create(
        full_name="Ayşe Yılmaz", emails=["ayse@ornek.org.tr"], phones=[], birth_year=None
    )
    user = UserFactory.create(email="ayse.yilmaz@ornek.org.tr")
    merged = PersonFactory.create(
        full_name="AYSE YILMAZ",
        emails=["ayse.yilmaz@ornek.org.tr"],
        phones=["+905321234567"],
        birth_year=1985,
        user=user,
    )
    AffiliationFactory.create(person=survivor, organisation=organisation)
    AffiliationFactory.create(person=merged, organisation=organisation, is_admin=True)
    consent_record(
        person=merged,
        purpose=ConsentPurpose.DATA_PROCESSING,
        granted=True,
        text_version="2025-01",
        source="web",
    )
    record_delivery(kind="training", source=activity(0), date=DAY, person=survivor)
    record_delivery(kind="training", source=activity(0), date=DAY, person=merged)
    record_delivery(kind="coaching", source=activity(3), date=DAY, person=merged)
    return survivor, merged, user


def test_a_persons_affiliations_consents_deliveries_and_user_account_follow_the_survivor(
    people, admin
):
    survivor, merged, user = people
    merged_id = merged.pk

    person_merge(survivor=survivor, merged=merged, values={}, actor=admin)

    survivor.refresh_from_db()
    assert survivor.user == user
    assert survivor.birth_year == 1985
    assert survivor.emails == ["ayse@ornek.org.tr", "ayse.yilmaz@ornek.org.tr"]
    assert not Person.objects.filter(pk=merged_id).exists()
    assert ConsentRecord.objects.get().person == survivor
    assert set(Delivery.objects.values_list("person", "kind__slug")) == {
        (survivor.pk, "training"),
        (survivor.pk, "coaching"),
    }
    assert list(Affiliation.objects.values_list("person", flat=True)) == [survivor.pk]
    entry = history_for(survivor).get(action="kaynak.directory.person.merged")
    # Personal data: the audit entry does not repeat the person's values.
    assert "AYSE" not in str(entry.data)


def test_undoing_a_person_merge_restores_exactly_the_state_before(people, admin, time_machine):
    survivor, merged, _user = people
    before = dump()
    time_machine.move_to(MERGE_TIME, tick=False)
    record = person_merge(
        survivor=survivor, merged=merged, values={"full_name": "merged"}, actor=admin
    )
    assert dump() != before

    time_machine.move_to(UNDO_TIME, tick=False)
    merge_undo(record=record, actor=admin)

    assert dump() == before
    assert history_for(survivor).filter(action="kaynak.directory.person.merge_undone")


def test_two_people_with_their_own_user_accounts_are_not_merged(people, admin):
    survivor, merged, _user = people
    Person.objects.filter(pk=survivor.pk).update(user=UserFactory.create())
    survivor.refresh_from_db()
    state = dump()

    with pytest.raises(MergeError, match="user account of their own"):
        person_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    assert dump() == state


def test_an_erased_person_is_not_merged(people, admin):
    survivor, merged, _user = people
    Person.objects.filter(pk=merged.pk).update(erased_at=timezone.now())

    with pytest.raises(MergeError, match="erased"):
        person_merge(survivor=survivor, merged=merged, values={}, actor=admin)


def test_merge_records_say_who_merged_what_into_what(pair, admin):
    survivor, merged, _branch = pair
    merged_id = merged.pk

    record = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)

    stored = MergeRecord.objects.get()
    assert (stored.pk, stored.kind, stored.survivor_id, stored.merged_id) == (
        record.pk,
        RecordKind.ORGANISATION,
        survivor.pk,
        merged_id,
    )
    assert stored.merged_by == admin
    assert stored.snapshot["merged"]["fields"]["name"] == "EGE CEVRE VE DOGA KORUMA DERNEGI"
    moved = {(m["model"], m["field"]) for m in stored.snapshot["moved"]}
    assert ("ledger.delivery", "source_id") in moved
    assert ("directory.organisation", "parent_id") in moved


def test_a_row_set_aside_comes_back_with_everything_its_deletion_took_or_cleared(admin):
    """The snapshot machinery on its own, on a row whose deletion cascades (e-mail addresses,
    roles, authenticators) and sets references to NULL (a person's user, audit actors)."""
    staff = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER])
    PersonFactory.create(user=staff)
    log_action("kaynak.directory.organisation.created", actor=staff)
    before = dump()
    audit_before = list(AuditEntry.objects.order_by("pk").values())

    rows, nulled = remove([staff])
    assert dump() != before
    assert {row["model"] for row in rows} >= {
        "accounts.user",
        "accounts.roleassignment",
        "account.emailaddress",
        "mfa.authenticator",
    }
    assert {(entry["model"], entry["field"]) for entry in nulled} >= {
        ("directory.person", "user_id"),
        ("core.auditentry", "actor_id"),
    }

    restore(rows)
    assert move_back(nulled) == 0

    assert dump() == before
    assert list(AuditEntry.objects.order_by("pk").values()) == audit_before

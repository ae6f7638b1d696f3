"""Erasure reaches every copy of a person's data: the records merged into them, the snapshots
that would let a merge be undone, the audit log and the duplicates queue. Undoing an old merge
still works after an erasure, and brings back anonymous records only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress

from kaynak.accounts.models import Role, User
from kaynak.accounts.services import email_verify_by_password_link
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.core.errors import KaynakError
from kaynak.core.models import AuditEntry, Theme
from kaynak.directory.importing.apply import import_apply, import_batch_create
from kaynak.directory.merging import merge_undo, organisation_merge, person_merge
from kaynak.directory.merging.queue import duplicate_candidates_refresh
from kaynak.directory.models import (
    Affiliation,
    ConsentPurpose,
    ConsentRecord,
    DuplicateCandidate,
    ImportBatch,
    MergeRecord,
    Person,
    RecordKind,
)
from kaynak.directory.privacy import ERASED_VALUE, person_erase
from kaynak.directory.services import (
    affiliation_create,
    consent_record,
    organisation_update,
    person_update,
)
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.ledger.models import Delivery
from kaynak.ledger.queries import Dimension, ReachFilter, reach_by, reach_totals
from kaynak.ledger.services import record_delivery

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 14)
FILES = Path(__file__).parent / "files"

# Everything that identified Zeynep, in both of the records she had before they were merged.
ZEYNEP = [
    "Zeynep Demir",
    "ZEYNEP DEMIR",
    "zeynep@ornek-stk.org.tr",
    "zeynep.demir@gmail.com",
    "+905321112233",
    "+902324445566",
    "Genel Sekreter",
]


@pytest.fixture
def admin() -> User:
    return StaffFactory.create(roles=[Role.CENTER_ADMIN], full_name="Selin Aksoy")


def activity(number: int) -> Theme:
    """Any saved row serves as the source of a delivery."""
    return Theme.objects.order_by("pk")[number]


@pytest.fixture
def zeynep(admin) -> tuple[Person, Person]:
    """Zeynep registered twice, once with her account and once by a coordinator; both records
    have an affiliation, a consent, deliveries, and audit entries naming her values."""
    user = UserFactory.create(email="zeynep@ornek-stk.org.tr", full_name="Zeynep Demir")
    EmailAddress.objects.filter(user=user).update(verified=False)
    email_verify_by_password_link(user=user)  # an audit entry holding the address
    organisation = OrganisationFactory.create(name="İzmir Kadın Derneği", province=province(35))
    survivor = PersonFactory.create(
        full_name="Zeynep Demir",
        emails=["zeynep@ornek-stk.org.tr"],
        phones=["+905321112233"],
        province=province(35),
        gender="woman",
        user=user,
    )
    merged = PersonFactory.create(
        full_name="ZEYNEP DEMIR",
        emails=["zeynep.demir@gmail.com"],
        phones=["+902324445566"],
        province=province(35),
        birth_year=1990,
    )
    person_update(person=merged, actor=admin, birth_year=1991)
    affiliation_create(
        actor=admin, person=survivor, organisation=organisation, role="Genel Sekreter"
    )
    AffiliationFactory.create(person=merged, organisation=organisation, role="Genel Sekreter")
    for person, purpose in (
        (survivor, ConsentPurpose.DATA_PROCESSING),
        (merged, ConsentPurpose.NEWSLETTER),
    ):
        consent_record(
            person=person, purpose=purpose, granted=True, text_version="2025-01", source="web"
        )
    record_delivery(kind="training", source=activity(0), date=DAY, person=survivor)
    record_delivery(kind="coaching", source=activity(1), date=DAY, person=merged)
    duplicate_candidates_refresh(
        pairs=[(survivor.pk, merged.pk, 0.97, ["similar-name", "city"])], kind=RecordKind.PERSON
    )
    return survivor, merged


def stored_json() -> dict[str, str]:
    """Every place a copy of personal data could hide, as JSON text to search."""
    return {
        "snapshots": json.dumps(
            list(MergeRecord.objects.values_list("snapshot", flat=True)), ensure_ascii=False
        ),
        "candidates": json.dumps(
            list(DuplicateCandidate.objects.values()), ensure_ascii=False, default=str
        ),
        "audit": json.dumps(
            list(AuditEntry.objects.values_list("object_repr", "data")), ensure_ascii=False
        ),
        "imports": json.dumps(
            list(ImportBatch.objects.values_list("report", flat=True)), ensure_ascii=False
        ),
    }


def leaks(values: list[str]) -> dict[str, list[str]]:
    """Which of ``values`` are still stored where (case-insensitive)."""
    found = {}
    for where, text in stored_json().items():
        still = [value for value in values if value.casefold() in text.casefold()]
        if still:
            found[where] = still
    return found


def test_erasing_a_merged_person_leaves_their_data_in_no_snapshot_candidate_or_audit_entry(
    zeynep, admin
):
    survivor, merged = zeynep
    person_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    assert set(leaks(ZEYNEP)) >= {"snapshots", "audit"}  # the test can fail

    person_erase(person=survivor, actor=admin)

    assert leaks(ZEYNEP) == {}


def test_reach_is_the_same_before_and_after_erasing_a_merged_person(zeynep, admin):
    survivor, merged = zeynep
    person_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    everything = ReachFilter()
    totals = reach_totals(everything)
    by_province = reach_by(everything, Dimension.PROVINCE)

    person_erase(person=survivor, actor=admin)

    assert reach_totals(everything) == totals
    assert reach_by(everything, Dimension.PROVINCE) == by_province


def test_undoing_an_old_merge_after_erasure_restores_anonymous_records_only(zeynep, admin):
    survivor, merged = zeynep
    merged_id = merged.pk
    record = person_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    person_erase(person=survivor, actor=admin)

    merge_undo(record=record, actor=admin)

    back = Person.objects.get(pk=merged_id)
    survivor.refresh_from_db()
    assert (back.full_name, back.emails, back.phones, back.birth_year, back.user) == (
        f"Anonim kişi {merged_id}",
        [],
        [],
        None,
        None,
    )
    assert back.erased_at is not None
    assert (survivor.full_name, survivor.emails, survivor.phones) == (
        f"Anonim kişi {survivor.pk}",
        [],
        [],
    )
    assert survivor.erased_at is not None
    assert survivor.province_id == back.province_id == 35
    # Everything that was theirs went back where it was, still anonymous.
    assert Delivery.objects.get(kind__slug="coaching").person_id == merged_id
    assert list(back.affiliations.values_list("role", "is_admin")) == [("", False)]
    assert back.affiliations.get().end_date is not None
    assert leaks(ZEYNEP) == {}


def test_after_undoing_an_erased_persons_merge_neither_record_consents_to_anything(zeynep, admin):
    survivor, merged = zeynep
    record = person_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    person_erase(person=survivor, actor=admin)

    merge_undo(record=record, actor=admin)

    for person in (survivor, merged):
        for purpose in ConsentPurpose:
            latest = ConsentRecord.objects.filter(person_id=person.pk, purpose=purpose).first()
            assert latest is None or not latest.granted, (person.pk, purpose)


def test_a_chain_of_merges_is_erased_whole_and_each_merge_can_still_be_undone(zeynep, admin):
    survivor, merged = zeynep
    third = PersonFactory.create(full_name="Zeynep Demir", emails=["zd@ornek.org.tr"])
    first = person_merge(survivor=merged, merged=third, values={}, actor=admin)
    second = person_merge(survivor=survivor, merged=merged, values={}, actor=admin)

    person_erase(person=survivor, actor=admin)

    assert leaks([*ZEYNEP, "zd@ornek.org.tr"]) == {}
    merge_undo(record=second, actor=admin)
    merge_undo(record=first, actor=admin)
    names = dict(Person.objects.values_list("pk", "full_name"))
    assert names == {pk: f"Anonim kişi {pk}" for pk in (survivor.pk, merged.pk, third.pk)}


def test_an_undone_merge_of_the_erased_person_into_someone_else_keeps_only_the_others_data(
    admin,
):
    erased = PersonFactory.create(full_name="Zeynep Demir", emails=["zeynep@ornek-stk.org.tr"])
    other = PersonFactory.create(full_name="Zehra Demir", emails=["zehra@ornek.org.tr"])
    record = person_merge(
        survivor=other, merged=erased, values={"full_name": "merged"}, actor=admin
    )
    merge_undo(record=record, actor=admin)  # they were two people after all

    person_erase(person=erased, actor=admin)

    assert leaks(["Zeynep", "zeynep@ornek-stk.org.tr"]) == {}
    snapshot = MergeRecord.objects.get().snapshot
    assert snapshot["survivor_before"]["fields"]["full_name"] == "Zehra Demir"
    assert snapshot["survivor_after"]["fields"]["emails"] == ["zehra@ornek.org.tr"]
    other.refresh_from_db()
    assert (other.full_name, other.emails) == ("Zehra Demir", ["zehra@ornek.org.tr"])


def test_an_affiliation_set_aside_by_an_organisation_merge_is_anonymised_too(admin):
    person = PersonFactory.create(full_name="Zeynep Demir")
    survivor = OrganisationFactory.create(name="Ege Çevre Derneği")
    merged = OrganisationFactory.create(name="EGE CEVRE DERNEGI")
    AffiliationFactory.create(person=person, organisation=survivor, role="Başkan")
    AffiliationFactory.create(
        person=person, organisation=merged, role="Genel Sekreter", is_admin=True
    )
    record = organisation_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    assert leaks(["Genel Sekreter"]) == {"snapshots": ["Genel Sekreter"]}

    person_erase(person=person, actor=admin)

    assert leaks(["Genel Sekreter", "Başkan"]) == {}
    merge_undo(record=record, actor=admin)
    restored = Affiliation.objects.get(organisation_id=merged.pk)
    assert (restored.person_id, restored.role, restored.is_admin) == (person.pk, "", False)
    assert restored.end_date is not None


def test_the_persons_contacts_leave_every_audit_entry_but_the_organisations_record_stays(
    zeynep, admin
):
    survivor, _merged = zeynep
    organisation = survivor.affiliations.get().organisation
    organisation_update(organisation=organisation, actor=admin, phones=["+905321112233"], emails=[])

    person_erase(person=survivor, actor=admin)

    assert "+905321112233" not in json.dumps(list(AuditEntry.objects.values_list("data")))
    changed = AuditEntry.objects.get(action="kaynak.directory.organisation.changed")
    assert ERASED_VALUE in changed.data["changes"]["phones"][1]
    organisation.refresh_from_db()
    assert organisation.phones == ["+905321112233"]  # the organisation's own: staff decide


def test_another_persons_audit_entries_keep_their_values(zeynep, admin):
    survivor, _merged = zeynep
    other = PersonFactory.create(full_name="Zehra Demir")
    person_update(person=other, actor=admin, birth_year=1980)

    person_erase(person=survivor, actor=admin)

    assert AuditEntry.objects.filter(object_id=str(other.pk), object_repr="Zehra Demir").exists()


def test_the_erasure_names_the_imports_whose_kept_file_still_holds_the_person(
    admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    data = (FILES / "organisations_utf8.csv").read_bytes()
    batch = import_apply(
        batch=import_batch_create(data=data, filename="stk.csv", actor=admin), actor=admin
    )
    person = Person.objects.get(full_name="Gülşen Öztürk")

    person_erase(person=person, actor=admin)

    entry = AuditEntry.objects.get(action="kaynak.directory.person.erased")
    assert entry.data["imports_with_kept_file"] == [batch.pk]
    # The row report holds ids, not the person's values.
    assert leaks(["Gülşen", "kadindayanisma.van@gmail.com", "+904322120011"]) == {}


def test_an_erasure_that_fails_leaves_the_snapshots_as_they_were(admin):
    """The only center admin's own record: closing the account is refused, and nothing of the
    erasure stays, in the merge snapshots neither."""
    survivor = PersonFactory.create(full_name="Tek Yönetici", user=admin)
    merged = PersonFactory.create(full_name="TEK YONETICI", phones=["+905329998877"])
    person_merge(survivor=survivor, merged=merged, values={}, actor=admin)
    before: Any = MergeRecord.objects.get().snapshot

    with pytest.raises(KaynakError):
        person_erase(person=survivor, actor=admin)

    assert MergeRecord.objects.get().snapshot == before
    assert leaks(["+905329998877"]) == {"snapshots": ["+905329998877"]}

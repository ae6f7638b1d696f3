"""A person's rights under KVKK and the GDPR: a copy of their data, and erasure.

The directory knows a person's own record; the apps above it (the ledger, later the service
apps) know what was done *for* the person. Each of them adds its part of the export through
``register_export_section`` in its own ``privacy.py`` module, which is imported the first time an
export is made — the way Django's admin finds ``admin.py`` modules. The directory therefore
never imports the apps above it (import-linter keeps it so), and a new app joins the export
without changing this file.

Erasure anonymises the person in place instead of deleting the row: service deliveries keep
pointing at it, so the reach figures reported before the erasure stay true after it. The
province is kept on purpose (reach is reported by province, and a province alone does not
identify anyone); everything else personal goes — from the record, from the records merged
into it, from the merge snapshots that would let a merge be undone (undo then restores
anonymous rows), and from the audit log. docs/privacy.md says exactly what is touched and what
is not.

The apps above the directory keep personal data of their own (a registration's e-mail address,
the name on a certificate …). Each of them erases it in an *erasure step* registered with
``register_erasure_step`` in the same ``privacy.py`` module, called inside the erasure's
transaction (so a step that fails leaves nothing erased), and may anonymise its rows kept in
merge snapshots with ``register_snapshot_row_eraser``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ForeignKey, Q
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import Role, User
from kaynak.accounts.services import role_revoke
from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.models import AuditEntry
from kaynak.directory.merging.services import snapshot_recount_changes, snapshot_rows
from kaynak.directory.models import (
    Affiliation,
    ConsentPurpose,
    ConsentRecord,
    ImportBatch,
    ImportStatus,
    MergeRecord,
    Person,
    RecordKind,
)
from kaynak.directory.normalize import person_search_text
from kaynak.directory.services import consent_record

ExportSection = Callable[[Person], Any]

_sections: dict[str, ExportSection] = {}
_discovered = False

ERASED_NAME = "Anonim kişi {pk}"
ERASURE_SOURCE = "erasure"


def register_export_section(name: str) -> Callable[[ExportSection], ExportSection]:
    """Decorator for an app's part of a person's data export: ``fn(person)`` returns
    JSON-serialisable data, placed under ``name`` in the export."""

    def decorator(section: ExportSection) -> ExportSection:
        _sections[name] = section
        return section

    return decorator


def _discover_privacy_modules() -> None:
    """Import every Kaynak app's ``privacy`` module, so that its export sections and erasure
    steps are registered."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if config.name.startswith("kaynak.") and module_has_submodule(config.module, "privacy"):
            import_module(f"{config.name}.privacy")
    _discovered = True


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "emails": list(person.emails),
        "phones": list(person.phones),
        "province": person.province.name if person.province else None,
        "gender": person.gender or None,
        "birth_year": person.birth_year,
        "language": person.language,
        "user_account": person.user.email if person.user else None,
        "created_at": _iso(person.created_at),
        "updated_at": _iso(person.updated_at),
        "erased_at": _iso(person.erased_at),
    }


@register_export_section("affiliations")
def _affiliations(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "organisation": affiliation.organisation.name,
            "organisation_id": affiliation.organisation_id,
            "role": affiliation.role,
            "is_admin": affiliation.is_admin,
            "start_date": _iso(affiliation.start_date),
            "end_date": _iso(affiliation.end_date),
        }
        for affiliation in person.affiliations.select_related("organisation").order_by("pk")
    ]


@register_export_section("consents")
def _consents(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "purpose": consent.purpose,
            "granted": consent.granted,
            "text_version": consent.text_version,
            "source": consent.source,
            "recorded_at": _iso(consent.recorded_at),
        }
        for consent in person.consents.order_by("recorded_at", "pk")
    ]


@transaction.atomic
def person_data_export(*, person: Person, actor: Any) -> dict[str, Any]:
    """Everything Kaynak holds about ``person``, as JSON-serialisable data (KVKK art. 11)."""
    _discover_privacy_modules()
    person = Person.objects.select_related("province", "user").get(pk=person.pk)
    export: dict[str, Any] = {
        "exported_at": _iso(timezone.now()),
        "person": _person_data(person),
    }
    for name in sorted(_sections):
        export[name] = _sections[name](person)
    # The entry says that an export was made and by whom, not what it contained.
    log_action("kaynak.directory.person.exported", actor=actor, target=person)
    return export


class AlreadyErased(KaynakError):
    code = "already_erased"


# What stands in an audit entry where an erased person's e-mail address or phone number was.
ERASED_VALUE = "[silindi]"


def anonymous_person_fields(pk: int) -> dict[str, Any]:
    """The personal fields of the person ``pk`` as erasure leaves them (on the record and in
    the merge snapshots that hold it)."""
    name = ERASED_NAME.format(pk=pk)
    return {
        "full_name": name,
        "search_text": person_search_text(name),
        "emails": [],
        "phones": [],
        "gender": "",
        "birth_year": None,
        "user": None,
    }


@dataclass
class _Personal:
    """What identifies the erased person, gathered before it goes: to find and remove it in
    the merge snapshots and the audit log."""

    names: set[str] = field(default_factory=set)
    contacts: set[str] = field(default_factory=set)  # e-mail addresses and phone numbers

    def add(self, *, names: Iterable[Any] = (), contacts: Iterable[Any] = ()) -> None:
        self.names |= {n for n in names if n and isinstance(n, str)}
        self.contacts |= {c for c in contacts if c and isinstance(c, str)}

    def pattern(self, *, names: bool) -> re.Pattern[str] | None:
        """The contacts (and ``names``), in any case, longest first."""
        texts = sorted(self.contacts | (self.names if names else set()), key=len, reverse=True)
        if not texts:
            return None
        return re.compile("|".join(re.escape(text) for text in texts), re.IGNORECASE)


# Erasure steps of the apps above the directory -------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    """An erasure under way, as an app's erasure step sees it (inside its transaction)."""

    person: Person  # already anonymised: "Anonim kişi <id>", ``erased_at`` set
    ids: frozenset[int]  # the person and every record merged into them
    actor: Any
    _personal: _Personal = field(repr=False)

    @property
    def names(self) -> frozenset[str]:
        """The names the person had (on their record, account and merged records)."""
        return frozenset(self._personal.names)

    @property
    def contacts(self) -> frozenset[str]:
        """Their e-mail addresses and phone numbers, as the directory knew them."""
        return frozenset(self._personal.contacts)

    def identified_by(self, *, names: Iterable[Any] = (), contacts: Iterable[Any] = ()) -> None:
        """More values that identify the person, found by an app (an address they registered
        with, a corrected name on a certificate): the audit log loses them too."""
        self._personal.add(names=names, contacts=contacts)

    def scrub(self, value: Any) -> Any:
        """``value`` (text or JSON data) with the person's names, addresses and phones replaced
        by ``ERASED_VALUE``."""
        return _without(value, self._personal.pattern(names=True))


# A step returns a summary for the erasure's audit entry (counts, ids — nothing personal), or
# an empty one when it had nothing to erase.
ErasureStep = Callable[[Erasure], dict[str, Any] | None]
# Anonymises, in place, the fields of one of the person's rows kept in a merge snapshot.
SnapshotRowEraser = Callable[[dict[str, Any], Erasure], None]

_erasure_steps: dict[str, ErasureStep] = {}
_snapshot_row_erasers: dict[str, SnapshotRowEraser] = {}


def register_erasure_step(name: str) -> Callable[[ErasureStep], ErasureStep]:
    """Decorator for an app's part of a person's erasure: ``fn(erasure)`` erases what the app
    keeps about ``erasure.person`` (and the records merged into them), inside the erasure's
    transaction, after the person's record is anonymised and before the audit log is
    cleaned. What it returns is kept under ``name`` in the erasure's audit entry."""

    def decorator(step: ErasureStep) -> ErasureStep:
        _erasure_steps[name] = step
        return step

    return decorator


def register_snapshot_row_eraser(
    model_label: str,
) -> Callable[[SnapshotRowEraser], SnapshotRowEraser]:
    """Decorator for anonymising rows of ``model_label`` ("app.model") that refer to the
    erased person and that a merge set aside in its snapshot (undo would insert them again):
    ``fn(fields, erasure)`` edits the serialised ``fields`` in place."""

    def decorator(eraser: SnapshotRowEraser) -> SnapshotRowEraser:
        _snapshot_row_erasers[model_label.lower()] = eraser
        return eraser

    return decorator


def _run_erasure_steps(erasure: Erasure) -> dict[str, Any]:
    """Each app's erasure step, in name order; their non-empty summaries by name."""
    summaries: dict[str, Any] = {}
    for name in sorted(_erasure_steps):
        summary = _erasure_steps[name](erasure)
        if summary:
            summaries[name] = summary
    return summaries


def _merged_into(person: Person) -> set[int]:
    """``person``'s id and the ids of every record merged into it, directly or through another
    (merges not undone): all of them were the same person, and their data is theirs."""
    ids = {person.pk}
    frontier = {person.pk}
    while frontier:
        merged = set(
            MergeRecord.objects.filter(
                kind=RecordKind.PERSON, survivor_id__in=frontier, undone_at__isnull=True
            ).values_list("merged_id", flat=True)
        )
        frontier = merged - ids
        ids |= frontier
    return ids


def _ended(start: dt.date | None, today: dt.date) -> dt.date:
    return max(today, start) if start else today


def withdraw_every_consent(*, person: Person, actor: Any) -> None:
    """Withdraw whatever ``person`` still consents to (a new record per purpose, source
    "erasure"; the old records stay as proof of what was agreed)."""
    for purpose in ConsentPurpose:
        latest = ConsentRecord.objects.filter(person=person, purpose=purpose).first()
        if latest is not None and latest.granted:
            consent_record(
                person=person,
                purpose=purpose,
                granted=False,
                text_version=latest.text_version,
                source=ERASURE_SOURCE,
                actor=actor,
            )


def _merge_records_holding(ids: set[int]) -> list[MergeRecord]:
    """The merges whose snapshot holds one of the people ``ids``: merges of those people
    (undone or not), and merges of organisations that set aside one of their affiliations (the
    same person at both organisations)."""
    of_people = Q(kind=RecordKind.PERSON) & (Q(survivor_id__in=ids) | Q(merged_id__in=ids))
    found = set(MergeRecord.objects.filter(of_people).values_list("pk", flat=True))
    # Only the rows set aside are read (the moved references can be many).
    others = MergeRecord.objects.exclude(of_people).values_list("pk", "snapshot__restore")
    for pk, rows in others.iterator(chunk_size=200):
        if any(_refers_to(row, ids) for row in rows or ()):
            found.add(pk)
    return list(MergeRecord.objects.filter(pk__in=found).order_by("pk"))


@cache
def _person_columns(label: str) -> list[str]:
    """The fields of model ``label`` that refer to a person."""
    model = apps.get_model(label)
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, ForeignKey) and f.related_model is Person
    ]


def _refers_to(row: dict[str, Any], ids: set[int]) -> bool:
    return any(row["fields"].get(name) in ids for name in _person_columns(row["model"]))


def _erase_from_snapshot(
    record: MergeRecord,
    ids: set[int],
    personal: _Personal,
    today: dt.date,
    erased_at: str,
    erasure: Erasure,
) -> bool:
    """Anonymise the people ``ids`` in ``record``'s snapshot, as erasure left their record:
    undoing the merge then brings back anonymous rows, never the erased values. Returns
    whether anything changed."""
    snapshot = record.snapshot
    before = json.dumps(snapshot, sort_keys=True)
    person_label = Person._meta.label_lower
    rows = snapshot_rows(snapshot)
    # What identified them, also in values they no longer had when erased.
    for row in rows:
        if row["model"] == person_label and row["pk"] in ids:
            fields = row["fields"]
            contacts = [*(fields.get("emails") or ()), *(fields.get("phones") or ())]
            personal.add(names=[fields.get("full_name")], contacts=contacts)
    for row in rows:
        fields = row["fields"]
        if row["model"] == person_label and row["pk"] in ids:
            fields.update(anonymous_person_fields(row["pk"]), erased_at=erased_at)
        elif row["model"] == Affiliation._meta.label_lower and fields.get("person") in ids:
            # As erasure leaves an affiliation: no title, no admin right, ended.
            fields.update(role="", is_admin=False)
            if fields.get("end_date") is None:
                start = fields.get("start_date")
                fields["end_date"] = _ended(
                    dt.date.fromisoformat(start) if start else None, today
                ).isoformat()
        elif row["model"] in _snapshot_row_erasers and _refers_to(row, ids):
            # An app's row of theirs that the merge set aside (a registration, a calendar).
            _snapshot_row_erasers[row["model"]](fields, erasure)
    if (
        record.kind == RecordKind.PERSON
        and record.merged_id in ids
        and record.survivor_id not in ids
    ):
        # An undone merge of the erased person into someone else: what the other person took
        # over from them goes (the merged row itself is anonymised above).
        survivor_before, survivor_after = snapshot["survivor_before"], snapshot["survivor_after"]
        for name in anonymous_person_fields(record.survivor_id):
            survivor_after["fields"][name] = survivor_before["fields"].get(name)
    if record.kind == RecordKind.PERSON:
        snapshot_recount_changes(snapshot)
    return json.dumps(snapshot, sort_keys=True) != before


def _erase_from_merges(
    ids: set[int], personal: _Personal, today: dt.date, erased_at: dt.datetime, erasure: Erasure
) -> list[MergeRecord]:
    """Anonymise the erased person in every merge snapshot; returns the merges changed."""
    changed = [
        record
        for record in _merge_records_holding(ids)
        if _erase_from_snapshot(record, ids, personal, today, erased_at.isoformat(), erasure)
    ]
    MergeRecord.objects.bulk_update(changed, ["snapshot"])
    return changed


def _without(value: Any, pattern: re.Pattern[str] | None) -> Any:
    """``value`` (audit data) with whatever ``pattern`` finds replaced by ``ERASED_VALUE``."""
    if pattern is None:
        return value
    if isinstance(value, dict):
        return {key: _without(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_without(item, pattern) for item in value]
    if isinstance(value, str):
        return pattern.sub(ERASED_VALUE, value)
    return value


def _erase_from_audit(
    ids: set[int], user: User | None, personal: _Personal, merges: list[MergeRecord]
) -> None:
    """Entries about the person (or their account) lose their names and contacts; entries
    about an affiliation of theirs lose its title; entries about a merge with someone else
    name that other person as they are now (not as the merge left them, perhaps with the
    erased person's name); and no entry keeps their e-mail addresses or phone numbers."""
    person_type = ContentType.objects.get_for_model(Person)
    user_type = ContentType.objects.get_for_model(User)
    about_ids = {str(pk) for pk in ids}
    about = Q(content_type=person_type, object_id__in=sorted(about_ids))
    if user is not None:
        about |= Q(content_type=user_type, object_id=str(user.pk))
    merge_ids = sorted(record.pk for record in merges if record.kind == RecordKind.PERSON)
    wanted = about | Q(data__person__in=sorted(ids)) | Q(data__merge__in=merge_ids)
    for contact in sorted(personal.contacts):
        # A scan of the audit log (no index serves it): erasure is rare, and thorough.
        wanted |= Q(data__icontains=contact)
    about_pattern, other_pattern = personal.pattern(names=True), personal.pattern(names=False)
    changed = []
    for entry in AuditEntry.objects.filter(wanted).iterator(chunk_size=500):
        repr_before, data_before = entry.object_repr, json.dumps(entry.data, sort_keys=True)
        about_person = entry.content_type_id == person_type.pk and entry.object_id in about_ids
        about_user = user is not None and entry.object_id == str(user.pk)
        about_user = about_user and entry.content_type_id == user_type.pk
        if about_person:
            entry.object_repr = ERASED_NAME.format(pk=entry.object_id)
        elif about_user:
            entry.object_repr = str(user)[:200]
        elif entry.content_type_id == person_type.pk and entry.object_repr in personal.names:
            other = Person.objects.filter(pk=entry.object_id).first()
            entry.object_repr = str(other)[:200] if other else ERASED_VALUE
        is_about = about_person or about_user
        data = _without(entry.data, about_pattern if is_about else other_pattern)
        if isinstance(data, dict) and data.get("person") in ids and data.get("role"):
            data["role"] = ""
        entry.data = data
        if entry.object_repr != repr_before or json.dumps(data, sort_keys=True) != data_before:
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["object_repr", "data"], batch_size=500)


def _imports_naming(ids: set[int]) -> list[int]:
    """Applied imports that created or linked one of the people ``ids`` from a row of their
    kept file (the file keeps what was received, the person's contact details included)."""
    found = []
    applied = ImportBatch.objects.filter(status=ImportStatus.APPLIED).order_by("pk")
    for pk, report in applied.values_list("pk", "report").iterator(chunk_size=20):
        if any(isinstance(row, dict) and row.get("person_id") in ids for row in report or ()):
            found.append(pk)
    return found


def _close_account(user: User, *, actor: Any) -> None:
    """The person's login stops working and keeps nothing personal: no name, no address
    (replaced by an undeliverable one), no password, roles, tokens or authenticators."""
    for role in sorted(user.staff_roles):
        role_revoke(user=user, role=Role(role), actor=actor)
    user.email = f"silinmis-{user.pk}@kaynak.invalid"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.api_tokens.all().delete()


@transaction.atomic
def person_erase(*, person: Person, actor: Any) -> Person:
    """Anonymise ``person`` for good (KVKK art. 7, GDPR art. 17), wherever Kaynak keeps their
    data: the record, the records merged into it, merge snapshots, what the apps above the
    directory keep (their erasure steps) and the audit log. Their service deliveries stay, now
    anonymous, so that reported figures do not change."""
    _discover_privacy_modules()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise AlreadyErased(_("This person's data has already been erased."))
    user = person.user
    ids = _merged_into(person)
    personal = _Personal()
    personal.add(names=[person.full_name], contacts=[*person.emails, *person.phones])
    if user is not None:
        personal.add(
            names=[user.full_name],
            contacts=[
                user.email,
                *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
            ],
        )
    for name, value in anonymous_person_fields(person.pk).items():
        setattr(person, name, value)
    person.erased_at = timezone.now()
    person.save()
    # A role title at a small organisation can point to one person: it goes too. The rows
    # stay (ended), so the organisation's history keeps its shape.
    today = timezone.localdate()
    for affiliation in person.affiliations.all():
        affiliation.role = ""
        affiliation.is_admin = False
        if affiliation.end_date is None:
            affiliation.end_date = _ended(affiliation.start_date, today)
        affiliation.save(update_fields=["role", "is_admin", "end_date"])
    # Whatever was consented to is withdrawn, so no list sends them anything again.
    withdraw_every_consent(person=person, actor=actor)
    erasure = Erasure(person=person, ids=frozenset(ids), actor=actor, _personal=personal)
    merges = _erase_from_merges(ids, personal, today, person.erased_at, erasure)
    # The apps' steps come before the audit log is cleaned: what they find that identifies the
    # person (an address they registered with) goes from the log too, and so do their names in
    # the entries the steps write.
    steps = _run_erasure_steps(erasure)
    if user is not None:
        _close_account(user, actor=actor)
    _erase_from_audit(ids, user, personal, merges)
    log_action(
        "kaynak.directory.person.erased",
        actor=actor,
        target=person,
        data={
            "account_closed": user is not None,
            "merges_anonymised": len(merges),
            # Their kept files still hold the person's data as received (docs/privacy.md).
            "imports_with_kept_file": _imports_naming(ids),
            **steps,
        },
    )
    return person

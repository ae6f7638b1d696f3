"""Merging two records that are one (organisations or people), and undoing a merge exactly."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import batched
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.directory.merging.references import colliding_rows, concrete_field, references_to
from kaynak.directory.merging.snapshots import (
    MergeError,
    Serialized,
    deserialize,
    move_back,
    moved_reference,
    remove,
    restore,
    serialize,
)
from kaynak.directory.models import (
    CandidateStatus,
    DuplicateCandidate,
    MergeRecord,
    Organisation,
    Person,
    RecordKind,
)
from kaynak.directory.normalize import organisation_search_text, person_search_text
from kaynak.directory.services import ORGANISATION_FIELDS, PERSON_FIELDS

SNAPSHOT_VERSION = 1
LIST_FIELDS = frozenset({"emails", "phones"})
DICT_FIELDS = frozenset({"social_links"})

Record = Organisation | Person


class Choice(StrEnum):
    """Whose value the survivor keeps for a field; ``both`` combines e-mails, phones and
    social links."""

    SURVIVOR = "survivor"
    MERGED = "merged"
    BOTH = "both"


@dataclass(frozen=True)
class _Kind:
    kind: RecordKind
    model: type[Record]
    fields: frozenset[str]
    audit: str
    # People are personal data: their audit entries name fields, never values.
    personal: bool

    def search_text(self, record: Record) -> str:
        if isinstance(record, Organisation):
            return organisation_search_text(record.name, record.short_name)
        return person_search_text(record.full_name)

    def concrete_values(self, serialized: Serialized) -> dict[str, Any]:
        names = {f.name for f in self.model._meta.concrete_fields if not f.primary_key}
        return {name: value for name, value in serialized["fields"].items() if name in names}

    @property
    def auto_now(self) -> list[str]:
        return [f.name for f in self.model._meta.concrete_fields if getattr(f, "auto_now", False)]


KINDS = {
    RecordKind.ORGANISATION: _Kind(
        RecordKind.ORGANISATION,
        Organisation,
        ORGANISATION_FIELDS,
        "kaynak.directory.organisation",
        personal=False,
    ),
    # Who logs in as the person is not a choice: the one user account follows the survivor.
    RecordKind.PERSON: _Kind(
        RecordKind.PERSON,
        Person,
        PERSON_FIELDS - {"user"},
        "kaynak.directory.person",
        personal=True,
    ),
}


def choosable_fields(kind: RecordKind) -> frozenset[str]:
    """The fields whose value staff choose when merging records of ``kind``."""
    return KINDS[kind].fields


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def default_choice(field: str, survivor: models.Model, merged: models.Model) -> Choice:
    """What a merge keeps when not told: e-mails, phones and social links combined; otherwise
    the survivor's value, unless it is empty and the merged record has one."""
    if field in LIST_FIELDS | DICT_FIELDS:
        return Choice.BOTH
    attname = concrete_field(type(survivor), field).attname
    if _is_empty(getattr(survivor, attname)) and not _is_empty(getattr(merged, attname)):
        return Choice.MERGED
    return Choice.SURVIVOR


def _apply_choices(
    spec: _Kind, survivor: Record, merged: Record, values: dict[str, str]
) -> dict[str, Choice]:
    unknown = set(values) - spec.fields
    if unknown:
        raise TypeError(f"Fields that cannot be chosen: {', '.join(sorted(unknown))}")
    chosen: dict[str, Choice] = {}
    for field in sorted(spec.fields):
        choice = (
            Choice(values[field]) if field in values else default_choice(field, survivor, merged)
        )
        attname = concrete_field(spec.model, field).attname
        ours, theirs = getattr(survivor, attname), getattr(merged, attname)
        if choice is Choice.MERGED:
            setattr(survivor, attname, theirs)
        elif choice is Choice.BOTH and field in LIST_FIELDS:
            setattr(survivor, attname, list(dict.fromkeys([*ours, *theirs])))
        elif choice is Choice.BOTH and field in DICT_FIELDS:
            setattr(survivor, attname, {**theirs, **ours})
        elif choice is Choice.BOTH:
            raise ValueError(f"{field} cannot combine both values")
        chosen[field] = choice
    if isinstance(survivor, Person) and isinstance(merged, Person):
        survivor.user_id = survivor.user_id or merged.user_id
    survivor.search_text = spec.search_text(survivor)
    try:
        survivor.full_clean(exclude=["emails", "phones", "social_links", "user"])
    except ValidationError as exc:
        raise MergeError(" ".join(exc.messages)) from exc
    return chosen


def _refuse(spec: _Kind, survivor: Record, merged: Record) -> None:
    for field in spec.model._meta.concrete_fields:
        if (
            isinstance(field, models.ForeignKey)
            and field.remote_field.model is spec.model
            and (
                getattr(merged, field.attname) == survivor.pk
                or getattr(survivor, field.attname) == merged.pk
            )
        ):
            raise MergeError(
                _(
                    "These records are linked to each other (a branch and its parent "
                    "organisation): they are two and cannot be merged."
                )
            )
    if not (isinstance(survivor, Person) and isinstance(merged, Person)):
        return
    if survivor.erased_at or merged.erased_at:
        raise MergeError(_("An erased person cannot be merged: their data was anonymised."))
    if survivor.user_id and merged.user_id and survivor.user_id != merged.user_id:
        raise MergeError(
            _(
                "Both people have a user account of their own. Only one person may keep a "
                "user account, so they cannot be merged."
            )
        )


def _move_references(
    spec: _Kind, survivor: Record, merged: Record
) -> tuple[list[Serialized], list[Serialized], list[Serialized]]:
    """Move every row referring to ``merged`` to ``survivor``; a row the survivor already has
    (by a unique constraint) is deleted instead. Returns (moved, set aside, nulled)."""
    moved: list[Serialized] = []
    set_aside: list[Serialized] = []
    nulled: list[Serialized] = []
    for reference in references_to(spec.model):
        old, new = reference.value_for(merged), reference.value_for(survivor)
        clashing = colliding_rows(reference, old, new)
        if clashing:
            rows = reference.model._base_manager.filter(pk__in=clashing)
            deleted, cleared = remove(list(rows))
            set_aside += deleted
            nulled += cleared
        pks = list(reference.rows(old).values_list("pk", flat=True))
        for chunk in batched(pks, 500):
            reference.model._base_manager.filter(pk__in=chunk).update(**{reference.column: new})
        # A moved primary key (a one-to-one primary key) gives the row a new pk.
        moved += [
            moved_reference(
                reference.model,
                new if reference.moves_primary_key else pk,
                reference.column,
                old,
                new,
            )
            for pk in pks
        ]
    return moved, set_aside, nulled


def _merge(
    spec: _Kind, survivor: Record, merged: Record, values: dict[str, str], actor: Any
) -> MergeRecord:
    if survivor.pk == merged.pk:
        raise MergeError(_("A record cannot be merged with itself."))
    # Both rows locked (in pk order, so that two merges cannot deadlock). On PostgreSQL the
    # lock on the merged row also holds back anyone adding a row that refers to it until we
    # commit; then their foreign key finds it gone.
    locked = spec.model._base_manager.select_for_update().filter(pk__in=[survivor.pk, merged.pk])
    rows = {row.pk: row for row in locked.order_by("pk")}
    if len(rows) != 2:
        raise MergeError(
            _("One of the two records no longer exists; perhaps someone merged it just now.")
        )
    survivor, merged = rows[survivor.pk], rows[merged.pk]
    _refuse(spec, survivor, merged)
    merged_pk = merged.pk
    before = serialize([survivor])[0]
    merged_as_it_was = serialize([merged], with_m2m=True)[0]  # for people to read
    chosen = _apply_choices(spec, survivor, merged, values)
    moved, set_aside, nulled = _move_references(spec, survivor, merged)
    # Nothing refers to the merged row any more; anything its deletion still finds is kept.
    merged_rows, cleared = remove([merged])
    survivor.save()
    after = serialize([survivor])[0]
    old_values, new_values = spec.concrete_values(before), spec.concrete_values(after)
    changes = {
        name: [old_values[name], value]
        for name, value in new_values.items()
        if value != old_values[name] and name not in spec.auto_now
    }
    candidate = (
        DuplicateCandidate.objects.select_for_update()
        .filter(
            kind=spec.kind,
            left_id=min(survivor.pk, merged_pk),
            right_id=max(survivor.pk, merged_pk),
        )
        .first()
    )
    record = MergeRecord.objects.create(
        kind=spec.kind,
        survivor_id=survivor.pk,
        merged_id=merged_pk,
        merged_by=_actor(actor),
        snapshot={
            "version": SNAPSHOT_VERSION,
            "merged": merged_as_it_was,
            "survivor_before": before,
            "survivor_after": after,
            "changes": changes,
            "choices": {field: str(choice) for field, choice in chosen.items()},
            "moved": moved,
            "nulled": nulled + cleared,
            # Rows to insert again on undo, in this order: the merged record, the rows set aside.
            "restore": merged_rows + set_aside,
            "candidate": serialize([candidate]) if candidate else [],
        },
    )
    if candidate is not None:
        candidate.status = CandidateStatus.MERGED
        candidate.decided_at = timezone.now()
        candidate.decided_by = _actor(actor)
        candidate.save(update_fields=["status", "decided_at", "decided_by"])
    data: dict[str, Any] = {
        "merged_id": merged_pk,
        "merge": record.pk,
        "moved": len(moved),
        "set_aside": len(set_aside),
        "changed": sorted(changes),
    }
    if not spec.personal:
        data["merged_name"] = str(merged_as_it_was["fields"].get("name", ""))
    log_action(f"{spec.audit}.merged", actor=actor, target=survivor, data=data)
    return record


def _atomically_merge(
    spec: _Kind, survivor: Record, merged: Record, values: dict[str, str], actor: Any
) -> MergeRecord:
    try:
        # A savepoint: a refused merge leaves the caller's transaction usable.
        with transaction.atomic():
            record = _merge(spec, survivor, merged, values, actor)
    except IntegrityError as exc:
        raise MergeError(
            _("The records could not be merged: a rule of the database forbids it (%(rule)s).")
            % {"rule": exc}
        ) from exc
    survivor.refresh_from_db()  # the caller's copy shows the values the merge chose
    return record


@transaction.atomic
def organisation_merge(
    *, survivor: Organisation, merged: Organisation, values: dict[str, str], actor: Any
) -> MergeRecord:
    """Merge ``merged`` into ``survivor``: the chosen values, every reference and delivery move
    to the survivor and the merged row is deleted, recorded for undo."""
    return _atomically_merge(KINDS[RecordKind.ORGANISATION], survivor, merged, values, actor)


@transaction.atomic
def person_merge(
    *, survivor: Person, merged: Person, values: dict[str, str], actor: Any
) -> MergeRecord:
    """Merge the person ``merged`` into ``survivor`` (affiliations, consents, deliveries and the
    user account follow); refused when both have a user account of their own."""
    return _atomically_merge(KINDS[RecordKind.PERSON], survivor, merged, values, actor)


def snapshot_rows(snapshot: dict[str, Any]) -> list[Serialized]:
    """Every row a merge's snapshot holds, to be edited in place (erasure anonymises a person
    in them): the merged record as it was, the survivor before and after, the rows undo would
    insert again, and the duplicate candidate."""
    return [
        snapshot["merged"],
        snapshot["survivor_before"],
        snapshot["survivor_after"],
        *snapshot["restore"],
        *snapshot["candidate"],
    ]


def snapshot_recount_changes(snapshot: dict[str, Any]) -> None:
    """The survivor's changes again, after its rows in ``snapshot`` were edited: a field whose
    value is now the same before and after the merge (both anonymised) changed nothing, and
    undo leaves it alone."""
    before = snapshot["survivor_before"]["fields"]
    after = snapshot["survivor_after"]["fields"]
    snapshot["changes"] = {
        name: [before.get(name), after.get(name)]
        for name in snapshot["changes"]
        if before.get(name) != after.get(name)
    }


def _refuse_undo(record: MergeRecord, spec: _Kind, survivor: Record | None) -> Record:
    if record.undone_at is not None:
        raise MergeError(_("This merge has already been undone."))
    later = MergeRecord.objects.filter(kind=record.kind, undone_at__isnull=True, pk__gt=record.pk)
    if survivor is None:
        if later.filter(merged_id=record.survivor_id).exists():
            raise MergeError(
                _("The kept record has since been merged into another one. Undo that merge first.")
            )
        raise MergeError(_("The kept record no longer exists, so the merge cannot be undone."))
    if later.filter(survivor_id=record.survivor_id).exists():
        raise MergeError(
            _("Another record has been merged into the kept one since. Undo that merge first.")
        )
    if spec.model._base_manager.filter(pk=record.merged_id).exists():
        raise MergeError(_("The merged record exists again; the merge cannot be undone."))
    if record.snapshot.get("version") != SNAPSHOT_VERSION:
        raise MergeError(_("This merge was recorded by another version and cannot be undone."))
    return survivor


def _restore_survivor(spec: _Kind, survivor: Record, snapshot: dict[str, Any]) -> None:
    """Give the survivor its values from before the merge, unless someone changed one of them
    since (then undo would silently lose that change: refuse)."""
    now = spec.concrete_values(serialize([survivor])[0])
    changed_since = [
        concrete_field(spec.model, name)
        for name, (_before, after) in snapshot["changes"].items()
        if now.get(name) != after
    ]
    if changed_since:
        raise MergeError(
            _(
                "The kept record was changed after the merge (%(fields)s); undoing the merge "
                "would lose those changes."
            )
            % {"fields": ", ".join(str(f.verbose_name) for f in changed_since if f.editable)}
        )
    previous = deserialize([snapshot["survivor_before"]])[0].object
    names = list(snapshot["changes"])
    after = spec.concrete_values(snapshot["survivor_after"])
    if all(now.get(name) == after.get(name) for name in spec.auto_now):
        names += spec.auto_now  # unchanged since the merge: the old timestamp is the true one
    updates = {
        field.attname: getattr(previous, field.attname)
        for field in (concrete_field(spec.model, name) for name in names)
    }
    if updates:
        spec.model._base_manager.filter(pk=survivor.pk).update(**updates)


def _withdraw_consents_of_erased(rows: list[Serialized], actor: Any) -> None:
    """A person erased after the merge comes back anonymised (erasure rewrote the snapshot),
    and with their consent records moved back: whatever those still grant is withdrawn, as
    erasure withdrew it."""
    # Imported here: the privacy module imports this one to anonymise snapshots.
    from kaynak.directory.privacy import withdraw_every_consent

    erased = [
        row["pk"]
        for row in rows
        if row["model"] == Person._meta.label_lower and row["fields"].get("erased_at")
    ]
    for person in Person.objects.filter(pk__in=erased).order_by("pk"):
        withdraw_every_consent(person=person, actor=actor)


def _undo(record: MergeRecord, actor: Any) -> MergeRecord:
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    spec = KINDS[RecordKind(record.kind)]
    found = spec.model._base_manager.select_for_update().filter(pk=record.survivor_id).first()
    survivor = _refuse_undo(record, spec, found)
    snapshot = record.snapshot
    # The survivor's previous values first: a unique value it took over (a person's user
    # account) must be free before the merged record takes it back.
    _restore_survivor(spec, survivor, snapshot)
    restore(snapshot["restore"])
    not_restored = move_back(snapshot["moved"]) + move_back(snapshot["nulled"])
    _withdraw_consents_of_erased(snapshot["restore"], actor)
    for candidate in deserialize(snapshot["candidate"]):
        candidate.save(save_m2m=False)
    record.undone_at = timezone.now()
    record.undone_by = _actor(actor)
    record.save(update_fields=["undone_at", "undone_by"])
    log_action(
        f"{spec.audit}.merge_undone",
        actor=actor,
        target=survivor,
        data={"merged_id": record.merged_id, "merge": record.pk, "not_restored": not_restored},
    )
    return record


@transaction.atomic
def merge_undo(*, record: MergeRecord, actor: Any) -> MergeRecord:
    """Undo a merge exactly: the merged record back under its pk, every reference back where
    it was, the survivor's previous values, the rows set aside re-created. Refused
    (``MergeError``) when later changes make that unsafe."""
    try:
        with transaction.atomic():
            return _undo(record, actor)
    except IntegrityError as exc:
        raise MergeError(
            _("The merge cannot be undone: changes made since conflict with it (%(rule)s).")
            % {"rule": exc}
        ) from exc

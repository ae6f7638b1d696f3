"""The import itself: the uploaded file kept, its columns mapped, and the all-or-nothing service
that applies its plan (``planning``).

Speed matters (thousands of rows a second), so the rows are written in bulk (``writing``), a
few queries for the whole file whatever its length rather than a few per row, with the same
cleaning the one-at-a-time services do (``kaynak.directory.services``); known people are looked
up once for all rows. Each organisation, person and affiliation still gets its own audit entry,
naming the import it came from, so an object's history says where it came from.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.text import search_key
from kaynak.directory import resolution
from kaynak.directory.importing.mapping import clean_mapping, guess_mapping
from kaynak.directory.importing.planning import (
    ImportPlan,
    PlannedRow,
    RowStatus,
    in_chunks,
    plan_import,
)
from kaynak.directory.importing.reading import Sheet, read_sheet
from kaynak.directory.importing.validation import CleanRow, RowProblem
from kaynak.directory.importing.writing import insert_rows, log_actions
from kaynak.directory.models import (
    Affiliation,
    ImportBatch,
    ImportStatus,
    Organisation,
    Person,
)
from kaynak.directory.normalize import (
    email_domain,
    is_organisation_domain,
    organisation_search_text,
    person_search_text,
)
from kaynak.directory.resolution import people as people_resolution


class ImportNotPossible(KaynakError):
    code = "import_not_possible"


# --- Uploading and mapping -----------------------------------------------------------------


@transaction.atomic
def import_batch_create(*, data: bytes, filename: str, actor: Any) -> ImportBatch:
    """Keep an uploaded spreadsheet as an import to preview; ``UnreadableFile`` if it is none."""
    sheet = read_sheet(data, filename)
    batch = ImportBatch(
        original_name=filename[:255],
        encoding=sheet.encoding,
        column_mapping=guess_mapping(sheet.headers),
        rows_total=len(sheet.rows),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Stored under a random name: the file holds personal data, and its own name is guessable.
    stored_name = f"{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"
    batch.original_file.save(stored_name, ContentFile(data), save=False)
    batch.save()
    log_action(
        "kaynak.directory.import.uploaded",
        actor=actor,
        target=batch,
        data={"rows": batch.rows_total, "encoding": batch.encoding},
    )
    return batch


def batch_sheet(batch: ImportBatch) -> Sheet:
    """The kept file of an import, read again."""
    with batch.original_file.open("rb") as file:
        data = file.read()
    return read_sheet(data, batch.original_name)


def batch_mapping(batch: ImportBatch, sheet: Sheet) -> dict[str, int]:
    return clean_mapping(batch.column_mapping, len(sheet.headers))


@transaction.atomic
def import_batch_set_mapping(
    *, batch: ImportBatch, mapping: Mapping[str, int], actor: Any
) -> ImportBatch:
    """Change which column holds which field, before the import is applied."""
    if batch.status == ImportStatus.APPLIED:
        raise ImportNotPossible(gettext_lazy("This import was applied already."))
    new = dict(mapping)
    if new != batch.column_mapping:
        log_action(
            "kaynak.directory.import.mapped",
            actor=actor,
            target=batch,
            data={"before": batch.column_mapping, "after": new},
        )
        batch.column_mapping = new
        batch.status = ImportStatus.PREVIEWED
        batch.save(update_fields=["column_mapping", "status"])
    return batch


# --- Applying ------------------------------------------------------------------------------


def _best_name(names: Sequence[str]) -> str:
    """The fullest spelling among a cluster's names: with Turkish letters rather than
    ASCII-folded, not all capitals, then the longest ("Ege Çevre ve Doğa Koruma Derneği" over
    "EGE CEVRE VE DOGA KORUMA DERNEGI" and "Ege Çevre Der.")."""
    ranked = enumerate(names)
    return max(
        ranked,
        key=lambda item: (not item[1].isascii(), not item[1].isupper(), len(item[1]), -item[0]),
    )[1]


def _organisation_contacts(row: CleanRow) -> tuple[list[str], list[str]]:
    """The e-mails and phones of a row that belong to the organisation. With a contact person
    they are that person's, except an address at the organisation's own domain."""
    if not row.contact_name:
        return list(row.emails), list(row.phones)
    return [e for e in row.emails if is_organisation_domain(email_domain(e))], []


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


@dataclass
class _PersonToWrite:
    full_name: str
    search_text: str
    emails: list[str]
    phones: list[str]
    organisation_ids: set[int]
    person_id: int | None = None
    created: bool = False


def _people_of_rows(plan: ImportPlan) -> dict[int, int]:
    """``{row number: person number}`` for the rows with a contact person. Rows are one person
    when the folded name is the same and so is the organisation, an e-mail or a phone (two
    "Ayşe Yılmaz" at two organisations, with nothing else in common, may be two people)."""
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def root(key: tuple[str, ...]) -> tuple[str, ...]:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    first_key: dict[int, tuple[str, ...]] = {}
    for planned in plan.rows:
        row = planned.row
        if not row.contact_name:
            continue
        name = search_key(row.contact_name)
        keys = [("organisation", name, planned.cluster)]
        keys += [("contact", name, contact) for contact in (*row.emails, *row.phones)]
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
        first_key[row.number] = root(keys[0])
    numbers: dict[tuple[str, ...], int] = {}
    return {row: numbers.setdefault(root(key), len(numbers)) for row, key in first_key.items()}


def _known_people(people: Sequence[_PersonToWrite]) -> None:
    """Find the people already in the directory: the same folded name with a shared e-mail or
    phone, or already working at the organisation; then whom the resolver is sure of."""
    names = sorted({p.search_text for p in people})
    known: dict[str, list[tuple[int, set[str]]]] = {}
    for chunk in in_chunks(names):
        for pk, text, emails, phones in (
            Person.objects.filter(search_text__in=chunk, erased_at__isnull=True)
            .order_by("pk")
            .values_list("pk", "search_text", "emails", "phones")
        ):
            known.setdefault(text, []).append((pk, {*(emails or []), *(phones or [])}))
    workplaces: dict[int, list[int]] = {}
    candidate_ids = [pk for entries in known.values() for pk, _contacts in entries]
    for ids in in_chunks(candidate_ids):
        for person_id, organisation_id in Affiliation.objects.filter(
            person_id__in=ids, end_date__isnull=True
        ).values_list("person_id", "organisation_id"):
            workplaces.setdefault(person_id, []).append(organisation_id)
    # The first namesake (by id) with each e-mail or phone, and working at each organisation:
    # a look-up per person, however many namesakes a common name has.
    by_contact: dict[tuple[str, str], int] = {}
    by_workplace: dict[tuple[str, int], int] = {}
    for text, entries in known.items():
        for pk, contacts in reversed(entries):
            by_contact.update(((text, contact), pk) for contact in contacts)
            by_workplace.update(((text, org), pk) for org in workplaces.get(pk, ()))
    unresolved: list[_PersonToWrite] = []
    for person in people:
        text = person.search_text
        found = [by_contact.get((text, contact)) for contact in (*person.emails, *person.phones)]
        found += [by_workplace.get((text, org)) for org in person.organisation_ids]
        person.person_id = min((pk for pk in found if pk is not None), default=None)
        if person.person_id is None:
            unresolved.append(person)
    if not unresolved or not Person.objects.exists():
        return
    same = people_resolution.same_person_of_each(
        [
            resolution.PersonRecord(
                full_name=person.full_name,
                email=person.emails[0] if person.emails else "",
                phone=person.phones[0] if person.phones else "",
            )
            for person in unresolved
        ]
    )
    for person, same_as in zip(unresolved, same, strict=True):
        person.person_id = same_as


_ORGANISATION_FIELDS = ("name", "province_id", "district", "emails", "phones", "search_text")


def _new_organisations(plan: ImportPlan) -> dict[str, tuple[int, str]]:
    """Create one organisation per new cluster: ``{cluster: (id, name)}``."""
    clusters: dict[str, list[CleanRow]] = {}
    for planned in plan.rows:
        if planned.organisation_id is None:
            clusters.setdefault(planned.cluster, []).append(planned.row)
    values: list[tuple[Any, ...]] = []
    for rows in clusters.values():
        name = _best_name([row.name for row in rows])
        province = next((row.province for row in rows if row.province), None)
        district = next((r.district for r in rows if r.district and r.province == province), "")
        emails: list[str] = []
        phones: list[str] = []
        for row in rows:
            row_emails, row_phones = _organisation_contacts(row)
            emails += row_emails
            phones += row_phones
        values.append(
            (
                name,
                province,
                district,
                _unique(emails),
                _unique(phones),
                organisation_search_text(name),
            )
        )
    ids = insert_rows(Organisation, fields=_ORGANISATION_FIELDS, rows=values)
    return {
        cluster: (pk, value[0]) for cluster, pk, value in zip(clusters, ids, values, strict=True)
    }


def _write(batch: ImportBatch, plan: ImportPlan, actor: Any) -> list[dict[str, Any]]:
    """Create the new organisations, people and affiliations of a plan without problems; the
    row-by-row report."""
    source = {"import": batch.pk}
    new_organisations = _new_organisations(plan)
    # Each row's organisation: the known one, or the one created for its cluster.
    organisation_of_row = {
        planned.row.number: planned.organisation_id
        if planned.organisation_id is not None
        else new_organisations[planned.cluster][0]
        for planned in plan.rows
    }

    person_of_row = _people_of_rows(plan)
    people: dict[int, _PersonToWrite] = {}
    for planned in plan.rows:
        row = planned.row
        if row.number not in person_of_row:
            continue
        person = people.get(person_of_row[row.number])
        if person is None:
            person = people[person_of_row[row.number]] = _PersonToWrite(
                row.contact_name, person_search_text(row.contact_name), [], [], set()
            )
        person.emails = _unique([*person.emails, *row.emails])
        person.phones = _unique([*person.phones, *row.phones])
        person.organisation_ids.add(organisation_of_row[row.number])
    _known_people(list(people.values()))
    new_people = [person for person in people.values() if person.person_id is None]
    new_person_ids = insert_rows(
        Person,
        fields=("full_name", "emails", "phones", "search_text"),
        rows=[(p.full_name, p.emails, p.phones, p.search_text) for p in new_people],
    )
    for person, pk in zip(new_people, new_person_ids, strict=True):
        person.person_id, person.created = pk, True

    pairs: dict[tuple[int, int], None] = {}
    for planned in plan.rows:
        number = planned.row.number
        if number in person_of_row:
            person_id = people[person_of_row[number]].person_id
            assert person_id is not None
            pairs[(person_id, organisation_of_row[number])] = None
    existing_pairs: set[tuple[int, int]] = set()
    known_person_ids = sorted({pid for pid, _org in pairs} - set(new_person_ids))
    for chunk in in_chunks(known_person_ids):
        existing_pairs.update(
            Affiliation.objects.filter(person_id__in=chunk, end_date__isnull=True).values_list(
                "person_id", "organisation_id"
            )
        )
    new_affiliations = [pair for pair in pairs if pair not in existing_pairs]
    insert_rows(Affiliation, fields=("person_id", "organisation_id"), rows=new_affiliations)
    names = {p.organisation_id: p.organisation_name for p in plan.rows if p.organisation_id}
    names.update(new_organisations.values())

    log_actions(
        "kaynak.directory.organisation.created",
        actor=actor,
        model=Organisation,
        entries=((pk, name, source) for pk, name in new_organisations.values()),
    )
    log_actions(
        "kaynak.directory.person.created",
        actor=actor,
        model=Person,
        entries=((p.person_id, p.full_name, source) for p in new_people),
    )
    # As affiliation_create() records it: on the organisation's history, naming the person.
    log_actions(
        "kaynak.directory.affiliation.created",
        actor=actor,
        model=Organisation,
        entries=(
            (
                organisation_id,
                names[organisation_id],
                {"person": person_id, "role": "", "is_admin": False, **source},
            )
            for person_id, organisation_id in new_affiliations
        ),
    )

    report = []
    reported_people: set[int] = set()
    for planned in plan.rows:
        number = planned.row.number
        organisation_id = organisation_of_row[number]
        contact = people[person_of_row[number]] if number in person_of_row else None
        status = planned.status
        report.append(
            {
                **_report_base(planned),
                "status": "created" if status == RowStatus.NEW else "linked",
                "organisation_id": organisation_id,
                "organisation_name": (
                    new_organisations[planned.cluster][1]
                    if planned.organisation_id is None
                    else planned.organisation_name
                ),
                "same_as_row": planned.first_row if status == RowStatus.SAME_AS_ROW else None,
                "person_id": contact.person_id if contact else None,
                # "created" on the first row of a new person; their later rows link to them.
                "person_status": (
                    "created"
                    if contact.created and contact.person_id not in reported_people
                    else "linked"
                )
                if contact
                else None,
            }
        )
        if contact and contact.person_id:
            reported_people.add(contact.person_id)
    return report


def _report_base(planned: PlannedRow) -> dict[str, Any]:
    return {
        "row": planned.row.number,
        "line": planned.row.line,
        "name": planned.row.name,
        "problems": [problem.as_json() for problem in planned.row.problems],
    }


def _failure_report(plan: ImportPlan) -> list[dict[str, Any]]:
    return [
        {**_report_base(planned), "status": "error" if not planned.row.ok else "ready"}
        for planned in plan.rows
    ]


def import_apply(*, batch: ImportBatch, actor: Any) -> ImportBatch:
    """Apply an import, all or nothing: when any row has a problem nothing is written, the
    import is marked failed and its report names the rows to fix. The kept file stays."""
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.status == ImportStatus.APPLIED:
        raise ImportNotPossible(gettext_lazy("This import was applied already."))
    sheet = batch_sheet(batch)
    mapping = batch_mapping(batch, sheet)
    if "organisation" not in mapping:
        raise ImportNotPossible(
            gettext_lazy("Choose the column that holds the organisations' names.")
        )
    # Reading and resolving a large file take seconds and only read, so they happen before
    # the transaction: on SQLite a transaction holds the database's write lock while it lasts.
    plan = plan_import(sheet, mapping)
    return _record(batch=batch, mapping_seen=batch.column_mapping, plan=plan, actor=actor)


@transaction.atomic
def _record(*, batch: ImportBatch, mapping_seen: Any, plan: ImportPlan, actor: Any) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportStatus.APPLIED:
        raise ImportNotPossible(gettext_lazy("This import was applied already."))
    if batch.column_mapping != mapping_seen:
        raise ImportNotPossible(
            gettext_lazy("The columns were changed meanwhile: check the preview again.")
        )
    batch.rows_total = len(plan.rows)
    if not plan.ok:
        batch.status = ImportStatus.FAILED
        batch.report = _failure_report(plan)
        batch.rows_created = batch.rows_linked = 0
        batch.rows_failed = len(plan.rows_to_fix)
        batch.save()
        log_action(
            "kaynak.directory.import.failed",
            actor=actor,
            target=batch,
            data={"rows_to_fix": plan.rows_to_fix},
        )
        return batch
    batch.report = _write(batch, plan, actor)
    batch.status = ImportStatus.APPLIED
    batch.applied_at = timezone.now()
    batch.rows_created = sum(1 for entry in batch.report if entry["status"] == "created")
    batch.rows_linked = len(batch.report) - batch.rows_created
    batch.rows_failed = 0
    batch.save()
    log_action(
        "kaynak.directory.import.applied",
        actor=actor,
        target=batch,
        data={
            "rows": batch.rows_total,
            "organisations_created": batch.rows_created,
            "rows_linked": batch.rows_linked,
            "people_created": sum(1 for e in batch.report if e["person_status"] == "created"),
        },
    )
    return batch


# --- Describing ----------------------------------------------------------------------------


def describe_problems(entry: Mapping[str, Any]) -> list[str]:
    return [RowProblem.from_json(problem).message for problem in entry.get("problems", [])]


def describe_entry(entry: Mapping[str, Any]) -> str:
    """A report row in words, in the active language."""
    status = entry["status"]
    if status == "error":
        return " ".join(describe_problems(entry))
    if status == "ready":
        return _("No problem; nothing was imported because other rows have errors.")
    values = {"id": entry["organisation_id"], "name": entry["organisation_name"]}
    if status == "created":
        text = _("New organisation #%(id)s “%(name)s”.") % values
    elif entry.get("same_as_row"):
        text = _("Same organisation as row %(row)s: #%(id)s “%(name)s”.") % {
            **values,
            "row": entry["same_as_row"],
        }
    else:
        text = _("Linked to #%(id)s “%(name)s”.") % values
    if entry.get("person_status") == "created":
        text += " " + _("New contact person #%(id)s.") % {"id": entry["person_id"]}
    elif entry.get("person_status") == "linked":
        text += " " + _("Contact person linked to #%(id)s.") % {"id": entry["person_id"]}
    return text

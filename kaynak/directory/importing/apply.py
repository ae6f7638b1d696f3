"""The import itself: the uploaded file kept, its columns mapped, and the all-or-nothing service
that applies its plan (``planning``).

Speed matters (thousands of rows a second), so the rows are written in bulk, a few queries for
the whole file rather than a dozen per row, with the same cleaning the one-at-a-time services do
(``kaynak.directory.services``). Each organisation, person and affiliation still gets its own
audit entry, naming the import it came from, so an object's history says where it came from.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.models import AuditEntry
from kaynak.core.text import search_key
from kaynak.directory import resolution
from kaynak.directory.importing.mapping import clean_mapping, guess_mapping
from kaynak.directory.importing.planning import (
    CHUNK,
    ImportPlan,
    PlannedRow,
    RowStatus,
    in_chunks,
    plan_import,
)
from kaynak.directory.importing.reading import Sheet, read_sheet
from kaynak.directory.importing.validation import CleanRow, RowProblem
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
        for pk, text, emails, phones in Person.objects.filter(
            search_text__in=chunk, erased_at__isnull=True
        ).values_list("pk", "search_text", "emails", "phones"):
            known.setdefault(text, []).append((pk, {*(emails or []), *(phones or [])}))
    working_at: set[tuple[int, int]] = set()
    candidate_ids = [pk for entries in known.values() for pk, _contacts in entries]
    for ids in in_chunks(candidate_ids):
        working_at.update(
            Affiliation.objects.filter(person_id__in=ids, end_date__isnull=True).values_list(
                "person_id", "organisation_id"
            )
        )
    has_people = Person.objects.exists()
    for person in people:
        contacts = {*person.emails, *person.phones}
        for pk, their_contacts in known.get(person.search_text, []):
            if contacts & their_contacts or any(
                (pk, org) in working_at for org in person.organisation_ids
            ):
                person.person_id = pk
                break
        if person.person_id is None and has_people:
            candidates = resolution.person_candidates(
                resolution.PersonRecord(
                    full_name=person.full_name,
                    email=person.emails[0] if person.emails else "",
                    phone=person.phones[0] if person.phones else "",
                ),
                limit=1,
            )
            if candidates and candidates[0].score >= resolution.SAME_THRESHOLD:
                person.person_id = candidates[0].id


def _log_actions(
    action: str, actor: Any, model: type[models.Model], entries: Iterable[tuple[Any, str, Any]]
) -> None:
    """Audit entries for many objects of ``model`` at once: ``(pk, repr, data)`` each, as
    ``log_action`` writes them. One INSERT executed for all rows: Django's ``bulk_create``
    spends about 0.1 ms building each row's SQL, a second for the 10,000 entries of an import
    of 5,000 rows."""
    names = ["created_at", "actor", "action", "content_type", "object_id", "object_repr", "data"]
    meta = AuditEntry._meta
    by_name = {field.name: field for field in meta.concrete_fields}
    columns = [by_name[name] for name in names]
    now = by_name["created_at"].get_db_prep_save(timezone.now(), connection)
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    content_type_id = ContentType.objects.get_for_model(model).pk
    prepare_data = by_name["data"].get_db_prep_save
    rows = [
        (
            now,
            user_id,
            action,
            content_type_id,
            str(pk),
            str(text)[:200],
            prepare_data(data, connection),
        )
        for pk, text, data in entries
    ]
    if not rows:
        return
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(str(column.column)) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _write(batch: ImportBatch, plan: ImportPlan, actor: Any) -> list[dict[str, Any]]:
    """Create the new organisations, people and affiliations of a plan without problems; the
    row-by-row report."""
    source = {"import": batch.pk}
    clusters: dict[str, list[PlannedRow]] = {}
    for planned in plan.rows:
        if planned.organisation_id is None:
            clusters.setdefault(planned.cluster, []).append(planned)

    new_organisations: dict[str, Organisation] = {}
    for cluster, members in clusters.items():
        rows = [planned.row for planned in members]
        name = _best_name([row.name for row in rows])
        province = next((row.province for row in rows if row.province), None)
        district = next((r.district for r in rows if r.district and r.province == province), "")
        emails: list[str] = []
        phones: list[str] = []
        for row in rows:
            row_emails, row_phones = _organisation_contacts(row)
            emails += row_emails
            phones += row_phones
        new_organisations[cluster] = Organisation(
            name=name,
            province_id=province,
            district=district,
            emails=_unique(emails),
            phones=_unique(phones),
            search_text=organisation_search_text(name),
        )
    Organisation.objects.bulk_create(new_organisations.values(), batch_size=CHUNK)

    def organisation_of(planned: PlannedRow) -> int:
        if planned.organisation_id is not None:
            return planned.organisation_id
        pk = new_organisations[planned.cluster].pk
        assert pk is not None
        return pk

    person_of_row = _people_of_rows(plan)
    people: dict[int, _PersonToWrite] = {}
    for planned in plan.rows:
        row = planned.row
        if row.number not in person_of_row:
            continue
        person = people.setdefault(
            person_of_row[row.number],
            _PersonToWrite(row.contact_name, person_search_text(row.contact_name), [], [], set()),
        )
        person.emails = _unique([*person.emails, *row.emails])
        person.phones = _unique([*person.phones, *row.phones])
        person.organisation_ids.add(organisation_of(planned))
    _known_people(list(people.values()))
    new_people = {
        key: Person(
            full_name=person.full_name,
            emails=person.emails,
            phones=person.phones,
            search_text=person.search_text,
        )
        for key, person in people.items()
        if person.person_id is None
    }
    Person.objects.bulk_create(new_people.values(), batch_size=CHUNK)
    for key, new_person in new_people.items():
        people[key].person_id, people[key].created = new_person.pk, True

    pairs: dict[tuple[int, int], None] = {}
    for planned in plan.rows:
        if planned.row.number in person_of_row:
            person_id = people[person_of_row[planned.row.number]].person_id
            assert person_id is not None
            pairs[(person_id, organisation_of(planned))] = None
    existing_pairs: set[tuple[int, int]] = set()
    known_person_ids = sorted({pid for pid, _org in pairs} - {p.pk for p in new_people.values()})
    for chunk in in_chunks(known_person_ids):
        existing_pairs.update(
            Affiliation.objects.filter(person_id__in=chunk, end_date__isnull=True).values_list(
                "person_id", "organisation_id"
            )
        )
    new_affiliations = [
        Affiliation(person_id=person_id, organisation_id=organisation_id)
        for person_id, organisation_id in pairs
        if (person_id, organisation_id) not in existing_pairs
    ]
    Affiliation.objects.bulk_create(new_affiliations, batch_size=CHUNK)
    names = {p.organisation_id: p.organisation_name for p in plan.rows if p.organisation_id}
    names.update({o.pk: o.name for o in new_organisations.values() if o.pk is not None})

    _log_actions(
        "kaynak.directory.organisation.created",
        actor,
        Organisation,
        ((o.pk, o.name, source) for o in new_organisations.values()),
    )
    _log_actions(
        "kaynak.directory.person.created",
        actor,
        Person,
        ((p.pk, p.full_name, source) for p in new_people.values()),
    )
    # As affiliation_create() records it: on the organisation's history, naming the person.
    _log_actions(
        "kaynak.directory.affiliation.created",
        actor,
        Organisation,
        (
            (
                a.organisation_id,
                names[a.organisation_id],
                {"person": a.person_id, "role": "", "is_admin": False, **source},
            )
            for a in new_affiliations
        ),
    )

    report = []
    reported_people: set[int] = set()
    for planned in plan.rows:
        organisation_id = organisation_of(planned)
        new = planned.organisation_id is None
        contact = (
            people[person_of_row[planned.row.number]]
            if planned.row.number in person_of_row
            else None
        )
        report.append(
            {
                **_report_base(planned),
                "status": "created" if planned.status == RowStatus.NEW else "linked",
                "organisation_id": organisation_id,
                "organisation_name": (
                    new_organisations[planned.cluster].name if new else planned.organisation_name
                ),
                "same_as_row": planned.first_row
                if planned.status == RowStatus.SAME_AS_ROW
                else None,
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

"""The calls' part of a person's data export and erasure (KVKK/GDPR).

Personal data here: the applications a person made (their answers and files) and the rows
where an application names them (name, e-mail, role). Erasure keeps each application for the
call's history (its status, dates and scores stay true) but takes the erased person's name and
address off the rows that name them, scrubs their names and addresses from the answers, and
deletes the files of the applications they made.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from kaynak.calls.models import Application, ApplicationFile, ApplicationPerson
from kaynak.directory.models import Person
from kaynak.directory.privacy import Erasure, register_erasure_step, register_export_section


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _addresses(person: Person) -> set[str]:
    addresses = {str(email).lower() for email in person.emails if email}
    if person.user is not None and person.user.email:
        addresses.add(person.user.email.lower())
    return addresses


@register_export_section("call_applications")
def calls_section(person: Person) -> dict[str, Any]:
    """The applications they made, and the applications that name them."""
    made = (
        Application.objects.filter(Q(person=person) | Q(user_id=person.user_id or 0))
        .select_related("call", "organisation")
        .prefetch_related("files")
        .order_by("pk")
    )
    named = (
        ApplicationPerson.objects.filter(Q(person=person) | Q(email__in=_addresses(person)))
        .select_related("application__call", "application__organisation")
        .order_by("pk")
    )
    return {
        "applications": [
            {
                "code": application.code,
                "call": application.call.title,
                "organisation": application.organisation.name if application.organisation else None,
                "status": application.status,
                "language": application.language,
                "answers": application.answers,
                "files": [f.original_name for f in application.files.all()],
                "created_at": _iso(application.created_at),
                "submitted_at": _iso(application.submitted_at),
                "withdrawn_at": _iso(application.withdrawn_at),
                "decided_at": _iso(application.decided_at),
                "decision_reason": application.decision_reason,
            }
            for application in made
        ],
        "named_in": [
            {
                "application": row.application.code,
                "call": row.application.call.title,
                "organisation": row.application.organisation.name
                if row.application.organisation
                else None,
                "full_name": row.full_name,
                "email": row.email,
                "role": row.role,
            }
            for row in named
        ],
    }


def _delete_all(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


@register_erasure_step("call_applications")
def erase_calls(erasure: Erasure) -> dict[str, Any]:
    """Anonymise the rows naming them and their answers; delete their applications' files."""
    addresses = {str(contact).lower() for contact in erasure.contacts if "@" in str(contact)}
    rows = list(
        ApplicationPerson.objects.filter(Q(person_id__in=erasure.ids) | Q(email__in=addresses))
    )
    erasure.identified_by(
        names=[row.full_name for row in rows if row.full_name],
        contacts=[row.email for row in rows if row.email],
    )
    for row in rows:
        row.full_name = erasure.person.full_name
        row.email = ""
        row.role = ""
    ApplicationPerson.objects.bulk_update(rows, ["full_name", "email", "role"])
    applications = list(Application.objects.filter(person_id__in=erasure.ids))
    for application in applications:
        application.answers = erasure.scrub(application.answers)
    Application.objects.bulk_update(applications, ["answers"])
    files = list(ApplicationFile.objects.filter(application__in=applications))
    stored_names = [f.file.name for f in files if f.file.name]
    if stored_names:
        storage = files[0].file.storage
        # Deleted once the erasure is committed: a rolled-back erasure keeps the files.
        transaction.on_commit(lambda: _delete_all(storage, stored_names))
    ApplicationFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    if not (rows or applications):
        return {}
    return {"people_named": len(rows), "applications": len(applications), "files": len(files)}

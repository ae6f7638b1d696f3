"""The verbs of the directory. The only writers of organisations, people and affiliations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from kaynak.accounts.models import User
from kaynak.core.audit import log_action
from kaynak.core.models import ApplicantType, Province, Theme
from kaynak.directory.models import (
    Affiliation,
    ConsentPurpose,
    ConsentRecord,
    Organisation,
    Person,
)
from kaynak.directory.normalize import (
    normalize_email,
    normalize_phone,
    organisation_search_text,
    person_search_text,
)

ORGANISATION_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "legal_form",
        "association_registry_no",
        "foundation_registry_no",
        "tax_no",
        "province",
        "district",
        "address",
        "emails",
        "phones",
        "website",
        "social_links",
        "founding_year",
        "size_band",
        "description",
        "public_listing_consent",
        "status",
        "verified",
        "parent",
    }
)
PERSON_FIELDS = frozenset(
    {"full_name", "emails", "phones", "province", "gender", "birth_year", "language", "user"}
)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _clean_contacts(fields: dict[str, Any]) -> None:
    if "emails" in fields:
        fields["emails"] = _unique(normalize_email(e) for e in fields["emails"] if e.strip())
    if "phones" in fields:
        fields["phones"] = _unique(normalize_phone(p) for p in fields["phones"] if p.strip())


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [str(before.get(key)), str(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def organisation_create(
    *, actor: Any, name: str, themes: Iterable[Theme] = (), **fields: Any
) -> Organisation:
    """Create an organisation (callers ask the resolver first whether it already exists)."""
    _check_fields(fields, ORGANISATION_FIELDS)
    _clean_contacts(fields)
    organisation = Organisation(name=name.strip(), **fields)
    organisation.search_text = organisation_search_text(organisation.name, organisation.short_name)
    organisation.full_clean(exclude=["emails", "phones", "social_links"])
    organisation.save()
    organisation.themes.set(list(themes))
    log_action("kaynak.directory.organisation.created", actor=actor, target=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Any, themes: Iterable[Theme] | None = None, **changes: Any
) -> Organisation:
    """Change an organisation's fields; the audit entry lists what changed from what to what."""
    _check_fields(changes, ORGANISATION_FIELDS)
    _clean_contacts(changes)
    before = model_to_dict(organisation, fields=list(changes))
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.search_text = organisation_search_text(organisation.name, organisation.short_name)
    organisation.full_clean(exclude=["emails", "phones", "social_links"])
    organisation.save()
    diff = _changes(before, model_to_dict(organisation, fields=list(changes)))
    if themes is not None:
        old = sorted(organisation.themes.values_list("slug", flat=True))
        organisation.themes.set(list(themes))
        new = sorted(organisation.themes.values_list("slug", flat=True))
        if old != new:
            diff["themes"] = [", ".join(old), ", ".join(new)]
    if diff:
        log_action(
            "kaynak.directory.organisation.changed",
            actor=actor,
            target=organisation,
            data={"changes": diff},
        )
    return organisation


@transaction.atomic
def person_create(*, actor: Any, full_name: str, **fields: Any) -> Person:
    """Create a person (callers ask the resolver first whether they already exist)."""
    _check_fields(fields, PERSON_FIELDS)
    _clean_contacts(fields)
    person = Person(full_name=" ".join(full_name.split()), **fields)
    person.search_text = person_search_text(person.full_name)
    person.full_clean(exclude=["emails", "phones", "user"])
    person.save()
    log_action("kaynak.directory.person.created", actor=actor, target=person)
    return person


@transaction.atomic
def person_update(*, person: Person, actor: Any, **changes: Any) -> Person:
    _check_fields(changes, PERSON_FIELDS)
    _clean_contacts(changes)
    before = model_to_dict(person, fields=list(changes))
    for field, value in changes.items():
        setattr(person, field, value)
    person.full_name = " ".join(person.full_name.split())
    person.search_text = person_search_text(person.full_name)
    person.full_clean(exclude=["emails", "phones", "user"])
    person.save()
    diff = _changes(before, model_to_dict(person, fields=list(changes)))
    if diff:
        # Personal data: the audit entry names the fields, not their values.
        log_action(
            "kaynak.directory.person.changed",
            actor=actor,
            target=person,
            data={"fields": sorted(diff)},
        )
    return person


@transaction.atomic
def affiliation_create(
    *,
    actor: Any,
    person: Person,
    organisation: Organisation,
    role: str = "",
    is_admin: bool = False,
) -> Affiliation:
    """Link a person to an organisation (idempotent for a current affiliation)."""
    affiliation, created = Affiliation.objects.get_or_create(
        person=person,
        organisation=organisation,
        end_date=None,
        defaults={"role": role[:120], "is_admin": is_admin},
    )
    if not created and ((is_admin and not affiliation.is_admin) or (role and not affiliation.role)):
        affiliation.is_admin = affiliation.is_admin or is_admin
        affiliation.role = affiliation.role or role[:120]
        affiliation.save(update_fields=["is_admin", "role"])
    if created:
        log_action(
            "kaynak.directory.affiliation.created",
            actor=actor,
            target=organisation,
            data={"person": person.pk, "role": role, "is_admin": is_admin},
        )
    return affiliation


def consent_record(
    *,
    person: Person,
    purpose: ConsentPurpose,
    granted: bool,
    text_version: str,
    source: str,
    actor: Any = None,
) -> ConsentRecord:
    """Record a consent given or withdrawn, with the version of the text the person saw."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ConsentRecord.objects.create(
        person=person,
        purpose=purpose,
        granted=granted,
        text_version=text_version,
        source=source,
        recorded_by=user,
    )


@transaction.atomic
def affiliation_end(*, affiliation: Affiliation, actor: Any) -> Affiliation:
    """End a current affiliation today (idempotent); past affiliations stay as history."""
    if affiliation.end_date is not None:
        return affiliation
    today = timezone.localdate()
    affiliation.end_date = max(today, affiliation.start_date) if affiliation.start_date else today
    affiliation.save(update_fields=["end_date"])
    log_action(
        "kaynak.directory.affiliation.ended",
        actor=actor,
        target=affiliation.organisation,
        data={"person": affiliation.person_id, "affiliation": affiliation.pk},
    )
    return affiliation


@transaction.atomic
def affiliation_set_admin(*, affiliation: Affiliation, is_admin: bool, actor: Any) -> Affiliation:
    """Give or take the right to act for the organisation (staff confirm a member's claim)."""
    if affiliation.is_admin != is_admin:
        affiliation.is_admin = is_admin
        affiliation.save(update_fields=["is_admin"])
        log_action(
            "kaynak.directory.affiliation.admin_granted"
            if is_admin
            else "kaynak.directory.affiliation.admin_revoked",
            actor=actor,
            target=affiliation.organisation,
            data={"person": affiliation.person_id, "affiliation": affiliation.pk},
        )
    return affiliation


@transaction.atomic
def person_for_user(*, user: User) -> Person:
    """The person record behind a member's account, made from the account the first time."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    return person_create(
        actor=user,
        full_name=user.full_name or user.email.split("@")[0],
        emails=[user.email],
        language=user.language,
        user=user,
    )


@transaction.atomic
def organisation_register(
    *,
    user: User,
    name: str,
    province: Province | None,
    emails: list[str],
    phones: list[str],
    website: str = "",
    legal_form: ApplicantType | None = None,
) -> Organisation:
    """A member registers an organisation the resolver did not know; they become its admin."""
    organisation = organisation_create(
        actor=user,
        name=name,
        province=province,
        emails=emails,
        phones=phones,
        website=website,
        legal_form=legal_form,
    )
    affiliation_create(
        actor=user, person=person_for_user(user=user), organisation=organisation, is_admin=True
    )
    return organisation


@transaction.atomic
def organisation_join(*, user: User, organisation: Organisation) -> Affiliation:
    """A member says they work for a known organisation. Not an admin yet: the claim is
    unproven until staff confirm it (``affiliation_set_admin``)."""
    return affiliation_create(
        actor=user, person=person_for_user(user=user), organisation=organisation, is_admin=False
    )


@transaction.atomic
def organisation_person_add(
    *, organisation: Organisation, full_name: str, email: str, role: str, actor: Any
) -> Affiliation:
    """An organisation's admin (or staff) adds someone who works there."""
    person = person_create(actor=actor, full_name=full_name, emails=[email] if email else [])
    return affiliation_create(actor=actor, person=person, organisation=organisation, role=role)

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
identify anyone); everything else personal goes.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import Role, User
from kaynak.accounts.services import role_revoke
from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.models import AuditEntry
from kaynak.directory.models import ConsentPurpose, ConsentRecord, Person
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


def _discover_sections() -> None:
    """Import every Kaynak app's ``privacy`` module, so that its sections are registered."""
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
    _discover_sections()
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


def _scrub_audit_names(target: Any, new_repr: str) -> None:
    """Older audit entries about the record still carry its name in ``object_repr``."""
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).update(object_repr=new_repr[:200])


@transaction.atomic
def person_erase(*, person: Person, actor: Any) -> Person:
    """Anonymise ``person`` for good (KVKK art. 7, GDPR art. 17); their service deliveries stay,
    now anonymous, so that reported figures do not change."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise AlreadyErased(_("This person's data has already been erased."))
    user = person.user
    person.full_name = ERASED_NAME.format(pk=person.pk)
    person.search_text = person_search_text(person.full_name)
    person.emails = []
    person.phones = []
    person.gender = ""
    person.birth_year = None
    person.user = None
    person.erased_at = timezone.now()
    person.save()
    # A role title at a small organisation can point to one person: it goes too. The rows
    # stay (ended), so the organisation's history keeps its shape.
    today = timezone.localdate()
    for affiliation in person.affiliations.all():
        affiliation.role = ""
        affiliation.is_admin = False
        if affiliation.end_date is None:
            start = affiliation.start_date
            affiliation.end_date = max(today, start) if start else today
        affiliation.save(update_fields=["role", "is_admin", "end_date"])
    # Whatever was consented to is withdrawn, so no list sends them anything again.
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
    _scrub_audit_names(person, person.full_name)
    if user is not None:
        _close_account(user, actor=actor)
        _scrub_audit_names(user, user.email)
    log_action(
        "kaynak.directory.person.erased",
        actor=actor,
        target=person,
        data={"account_closed": user is not None},
    )
    return person

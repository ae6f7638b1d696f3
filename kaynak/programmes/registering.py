"""Registering from the public form: find the person (never a duplicate), the organisation
(through the directory's "is this your organisation?" guard), record the KVKK consent, and
take a seat or a place on the waiting list — all in one transaction, so a refused registration
leaves nothing behind. Also the member's own calendar address (start, renew, stop).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.models import Province
from kaynak.directory import services as directory_services
from kaynak.directory.models import ConsentPurpose, Organisation, Person
from kaynak.directory.resolution import SAME_THRESHOLD, PersonRecord, person_candidates
from kaynak.programmes import services
from kaynak.programmes.models import Activity, CalendarFeed, Registration, calendar_key

# The consent the form asks for. Change the version whenever the text changes: the directory's
# ConsentRecord keeps the version, so it proves what each person agreed to.
CONSENT_TEXT_VERSION = "programmes-registration-2026-1"
CONSENT_TEXT = _(
    "I agree that the center processes my name, contact details and answers to run this "
    "activity, send me its e-mails and report on its work, as the privacy notice (KVKK) says."
)
CONSENT_SOURCE = "programmes.registration"


@dataclass(frozen=True)
class Applicant:
    """The person as typed in the form (e-mail and phone already normalised)."""

    full_name: str
    email: str
    phone: str = ""
    province: Province | None = None
    language: str = "tr"


@dataclass(frozen=True)
class OrganisationDecision:
    """Who the registrant comes for: a known organisation the guard offered and they chose, a
    new one they confirmed is not among the candidates, or none (``OrganisationDecision()``)."""

    organisation: Organisation | None = None
    new_name: str = ""
    new_province: Province | None = None


def _own_addresses(user: Any, person: Person | None) -> set[str]:
    addresses = {str(user.email).lower()}
    if person is not None:
        addresses.update(str(e).lower() for e in person.emails)
    return addresses


def person_for_applicant(applicant: Applicant, *, user: Any = None) -> Person:
    """The directory's person for the applicant: a member registering themselves is their
    account's person; otherwise the resolver's same person when the e-mail address agrees (a
    name alone is never enough), else a new person. An existing person is never changed from
    what a visitor typed."""
    if getattr(user, "is_authenticated", False):
        own = Person.objects.filter(user=user, erased_at__isnull=True).first()
        if applicant.email in _own_addresses(user, own):
            return own or directory_services.person_for_user(user=user)
    found = person_candidates(
        PersonRecord(
            full_name=applicant.full_name,
            email=applicant.email,
            phone=applicant.phone,
            city=applicant.province.name if applicant.province else "",
        ),
        limit=3,
        sharing_contacts=True,  # only the e-mail counts here (below)
    )
    for candidate in found:
        if candidate.score >= SAME_THRESHOLD and "email" in candidate.evidence:
            person = Person.objects.filter(pk=candidate.id, erased_at__isnull=True).first()
            if person is not None:
                return person
    return directory_services.person_create(
        actor=user,
        full_name=applicant.full_name,
        emails=[applicant.email],
        phones=[applicant.phone] if applicant.phone else [],
        province=applicant.province,
        language=applicant.language,
    )


@transaction.atomic
def register_applicant(
    *,
    activity: Activity,
    applicant: Applicant,
    organisation: OrganisationDecision,
    answers: dict[str, Any],
    user: Any = None,
) -> Registration:
    """Register someone from the public form. Raises ``services.RegistrationError`` (closed,
    full, twice, a missing answer, the organisation's limit); then nothing is written."""
    person = person_for_applicant(applicant, user=user)
    chosen = organisation.organisation
    if chosen is None and organisation.new_name:
        # The guard offered no candidate, or the registrant said theirs is not among them.
        chosen = directory_services.organisation_create(
            actor=user, name=organisation.new_name, province=organisation.new_province
        )
    directory_services.consent_record(
        person=person,
        purpose=ConsentPurpose.DATA_PROCESSING,
        granted=True,
        text_version=CONSENT_TEXT_VERSION,
        source=CONSENT_SOURCE,
        actor=user,
    )
    return services.register(
        activity=activity,
        person=person,
        email=applicant.email,
        organisation=chosen,
        language=applicant.language,
        answers=answers,
        by=user,
    )


# The member's calendar address --------------------------------------------------------------


@transaction.atomic
def calendar_feed_start(*, person: Person, actor: Any) -> CalendarFeed:
    """Give the person a secret calendar address (idempotent)."""
    feed, created = CalendarFeed.objects.get_or_create(person=person)
    if created:
        log_action("kaynak.programmes.calendar_feed.created", actor=actor, target=person)
    return feed


@transaction.atomic
def calendar_feed_renew(*, person: Person, actor: Any) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(person=person)
    if not created:
        feed.key = calendar_key()
        feed.save(update_fields=["key"])
    log_action("kaynak.programmes.calendar_feed.renewed", actor=actor, target=person)
    return feed


@transaction.atomic
def calendar_feed_stop(*, person: Person, actor: Any) -> bool:
    """No calendar address any more. Returns whether there was one."""
    deleted, _rows = CalendarFeed.objects.filter(person=person).delete()
    if deleted:
        log_action("kaynak.programmes.calendar_feed.stopped", actor=actor, target=person)
    return bool(deleted)

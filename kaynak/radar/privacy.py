"""The funding radar's part of a person's data export and erasure (KVKK/GDPR).

Personal data here: saved searches (an address, its filters, the digests it got), "not
relevant" dismissals (by address), and pipeline entries the person added or is responsible for.
Erasure deletes the person's saved searches and dismissals (nothing is sent to them again) and
takes them off pipeline entries; the entries themselves are the organisation's and stay, their
notes scrubbed of the person's names and addresses.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kaynak.accounts.models import User
from kaynak.directory.models import Person
from kaynak.directory.privacy import Erasure, register_erasure_step, register_export_section
from kaynak.radar.models import DigestEntry, Dismissal, SavedSearch, TrackedOpportunity


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _addresses(person: Person) -> set[str]:
    addresses = {str(email).lower() for email in person.emails if email}
    if person.user is not None and person.user.email:
        addresses.add(person.user.email.lower())
    return addresses


def _searches(user_ids: set[int], addresses: set[str]) -> Any:
    return SavedSearch.objects.filter(Q(email__in=addresses) | Q(user_id__in=user_ids)).order_by(
        "created_at", "pk"
    )


def _tracked(user_ids: set[int]) -> Any:
    return (
        TrackedOpportunity.objects.filter(
            Q(responsible_id__in=user_ids) | Q(added_by_id__in=user_ids)
        )
        .select_related("organisation", "opportunity")
        .order_by("created_at", "pk")
    )


@register_export_section("funding_radar")
def radar_section(person: Person) -> dict[str, Any]:
    """Their saved searches (with how many calls each digest told), dismissals and the
    pipeline entries they added or are responsible for."""
    addresses = _addresses(person)
    user_ids = {person.user_id} if person.user_id is not None else set()
    searches = list(_searches(user_ids, addresses))
    told: dict[int, int] = {}
    for entry in DigestEntry.objects.filter(search__in=searches).values("search_id"):
        told[entry["search_id"]] = told.get(entry["search_id"], 0) + 1
    return {
        "saved_searches": [
            {
                "email": search.email,
                "name": search.name,
                "language": search.language,
                "query": search.query,
                "notify_new": search.notify_new,
                "notify_changes": search.notify_changes,
                "notify_closing": search.notify_closing,
                "created_at": _iso(search.created_at),
                "confirmed_at": _iso(search.confirmed_at),
                "unsubscribed_at": _iso(search.unsubscribed_at),
                "last_digest_at": _iso(search.last_digest_at),
                "calls_told": told.get(search.pk, 0),
            }
            for search in searches
        ],
        "dismissed_calls": [
            {"email": d.email, "call": d.opportunity.title, "at": _iso(d.at)}
            for d in Dismissal.objects.filter(email__in=addresses)
            .select_related("opportunity")
            .order_by("at", "pk")
        ],
        "tracked_calls": [
            {
                "organisation": entry.organisation.name,
                "call": entry.opportunity.title,
                "stage": entry.stage,
                "responsible": entry.responsible_id in user_ids,
                "added_by_them": entry.added_by_id in user_ids,
                "notes": entry.notes,
                "created_at": _iso(entry.created_at),
            }
            for entry in _tracked(user_ids)
        ],
    }


@register_erasure_step("funding_radar")
def erase_radar(erasure: Erasure) -> dict[str, Any]:
    """Delete their saved searches and dismissals; take them off pipeline entries."""
    addresses = {str(contact).lower() for contact in erasure.contacts if "@" in str(contact)}
    # The person's account is unlinked by now (and closed after the steps): it is the user
    # whose address is one of theirs.
    user_ids = set(User.objects.filter(email__in=addresses).values_list("pk", flat=True))
    searches = _searches(user_ids, addresses)
    erasure.identified_by(contacts=list(searches.values_list("email", flat=True)))
    searches_deleted = searches.count()
    searches.delete()
    dismissals, _by_model = Dismissal.objects.filter(email__in=addresses).delete()
    entries = list(_tracked(user_ids))
    for entry in entries:
        if entry.responsible_id in user_ids:
            entry.responsible = None
        if entry.added_by_id in user_ids:
            entry.added_by = None
        entry.notes = str(erasure.scrub(entry.notes))
    TrackedOpportunity.objects.bulk_update(entries, ["responsible", "added_by", "notes"])
    summary = {
        "saved_searches_deleted": searches_deleted,
        "dismissals_deleted": dismissals,
        "tracked_calls_unassigned": len(entries),
    }
    return {name: value for name, value in summary.items() if value}

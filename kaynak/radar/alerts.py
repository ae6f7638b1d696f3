"""Saved searches and the weekly digest: the services that change them (subscribe, confirm,
switch, rename, unsubscribe, delete, "not relevant") and the building of one address's digest.

A logged-in user with a verified address follows a search at once; anyone else gives an
address and confirms it through a signed link (double opt-in, valid 7 days): nothing but that
one confirmation is ever sent before. At most one confirmation mail goes to an address per
hour, so a form cannot be used to flood someone's mailbox.

The digest is one mail per address, combining its searches: new calls published since the
last digest, notable changes (deadline moved, corrigendum) and calls closing within 7 days,
each as its search's switches say. A call already told for that reason (``DigestEntry``) or
dismissed by the address (``Dismissal``) never comes back; at most ``DIGEST_LIMIT`` calls,
soonest deadline first, with "and N more" links to the listing; no mail when nothing matched.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import User
from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.models import ApplicantType, Country, Theme
from kaynak.radar import queries
from kaynak.radar.models import (
    DigestEntry,
    DigestKind,
    Dismissal,
    Opportunity,
    OpportunityChange,
    SavedSearch,
)

logger = logging.getLogger(__name__)

CONFIRMATION_VALID = dt.timedelta(days=7)
CONFIRMATION_INTERVAL = dt.timedelta(hours=1)
CLOSING_WITHIN = dt.timedelta(days=7)
DIGEST_LIMIT = 15
CONFIRM_SALT = "kaynak.radar.saved-search.confirm"
DISMISS_SALT = "kaynak.radar.dismiss"
LANGUAGES = ("tr", "en")


class AlertError(KaynakError):
    """A saved search could not be made or changed; ``message`` says why, translated."""


# Links -----------------------------------------------------------------------------------------


def confirmation_token(search: SavedSearch) -> str:
    """The signed token of the confirmation link (checked for 7 days)."""
    return signing.dumps([search.pk, search.token], salt=CONFIRM_SALT, compress=True)


def search_from_confirmation(token: str) -> tuple[SavedSearch | None, bool]:
    """The saved search a confirmation token names, and whether the token expired. A forged or
    altered token, or one of a deleted search, gives ``(None, False)``."""
    try:
        pk, secret = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRMATION_VALID)
    except signing.SignatureExpired:
        return None, True
    except (signing.BadSignature, ValueError, TypeError):
        return None, False
    return SavedSearch.objects.filter(pk=pk, token=secret).first(), False


def dismissal_token(search: SavedSearch, opportunity: Opportunity) -> str:
    """The signed token of a digest's "not relevant" link (no expiry: old mails still work)."""
    return signing.dumps([search.token, opportunity.pk], salt=DISMISS_SALT, compress=True)


def dismissal_from_token(token: str) -> tuple[SavedSearch, Opportunity] | None:
    """The saved search (whose address dismisses) and the call a "not relevant" token names."""
    try:
        secret, opportunity_pk = signing.loads(token, salt=DISMISS_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    search = SavedSearch.objects.filter(token=secret).first()
    opportunity = Opportunity.objects.filter(pk=opportunity_pk).first()
    if search is None or opportunity is None:
        return None
    return search, opportunity


def search_by_token(token: str) -> SavedSearch | None:
    """The saved search whose secret management token this is."""
    if not token or len(token) > 64:
        return None
    return SavedSearch.objects.filter(token=token).first()


# Reads ------------------------------------------------------------------------------------------


def searches_of_user(user: User) -> QuerySet[SavedSearch]:
    """The user's saved searches, newest first (those they stopped too)."""
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-pk")


def searches_of_address(email: str) -> QuerySet[SavedSearch]:
    """The confirmed searches of an address that still send digests, oldest first."""
    return SavedSearch.objects.filter(
        email=email, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).order_by("created_at", "pk")


def has_verified_address(user: Any) -> bool:
    """A logged-in user whose account address is verified: their searches need no opt-in."""
    if user is None or not user.is_authenticated:
        return False
    return bool(
        EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )


def clean_query(query: dict[str, Any]) -> dict[str, Any]:
    """The listing's filters as the listing itself reads and writes them (unknown keys,
    paging and bad values dropped), so a saved search matches what the person saw."""
    filters = queries.SearchFilters.from_query(query)
    cleaned = dict(filters.to_query())
    cleaned.pop("page", None)
    return cleaned


def normalise_address(email: str) -> str:
    """The address as searches keep it (trimmed, lower-case), or ``AlertError``."""
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise AlertError(_("Enter a valid e-mail address."), code="invalid_email") from None
    return address


class Labels:
    """Names of themes, applicant types and countries, read once per page (not per search)."""

    def __init__(self) -> None:
        self._names: dict[str, dict[str, str]] | None = None

    def __call__(self, kind: str, keys: tuple[str, ...]) -> list[str]:
        if self._names is None:
            self._names = {
                "themes": {t.slug: t.label for t in Theme.objects.all()},
                "applicant_types": {t.slug: t.label for t in ApplicantType.objects.all()},
                "countries": {c.code: c.label for c in Country.objects.all()},
            }
        names = self._names[kind]
        return [names[key] for key in keys if key in names]


def describe_query(query: dict[str, Any], labels: Labels | None = None) -> list[str]:
    """A saved search's filters in words, in the active language."""
    labels = labels or Labels()
    filters = queries.SearchFilters.from_query(query)
    parts: list[str] = []
    if filters.q:
        parts.append(gettext("Words: “%(q)s”") % {"q": filters.q})
    for kind, values, label in (
        ("themes", filters.themes, gettext("Themes")),
        ("applicant_types", filters.applicant_types, gettext("Who may apply")),
        ("countries", filters.countries, gettext("Countries")),
    ):
        if values:
            parts.append(f"{label}: {', '.join(labels(kind, values))}")
    if filters.currency:
        parts.append(f"{gettext('Currency')}: {filters.currency}")
    if filters.amount_min is not None or filters.amount_max is not None:
        low = format(filters.amount_min, "f") if filters.amount_min is not None else "…"
        high = format(filters.amount_max, "f") if filters.amount_max is not None else "…"
        parts.append(f"{gettext('Amount')}: {low} – {high}")
    if filters.language:
        parts.append(gettext("In Turkish") if filters.language == "tr" else gettext("In English"))
    if filters.closing_within_days is not None:
        parts.append(
            gettext("Closing within %(days)s days") % {"days": filters.closing_within_days}
        )
    return parts or [gettext("All open calls")]


def _confirmation_key(address: str) -> str:
    return f"kaynak.radar.confirmation:{address}"


# Services ---------------------------------------------------------------------------------------


@transaction.atomic
def subscribe(
    *,
    query: dict[str, Any],
    language: str,
    user: User | None = None,
    email: str = "",
    name: str = "",
    notify_new: bool = True,
    notify_changes: bool = True,
    notify_closing: bool = False,
) -> SavedSearch:
    """Save a search. A logged-in user with a verified address follows it at once; anyone
    else gets a confirmation mail (after commit) and hears nothing more until they confirm.
    ``AlertError`` for a bad address or a second confirmation within the hour."""
    language = language if language in LANGUAGES else "tr"
    fields: dict[str, Any] = {
        "query": clean_query(query),
        "language": language,
        "name": name.strip()[:200],
        "notify_new": notify_new,
        "notify_changes": notify_changes,
        "notify_closing": notify_closing,
    }
    now = timezone.now()
    if user is not None and has_verified_address(user):
        search = SavedSearch.objects.create(
            user=user, email=user.email.lower(), confirmed_at=now, **fields
        )
        log_action("kaynak.radar.saved_search.created", actor=user, target=search)
        return search
    address = normalise_address(email)
    # The database says whether a confirmation went within the hour; the cache's atomic add
    # stops two requests at the same moment (which both find none) from both sending.
    recent = SavedSearch.objects.filter(
        email=address,
        confirmed_at__isnull=True,
        confirmation_sent_at__gt=now - CONFIRMATION_INTERVAL,
    )
    interval = int(CONFIRMATION_INTERVAL.total_seconds())
    if recent.exists() or not cache.add(_confirmation_key(address), 1, interval):
        raise AlertError(
            _(
                "We already sent a confirmation to this address less than an hour ago. Please "
                "open the link in that e-mail (it may be in the spam folder), or try again in "
                "an hour."
            ),
            code="confirmation_pending",
        )
    search = SavedSearch.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        email=address,
        confirmation_sent_at=now,
        **fields,
    )
    log_action("kaynak.radar.saved_search.requested", actor=user, target=search)
    from kaynak.radar.alert_tasks import send_confirmation_mail

    transaction.on_commit(lambda: send_confirmation_mail.enqueue(search.pk))
    return search


@transaction.atomic
def confirm(*, search: SavedSearch) -> SavedSearch:
    """The address owner confirmed: the search sends digests from now on (idempotent)."""
    search = SavedSearch.objects.select_for_update().get(pk=search.pk)
    if search.confirmed_at is None:
        search.confirmed_at = timezone.now()
        search.unsubscribed_at = None
        search.save(update_fields=["confirmed_at", "unsubscribed_at", "updated_at"])
        log_action("kaynak.radar.saved_search.confirmed", target=search)
        # Confirmed: the address may ask for another search's confirmation at once.
        cache.delete(_confirmation_key(search.email))
    return search


@transaction.atomic
def update_search(
    *,
    search: SavedSearch,
    actor: Any = None,
    name: str,
    notify_new: bool,
    notify_changes: bool,
    notify_closing: bool,
) -> SavedSearch:
    """Rename a saved search and set its switches."""
    before = {
        "name": search.name,
        "notify_new": search.notify_new,
        "notify_changes": search.notify_changes,
        "notify_closing": search.notify_closing,
    }
    search.name = name.strip()[:200]
    search.notify_new, search.notify_changes = notify_new, notify_changes
    search.notify_closing = notify_closing
    search.save(
        update_fields=["name", "notify_new", "notify_changes", "notify_closing", "updated_at"]
    )
    changed = {
        key: [old, getattr(search, key)]
        for key, old in before.items()
        if old != getattr(search, key)
    }
    log_action("kaynak.radar.saved_search.changed", actor=actor, target=search, data=changed)
    return search


@transaction.atomic
def unsubscribe(*, search: SavedSearch, actor: Any = None) -> bool:
    """Stop a search's digests. Returns False when it was already stopped."""
    stopped = SavedSearch.objects.filter(pk=search.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    if stopped:
        log_action("kaynak.radar.saved_search.unsubscribed", actor=actor, target=search)
    return bool(stopped)


@transaction.atomic
def unsubscribe_all(*, email: str, actor: Any = None) -> int:
    """Stop every search of an address (pending ones too). Returns how many were stopped."""
    stopped = SavedSearch.objects.filter(email=email, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    if stopped:
        log_action(
            "kaynak.radar.saved_search.unsubscribed_all",
            actor=actor,
            data={"email": email, "searches": stopped},
        )
    return stopped


@transaction.atomic
def delete_search(*, search: SavedSearch, actor: Any = None) -> None:
    """Delete a saved search and what its digests recorded."""
    log_action(
        "kaynak.radar.saved_search.deleted",
        actor=actor,
        data={"search": search.pk, "name": search.name},
    )
    search.delete()


@transaction.atomic
def dismiss(*, email: str, opportunity: Opportunity) -> Dismissal:
    """ "Not relevant": the call never appears again in this address's digests."""
    dismissal, created = Dismissal.objects.get_or_create(email=email, opportunity=opportunity)
    if created:
        log_action("kaynak.radar.opportunity.dismissed", target=opportunity, data={"email": email})
    return dismissal


@transaction.atomic
def purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Delete searches never confirmed within the link's 7 days: the address is not kept for
    someone who did not agree. Returns how many went."""
    now = now or timezone.now()
    deleted, _by_model = SavedSearch.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - CONFIRMATION_VALID
    ).delete()
    return deleted


# Digest -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a call is in the digest: which search, and new / changed / closing soon."""

    search: SavedSearch
    kind: str
    change_at: dt.datetime | None = None


@dataclass
class DigestItem:
    opportunity: Opportunity
    reasons: list[Reason] = field(default_factory=list)
    change: OpportunityChange | None = None

    @property
    def kinds(self) -> list[str]:
        return sorted({reason.kind for reason in self.reasons})

    @property
    def searches(self) -> list[SavedSearch]:
        seen: dict[int, SavedSearch] = {}
        for reason in self.reasons:
            seen.setdefault(reason.search.pk, reason.search)
        return list(seen.values())


@dataclass
class Digest:
    """One address's digest: its calls (at most ``DIGEST_LIMIT``) and, per search, how many
    more it matched than the digest shows."""

    email: str
    language: str
    searches: list[SavedSearch]
    items: list[DigestItem]
    more: list[tuple[SavedSearch, int]]


def _told(search: SavedSearch, kind: str) -> Exists:
    return Exists(DigestEntry.objects.filter(search=search, kind=kind, opportunity=OuterRef("pk")))


def _candidates(search: SavedSearch, *, since: dt.datetime, now: dt.datetime) -> dict[int, Reason]:
    """What one search would tell, by call id: new since ``since``, changed since then, or
    closing within 7 days, as its switches say; never what it told or the address dismissed."""
    base = queries.search(queries.SearchFilters.from_query(search.query))
    dismissed = Dismissal.objects.filter(email=search.email, opportunity=OuterRef("pk"))
    base = base.exclude(Exists(dismissed))
    found: dict[int, Reason] = {}
    if search.notify_new:
        new = base.filter(published_at__gt=since).exclude(_told(search, DigestKind.NEW))
        for pk in new.values_list("pk", flat=True):
            found[pk] = Reason(search, DigestKind.NEW)
    if search.notify_changes:
        # A change is told once per change: keyed by the time of the call's last one.
        told_change = DigestEntry.objects.filter(
            search=search,
            kind=DigestKind.CHANGE,
            opportunity=OuterRef("pk"),
            change_at=OuterRef("changed_at"),
        )
        changed = base.filter(changed_at__gt=since, published_at__lte=since).exclude(
            Exists(told_change)
        )
        for pk, changed_at in changed.values_list("pk", "changed_at"):
            found.setdefault(pk, Reason(search, DigestKind.CHANGE, changed_at))
    if search.notify_closing:
        closing = base.filter(deadline_at__gte=now, deadline_at__lte=now + CLOSING_WITHIN)
        for pk in closing.exclude(_told(search, DigestKind.CLOSING)).values_list("pk", flat=True):
            found.setdefault(pk, Reason(search, DigestKind.CLOSING))
    return found


def build_digest(
    searches: Iterable[SavedSearch], *, now: dt.datetime, since: dict[int, dt.datetime]
) -> Digest | None:
    """The digest of one address's ``searches`` (``since``: each search's last digest or
    confirmation), or None when nothing matched."""
    searches = list(searches)
    if not searches:
        return None
    reasons: dict[int, list[Reason]] = {}
    for search in searches:
        for pk, reason in _candidates(search, since=since[search.pk], now=now).items():
            reasons.setdefault(pk, []).append(reason)
    if not reasons:
        return None
    opportunities = (
        Opportunity.objects.filter(pk__in=reasons)
        .select_related("funder")
        .prefetch_related("themes")
    )
    ordered = sorted(
        opportunities,
        key=lambda o: (o.deadline_at is None, o.deadline_at or now, -o.pk),
    )
    shown, hidden = ordered[:DIGEST_LIMIT], ordered[DIGEST_LIMIT:]
    changes = _last_notable_changes([o for o in shown if o.changed_at is not None])
    items = [
        DigestItem(opportunity=o, reasons=reasons[o.pk], change=changes.get(o.pk)) for o in shown
    ]
    more: dict[int, int] = {}
    for opportunity in hidden:
        for search_pk in {reason.search.pk for reason in reasons[opportunity.pk]}:
            more[search_pk] = more.get(search_pk, 0) + 1
    newest = max(searches, key=lambda s: (s.created_at, s.pk))
    return Digest(
        email=searches[0].email,
        language=newest.language if newest.language in LANGUAGES else "tr",
        searches=searches,
        items=items,
        more=[(search, more[search.pk]) for search in searches if search.pk in more],
    )


def _last_notable_changes(opportunities: list[Opportunity]) -> dict[int, OpportunityChange]:
    latest: dict[int, OpportunityChange] = {}
    changes = OpportunityChange.objects.filter(
        opportunity__in=opportunities, notable=True
    ).order_by("opportunity_id", "-at", "-id")
    for change in changes:
        latest.setdefault(change.opportunity_id, change)
    return latest


@dataclass(frozen=True)
class _Claim:
    digest: Digest
    previous: dict[int, dt.datetime | None]
    entry_ids: list[int]


def _claim_and_build(email: str, now: dt.datetime) -> _Claim | None:
    """Claim the address's searches for this run (a conditional UPDATE per search, so two
    workers never send one digest twice), build the digest and record what it tells."""
    with transaction.atomic():
        claimed: list[SavedSearch] = []
        previous: dict[int, dt.datetime | None] = {}
        since: dict[int, dt.datetime] = {}
        for search in searches_of_address(email).select_related("user"):
            unchanged = (
                Q(last_digest_at__isnull=True)
                if search.last_digest_at is None
                else Q(last_digest_at=search.last_digest_at)
            )
            if SavedSearch.objects.filter(unchanged, pk=search.pk).update(last_digest_at=now):
                previous[search.pk] = search.last_digest_at
                assert search.confirmed_at is not None
                since[search.pk] = search.last_digest_at or search.confirmed_at
                claimed.append(search)
        digest = build_digest(claimed, now=now, since=since)
        if digest is None:
            return None
        entries = [
            DigestEntry(
                search=reason.search,
                opportunity=item.opportunity,
                kind=reason.kind,
                change_at=reason.change_at,
                sent_at=now,
            )
            for item in digest.items
            for reason in item.reasons
        ]
        created = DigestEntry.objects.bulk_create(entries)
        return _Claim(digest, previous, [entry.pk for entry in created if entry.pk])


@transaction.atomic
def _release(claim: _Claim) -> None:
    """The mail could not go: forget what it recorded, so the next run tells it again."""
    DigestEntry.objects.filter(pk__in=claim.entry_ids).delete()
    for pk, previous in claim.previous.items():
        SavedSearch.objects.filter(pk=pk).update(last_digest_at=previous)


def send_digest_to(email: str, *, now: dt.datetime | None = None) -> bool:
    """Build, record and send the digest of one address. Returns whether a mail went. A mail
    that fails to go is released (entries removed, last digest times restored) and raises."""
    from kaynak.radar.mail import build_digest_message, send

    now = now or timezone.now()
    claim = _claim_and_build(email, now)
    if claim is None:
        return False
    try:
        send(build_digest_message(claim.digest))
    except Exception:
        _release(claim)
        raise
    log_action(
        "kaynak.radar.digest.sent",
        data={"email": email, "calls": [item.opportunity.pk for item in claim.digest.items]},
    )
    return True


def addresses_with_active_searches() -> list[str]:
    """Every address with at least one confirmed, not stopped search."""
    return sorted(
        set(
            SavedSearch.objects.filter(
                confirmed_at__isnull=False, unsubscribed_at__isnull=True
            ).values_list("email", flat=True)
        )
    )


def send_weekly_digests(*, now: dt.datetime | None = None) -> int:
    """Send every address its digest; one failing address does not stop the others. Returns
    how many mails went."""
    now = now or timezone.now()
    purge_unconfirmed(now=now)
    sent = 0
    for email in addresses_with_active_searches():
        try:
            sent += send_digest_to(email, now=now)
        except Exception:
            logger.exception("The radar digest to an address could not be sent")
    return sent

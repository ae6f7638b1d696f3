"""The radar's mail: the confirmation of a saved search, the weekly digest and a tracked
call's deadline reminder — each HTML + text, in the recipient's language, from the center's
name.

The digest carries ``List-Unsubscribe`` (an https one-click address) and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058): a mail client's
"unsubscribe" button stops every search of the address without a login or a form.
"""

from __future__ import annotations

import datetime as dt
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from kaynak.core.models import CenterSettings
from kaynak.radar.alerts import Digest, confirmation_token, describe_query, dismissal_token
from kaynak.radar.models import Opportunity, SavedSearch, TrackedOpportunity

DAY_FORMATS = {"tr": "j F Y l", "en": "l j F Y"}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def opportunity_url(opportunity: Opportunity) -> str:
    """The call's page on this site."""
    return absolute(reverse("radar:opportunity", args=[opportunity.pk]))


def listing_url(query: dict[str, Any]) -> str:
    """The public listing with a saved search's filters."""
    path = reverse("radar:list")
    encoded = urlencode(query, doseq=True)
    return absolute(f"{path}?{encoded}" if encoded else path)


def deadline_label(opportunity: Opportunity) -> str:
    """ "12 Mart 2027 Cuma, 17:00" in Istanbul time; the kind when there is no fixed date."""
    if opportunity.deadline_at is None:
        return str(opportunity.get_deadline_kind_display())
    language = (translation.get_language() or "tr")[:2]
    local = timezone.localtime(opportunity.deadline_at)
    day = formats.date_format(local, DAY_FORMATS.get(language, "j F Y l"))
    return f"{day}, {local:%H:%M}" if opportunity.deadline_time else day


def day_label(value: dt.date | None) -> str:
    if value is None:
        return ""
    return formats.date_format(value, "j F Y")


def _sender(center: CenterSettings) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((center.name, address or settings.DEFAULT_FROM_EMAIL))


def _tidy(text: str) -> str:
    """Plain text as a person would type it: no trailing spaces, at most one empty line."""
    kept: list[str] = []
    for line in (line.rstrip() for line in text.strip().splitlines()):
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept) + "\n"


def _message(
    name: str, context: dict[str, Any], *, to: str, center: CenterSettings
) -> EmailMultiAlternatives:
    language = (translation.get_language() or "tr")[:2]
    context = {"center": center, "center_name": center.name, "language": language, **context}
    subject = " ".join(render_to_string(f"radar/mail/{name}_subject.txt", context).split())
    context["subject"] = subject
    text = _tidy(render_to_string(f"radar/mail/{name}.txt", context))
    html = render_to_string(f"radar/mail/{name}.html", context)
    mail = EmailMultiAlternatives(
        subject=f"[{center.name}] {subject}",
        body=text,
        from_email=_sender(center),
        to=[to],
        reply_to=[center.email] if center.email else None,
    )
    mail.attach_alternative(html, "text/html")
    return mail


def send(mail: EmailMultiAlternatives) -> None:
    """Send through the default mailer; errors reach the caller (its task retries)."""
    mailers.default.send_messages([mail])


def _url(name: str, *args: Any) -> str:
    return absolute(reverse(f"radar:{name}", args=args))


def build_confirmation_message(search: SavedSearch) -> EmailMultiAlternatives:
    """ "Confirm your saved search": the only mail an unconfirmed address ever gets."""
    with translation.override(search.language):
        center = CenterSettings.current()
        context = {
            "search": search,
            "confirm_url": _url("confirm-search", confirmation_token(search)),
            "listing_url": listing_url(search.query),
        }
        return _message("confirm", context, to=search.email, center=center)


def build_digest_message(digest: Digest) -> EmailMultiAlternatives:
    """One address's weekly digest, with its unsubscribe headers and links."""
    first = digest.searches[0]
    with translation.override(digest.language):
        center = CenterSettings.current()
        unsubscribe_all = _url("unsubscribe-all", first.token)
        items = []
        for item in digest.items:
            opportunity = item.opportunity
            items.append(
                {
                    "opportunity": opportunity,
                    "url": opportunity_url(opportunity),
                    "deadline": deadline_label(opportunity),
                    "kinds": item.kinds,
                    "why": ", ".join(f"“{search_label(s)}”" for s in item.searches),
                    "change": item.change,
                    "old_deadline": _old_deadline(item.change),
                    "not_relevant_url": _url(
                        "not-relevant", dismissal_token(item.reasons[0].search, opportunity)
                    ),
                }
            )
        context = {
            "digest": digest,
            "items": items,
            "count": len(items),
            "searches": [
                {
                    "search": search,
                    "label": search_label(search),
                    "listing_url": listing_url(search.query),
                    "unsubscribe_url": _url("unsubscribe", search.token),
                }
                for search in digest.searches
            ],
            "more": [
                {"label": search_label(search), "count": count, "url": listing_url(search.query)}
                for search, count in digest.more
            ],
            "manage_url": _url("manage-searches", first.token),
            "unsubscribe_all_url": unsubscribe_all,
        }
        mail = _message("digest", context, to=digest.email, center=center)
    mail.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_all}>"
    mail.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return mail


def search_label(search: SavedSearch) -> str:
    """A saved search's name, or its filters in words."""
    return search.name or "; ".join(describe_query(search.query))[:160]


def _old_deadline(change: Any) -> str:
    if change is None:
        return ""
    old = (change.fields or {}).get("deadline_date")
    if isinstance(old, list) and old and old[0]:
        try:
            return day_label(dt.date.fromisoformat(str(old[0])[:10]))
        except ValueError:
            return ""
    return ""


def build_reminder_message(
    tracked: TrackedOpportunity, *, days: int, to: str, language: str
) -> EmailMultiAlternatives:
    """ "The deadline of a call in your pipeline is in 7 days / tomorrow"."""
    with translation.override(language if language in ("tr", "en") else "tr"):
        center = CenterSettings.current()
        opportunity = tracked.opportunity
        context = {
            "tracked": tracked,
            "opportunity": opportunity,
            "organisation": tracked.organisation,
            "days": days,
            "deadline": deadline_label(opportunity),
            "url": opportunity_url(opportunity),
            "pipeline_url": _url("pipeline", tracked.organisation_id),
        }
        return _message("reminder", context, to=to, center=center)

"""How a call's amounts and deadline read on the public pages and in the feeds: amounts
Turkish style in Turkish ("1.500.000 ₺", "150.000 €"), English style in English ("₺1,500,000");
the deadline in the announcement's own wall clock and zone, and in Türkiye time when the zone
differs. Digests may use these too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import nh3
from django.conf import settings
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kaynak.radar import queries
from kaynak.radar.models import DeadlineKind, Opportunity
from kaynak.radar.services import zone_of

SYMBOLS = {"TRY": "₺", "EUR": "€", "USD": "$", "GBP": "£"}


def _turkish() -> bool:
    return not (get_language() or "tr").startswith("en")


def format_number(amount: Decimal, *, turkish: bool) -> str:
    """1500000 → "1.500.000" (Turkish) or "1,500,000"; decimals only when there are some."""
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if turkish:
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_amount(amount: Decimal, currency: str, *, turkish: bool | None = None) -> str:
    """An amount with its currency: "1.500.000 ₺" in Turkish, "₺1,500,000" in English."""
    turkish = _turkish() if turkish is None else turkish
    number = format_number(amount, turkish=turkish)
    symbol = SYMBOLS.get(currency)
    if not currency:
        return number
    if turkish:
        return f"{number} {symbol or currency}"
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


def amount_range(call: Opportunity) -> str:
    """The size of one grant in words, or "" when the call does not say."""
    low, high, currency = call.amount_min, call.amount_max, call.currency
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        if low == high:
            return format_amount(low, currency)
        return _("%(low)s – %(high)s") % {
            "low": format_amount(low, currency),
            "high": format_amount(high, currency),
        }
    if high is not None:
        return _("up to %(amount)s") % {"amount": format_amount(high, currency)}
    assert low is not None
    return _("from %(amount)s") % {"amount": format_amount(low, currency)}


ZONE_LABELS = {
    "Europe/Brussels": gettext_lazy("Brussels time"),
    "CET": gettext_lazy("Central European Time"),
    "UTC": gettext_lazy("UTC"),
    "America/New_York": gettext_lazy("US Eastern time"),
}


@dataclass(frozen=True)
class Deadline:
    """A call's deadline for display. ``wall`` is naive: the announcement's own clock (templates
    must not move it to Istanbul time); ``instant`` is aware and shown in Türkiye time."""

    kind: str
    wall: dt.datetime | dt.date | None
    has_time: bool
    zone_name: str
    instant: dt.datetime | None

    @property
    def zone_label(self) -> str:
        """The stated zone as people say it ("Brussels time"); empty for Türkiye time, which is
        the page's own clock."""
        if not self.zone_name or not self.has_time:
            return ""
        if zone_of(self.zone_name).key == settings.TIME_ZONE:
            return ""
        return str(ZONE_LABELS.get(self.zone_name, self.zone_name))

    @property
    def other_zone(self) -> bool:
        """The announcement states a zone whose clock differs from Türkiye's at the deadline."""
        if not self.zone_name or self.instant is None or not self.has_time:
            return False
        istanbul = ZoneInfo(settings.TIME_ZONE)
        stated = zone_of(self.zone_name)
        return (
            self.instant.astimezone(stated).utcoffset()
            != self.instant.astimezone(istanbul).utcoffset()
        )


def deadline_of(call: Opportunity) -> Deadline:
    wall: dt.datetime | dt.date | None = call.deadline_date
    if call.deadline_date is not None and call.deadline_time is not None:
        wall = dt.datetime.combine(call.deadline_date, call.deadline_time)
    return Deadline(
        kind=call.deadline_kind,
        wall=wall,
        has_time=call.deadline_time is not None,
        zone_name=call.deadline_timezone,
        instant=call.deadline_at,
    )


def other_deadlines(call: Opportunity) -> list[dict[str, object]]:
    """Further cut-offs as ``{"date": date, "time": time|None, "label": str}``, in date order;
    entries that cannot be read are left out."""
    out: list[dict[str, object]] = []
    for item in call.other_deadlines or []:
        if not isinstance(item, dict):
            continue
        text = str(item.get("date") or "")
        try:
            if "T" in text:
                moment = dt.datetime.fromisoformat(text)
                out.append(
                    {"date": moment.date(), "time": moment.time(), "label": item.get("label", "")}
                )
            else:
                out.append(
                    {
                        "date": dt.date.fromisoformat(text),
                        "time": None,
                        "label": item.get("label", ""),
                    }
                )
        except ValueError:
            continue
    out.sort(key=lambda entry: str(entry["date"]))
    return out


def summary_html(call: Opportunity) -> SafeString:
    """The summary as HTML: sanitised with nh3 when it is HTML, paragraphs when it is text."""
    if nh3.is_html(call.summary):
        # nh3 keeps only harmless tags and attributes; links get rel="noopener noreferrer".
        return mark_safe(nh3.clean(call.summary))  # noqa: S308
    return SafeString(linebreaks(call.summary, autoescape=True))


@dataclass(frozen=True)
class CallRow:
    """A published call as a list or a page shows it."""

    call: Opportunity
    amount: str
    deadline: Deadline
    closing_soon: bool
    expired: bool

    @property
    def rolling(self) -> bool:
        return self.call.deadline_kind == DeadlineKind.ROLLING


def row(call: Opportunity, *, now: dt.datetime | None = None) -> CallRow:
    now = now or timezone.now()
    return CallRow(
        call=call,
        amount=amount_range(call),
        deadline=deadline_of(call),
        closing_soon=queries.closing_soon(call, now=now),
        expired=queries.is_expired(call, now=now),
    )


@dataclass(frozen=True)
class PublicChange:
    at: dt.datetime
    label: str
    deadline_before: dt.date | None
    deadline_after: dt.date | None


def public_changes(call: Opportunity) -> list[PublicChange]:
    """What changed since the call was published that applicants must know (deadline moved,
    corrigendum, grant size or eligibility changed), newest first."""
    from kaynak.radar.models import OpportunityChange

    changes = OpportunityChange.objects.filter(opportunity=call, notable=True).order_by("-at")
    shown = []
    for change in changes[:20]:
        before, after = (change.fields.get("deadline_date") or [None, None])[:2]
        shown.append(
            PublicChange(
                at=change.at,
                label=str(change.get_kind_display()),
                deadline_before=dt.date.fromisoformat(before) if before else None,
                deadline_after=dt.date.fromisoformat(after) if after else None,
            )
        )
    return shown

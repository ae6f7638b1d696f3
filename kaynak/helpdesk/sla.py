"""SLA clocks in business hours: when a target falls due, how much of it is used, is it breached.

Pure arithmetic on aware datetimes, no database: the models store a request's start, its pauses
("waiting for the requester" stops the clock) and its targets; pages and the warning task ask a
:class:`Clock` for its :class:`ClockState`.

Business time is counted on open intervals of a :class:`BusinessCalendar` (default Mon–Fri
09:00–18:00 Europe/Istanbul, closed on Turkish public holidays, open only until 13:00 on the
half-day eves of the religious holidays and of 29 October). Every sum is done on UTC instants:
aware datetimes that share a ``ZoneInfo`` add and subtract in wall-clock time, which is off by an
hour across a DST change. Nothing loops per minute: the functions step from open interval to open
interval, one day at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from itertools import pairwise
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from django.core.exceptions import ImproperlyConfigured

type Hours = tuple[time, time]
"""Opening hours in local wall time; an end of 00:00 means "until midnight"."""
type Pause = tuple[datetime, datetime | None]
"""A stretch when the clock stood still; ``(start, None)`` is still paused."""
type _Span = tuple[datetime, datetime]
"""UTC instants, start < end."""

MIDNIGHT = time(0)
DEFAULT_ZONE = "Europe/Istanbul"
DEFAULT_HOURS: Mapping[int, tuple[Hours, ...]] = MappingProxyType(
    {weekday: ((time(9), time(18)),) for weekday in range(5)}
)
# Turkish half-day eves ("arife") close at 13:00; the holidays package says so only in the
# holiday's name ("Kurban Bayramı (saat 13.00'ten)"), so the time is read from there.
DEFAULT_EVE_CLOSING = time(13)
DEFAULT_WARN_FRACTION = 0.2
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A calendar with an open weekday finds an open hour within days; the bound only stops a
# calendar whose extra closed dates cover years from looking for ever.
_MAX_CLOSED_DAYS = 3 * 366
_CLOCK_TIME = re.compile(r"(\d{1,2})[.:](\d{2})")
_HOURS_TEXT = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


@dataclass(frozen=True)
class BusinessCalendar:
    """When the desk is open: weekly hours in a zone less holidays, half-day eves, closed dates."""

    zone: str = DEFAULT_ZONE
    # {weekday (Monday 0): [(opens, closes), ...]}; a weekday left out is closed.
    weekly_hours: Mapping[int, Sequence[Hours]] = field(
        default_factory=lambda: DEFAULT_HOURS, hash=False
    )
    # Country code for the holidays package; None observes no holidays.
    holiday_country: str | None = "TR"
    closed_dates: frozenset[date] = frozenset()
    _tz: ZoneInfo = field(init=False, repr=False, compare=False, hash=False)
    _years: dict[int, Mapping[date, tuple[Hours, ...]]] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        try:
            tz = ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Unknown time zone {self.zone!r}.") from error
        object.__setattr__(self, "_tz", tz)
        object.__setattr__(self, "weekly_hours", _normalise_week(self.weekly_hours))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        country = self.holiday_country
        if country is not None and country not in holidays.list_supported_countries():
            raise ValueError(f"The holidays package does not know the country {country!r}.")

    @classmethod
    def from_settings(cls, config: Mapping[str, object] | None) -> BusinessCalendar:
        """A calendar from a settings/queue dict; None or {} gives the default calendar.

        ``{"zone": "Europe/Istanbul", "hours": {"mon": ["09:00-12:30", "13:30-18:00"], ...},
        "holidays": "TR", "closed_dates": ["2026-12-31"]}`` — every key optional; with "hours"
        given, a weekday left out is closed; "holidays": null observes none.
        """
        if not config:
            return default_calendar()
        unknown = set(config) - {"zone", "hours", "holidays", "closed_dates"}
        if unknown:
            raise ImproperlyConfigured(f"Unknown business-hours settings: {sorted(unknown)}.")
        country = config.get("holidays", "TR")
        try:
            return cls(
                zone=str(config.get("zone", DEFAULT_ZONE)),
                weekly_hours=_parse_week(config["hours"]) if "hours" in config else DEFAULT_HOURS,
                holiday_country=None if country is None else str(country),
                closed_dates=frozenset(
                    date.fromisoformat(str(day)) for day in _as_list(config.get("closed_dates", []))
                ),
            )
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(f"Bad business-hours settings: {error}") from error

    @property
    def tzinfo(self) -> ZoneInfo:
        return self._tz

    # -- the calendar ------------------------------------------------------------------------

    def hours_on(self, day: date) -> tuple[Hours, ...]:
        """Opening hours on ``day`` in local wall time (empty when closed all day)."""
        special = self._special_days(day.year)
        if day in special:
            return special[day]
        return tuple(self.weekly_hours.get(day.weekday(), ()))

    def is_open(self, moment: datetime) -> bool:
        """Whether ``moment`` falls in opening hours (an interval's closing instant does not)."""
        instant = _utc(moment)
        day = instant.astimezone(self._tz).date()
        return any(start <= instant < end for start, end in self._spans_on(day))

    def next_open(self, moment: datetime) -> datetime:
        """``moment`` itself when open, else the next opening instant."""
        start, _ = next(self._open_spans(_utc(moment)))
        return self._local(start)

    # -- business-time arithmetic ------------------------------------------------------------

    def business_time_between(
        self, start: datetime, end: datetime, paused: Iterable[Pause] = ()
    ) -> timedelta:
        """Open, unpaused time from ``start`` to ``end`` (zero when ``end`` is not after it)."""
        first, last = _utc(start), _utc(end)
        total = timedelta()
        if last <= first:
            return total
        for span_start, span_end in self._running(first, paused):
            if span_start >= last:
                break
            total += min(span_end, last) - span_start
        return total

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of business time after ``start`` is used up (the due moment).

        The earliest such moment: Friday 17:00 + 1 h is Friday 18:00, not Monday 09:00. A zero
        duration gives the moment the clock starts (``next_open(start)``).
        """
        due = self.due_at(start, duration)
        if due is None:  # pragma: no cover - without pauses the open intervals never run out
            raise RuntimeError("Business time never ran out without a pause.")
        return due

    def due_at(
        self, start: datetime, target: timedelta, paused: Iterable[Pause] = ()
    ) -> datetime | None:
        """When ``target`` of open, unpaused time since ``start`` is reached; None while an
        open-ended pause holds the clock before it is."""
        if target < timedelta():
            raise ValueError("A business-time target cannot be negative.")
        remaining = target
        for span_start, span_end in self._running(_utc(start), paused):
            if span_end - span_start >= remaining:
                return self._local(span_start + remaining)
            remaining -= span_end - span_start
        return None

    # -- internals ---------------------------------------------------------------------------

    def _local(self, instant: datetime) -> datetime:
        return instant.astimezone(self._tz)

    def _special_days(self, year: int) -> Mapping[date, tuple[Hours, ...]]:
        """Days of ``year`` whose hours differ from the week's: cached per year."""
        special = self._years.get(year)
        if special is None:
            special = self._years[year] = self._load_special_days(year)
        return special

    def _load_special_days(self, year: int) -> Mapping[date, tuple[Hours, ...]]:
        special: dict[date, tuple[Hours, ...]] = {}
        if self.holiday_country is not None:
            public, eves = _holidays_of(self.holiday_country, year)
            for day, closing in eves.items():
                special[day] = _close_early(self.weekly_hours.get(day.weekday(), ()), closing)
            for day in public:  # a public holiday wins over an eve on the same day
                special[day] = ()
        for day in self.closed_dates:
            if day.year == year:
                special[day] = ()
        return MappingProxyType(special)

    def _spans_on(self, day: date) -> list[_Span]:
        """The day's opening hours as UTC instants.

        A wall time skipped by a DST change is read with the offset before the change (fold=0),
        so 02:30 on a spring-forward night is 03:30 summer time; a span emptied by it is dropped.
        """
        spans: list[_Span] = []
        for opens, closes in self.hours_on(day):
            start = datetime.combine(day, opens, tzinfo=self._tz).astimezone(UTC)
            end_day = day + timedelta(days=1) if closes == MIDNIGHT else day
            end = datetime.combine(end_day, closes, tzinfo=self._tz).astimezone(UTC)
            if start < end:
                spans.append((start, end))
        return spans

    def _open_spans(self, instant: datetime) -> Iterator[_Span]:
        """Open spans from ``instant`` on, the first cut to start at it; never ends."""
        # A span of the previous day ends at the latest at local midnight, before ``instant``.
        day = instant.astimezone(self._tz).date()
        closed_days = 0
        while True:
            spans = self._spans_on(day)
            for start, end in spans:
                if end > instant:
                    yield max(start, instant), end
            closed_days = 0 if spans else closed_days + 1
            if closed_days > _MAX_CLOSED_DAYS:
                raise ValueError("The business calendar is closed for years on end.")
            day += timedelta(days=1)

    def _running(self, instant: datetime, paused: Iterable[Pause]) -> Iterator[_Span]:
        """Open spans from ``instant`` on with the pauses cut out; ends at an open-ended pause."""
        pauses = _merge_pauses(paused)
        index = 0
        for start, end in self._open_spans(instant):
            while start < end:
                # Pauses that ended by now no longer matter.
                while index < len(pauses) and _ends_by(pauses[index], start, inclusive=True):
                    index += 1
                if index == len(pauses) or pauses[index][0] >= end:
                    yield start, end
                    break
                pause_start, pause_end = pauses[index]
                if pause_start > start:
                    yield start, pause_start
                if pause_end is None:
                    return
                start = pause_end


@cache
def default_calendar() -> BusinessCalendar:
    """The default calendar, shared so its per-year cache is filled once per process."""
    return BusinessCalendar()


@dataclass(frozen=True)
class ClockState:
    """A clock read at one moment, for the pages and the warning task."""

    target: timedelta
    elapsed: timedelta
    # What is left of the target; zero once it is used up.
    remaining: timedelta
    # When the target is (or was) reached; None while an open-ended pause holds it.
    due: datetime | None
    paused: bool
    stopped: bool
    breached: bool
    # Running, not breached, and no more than the warning fraction of the target left.
    warning: bool


@dataclass(frozen=True)
class Clock:
    """An SLA clock: ``target`` business time from ``start``, held by pauses, stopped at
    ``stopped_at`` (the first response, or the resolution)."""

    start: datetime
    target: timedelta
    paused: tuple[Pause, ...] = ()
    calendar: BusinessCalendar = field(default_factory=default_calendar)
    stopped_at: datetime | None = None
    warn_fraction: float = DEFAULT_WARN_FRACTION

    def __post_init__(self) -> None:
        if self.target <= timedelta():
            raise ValueError("An SLA target must be positive.")
        if not 0 <= self.warn_fraction < 1:
            raise ValueError("The warning fraction must be at least 0 and below 1.")
        object.__setattr__(self, "paused", tuple(self.paused))

    def due(self) -> datetime | None:
        """When the target is reached; None while an open-ended pause holds the clock."""
        return self.calendar.due_at(self.start, self.target, self.paused)

    def warns_at(self) -> datetime | None:
        """When the warning starts (the warning fraction of the target is left)."""
        return self.calendar.due_at(self.start, self._warn_after(), self.paused)

    def state(self, now: datetime) -> ClockState:
        """The clock at ``now`` (or at ``stopped_at`` when it stopped before)."""
        moment = now if self.stopped_at is None else min(_utc(now), _utc(self.stopped_at))
        elapsed = self.calendar.business_time_between(self.start, moment, self.paused)
        due = self.due()
        breached = due is not None and _utc(moment) > _utc(due)
        paused = any(_pause_holds(pause, _utc(moment)) for pause in self.paused)
        stopped = self.stopped_at is not None and _utc(self.stopped_at) <= _utc(now)
        remaining = max(self.target - elapsed, timedelta())
        return ClockState(
            target=self.target,
            elapsed=elapsed,
            remaining=remaining,
            due=due,
            paused=paused,
            stopped=stopped,
            breached=breached,
            warning=not (breached or stopped or paused) and elapsed >= self._warn_after(),
        )

    def _warn_after(self) -> timedelta:
        return self.target - self.target * self.warn_fraction


# -- helpers -----------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"SLA arithmetic needs aware datetimes, got {moment!r}.")
    return moment.astimezone(UTC)


def _normalise_week(week: Mapping[int, Sequence[Hours]]) -> Mapping[int, tuple[Hours, ...]]:
    normalised: dict[int, tuple[Hours, ...]] = {}
    for weekday, hours in week.items():
        if weekday not in range(7):
            raise ValueError(f"Weekday {weekday!r} is not 0 (Monday) to 6 (Sunday).")
        ordered = sorted(hours)
        for opens, closes in ordered:
            if not (opens < closes or closes == MIDNIGHT):
                raise ValueError(f"Opening hours {opens}–{closes} end before they start.")
        for (_, closes), (opens, _) in pairwise(ordered):
            if closes == MIDNIGHT or opens < closes:
                raise ValueError(f"Opening hours overlap on weekday {weekday}.")
        if ordered:
            normalised[weekday] = tuple(ordered)
    if not normalised:
        raise ValueError("A business calendar needs at least one open weekday.")
    return MappingProxyType(normalised)


def _parse_week(raw: object) -> dict[int, list[Hours]]:
    if not isinstance(raw, Mapping):
        raise TypeError("'hours' must map weekdays to lists of 'HH:MM-HH:MM'.")
    week: dict[int, list[Hours]] = {}
    for key, value in raw.items():
        name = str(key).strip().lower()[:3]
        weekday = WEEKDAYS.index(name) if name in WEEKDAYS else int(key)
        week[weekday] = [_parse_hours(item) for item in _as_list(value)]
    return week


def _parse_hours(raw: object) -> Hours:
    match = _HOURS_TEXT.match(str(raw))
    if match is None:
        raise ValueError(f"Opening hours {raw!r} are not 'HH:MM-HH:MM'.")
    opens, closes = match.groups()
    closes = "00:00" if closes == "24:00" else closes
    return time.fromisoformat(opens.zfill(5)), time.fromisoformat(closes.zfill(5))


def _as_list(raw: object) -> list[object]:
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        return [raw]
    return list(raw)


def _close_early(hours: Iterable[Hours], closing: time) -> tuple[Hours, ...]:
    """The day's hours cut at ``closing`` (a half-day eve)."""
    cut: list[Hours] = []
    for opens, closes in hours:
        if opens < closing:
            cut.append((opens, closing if closes == MIDNIGHT else min(closes, closing)))
    return tuple(cut)


@lru_cache(maxsize=64)
def _holidays_of(country: str, year: int) -> tuple[frozenset[date], Mapping[date, time]]:
    """A country's public holidays and half-day eves (with their closing time) in ``year``.

    Shared by every calendar of the process: the package computes lunar holidays per year.
    """
    public = frozenset(holidays.country_holidays(country, years=year).keys())
    eves: dict[date, time] = {}
    supported = holidays.country_holidays(country).supported_categories
    if holidays.HALF_DAY in supported:
        half_days = holidays.country_holidays(country, years=year, categories=(holidays.HALF_DAY,))
        for day, name in half_days.items():
            eves[day] = _closing_time(name)
    return public, MappingProxyType(eves)


def _closing_time(name: str) -> time:
    """The time a half-day holiday begins, from its name ("… (saat 13.00'ten)"), else 13:00."""
    match = _CLOCK_TIME.search(name)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    return DEFAULT_EVE_CLOSING


def _merge_pauses(paused: Iterable[Pause]) -> list[tuple[datetime, datetime | None]]:
    """Pauses in UTC, sorted, overlapping ones merged; an open-ended one swallows what follows."""
    pauses: list[tuple[datetime, datetime | None]] = []
    for start, end in paused:
        first = _utc(start)
        last = None if end is None else _utc(end)
        if last is not None and last < first:
            raise ValueError(f"A pause cannot end ({end}) before it starts ({start}).")
        if last != first:
            pauses.append((first, last))
    pauses.sort(key=lambda pause: pause[0])
    merged: list[tuple[datetime, datetime | None]] = []
    for start, end in pauses:
        if merged and not _ends_by(merged[-1], start):
            previous_start, previous_end = merged[-1]
            if previous_end is None:
                break
            merged[-1] = (previous_start, None if end is None else max(previous_end, end))
        else:
            merged.append((start, end))
    return merged


def _ends_by(
    pause: tuple[datetime, datetime | None], instant: datetime, *, inclusive: bool = False
) -> bool:
    end = pause[1]
    return end is not None and (end <= instant if inclusive else end < instant)


def _pause_holds(pause: Pause, instant: datetime) -> bool:
    start, end = pause
    return _utc(start) <= instant and (end is None or instant < _utc(end))

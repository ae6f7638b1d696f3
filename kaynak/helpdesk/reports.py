"""The support desk's reports for staff: named reads over the requests received in a period.

Every number counts the requests *received* in the period (``created_at``, Istanbul days), of
one queue or all, leaving out spam and requests merged into another one. The rows are read once
(``values()``, no model instances) and summed in Python, so the page stays fast at ~20,000
requests (``bench/helpdesk_reports.py``).

Rules worth knowing:

* **Times** in business hours are counted as the SLA counts them: the queue's
  :class:`~kaynak.helpdesk.sla.BusinessCalendar`, with the pauses (waiting for the requester)
  left out. Calendar hours are plain wall time. Medians are the usual median; p90 is the
  nearest-rank percentile (the ⌈0.9·n⌉-th smallest value).
* **SLA attainment**: a clock counts when it was stopped (answered / resolved) — met if before its
  due time — or when it is still running and already past due (missed); clocks that are still
  running and not yet due, or held by a pause with no due time, are left out.
* **CSAT per agent** credits the agent who wrote the last answer to the requester (an outgoing
  message that is not automatic), else the assignee: the assignee is not kept as it was at the
  resolution, the last answer is.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from kaynak.core.audit import log_action
from kaynak.core.models import Province
from kaynak.core.spreadsheets import write_sheets
from kaynak.helpdesk import sla
from kaynak.helpdesk.models import (
    UNFINISHED,
    Category,
    Channel,
    Direction,
    Message,
    Queue,
    Request,
    RequestPause,
)

TOP_CATEGORIES = 8
SATISFIED_FROM = 4  # scores 4 and 5 count as satisfied
HOUR = dt.timedelta(hours=1)


# -- periods -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (Istanbul days)."""

    start: dt.date
    end: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The aware instants [start 00:00, the day after end 00:00)."""
        zone = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time(), tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        return first, after

    def months(self) -> list[dt.date]:
        """The first day of each month the period touches."""
        month = self.start.replace(day=1)
        months = []
        while month <= self.end:
            months.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return months


def last_twelve_months(today: dt.date) -> Period:
    """The default period: this month and the eleven before it, up to today."""
    month = today.replace(day=1)
    for _step in range(11):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return Period(month, today)


def this_year(today: dt.date) -> Period:
    return Period(today.replace(month=1, day=1), today)


def last_quarter(today: dt.date) -> Period:
    """The last whole calendar quarter before today's."""
    first_of_this = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_this - dt.timedelta(days=1)
    return Period(dt.date(end.year, end.month - 2, 1), end)


PRESETS = {"12m": last_twelve_months, "year": this_year, "quarter": last_quarter}


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    """One row of a volume table."""

    label: str
    count: int
    share: float  # percent of the period's requests (0–100)


@dataclass(frozen=True)
class MonthBucket:
    month: dt.date
    count: int
    share: float


@dataclass(frozen=True)
class Durations:
    """Times in hours over the requests that have one; None when there are none."""

    count: int
    business_median: float | None
    business_p90: float | None
    calendar_median: float | None
    calendar_p90: float | None


@dataclass(frozen=True)
class Attainment:
    counted: int
    met: int

    @property
    def missed(self) -> int:
        return self.counted - self.met

    @property
    def rate(self) -> float | None:
        return 100 * self.met / self.counted if self.counted else None


@dataclass(frozen=True)
class Satisfaction:
    """CSAT of a group: how many answered, the average score, the share who gave 4–5."""

    label: str
    count: int
    average: float | None
    satisfied_share: float | None


@dataclass(frozen=True)
class Report:
    period: Period
    queue: Queue | None
    total: int
    by_month: list[MonthBucket]
    by_queue: list[Bucket]
    by_category: list[Bucket]
    top_categories: list[Bucket]
    by_province: list[Bucket]
    by_channel: list[Bucket]
    first_response: Durations
    resolution: Durations
    first_response_sla: Attainment
    resolution_sla: Attainment
    satisfaction: Satisfaction
    satisfaction_by_queue: list[Satisfaction]
    satisfaction_by_agent: list[Satisfaction]
    satisfaction_by_month: list[tuple[dt.date, Satisfaction]]


# -- reads -------------------------------------------------------------------------------------


def requests_in_period(*, period: Period, queue: Queue | None = None) -> QuerySet[Request]:
    """The requests the reports count: received in the period, not spam, not merged away."""
    first, after = period.bounds()
    found = Request.objects.filter(
        created_at__gte=first, created_at__lt=after, is_spam=False, merged_into__isnull=True
    )
    if queue is not None:
        found = found.filter(queue=queue)
    return found


_FIELDS = (
    "pk",
    "queue_id",
    "category_id",
    "channel",
    "status",
    "assignee_id",
    "organisation__province_id",
    "requester__province_id",
    "created_at",
    "first_response_at",
    "resolved_at",
    "first_response_due",
    "resolution_due",
    "satisfaction__score",
)


def build_report(
    *, period: Period, queue: Queue | None = None, now: dt.datetime | None = None
) -> Report:
    """Every table of the reports page for the period (and queue)."""
    now = now or timezone.now()
    rows = list(requests_in_period(period=period, queue=queue).values(*_FIELDS).order_by("pk"))
    total = len(rows)
    queues = {q.pk: q for q in Queue.objects.all()}
    pauses = _pauses_of(period, queue)
    clocks = {pk: _ClockTable(q, period.start) for pk, q in queues.items()}
    rated = [row for row in rows if row["satisfaction__score"] is not None]
    agents = _agents_of(rated)
    by_category = _by_category(rows, total, with_queue=queue is None)
    return Report(
        period=period,
        queue=queue,
        total=total,
        by_month=_by_month(rows, period),
        by_queue=_labelled(
            Counter(r["queue_id"] for r in rows), lambda pk: queues[pk].label, total
        ),
        by_category=by_category,
        top_categories=by_category[:TOP_CATEGORIES],
        by_province=_by_province(rows, total),
        by_channel=_labelled(
            Counter(r["channel"] for r in rows), lambda value: str(Channel(value).label), total
        ),
        first_response=_durations(rows, "first_response_at", clocks, pauses),
        resolution=_durations(rows, "resolved_at", clocks, pauses),
        first_response_sla=_attainment(rows, "first_response_at", "first_response_due", now),
        resolution_sla=_attainment(rows, "resolved_at", "resolution_due", now),
        satisfaction=_satisfaction(str(_("All")), [r["satisfaction__score"] for r in rated]),
        satisfaction_by_queue=_grouped_satisfaction(rated, lambda r: queues[r["queue_id"]].label),
        satisfaction_by_agent=_grouped_satisfaction(
            rated, lambda r: agents.get(r["pk"]) or str(_("Nobody"))
        ),
        satisfaction_by_month=[
            (month, _satisfaction(month.isoformat()[:7], scores))
            for month, scores in _scores_by_month(rated, period).items()
        ],
    )


# -- volume ------------------------------------------------------------------------------------


def _share(count: int, total: int) -> float:
    return 100 * count / total if total else 0.0


def _buckets(counts: Counter[str], total: int) -> list[Bucket]:
    """Largest first, then by label (stable on every database)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Bucket(label, count, _share(count, total)) for label, count in ordered]


def _labelled(counts: Counter[Any], label: Any, total: int) -> list[Bucket]:
    """Counted by key (cheap), labelled once per key."""
    labelled: Counter[str] = Counter()
    for key, count in counts.items():
        labelled[label(key)] += count
    return _buckets(labelled, total)


def _local_month(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def _by_month(rows: Sequence[dict[str, Any]], period: Period) -> list[MonthBucket]:
    counts = Counter(_local_month(r["created_at"]) for r in rows)
    return [
        MonthBucket(month, counts[month], _share(counts[month], len(rows)))
        for month in period.months()
    ]


def _by_category(rows: Sequence[dict[str, Any]], total: int, *, with_queue: bool) -> list[Bucket]:
    categories = {c.pk: c for c in Category.objects.select_related("queue")}
    counts: Counter[str] = Counter()
    for row in rows:
        category = categories.get(row["category_id"])
        if category is None:
            counts[str(_("No category"))] += 1
        elif with_queue:
            counts[f"{category.label} ({category.queue.label})"] += 1
        else:
            counts[category.label] += 1
    return _buckets(counts, total)


def _by_province(rows: Sequence[dict[str, Any]], total: int) -> list[Bucket]:
    """The organisation's province, else the requester's, else "unknown"."""
    names = dict(Province.objects.values_list("pk", "name"))
    unknown = str(_("Unknown"))
    counts = Counter(
        names.get(r["organisation__province_id"] or r["requester__province_id"], unknown)
        for r in rows
    )
    return _buckets(counts, total)


# -- times -------------------------------------------------------------------------------------


class _ClockTable:
    """Business time of one queue's calendar as a running total, so the time between two
    instants is two look-ups instead of a walk over the days between them (the walk is what
    made 20,000 requests slow)."""

    def __init__(self, queue: Queue, start: dt.date) -> None:
        self.calendar = sla.BusinessCalendar.from_settings(queue.business_hours or None)
        self.days: dict[dt.date, tuple[dt.timedelta, list[tuple[dt.datetime, dt.datetime]]]] = {}
        # Started a day early: a UTC instant can fall on the day before in the queue's zone.
        self.first = self.last = start - dt.timedelta(days=1)
        self.days[self.first] = (dt.timedelta(), self._spans(self.first))

    def _spans(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        zone = self.calendar.tzinfo
        spans = []
        for opens, closes in self.calendar.hours_on(day):
            end_day = day + dt.timedelta(days=1) if closes == sla.MIDNIGHT else day
            start = dt.datetime.combine(day, opens, tzinfo=zone).astimezone(dt.UTC)
            end = dt.datetime.combine(end_day, closes, tzinfo=zone).astimezone(dt.UTC)
            if start < end:
                spans.append((start, end))
        return spans

    def _extend(self, day: dt.date) -> None:
        while day < self.first:  # prepend: shift every running total
            earlier = self.first - dt.timedelta(days=1)
            spans = self._spans(earlier)
            length = sum((end - start for start, end in spans), dt.timedelta())
            self.days = {d: (before + length, s) for d, (before, s) in self.days.items()}
            self.days[earlier] = (dt.timedelta(), spans)
            self.first = earlier
        while day > self.last:
            before, spans = self.days[self.last]
            length = sum((end - start for start, end in spans), dt.timedelta())
            self.last += dt.timedelta(days=1)
            self.days[self.last] = (before + length, self._spans(self.last))

    def at(self, moment: dt.datetime) -> dt.timedelta:
        """Business time from the table's first day up to ``moment``."""
        instant = moment.astimezone(dt.UTC)
        day = instant.astimezone(self.calendar.tzinfo).date()
        if day not in self.days:
            self._extend(day)
        before, spans = self.days[day]
        return before + sum(
            (min(end, instant) - start for start, end in spans if start < instant), dt.timedelta()
        )

    def between(
        self,
        start: dt.datetime,
        end: dt.datetime,
        pauses: Iterable[tuple[dt.datetime, dt.datetime | None]] = (),
    ) -> dt.timedelta:
        """Open time from ``start`` to ``end`` less the (merged) pauses within."""
        if end <= start:
            return dt.timedelta()
        total = self.at(end) - self.at(start)
        for pause_start, pause_end in _merged(pauses, end):
            first, last = max(pause_start, start), min(pause_end, end)
            if first < last:
                total -= self.at(last) - self.at(first)
        return total


def _merged(
    pauses: Iterable[tuple[dt.datetime, dt.datetime | None]], until: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    spans = sorted((start, end or until) for start, end in pauses)
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _pauses_of(
    period: Period, queue: Queue | None
) -> dict[int, list[tuple[dt.datetime, dt.datetime | None]]]:
    first, after = period.bounds()
    found = RequestPause.objects.filter(
        request__created_at__gte=first, request__created_at__lt=after
    )
    if queue is not None:
        found = found.filter(request__queue=queue)
    pauses: dict[int, list[tuple[dt.datetime, dt.datetime | None]]] = defaultdict(list)
    for request_id, started, ended in found.values_list("request_id", "started_at", "ended_at"):
        pauses[request_id].append((started, ended))
    return pauses


def nearest_rank(values: Sequence[float], fraction: float) -> float:
    """The ⌈fraction·n⌉-th smallest value (values sorted)."""
    return values[max(1, math.ceil(fraction * len(values))) - 1]


def _durations(
    rows: Sequence[dict[str, Any]],
    stopped_field: str,
    clocks: dict[int, _ClockTable],
    pauses: dict[int, list[tuple[dt.datetime, dt.datetime | None]]],
) -> Durations:
    business: list[float] = []
    calendar: list[float] = []
    for row in rows:
        stopped = row[stopped_field]
        if stopped is None:
            continue
        started = row["created_at"]
        table = clocks[row["queue_id"]]
        business.append(table.between(started, stopped, pauses.get(row["pk"], ())) / HOUR)
        calendar.append(max(stopped - started, dt.timedelta()) / HOUR)
    if not business:
        return Durations(0, None, None, None, None)
    business.sort()
    calendar.sort()
    return Durations(
        count=len(business),
        business_median=statistics.median(business),
        business_p90=nearest_rank(business, 0.9),
        calendar_median=statistics.median(calendar),
        calendar_p90=nearest_rank(calendar, 0.9),
    )


def _attainment(
    rows: Sequence[dict[str, Any]], stopped_field: str, due_field: str, now: dt.datetime
) -> Attainment:
    counted = met = 0
    for row in rows:
        stopped, due = row[stopped_field], row[due_field]
        if stopped is not None and due is not None:
            counted += 1
            met += stopped <= due
        elif stopped is None and due is not None and due < now and row["status"] in UNFINISHED:
            counted += 1  # still open and already late: missed
    return Attainment(counted=counted, met=met)


# -- satisfaction ------------------------------------------------------------------------------


def _satisfaction(label: str | Promise, scores: Sequence[int]) -> Satisfaction:
    if not scores:
        return Satisfaction(str(label), 0, None, None)
    satisfied = sum(1 for score in scores if score >= SATISFIED_FROM)
    return Satisfaction(
        str(label), len(scores), sum(scores) / len(scores), 100 * satisfied / len(scores)
    )


def _grouped_satisfaction(rows: Sequence[dict[str, Any]], key: Any) -> list[Satisfaction]:
    groups: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row["satisfaction__score"])
    return sorted(
        (_satisfaction(label, scores) for label, scores in groups.items()),
        key=lambda s: (-s.count, s.label),
    )


def _scores_by_month(rows: Sequence[dict[str, Any]], period: Period) -> dict[dt.date, list[int]]:
    by_month: dict[dt.date, list[int]] = {month: [] for month in period.months()}
    for row in rows:
        by_month.setdefault(_local_month(row["created_at"]), []).append(row["satisfaction__score"])
    return by_month


def _agents_of(rows: Sequence[dict[str, Any]]) -> dict[int, str]:
    """Request pk → the name of the agent credited with its rating (see the module's doc)."""
    ids = [row["pk"] for row in rows]
    last_author: dict[int, int] = {}
    answers = (
        Message.objects.filter(
            request_id__in=ids,
            direction=Direction.OUT,
            is_automatic=False,
            author__isnull=False,
        )
        .order_by("request_id", "sent_at", "pk")
        .values_list("request_id", "author_id")
    )
    for request_id, author_id in answers:
        last_author[request_id] = author_id
    credited = {row["pk"]: last_author.get(row["pk"], row["assignee_id"]) for row in rows}
    users = get_user_model().objects.filter(pk__in={u for u in credited.values() if u})
    names = {user.pk: user.get_full_name() or user.email for user in users}
    return {pk: names[user_id] for pk, user_id in credited.items() if user_id in names}


# -- the XLSX export ---------------------------------------------------------------------------


def _table(
    title: str | Promise, header: Sequence[str | Promise], rows: Iterable[Sequence[Any]]
) -> tuple[str, list[list[Any]]]:
    return str(title), [[str(h) for h in header], *[list(row) for row in rows]]


def report_tables(report: Report) -> list[tuple[str, list[list[Any]]]]:
    """The report as (sheet title, rows with a header first): dates as dates, numbers as numbers,
    headers in the current language."""
    share = _("Share (%)")
    count = _("Requests")

    def buckets(
        title: str | Promise, what: str | Promise, rows: list[Bucket]
    ) -> tuple[str, list[list[Any]]]:
        return _table(
            title, [what, count, share], ((b.label, b.count, round(b.share, 1)) for b in rows)
        )

    def csat(
        title: str | Promise, what: str | Promise, rows: Iterable[Satisfaction]
    ) -> tuple[str, list[list[Any]]]:
        header = [what, _("Answers"), _("Average score"), _("Satisfied (4–5, %)")]
        return _table(
            title,
            header,
            ((s.label, s.count, _round(s.average, 2), _round(s.satisfied_share, 1)) for s in rows),
        )

    times = [
        (_("First response"), report.first_response),
        (_("Resolution"), report.resolution),
    ]
    slas = [
        (_("First response"), report.first_response_sla),
        (_("Resolution"), report.resolution_sla),
    ]
    return [
        _table(
            _("By month"),
            [_("Month"), count, share],
            ((m.month, m.count, round(m.share, 1)) for m in report.by_month),
        ),
        buckets(_("By queue"), _("Queue"), report.by_queue),
        buckets(_("By category"), _("Category"), report.by_category),
        buckets(_("Top categories"), _("Category"), report.top_categories),
        buckets(_("By province"), _("Province"), report.by_province),
        buckets(_("By channel"), _("Channel"), report.by_channel),
        _table(
            _("Times (hours)"),
            [
                _("Clock"),
                count,
                _("Median, business hours"),
                _("p90, business hours"),
                _("Median, calendar hours"),
                _("p90, calendar hours"),
            ],
            (
                (
                    label,
                    d.count,
                    _round(d.business_median, 1),
                    _round(d.business_p90, 1),
                    _round(d.calendar_median, 1),
                    _round(d.calendar_p90, 1),
                )
                for label, d in times
            ),
        ),
        _table(
            _("SLA attainment"),
            [_("Clock"), _("Counted"), _("Met"), _("Missed"), _("Met (%)")],
            ((label, a.counted, a.met, a.missed, _round(a.rate, 1)) for label, a in slas),
        ),
        csat(_("CSAT by queue"), _("Queue"), [report.satisfaction, *report.satisfaction_by_queue]),
        csat(_("CSAT by agent"), _("Agent"), report.satisfaction_by_agent),
        csat(_("CSAT by month"), _("Month"), (s for _month, s in report.satisfaction_by_month)),
    ]


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def report_xlsx(*, report: Report, actor: Any) -> bytes:
    """The report as an XLSX workbook, one sheet per table; the export is audited."""
    log_action(
        "kaynak.helpdesk.reports.exported",
        actor=actor,
        data={
            "from": report.period.start.isoformat(),
            "to": report.period.end.isoformat(),
            "queue": report.queue.slug if report.queue else None,
        },
    )
    workbook = Workbook(write_only=True)
    write_sheets(workbook, report_tables(report), date_format="yyyy-mm")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

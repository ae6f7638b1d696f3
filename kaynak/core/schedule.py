"""Every periodic job of Kaynak, declared in this one place.

Each entry names a ``django.tasks`` task and a huey crontab; the worker (``kaynak worker``) runs
the task at those times. Apps add their jobs here, not in their own modules, so that the whole
timetable can be read at a glance.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string
from huey import crontab
from huey.contrib.djhuey import close_db, periodic_task

# (task path, when) — times are in the site's time zone (KAYNAK_TIME_ZONE).
SCHEDULE: list[tuple[str, crontab]] = [
    ("kaynak.core.tasks.clear_expired_sessions", crontab(hour="3", minute="17")),
    # New pairs of possibly-duplicate organisations for the staff queue.
    ("kaynak.directory.tasks.refresh_duplicate_candidates", crontab(hour="2", minute="41")),
    # The same for people (after the organisations: the two share the worker).
    ("kaynak.directory.tasks.refresh_person_duplicate_candidates", crontab(hour="3", minute="3")),
    # Seat offers not taken in time lapse; the seat is offered to the next on the waiting list.
    ("kaynak.programmes.tasks.lapse_offers", crontab(minute="*/5")),
    # Reminders two days and two hours before each session (the 2-hour window needs the
    # ten-minute beat: a session is never reminded after it started).
    ("kaynak.programmes.tasks.send_reminders", crontab(minute="*/10")),
    # The survey to those who attended, once the activity's last session has ended.
    ("kaynak.programmes.tasks.invite_feedback", crontab(minute="23")),
    # Funding radar: sources whose own schedule (default Monday 06:00) has come are scanned.
    ("kaynak.radar.tasks.scan_due_sources", crontab(minute="*/15")),
    # The weekly funding digest: one mail per subscribed address, only when there is news.
    ("kaynak.radar.alert_tasks.digest_weekly", crontab(day_of_week="1", hour="9", minute="0")),
    # Deadline reminders of tracked calls (7 days and 1 day before; each sent once).
    ("kaynak.radar.alert_tasks.tracking_reminders", crontab(hour="9", minute="17")),
    # Support desk: warn before an SLA target is missed, and mark the breach (business hours).
    ("kaynak.helpdesk.tasks.check_sla", crontab(minute="*/5")),
    # Support desk: close requests resolved more than HELPDESK_CLOSE_AFTER_DAYS ago.
    ("kaynak.helpdesk.tasks.close_resolved", crontab(hour="4", minute="11")),
]


def _runner(path: str) -> Callable[[], None]:
    def run() -> None:
        import_string(path).call()

    run.__name__ = path.rsplit(".", 1)[-1]
    return run


for _path, _when in SCHEDULE:
    periodic_task(_when, name=f"schedule.{_path}")(close_db(_runner(_path)))

"""SLA clocks in business hours: hand-checked cases around weekends, Turkish holidays and DST.

Default calendar: Mon–Fri 09:00–18:00 Europe/Istanbul (9 h a day), closed on public holidays,
open 09:00–13:00 on half-day eves. Holiday dates (holidays package, Turkey):
  2026: Ramazan eve Thu 19 Mar, Bayram Fri 20–Sun 22 Mar; Kurban eve Tue 26 May, Bayram Wed 27–
        Sat 30 May; Cumhuriyet eve Wed 28 Oct, Bayram Thu 29 Oct.
  2027: New Year Fri 1 Jan; Ramazan eve Mon 8 Mar, Bayram Tue 9–Thu 11 Mar; Kurban eve Sat 15 May,
        Bayram Sun 16–Wed 19 May.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kaynak.helpdesk.sla import (
    MIDNIGHT,
    BusinessCalendar,
    Clock,
    _closing_time,
    default_calendar,
)

ISTANBUL = ZoneInfo("Europe/Istanbul")
BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
MIN = timedelta(minutes=1)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ISTANBUL)


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def calendar() -> BusinessCalendar:
    return default_calendar()


# -- weekends and ordinary days -----------------------------------------------------------------


def test_friday_afternoon_plus_two_hours_is_monday_ten(calendar):
    # Fri 27 Nov 2026 17:00–18:00 = 1 h; weekend closed; Mon 30 Nov 09:00 + 1 h = 10:00.
    assert calendar.add_business_time(at(2026, 11, 27, 17), 2 * H) == at(2026, 11, 30, 10)


def test_a_saturday_request_starts_its_clock_on_monday_morning(calendar):
    saturday = at(2026, 11, 28, 10, 30)
    assert calendar.next_open(saturday) == at(2026, 11, 30, 9)
    # Nothing counts over the weekend; Mon 09:00 + 2 h = 11:00.
    assert calendar.business_time_between(saturday, at(2026, 11, 30, 9)) == timedelta()
    assert calendar.add_business_time(saturday, 2 * H) == at(2026, 11, 30, 11)


def test_an_eight_hour_target_is_one_business_day_minus_an_hour(calendar):
    monday = at(2026, 11, 23, 9)
    # 09:00 + 8 h = 17:00, the same day.
    assert calendar.add_business_time(monday, 8 * H) == at(2026, 11, 23, 17)
    # 10:00 + 8 h = 18:00 exactly: due at closing time, not at the next opening.
    assert calendar.add_business_time(at(2026, 11, 23, 10), 8 * H) == at(2026, 11, 23, 18)
    # 11:00–18:00 = 7 h, Tue 09:00 + 1 h = 10:00.
    assert calendar.add_business_time(at(2026, 11, 23, 11), 8 * H) == at(2026, 11, 24, 10)
    # A whole business day from Monday 09:00 to Tuesday 09:00 is 9 h.
    assert calendar.business_time_between(monday, at(2026, 11, 24, 9)) == 9 * H


def test_the_closing_instant_is_not_open_and_the_opening_instant_is(calendar):
    assert calendar.is_open(at(2026, 11, 23, 9))
    assert calendar.is_open(at(2026, 11, 23, 17, 59))
    assert not calendar.is_open(at(2026, 11, 23, 18))
    assert not calendar.is_open(at(2026, 11, 23, 8, 59))
    assert calendar.next_open(at(2026, 11, 23, 18)) == at(2026, 11, 24, 9)
    assert calendar.next_open(at(2026, 11, 23, 12)) == at(2026, 11, 23, 12)


def test_a_week_of_business_time_is_forty_five_hours(calendar):
    # Mon 23 Nov – Mon 30 Nov 2026, no holiday: 5 days × 9 h.
    assert calendar.business_time_between(at(2026, 11, 23), at(2026, 11, 30)) == 45 * H


def test_a_whole_year_counts_every_holiday_and_eve(calendar):
    # 2026 has 261 weekdays; 10 public holidays fall on weekdays (1 Jan, 20 Mar, 23 Apr, 1 May,
    # 19 May, 27–29 May, 15 Jul, 29 Oct); 3 eves on weekdays (19 Mar, 26 May, 28 Oct) keep 4 h.
    # (261 − 10 − 3) × 9 h + 3 × 4 h = 2232 h + 12 h = 2244 h.
    assert calendar.business_time_between(at(2026, 1, 1), at(2027, 1, 1)) == 2244 * H


# -- Turkish holidays ---------------------------------------------------------------------------


def test_kurban_bayrami_eve_counts_only_the_morning(calendar):
    eve = date(2026, 5, 26)
    assert calendar.hours_on(eve) == ((time(9), time(13)),)
    assert calendar.is_open(at(2026, 5, 26, 12, 59))
    assert not calendar.is_open(at(2026, 5, 26, 13))
    # The eve gives 09:00–13:00 = 4 h; Bayram Wed 27–Sat 30 May closed.
    assert calendar.business_time_between(at(2026, 5, 26), at(2026, 6, 1)) == 4 * H


def test_a_request_before_kurban_bayrami_falls_due_after_it(calendar):
    # Mon 25 May 17:00–18:00 = 1 h; eve Tue 26 May 09:00–13:00 = 4 h (5 h);
    # Wed 27 – Sun 31 May closed; Mon 1 Jun 09:00 + 4 h = 13:00.
    assert calendar.add_business_time(at(2026, 5, 25, 17), 9 * H) == at(2026, 6, 1, 13)


def test_kurban_bayrami_2027_with_its_eve_on_a_saturday(calendar):
    # Fri 14 May 17:00–18:00 = 1 h; Sat 15 May (eve) closed anyway; Sun 16 – Wed 19 May Bayram
    # (19 May is also Youth Day); Thu 20 May 09:00 + 1 h = 10:00.
    assert calendar.hours_on(date(2027, 5, 15)) == ()
    assert calendar.add_business_time(at(2027, 5, 14, 17), 2 * H) == at(2027, 5, 20, 10)


def test_ramazan_bayrami_eve_and_holiday(calendar):
    # Thu 19 Mar 2026 (eve) 12:00–13:00 = 1 h; Fri 20 Mar Bayram; Mon 23 Mar 09:00 + 2 h = 11:00.
    assert calendar.add_business_time(at(2026, 3, 19, 12), 3 * H) == at(2026, 3, 23, 11)
    # 2027: eve Mon 8 Mar 09:00–13:00 = 4 h; Tue 9 – Thu 11 Mar Bayram; Fri 12 Mar 09:00 + 4 h.
    assert calendar.add_business_time(at(2027, 3, 8, 9), 8 * H) == at(2027, 3, 12, 13)


def test_republic_day_eve_closes_at_one(calendar):
    # Wed 28 Oct 2026 (eve) 10:00–13:00 = 3 h; Thu 29 Oct closed; Fri 30 Oct 09:00 + 1 h = 10:00.
    assert calendar.add_business_time(at(2026, 10, 28, 10), 4 * H) == at(2026, 10, 30, 10)


def test_new_year_across_the_year_boundary(calendar):
    # Thu 31 Dec 2026 17:00–18:00 = 1 h (31 Dec is no eve); Fri 1 Jan 2027 closed; weekend;
    # Mon 4 Jan 09:00 + 1 h = 10:00.
    assert calendar.add_business_time(at(2026, 12, 31, 17), 2 * H) == at(2027, 1, 4, 10)
    assert calendar.business_time_between(at(2026, 12, 31, 17), at(2027, 1, 4, 10)) == 2 * H


def test_the_eve_closing_time_is_read_from_the_holiday_name():
    assert _closing_time("Kurban Bayramı (saat 13.00'ten)") == time(13)
    assert _closing_time("Arife (saat 12.30'dan)") == time(12, 30)
    # A name that gives no time closes at the Turkish default.
    assert _closing_time("Kurban Bayramı arifesi") == time(13)


def test_a_calendar_without_holidays_keeps_bayram_days_open():
    calendar = BusinessCalendar(holiday_country=None)
    assert calendar.hours_on(date(2026, 5, 27)) == ((time(9), time(18)),)
    assert calendar.hours_on(date(2026, 5, 26)) == ((time(9), time(18)),)


def test_extra_closed_dates_are_closed_all_day():
    calendar = BusinessCalendar(closed_dates=frozenset({date(2026, 12, 31)}))
    # Wed 30 Dec 17:00–18:00 = 1 h; 31 Dec closed; 1 Jan closed; Mon 4 Jan 09:00 + 1 h.
    assert calendar.add_business_time(at(2026, 12, 30, 17), 2 * H) == at(2027, 1, 4, 10)


# -- pauses -------------------------------------------------------------------------------------


def test_a_pause_over_the_weekend_stops_the_clock(calendar):
    start = at(2026, 11, 27, 10)  # Friday
    waiting = [(at(2026, 11, 27, 16), at(2026, 11, 30, 11))]  # Fri 16:00 → Mon 11:00
    # Without the pause: Fri 10:00–18:00 = 8 h → due Fri 18:00.
    assert calendar.due_at(start, 8 * H) == at(2026, 11, 27, 18)
    # Fri 10:00–16:00 = 6 h; paused to Mon 11:00; Mon 11:00 + 2 h = 13:00.
    assert calendar.due_at(start, 8 * H, paused=waiting) == at(2026, 11, 30, 13)
    # Fri 6 h + Mon 11:00–12:00 1 h = 7 h.
    assert calendar.business_time_between(start, at(2026, 11, 30, 12), paused=waiting) == 7 * H


def test_an_open_ended_pause_has_no_due_moment(calendar):
    start = at(2026, 11, 27, 10)
    still_waiting = [(at(2026, 11, 27, 16), None)]
    assert calendar.due_at(start, 8 * H, paused=still_waiting) is None
    # Only Fri 10:00–16:00 = 6 h counted, however late it is asked.
    assert calendar.business_time_between(start, at(2027, 1, 1), paused=still_waiting) == 6 * H
    # A target reached before the pause began still has its due moment: 10:00 + 4 h = 14:00.
    assert calendar.due_at(start, 4 * H, paused=still_waiting) == at(2026, 11, 27, 14)


def test_overlapping_and_closed_time_pauses_count_once(calendar):
    start = at(2026, 11, 23, 9)  # Monday
    pauses = [
        (at(2026, 11, 23, 10), at(2026, 11, 23, 12)),
        (at(2026, 11, 23, 11), at(2026, 11, 23, 13)),  # overlaps the first: 10:00–13:00 paused
        (at(2026, 11, 23, 20), at(2026, 11, 24, 8)),  # at night: changes nothing
    ]
    # Mon 09:00–10:00 + 13:00–18:00 = 6 h; Tue 09:00 + 2 h = 11:00.
    assert calendar.due_at(start, 8 * H, paused=pauses) == at(2026, 11, 24, 11)


def test_a_pause_that_ends_before_it_starts_is_refused(calendar):
    with pytest.raises(ValueError, match="before it starts"):
        calendar.due_at(
            at(2026, 11, 23, 9), H, paused=[(at(2026, 11, 23, 12), at(2026, 11, 23, 11))]
        )


# -- DST (Istanbul has none now; the zone is configurable) ----------------------------------------


def test_a_spring_forward_day_has_twenty_three_hours():
    every_sunday = BusinessCalendar(
        zone="Europe/Berlin", weekly_hours={6: [(time(0), MIDNIGHT)]}, holiday_country=None
    )
    # Sun 29 Mar 2026: clocks go 02:00 → 03:00, so the day is 23 h long.
    assert every_sunday.business_time_between(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 23 * H
    # 01:00 CET (00:00 UTC) + 2 h = 02:00 UTC = 04:00 CEST.
    assert every_sunday.add_business_time(berlin(2026, 3, 29, 1), 2 * H) == berlin(2026, 3, 29, 4)
    # Sun 25 Oct 2026: clocks go 03:00 → 02:00, so the day is 25 h long.
    assert every_sunday.business_time_between(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 25 * H


def test_office_hours_keep_their_wall_clock_across_a_dst_weekend():
    calendar = BusinessCalendar(zone="Europe/Berlin", holiday_country=None)
    # Fri 27 Mar 17:00 CET–18:00 = 1 h; Mon 30 Mar 09:00 CEST + 1 h = 10:00 CEST.
    due = calendar.add_business_time(berlin(2026, 3, 27, 17), 2 * H)
    assert due == berlin(2026, 3, 30, 10)
    assert due.utcoffset() == 2 * H
    # Fri 09:00 CET to Mon 09:00 CEST is one business day, 9 h, though 71 h pass on the wall.
    assert calendar.business_time_between(berlin(2026, 3, 27, 9), berlin(2026, 3, 30, 9)) == 9 * H


def test_results_are_in_the_calendars_zone_whatever_the_input_zone(calendar):
    # 14:00 UTC is 17:00 in Istanbul (UTC+3): Fri 17:00 + 2 h = Mon 10:00 Istanbul.
    due = calendar.add_business_time(datetime(2026, 11, 27, 14, tzinfo=UTC), 2 * H)
    assert due == at(2026, 11, 30, 10)
    assert due.tzinfo == ISTANBUL


def test_naive_datetimes_are_refused(calendar):
    with pytest.raises(ValueError, match="aware datetimes"):
        calendar.is_open(datetime(2026, 11, 23, 10))  # noqa: DTZ001 - naive on purpose


# -- configuration ------------------------------------------------------------------------------


def test_several_intervals_a_day_skip_the_lunch_break():
    calendar = BusinessCalendar.from_settings(
        {"hours": {"mon": ["09:00-12:30", "13:30-18:00"], "tue": ["09:00-12:30", "13:30-18:00"]}}
    )
    # Mon 12:00–12:30 = 30 min; lunch; 13:30 + 1 h 30 = 15:00.
    assert calendar.add_business_time(at(2026, 11, 23, 12), 2 * H) == at(2026, 11, 23, 15)
    # Mon 3 h 30 + 4 h 30 = 8 h; then Wednesday–Sunday closed: Tue 09:00 + 1 h = 10:00.
    assert calendar.add_business_time(at(2026, 11, 23, 9), 9 * H) == at(2026, 11, 24, 10)
    assert calendar.next_open(at(2026, 11, 24, 18)) == at(2026, 11, 30, 9)


def test_settings_can_name_weekdays_by_number_and_drop_holidays():
    calendar = BusinessCalendar.from_settings(
        {"zone": "Europe/Istanbul", "hours": {5: "10:00-14:00"}, "holidays": None}
    )
    assert calendar.hours_on(date(2026, 11, 28)) == ((time(10), time(14)),)
    assert calendar.hours_on(date(2026, 11, 27)) == ()
    assert calendar.holiday_country is None


def test_no_settings_give_the_default_calendar():
    assert BusinessCalendar.from_settings(None) is default_calendar()
    assert BusinessCalendar.from_settings({}) == BusinessCalendar()


@pytest.mark.parametrize(
    "config",
    [
        {"opening": "09:00"},
        {"hours": {"mon": ["18:00-09:00"]}},
        {"hours": {"mon": ["09:00-13:00", "12:00-18:00"]}},
        {"hours": {"funday": ["09:00-18:00"]}},
        {"hours": {}},
        {"zone": "Europe/Atlantis"},
        {"holidays": "XX"},
        {"closed_dates": ["31.12.2026"]},
    ],
)
def test_bad_settings_fail_loudly(config):
    with pytest.raises(ImproperlyConfigured):
        BusinessCalendar.from_settings(config)


# -- the clock ----------------------------------------------------------------------------------


def test_a_clock_warns_when_a_fifth_of_its_target_is_left():
    clock = Clock(start=at(2026, 11, 23, 9), target=10 * H)
    # 10 h × 20 % = 2 h left after 8 h: Mon 09:00 + 8 h = 17:00.
    assert clock.warns_at() == at(2026, 11, 23, 17)
    before = clock.state(at(2026, 11, 23, 16, 59))
    assert (before.warning, before.remaining) == (False, 2 * H + MIN)
    warned = clock.state(at(2026, 11, 23, 17))
    assert (warned.warning, warned.breached, warned.remaining) == (True, False, 2 * H)
    # Mon 9 h + Tue 09:00 + 1 h: due Tue 10:00; still in time at that instant.
    on_time = clock.state(at(2026, 11, 24, 10))
    assert on_time.due == at(2026, 11, 24, 10)
    assert (on_time.breached, on_time.elapsed, on_time.remaining) == (False, 10 * H, timedelta())
    late = clock.state(at(2026, 11, 24, 10, 1))
    assert (late.breached, late.warning, late.elapsed) == (True, False, 10 * H + MIN)


def test_the_warning_fraction_is_configurable():
    clock = Clock(start=at(2026, 11, 23, 9), target=8 * H, warn_fraction=0.5)
    # Half of 8 h left after 4 h: 09:00 + 4 h = 13:00.
    assert clock.warns_at() == at(2026, 11, 23, 13)
    assert clock.state(at(2026, 11, 23, 13)).warning
    assert not clock.state(at(2026, 11, 23, 12, 59)).warning


def test_a_clock_due_on_friday_evening_is_breached_over_the_weekend():
    clock = Clock(start=at(2026, 11, 27, 17), target=H)
    # Fri 17:00 + 1 h = 18:00; Saturday is after it though no business time passed.
    state = clock.state(at(2026, 11, 28, 12))
    assert state.due == at(2026, 11, 27, 18)
    assert (state.breached, state.elapsed, state.remaining) == (True, H, timedelta())


def test_a_stopped_clock_keeps_its_reading():
    clock = Clock(start=at(2026, 11, 27, 17), target=H, stopped_at=at(2026, 11, 27, 17, 30))
    state = clock.state(at(2026, 11, 30, 12))
    # Answered after 30 min of the 1 h target: met, not breached, no warning.
    assert (state.stopped, state.breached, state.warning) == (True, False, False)
    assert state.elapsed == 30 * MIN
    assert state.remaining == 30 * MIN


def test_a_paused_clock_neither_runs_nor_warns():
    clock = Clock(start=at(2026, 11, 27, 10), target=8 * H, paused=((at(2026, 11, 27, 16), None),))
    state = clock.state(at(2026, 11, 30, 12))
    # Fri 10:00–16:00 = 6 h, then waiting for the requester: 2 h left, no due moment yet.
    assert (state.paused, state.due, state.breached, state.warning) == (True, None, False, False)
    assert (state.elapsed, state.remaining) == (6 * H, 2 * H)


def test_a_clock_needs_a_positive_target_and_a_sensible_fraction():
    with pytest.raises(ValueError, match="must be positive"):
        Clock(start=at(2026, 11, 23, 9), target=timedelta())
    with pytest.raises(ValueError, match="warning fraction"):
        Clock(start=at(2026, 11, 23, 9), target=H, warn_fraction=1.0)


# -- speed sanity and properties ------------------------------------------------------------------


def test_long_durations_step_by_days_not_minutes(calendar, monkeypatch):
    calls = 0
    spans_on = BusinessCalendar._spans_on

    def counting(self: BusinessCalendar, day: date) -> list[tuple[datetime, datetime]]:
        nonlocal calls
        calls += 1
        return spans_on(self, day)

    monkeypatch.setattr(BusinessCalendar, "_spans_on", counting)
    # A year of 2026 is 2244 business hours (see above); it is found one day at a time.
    assert calendar.add_business_time(at(2026, 1, 1), 2244 * H) == at(2026, 12, 31, 18)
    assert calls <= 366


# Minutes in 2026–2027, as Istanbul datetimes.
_MINUTES = int((at(2028, 1, 1) - at(2026, 1, 1)) / MIN)
moments = st.integers(0, _MINUTES).map(lambda minutes: at(2026, 1, 1) + minutes * MIN)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(start=moments, end=moments)
def test_adding_the_business_time_between_two_moments_lands_on_the_later(start, end):
    calendar = default_calendar()
    start, end = min(start, end), max(start, end)
    # An opening instant is the same business moment as the closing before it (the earliest
    # due moment is returned), so the property is exact where the desk was open just before.
    assume(calendar.is_open(end) and calendar.is_open(end - timedelta(microseconds=1)))
    between = calendar.business_time_between(start, end)
    assert calendar.add_business_time(start, between) == end


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(start=moments, minutes=st.integers(0, 60 * 24 * 30))
def test_the_business_time_to_a_due_moment_is_the_duration(start, minutes):
    calendar = default_calendar()
    duration = minutes * MIN
    due = calendar.add_business_time(start, duration)
    assert due >= start
    assert calendar.business_time_between(start, due) == duration


pauses = st.lists(
    st.tuples(moments, st.integers(1, 60 * 24 * 10)).map(
        lambda pause: (pause[0], pause[0] + pause[1] * MIN)
    ),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(start=moments, minutes=st.integers(0, 60 * 24 * 10), paused=pauses)
def test_the_unpaused_business_time_to_a_due_moment_is_the_target(start, minutes, paused):
    calendar = default_calendar()
    target = minutes * MIN
    due = calendar.due_at(start, target, paused=paused)
    assert due is not None
    assert calendar.business_time_between(start, due, paused=paused) == target
    # Pausing can only push the due moment later.
    assert due >= calendar.add_business_time(start, target)

"""Common hours are found in UTC, each person's hours read on their own clock in the
reference week: daylight saving that starts on different dates (or runs the other way),
half- and quarter-hour offsets, a change inside the week, and the week's wrap-around."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from plugins.mentorship.matching import FactorCode, Mentee, Mentor, explain_pair, suggest_matches
from plugins.mentorship.matching.availability import resolution, slot_starts, week_monday

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run

MONDAY, SUNDAY = 0, 6


def common(mentor_zone, mentor_slots, mentee_zone, mentee_slots, week):
    mentor = Mentor(id=1, topics={"a"}, languages={"en"}, time_zone=mentor_zone, availability=mentor_slots)
    mentee = Mentee(id=2, topics={"a"}, languages={"en"}, time_zone=mentee_zone, availability=mentee_slots)
    factor = explain_pair(mentor, mentee, week=week).factor(FactorCode.AVAILABILITY_OVERLAP)
    suggested = suggest_matches([mentor], [mentee], week=week).suggestions[0]
    assert suggested.score == explain_pair(mentor, mentee, week=week).score  # the bulk scorer agrees
    return factor.params["minutes"], factor.params["windows"]


BERLIN_SIX_PM = {(MONDAY, 18)}
NEW_YORK_NOON = {(MONDAY, 12)}


@pytest.mark.parametrize(("week", "minutes"), [
    (date(2025, 1, 13), 60),  # winter: Berlin UTC+1, New York UTC−5, six hours apart
    (date(2025, 3, 10), 0),  # US summer time began 9 March, Europe's only on 30 March: five hours apart
    (date(2025, 3, 31), 60),  # both on summer time: six hours apart again
    (date(2025, 10, 27), 0),  # Europe back on winter time 26 October, the US only on 2 November
])
def test_berlin_evening_meets_new_york_noon_only_when_both_clocks_agree(week, minutes):
    assert common("Europe/Berlin", BERLIN_SIX_PM, "America/New_York", NEW_YORK_NOON, week)[0] == minutes


def test_new_york_one_pm_meets_berlin_six_pm_in_the_weeks_the_clocks_disagree():
    assert common("Europe/Berlin", BERLIN_SIX_PM, "America/New_York", {(MONDAY, 13)}, date(2025, 3, 10))[0] == 60


@pytest.mark.parametrize(("week", "minutes"), [
    (date(2025, 1, 13), 60),  # Sydney on summer time (UTC+11), London UTC+0
    (date(2025, 7, 14), 0),  # Sydney on standard time (UTC+10), London on summer time (UTC+1)
])
def test_southern_hemisphere_summer_time_runs_the_other_way(week, minutes):
    # Sydney Tuesday 07:00 is London Monday 20:00 in January, 22:00 in July
    assert common("Australia/Sydney", {(1, 7)}, "Europe/London", {(MONDAY, 20)}, week)[0] == minutes


def test_a_half_hour_zone_is_compared_to_the_half_hour():
    # Kolkata 23:00 (UTC+5:30) is 17:30 UTC; Berlin 18:00 and 19:00 CET are 17:00–19:00 UTC
    minutes, windows = common("Asia/Kolkata", {(MONDAY, 23)}, "Europe/Berlin", {(MONDAY, 18), (MONDAY, 19)},
                              date(2025, 1, 13))
    assert minutes == 60
    assert windows == ((datetime(2025, 1, 13, 17, 30, tzinfo=UTC), datetime(2025, 1, 13, 18, 30, tzinfo=UTC)),)
    minutes, _ = common("Asia/Kolkata", {(MONDAY, 23)}, "Europe/Berlin", {(MONDAY, 18)}, date(2025, 1, 13))
    assert minutes == 30


def test_a_quarter_hour_zone_is_compared_to_the_minute():
    # Kathmandu Monday 06:00 (UTC+5:45) is Monday 00:15 UTC; a UTC member free Monday 00:00–01:00
    minutes, windows = common("Asia/Kathmandu", {(MONDAY, 6)}, "UTC", {(MONDAY, 0)}, date(2025, 1, 13))
    assert minutes == 45
    assert windows == ((datetime(2025, 1, 13, 0, 15, tzinfo=UTC), datetime(2025, 1, 13, 1, tzinfo=UTC)),)


def test_hours_running_over_the_end_of_the_week_wrap_around_to_its_start():
    # Auckland Monday 08:00–10:00 (UTC+13 in January) is Sunday 19:00–21:00 UTC of the same week
    minutes, windows = common("Pacific/Auckland", {(MONDAY, 8), (MONDAY, 9)}, "UTC",
                              {(SUNDAY, 19), (SUNDAY, 20)}, date(2025, 1, 13))
    assert minutes == 120
    assert windows == ((datetime(2025, 1, 19, 19, tzinfo=UTC), datetime(2025, 1, 19, 21, tzinfo=UTC)),)


def test_a_window_across_the_week_boundary_is_reported_as_one():
    # London Sunday 23:00 and Monday 00:00 (winter, UTC+0) against the same hours in UTC
    minutes, windows = common("Europe/London", {(SUNDAY, 23), (MONDAY, 0)}, "UTC", {(SUNDAY, 23), (MONDAY, 0)},
                              date(2025, 1, 13))
    assert minutes == 120
    assert windows == ((datetime(2025, 1, 19, 23, tzinfo=UTC), datetime(2025, 1, 20, 1, tzinfo=UTC)),)


def test_a_clock_change_inside_the_reference_week_moves_only_the_hours_after_it():
    # Europe moved to summer time on Sunday 30 March 2025 at 02:00
    week = date(2025, 3, 24)
    berlin = {(MONDAY, 18), (SUNDAY, 18)}
    assert common("Europe/Berlin", berlin, "UTC", {(MONDAY, 17), (SUNDAY, 16)}, week)[0] == 120
    assert common("Europe/Berlin", berlin, "UTC", {(MONDAY, 17), (SUNDAY, 17)}, week)[0] == 60


def test_the_hour_skipped_in_spring_counts_as_the_hour_after_it():
    starts = slot_starts("Europe/Berlin", date(2025, 3, 24))
    sunday = 6 * 24
    assert starts[sunday + 2] == starts[sunday + 3] == (6 * 24 + 1) * 60  # 02:00 and 03:00 CEST → 01:00 UTC


def test_any_day_of_the_week_names_the_same_reference_week():
    assert week_monday(date(2025, 3, 13)) == week_monday(date(2025, 3, 16)) == date(2025, 3, 10)
    assert common("Europe/Berlin", BERLIN_SIX_PM, "America/New_York", NEW_YORK_NOON, date(2025, 3, 16))[0] == 0


@pytest.mark.parametrize(("zones", "unit"), [
    (["Europe/Berlin", "America/New_York", "UTC"], 60),
    (["Europe/Berlin", "Asia/Kolkata"], 30),
    (["America/St_Johns"], 30),
    (["Europe/Berlin", "Asia/Kathmandu"], 15),
])
def test_the_time_step_is_the_coarsest_on_which_every_hour_starts(zones, unit):
    assert resolution(zones, date(2025, 1, 13)) == unit


def test_a_whole_week_in_a_half_hour_zone_covers_the_whole_utc_week():
    every_hour = {(day, hour) for day in range(7) for hour in range(24)}
    minutes, windows = common("Asia/Kolkata", every_hour, "UTC", every_hour, date(2025, 1, 13))
    assert minutes == 7 * 24 * 60
    assert windows == ((datetime(2025, 1, 13, tzinfo=UTC), datetime(2025, 1, 20, tzinfo=UTC)),)

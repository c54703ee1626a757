"""Weekly availability compared in UTC, each person's hours read in their own time zone.

Everyone states recurring hours on their own clock; two clocks' distance changes over the
year (daylight saving starts on different dates, or not at all, and runs the other way in the
southern hemisphere). So hours are placed on the UTC timeline of one concrete **reference
week** (the programme's first week, say), with the offsets zoneinfo gives for that week — a
transition inside that week included. The week wraps around: Sunday 23:00 UTC is followed by
Monday 00:00 UTC, because availability recurs weekly.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from math import gcd
from zoneinfo import ZoneInfo

from plugins.mentorship.matching.participants import Slot

WEEK_MINUTES = 7 * 24 * 60
SLOT_MINUTES = 60

Interval = tuple[int, int]
"""Minutes ``[start, end)`` after the reference week's Monday 00:00 UTC."""


def week_monday(day: date) -> date:
    """The Monday of ``day``'s week: the reference week is identified by any of its days."""
    return day - timedelta(days=day.weekday())


def week_start_utc(day: date) -> datetime:
    """Monday 00:00 UTC of the reference week containing ``day``: minute 0 of the timeline."""
    monday = week_monday(day)
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


@lru_cache(maxsize=1024)
def slot_starts(time_zone: str, monday: date) -> tuple[int, ...]:
    """For each local slot (index ``weekday * 24 + hour``), the UTC minute of the week it starts.

    A local hour that does not exist (the spring-forward gap) is read with the offset before
    the change, as zoneinfo does, so it lands on the following hour; a repeated one (autumn)
    counts once, at its first occurrence.
    """
    zone = ZoneInfo(time_zone)
    origin = week_start_utc(monday)
    starts = []
    for index in range(7 * 24):
        # wall-clock arithmetic: aware + timedelta keeps the local hour, whatever the offset
        local = datetime(monday.year, monday.month, monday.day, index % 24, tzinfo=zone) + timedelta(days=index // 24)
        offset = (local.astimezone(UTC) - origin) // timedelta(minutes=1)
        starts.append(offset % WEEK_MINUTES)
    return tuple(starts)


def slot_index(slot: Slot) -> int:
    weekday, hour = slot
    return weekday * 24 + hour


def resolution(time_zones: Iterable[str], monday: date) -> int:
    """The coarsest unit (minutes, dividing 60) on which every slot of these zones starts:
    60 when all offsets are whole hours, 30 with India or Newfoundland, 15 with Nepal."""
    unit = SLOT_MINUTES
    for time_zone in set(time_zones):
        for start in set(slot_starts(time_zone, monday)):
            unit = gcd(unit, start % SLOT_MINUTES)
    return unit


@lru_cache(maxsize=1024)
def _slot_masks(time_zone: str, monday: date, unit: int) -> tuple[int, ...]:
    units = WEEK_MINUTES // unit
    per_slot = SLOT_MINUTES // unit
    masks = []
    for start in slot_starts(time_zone, monday):
        first = start // unit
        mask = 0
        for step in range(per_slot):
            mask |= 1 << ((first + step) % units)
        masks.append(mask)
    return tuple(masks)


def availability_bits(slots: Iterable[Slot], time_zone: str, monday: date, unit: int) -> int:
    """The person's hours as a bitset over the week's ``unit``-minute steps in UTC."""
    masks = _slot_masks(time_zone, monday, unit)
    bits = 0
    for weekday, hour in slots:
        bits |= masks[weekday * 24 + hour]
    return bits


def utc_intervals(slots: Iterable[Slot], time_zone: str, monday: date) -> tuple[Interval, ...]:
    """The person's hours as sorted, merged UTC intervals within ``[0, WEEK_MINUTES)``.

    Exact minute arithmetic, independent of any bitset resolution: used for explanations.
    """
    starts = slot_starts(time_zone, monday)
    merged: list[list[int]] = []
    for start in sorted({starts[weekday * 24 + hour] for weekday, hour in slots}):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = start + SLOT_MINUTES
        else:
            merged.append([start, start + SLOT_MINUTES])
    if merged and merged[-1][1] > WEEK_MINUTES:  # runs over the week's end: the rest is at its start
        overflow = merged[-1][1] - WEEK_MINUTES
        merged[-1][1] = WEEK_MINUTES
        if merged[0][0] <= overflow:
            merged[0][0] = 0
        else:
            merged.insert(0, [0, overflow])
    return tuple((start, end) for start, end in merged)


def intersect(first: tuple[Interval, ...], second: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """The intervals common to two sorted, merged interval lists."""
    common = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            common.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return tuple(common)


def windows(intervals: tuple[Interval, ...], monday: date) -> tuple[tuple[datetime, datetime], ...]:
    """Intervals as aware UTC datetimes; one running over the week's end is joined with the one
    at its start (it may end in the following week: availability recurs weekly)."""
    parts = [list(interval) for interval in intervals]
    if len(parts) > 1 and parts[0][0] == 0 and parts[-1][1] == WEEK_MINUTES:
        parts[-1][1] = WEEK_MINUTES + parts.pop(0)[1]
    origin = week_start_utc(monday)
    return tuple((origin + timedelta(minutes=start), origin + timedelta(minutes=end)) for start, end in parts)

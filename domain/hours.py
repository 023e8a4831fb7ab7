"""Working hours and working days: nudges reach people only when they work, in their own time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from domain.dates import zone
from domain.holidays import Holidays

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS = re.compile(r"^([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})$")  # ASCII digits only


@dataclass(frozen=True)
class WorkingHours:
    """When a workspace works: from `start` to `end` local time, on `days` (0 = Monday), except public `holidays`."""

    start: time = time(9, 0)
    end: time = time(17, 0)
    days: frozenset[int] = frozenset(range(5))
    holidays: Holidays | None = None  # a person's own country if they set one, else the workspace's

    def is_working(self, now: datetime, tz: str | None) -> bool:
        """True when `now` falls inside working hours on a working day in time zone `tz`."""
        local = now.astimezone(zone(tz))
        return self.is_working_day(local.date()) and self.start <= local.time().replace(tzinfo=None) < self.end

    def is_working_day(self, day: date) -> bool:
        """A working weekday that is not a public holiday."""
        return day.weekday() in self.days and (self.holidays is None or day not in self.holidays)

    def with_holidays(self, holidays: Holidays | None) -> WorkingHours:
        """These hours with someone's own holidays instead (None: keep these)."""
        return self if holidays is None or holidays == self.holidays else _with_holidays(self, holidays)

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (count >= 1)."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def previous_working_day(self, day: date) -> date:
        """The last working day before `day`."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


@lru_cache(maxsize=256)
def _with_holidays(hours: WorkingHours, holidays: Holidays) -> WorkingHours:
    """One value per (workspace hours, person's holidays): the sweep asks for every nudge of everyone."""
    return replace(hours, holidays=holidays)


def parse_hours(text: str) -> tuple[time, time]:
    """`08:00-16:00` → (start, end); ValueError when unreadable or not start < end."""
    match = HOURS.match(text.strip())
    if not match:
        raise ValueError(text)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h2 == 24 and m2 == 0:
        h2, m2 = 23, 59
    start, end = time(h1, m1), time(h2, m2)  # raises ValueError for 25:00 or 10:61
    if not start < end:
        raise ValueError(text)
    return start, end


def parse_days(text: str) -> frozenset[int]:
    """`mon-fri`, `mon,wed,fri`, `sun-thu` → weekday numbers; ValueError when unreadable."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            a, b = _day(first), _day(last)
            span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
            days.update(span)
        else:
            days.add(_day(part))
    return frozenset(days)


def _day(name: str) -> int:
    """`mon`, `tues`, `wednesday` → 0, 1, 2."""
    for index, full in enumerate(FULL_NAMES):
        if len(name) >= 3 and full.startswith(name):
            return index
    raise ValueError(name)


def days_text(days: frozenset[int]) -> str:
    """Weekday numbers as `mon-fri` or `mon,wed,fri`: the keywords `/client config days` takes (English whatever
    the reader's language; render.hours.working_days shows them in the reader's)."""
    ordered = sorted(days)
    if ordered and ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ",".join(DAY_NAMES[d] for d in ordered)


def days_mask(days: frozenset[int]) -> int:
    """Weekdays as a bit mask (bit 0 = Monday), as stored."""
    return sum(1 << d for d in days)


def mask_days(mask: int) -> frozenset[int]:
    return frozenset(d for d in range(7) if mask & (1 << d))


def _local(day: date, at: time, tz: str | None) -> datetime:
    """The UTC moment of wall-clock `at` on `day` in `tz` (the earlier of two in a DST overlap)."""
    return datetime.combine(day, at, tzinfo=zone(tz)).astimezone(UTC)


def working_start(hours: WorkingHours, at: datetime, tz: str | None) -> datetime:
    """`at` itself during working hours, else when the next working period begins (UTC)."""
    if not hours.days:
        return at
    local = at.astimezone(zone(tz))
    day, clock = local.date(), local.time().replace(tzinfo=None)
    if hours.is_working_day(day) and clock < hours.end:
        return at if clock >= hours.start else _local(day, hours.start, tz)
    return _local(hours.add_working_days(day, 1), hours.start, tz)


def add_working_time(hours: WorkingHours, at: datetime, minutes: int, tz: str | None) -> datetime:
    """`minutes` of working time after `at`: four working hours from Friday 15:00 end on Monday at 11:00."""
    moment = working_start(hours, at, tz)
    left = timedelta(minutes=minutes)
    for _ in range(minutes // 15 + 8):  # a working day is at least a minute; this bounds the walk generously
        day = moment.astimezone(zone(tz)).date()
        closing = _local(day, hours.end, tz)
        if moment + left <= closing:
            return moment + left
        left -= closing - moment
        moment = _local(hours.add_working_days(day, 1), hours.start, tz)
    return moment + left


def add_working_days_at(hours: WorkingHours, at: datetime, days: int, tz: str | None) -> datetime:
    """The same working time `days` working days later: Tuesday 15:00 plus a day is Wednesday 15:00."""
    moment = working_start(hours, at, tz).astimezone(zone(tz))
    later = hours.add_working_days(moment.date(), days)
    return _local(later, moment.time().replace(tzinfo=None), tz)


def working_minutes_between(hours: WorkingHours, start: datetime, end: datetime, tz: str | None) -> int:
    """Working minutes from `start` to `end` (0 when end <= start): how long a client has waited, in work."""
    if end <= start:
        return 0
    total = timedelta()
    day = start.astimezone(zone(tz)).date()
    last = end.astimezone(zone(tz)).date()
    while day <= last:
        if hours.is_working_day(day):
            opening, closing = _local(day, hours.start, tz), _local(day, hours.end, tz)
            overlap = min(closing, end) - max(opening, start)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)

"""Working hours and working days: nudges reach people only when they work, in their own time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.dates import zone

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS = re.compile(r"^([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})$")  # ASCII digits only


@dataclass(frozen=True)
class WorkingHours:
    """When a workspace works: from `start` to `end` local time, on `days` (0 = Monday)."""

    start: time = time(9, 0)
    end: time = time(17, 0)
    days: frozenset[int] = frozenset(range(5))

    def is_working(self, now: datetime, tz: str | None) -> bool:
        """True when `now` falls inside working hours on a working day in time zone `tz`."""
        local = now.astimezone(zone(tz))
        return local.weekday() in self.days and self.start <= local.time().replace(tzinfo=None) < self.end

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days

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
    """Weekday numbers as `mon-fri` or `mon,wed,fri` (for settings and display)."""
    ordered = sorted(days)
    if ordered and ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ",".join(DAY_NAMES[d] for d in ordered)


def days_mask(days: frozenset[int]) -> int:
    """Weekdays as a bit mask (bit 0 = Monday), as stored."""
    return sum(1 << d for d in days)


def mask_days(mask: int) -> frozenset[int]:
    return frozenset(d for d in range(7) if mask & (1 << d))

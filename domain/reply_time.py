"""A client's reply time: how long a client's message may wait for our answer, in working time.

`4h` is four working hours; `1d` is the same working time on the next working day (Tuesday 15:00 → Wednesday
15:00); `off` means no nudge. A message that arrives outside working hours starts its clock when work starts.
Working hours and days are the workspace's, in the time zone of whoever answers for the client (its owner).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidReplyTime
from domain.hours import WorkingHours, add_working_days_at, add_working_time

OFF = "off"
TEXT = re.compile(r"^([0-9]{1,2})\s*(h|hours?|d|days?)$")  # ASCII digits only
MAX_HOURS = 40  # a working week
MAX_DAYS = 20  # four working weeks


class Unit(StrEnum):
    HOURS = "h"
    DAYS = "d"


@dataclass(frozen=True)
class ReplyTime:
    """An amount of working hours or working days."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


DEFAULT = ReplyTime(1, Unit.DAYS)


def parse_reply_time(text: str) -> str:
    """`4h`, `4 hours`, `2d`, `1 day` or `off` → what clients.reply_time stores; InvalidReplyTime otherwise."""
    words = " ".join(text.lower().split())
    if words in (OFF, "none"):
        return OFF
    match = TEXT.match(words)
    if match is None:
        raise InvalidReplyTime(text)
    amount, unit = int(match.group(1)), Unit(match.group(2)[0])
    if not 1 <= amount <= (MAX_HOURS if unit is Unit.HOURS else MAX_DAYS):
        raise InvalidReplyTime(text)
    return str(ReplyTime(amount, unit))


def reply_time_of(stored: str | None) -> ReplyTime | None:
    """The client's reply time (the default when none was set), or None when it is off."""
    if stored is None:
        return DEFAULT
    if stored == OFF:
        return None
    return ReplyTime(int(stored[:-1]), Unit(stored[-1]))


def reply_due(at: datetime, stored: str | None, *, hours: WorkingHours, tz: str | None) -> datetime | None:
    """When a client's message sent at `at` has waited its reply time; None when the client has none."""
    reply = reply_time_of(stored)
    if reply is None:
        return None
    if reply.unit is Unit.HOURS:
        return add_working_time(hours, at, reply.amount * 60, tz)
    return add_working_days_at(hours, at, reply.amount, tz)

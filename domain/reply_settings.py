"""Setting a client's reply time (`/client reply`): the messages still waiting count from the new one at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.channel_messages import Side
from domain.hours import WorkingHours
from domain.reply_time import reply_due
from storage.models import ChannelMessage, Client


@dataclass(frozen=True)
class ReplyTimeSet:
    """What setting a reply time did."""

    previous: str | None  # as stored before: "4h", "2d", "off", or None for the default
    waiting: int  # the client's messages still waiting, now due by the new reply time


def set_reply_time(
    session: Session, *, client: Client, stored: str, hours: WorkingHours, tz: str | None, now: datetime
) -> ReplyTimeSet:
    """Store a reply time (parse_reply_time's output); its waiting messages are due anew, in `tz`'s working hours."""
    previous = client.reply_time
    if previous == stored:
        return ReplyTimeSet(previous, 0)
    client.reply_time = stored
    client.updated_at = now
    waiting = list(
        session.scalars(
            select(ChannelMessage).where(
                ChannelMessage.team_id == client.team_id,
                ChannelMessage.client_id == client.id,
                ChannelMessage.side == Side.CLIENT,
                ChannelMessage.answered_at.is_(None),
                ChannelMessage.deleted.is_(False),
            )
        )
    )
    for message in waiting:
        message.due_at = reply_due(message.at, stored, hours=hours, tz=tz)
    return ReplyTimeSet(previous, len(waiting))

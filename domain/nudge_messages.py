"""The unanswered kind of nudge: a client's message that nobody of ours answered within the client's reply time.

Its target is the message (channel_messages.id) and its cycle the message's deadline (due_at): a snooze moves
the deadline, so the message may be nudged about again. The sweep reads such messages in one query, ranked per
owner like quiet clients; an open nudge is closed once its message is answered, deleted or given a new deadline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, select
from sqlalchemy.orm import Session, aliased

from domain import events
from domain.channel_messages import Side
from domain.hours import add_working_days_at
from domain.nudges import PER_OWNER, NudgeKind, Target, WaitingMessage, reclaimable, utc
from domain.workspace import hours_of_person
from storage.models import ChannelMessage, Client, Nudge, Person


def unanswered_targets(session: Session, now: datetime) -> list[Target]:
    """Client messages past their reply time, not answered, not yet nudged this cycle: a day's worth per owner."""
    due = _waiting_messages(now)
    rows = session.execute(select(*[c for c in due.c if c is not due.c.rank]).where(due.c.rank <= PER_OWNER))
    found = []
    for team, message_id, client_id, name, owner, creator, key, due_at, user, channel, at, link, text in rows:
        message = WaitingMessage(user, channel, utc(at) or now, link, text, due_at=utc(due_at))
        target = Target(
            team_id=team, kind=NudgeKind.UNANSWERED, target_id=message_id, cycle_at=message.due_at or now,
            client_id=client_id, client_name=name, promise_id=None, owner_id=owner, created_by=creator, is_key=key,
            message=message,
        )  # fmt: skip
        found.append(target)
    return found


def _waiting_messages(now: datetime) -> Subquery:
    """Client messages whose deadline passed without an answer or a live nudge for that deadline, ranked per owner."""
    done = aliased(Nudge)
    rank = func.row_number().over(
        partition_by=(Client.team_id, Client.owner_id),
        order_by=(Client.is_key.desc(), ChannelMessage.due_at, ChannelMessage.id),
    )
    return (
        select(
            ChannelMessage.team_id,
            ChannelMessage.id,
            Client.id.label("client_id"),
            Client.name,
            Client.owner_id,
            Client.created_by,
            Client.is_key,
            ChannelMessage.due_at,
            ChannelMessage.user_id,
            ChannelMessage.channel_id,
            ChannelMessage.at,
            ChannelMessage.permalink,
            ChannelMessage.text,
            rank.label("rank"),
        )
        .join(Client, and_(Client.team_id == ChannelMessage.team_id, Client.id == ChannelMessage.client_id))
        .outerjoin(done, _nudged(done, now))
        .where(
            ChannelMessage.answered_at.is_(None),
            ChannelMessage.due_at <= now,
            ChannelMessage.side == Side.CLIENT,
            ChannelMessage.deleted.is_(False),
            done.id.is_(None),
        )
        .subquery()
    )


def _nudged(done: Any, now: datetime) -> ColumnElement[bool]:
    """The join to a message's live nudge for its current deadline (a claim that expired does not count)."""
    return and_(
        done.team_id == ChannelMessage.team_id,
        done.kind == NudgeKind.UNANSWERED,
        done.target_id == ChannelMessage.id,
        done.cycle_at == ChannelMessage.due_at,
        ~reclaimable(done, now),
    )


def waiting_of(message: ChannelMessage | None) -> WaitingMessage | None:
    """What a nudge tells of its message, as the message is now (None when it is gone)."""
    if message is None:
        return None
    return WaitingMessage(
        user_id=message.user_id, channel_id=message.channel_id, at=message.at, permalink=message.permalink,
        text=message.text, due_at=message.due_at, answered_at=message.answered_at, answered_by=message.answered_by,
        deleted=message.deleted,
    )  # fmt: skip


def still_waiting(message: WaitingMessage | None, cycle_at: datetime) -> bool:
    """Whether a nudge's message still waits for the answer it asked for: not answered, not deleted, same deadline."""
    return (
        message is not None
        and message.answered_at is None
        and not message.deleted
        and message.due_at is not None
        and utc(message.due_at) == utc(cycle_at)
    )


def of_nudge() -> ColumnElement[bool]:
    """The join of a nudge to the client's message it is about (unanswered nudges only)."""
    return and_(
        Nudge.kind == NudgeKind.UNANSWERED,
        ChannelMessage.team_id == Nudge.team_id,
        ChannelMessage.id == Nudge.target_id,
    )


def message_of(session: Session, nudge: Nudge) -> ChannelMessage | None:
    """The message an unanswered nudge is about, locked for its answer."""
    return session.scalar(
        select(ChannelMessage)
        .where(ChannelMessage.team_id == nudge.team_id, ChannelMessage.id == nudge.target_id)
        .with_for_update()
    )


def snooze_message(session: Session, *, message: ChannelMessage, client: Client, by: str, now: datetime) -> datetime:
    """Ask again a working day later: the same working time the next working day, in the owner's time zone.

    The new deadline is a new cycle of the nudge; the client's timeline says who snoozed it and until when.
    """
    hours = hours_of_person(session, team_id=client.team_id, user_id=client.owner_id)
    owner = session.get(Person, (client.team_id, client.owner_id)) if client.owner_id else None
    until = add_working_days_at(hours, now, 1, owner.tz if owner else None)
    message.due_at = until
    events.record(session, client=client, kind=events.Kind.MESSAGE_SNOOZED, actor_id=by, at=now,
                  until=until.isoformat(), channel=message.channel_id, user=message.user_id)  # fmt: skip
    return until

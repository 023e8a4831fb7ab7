"""Answers given on the App Home: snooze a client, keep or snooze a promise, answer or snooze a client's message.

Each takes the id a button carried and finds it in the acting person's own workspace, and only its owner may
answer it (the client's owner; for a promise also the promise's own owner). A second click changes nothing.
They do what the same answer on a nudge does (domain.nudge_answers). A promise kept or a message answered closes
its open nudges at once (returning their messages, to edit); a snooze leaves them to the sweep, as a new date does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from domain import events
from domain.channel_messages import Side, answer_waiting
from domain.errors import NotYourHomeItem, UnknownHomeItem
from domain.nudge_answers import CLIENT_SNOOZE_DAYS
from domain.nudge_claims import close
from domain.nudge_messages import snooze_message
from domain.nudges import Closing, ClosingReason, MessageKey, NudgeKind, Status
from domain.promises import refresh_cycles
from domain.quiet import refresh_quiet
from domain.text import valid_id
from domain.workspace import hours_of_person
from storage.models import ChannelMessage, Client, Nudge, Promise

DOUBLE_CLICK = timedelta(minutes=5)  # a snooze this much short of another is the same snooze, clicked twice


def _client(session: Session, *, team_id: str, client_id: int) -> Client:
    if not valid_id(client_id):
        raise UnknownHomeItem(f"client {client_id}")
    found = session.scalar(
        select(Client).where(Client.team_id == team_id, Client.id == client_id).with_for_update(key_share=True)
    )
    if found is None:
        raise UnknownHomeItem(f"client {client_id}")
    return found


def owned_client_or_raise(session: Session, *, team_id: str, client_id: int, actor_id: str) -> Client:
    """The workspace's client, locked, if `actor_id` owns it."""
    client = _client(session, team_id=team_id, client_id=client_id)
    if client.owner_id != actor_id:
        raise NotYourHomeItem(client.owner_id)
    return client


def snooze_client(
    session: Session, *, team_id: str, client_id: int, actor_id: str, now: datetime, days: int = CLIENT_SNOOZE_DAYS
) -> datetime | None:
    """Not quiet before `days` from now (as the quiet nudge's snooze); returns when it is quiet next, if ever."""
    client = owned_client_or_raise(session, team_id=team_id, client_id=client_id, actor_id=actor_id)
    until = now + timedelta(days=days)
    if client.quiet_due_at is None or client.quiet_due_at >= until - DOUBLE_CLICK:
        return client.quiet_due_at  # no cadence, not quiet before then anyway, or snoozed a moment ago
    client.snoozed_until = until
    refresh_quiet(client)
    events.record(session, client=client, kind=events.Kind.SNOOZED, actor_id=actor_id, at=now,
                  until=until.isoformat())  # fmt: skip
    return until


def _promise(session: Session, *, team_id: str, promise_id: int, actor_id: str) -> tuple[Promise, Client]:
    """The workspace's promise and its client, locked, if `actor_id` owns either."""
    if not valid_id(promise_id):
        raise UnknownHomeItem(f"promise {promise_id}")
    promise = session.scalar(
        select(Promise).where(Promise.team_id == team_id, Promise.id == promise_id).with_for_update(key_share=True)
    )
    if promise is None:
        raise UnknownHomeItem(f"promise {promise_id}")
    client = _client(session, team_id=team_id, client_id=promise.client_id)
    if actor_id not in (promise.owner_id, client.owner_id):
        raise NotYourHomeItem(promise.owner_id)
    return promise, client


def keep_promise(session: Session, *, team_id: str, promise_id: int, actor_id: str, now: datetime) -> set[MessageKey]:
    """Mark the promise kept and close its open nudges; returns their messages (none when it was kept already)."""
    about = (Nudge.promise_id == promise_id) & Nudge.kind.in_([NudgeKind.HEADS_UP, NudgeKind.SLIP])
    nudges = _open_nudges(session, team_id=team_id, item_id=promise_id, about=about)  # first, as a nudge's answer
    promise, _ = _promise(session, team_id=team_id, promise_id=promise_id, actor_id=actor_id)
    if promise.done_at is not None:
        return set()
    promise.done_at, promise.done_by = now, actor_id
    return _close(session, nudges, reason=ClosingReason.KEPT, by=actor_id, now=now)


def snooze_promise(session: Session, *, team_id: str, promise_id: int, actor_id: str, now: datetime) -> datetime:
    """A slipped promise asked about again a working day later (as the slip nudge's snooze); returns until when."""
    promise, client = _promise(session, team_id=team_id, promise_id=promise_id, actor_id=actor_id)
    if promise.done_at is not None or (promise.snoozed_until is not None and promise.snoozed_until > now):
        return promise.snoozed_until or now  # kept meanwhile, or snoozed by a click a moment ago
    hours = hours_of_person(session, team_id=team_id, user_id=promise.owner_id)
    today = now.date()
    until = now + timedelta(days=(hours.add_working_days(today, 1) - today).days)
    promise.snoozed_until = until
    refresh_cycles(promise)
    events.record(session, client=client, kind=events.Kind.PROMISE_SNOOZED, actor_id=actor_id, at=now,
                  promise_id=promise.id, until=until.isoformat())  # fmt: skip
    return until


def _message(session: Session, *, team_id: str, message_id: int, actor_id: str) -> tuple[ChannelMessage, Client]:
    """The workspace's client message and its client, locked, if `actor_id` owns the client."""
    if not valid_id(message_id):
        raise UnknownHomeItem(f"message {message_id}")
    message = session.scalar(
        select(ChannelMessage)
        .where(ChannelMessage.team_id == team_id, ChannelMessage.id == message_id, ChannelMessage.side == Side.CLIENT)
        .with_for_update()
    )
    if message is None:
        raise UnknownHomeItem(f"message {message_id}")
    client = owned_client_or_raise(session, team_id=team_id, client_id=message.client_id, actor_id=actor_id)
    return message, client


def answer_message(session: Session, *, team_id: str, message_id: int, actor_id: str, now: datetime) -> set[MessageKey]:
    """The client's message was answered (as Answered on its nudge): its open nudges close; returns their messages."""
    about = (Nudge.kind == NudgeKind.UNANSWERED) & (Nudge.target_id == message_id)
    nudges = _open_nudges(session, team_id=team_id, item_id=message_id, about=about)  # first, as a nudge's answer
    message, _ = _message(session, team_id=team_id, message_id=message_id, actor_id=actor_id)
    if message.deleted or not answer_waiting(session, message=message, by=actor_id, at=now):
        return set()
    return _close(session, nudges, reason=ClosingReason.ANSWERED, by=actor_id, now=now)


def snooze_waiting(session: Session, *, team_id: str, message_id: int, actor_id: str, now: datetime) -> datetime | None:
    """An overdue client message asked about again a working day later; None when it no longer waits."""
    message, client = _message(session, team_id=team_id, message_id=message_id, actor_id=actor_id)
    if message.answered_at is not None or message.deleted:
        return None
    if message.due_at is not None and message.due_at > now:  # not due yet, or snoozed a moment ago
        return message.due_at
    return snooze_message(session, message=message, client=client, by=actor_id, now=now)


def _open_nudges(session: Session, *, team_id: str, item_id: int, about: ColumnElement[bool]) -> list[Nudge]:
    """The posted nudges about an item, locked (none for an id no row can have: the item is unknown, too)."""
    if not valid_id(item_id):
        return []
    query = select(Nudge).where(Nudge.team_id == team_id, Nudge.status == Status.POSTED, about)
    return list(session.scalars(query.order_by(Nudge.id).with_for_update(key_share=True)))


def _close(session: Session, nudges: list[Nudge], *, reason: ClosingReason, by: str,
           now: datetime) -> set[MessageKey]:  # fmt: skip
    """Close the nudges, as the sweep would once it saw the answer; returns the messages that show them."""
    close(session, [Closing(n.id, reason, by) for n in nudges], now=now)
    keys = {MessageKey(n.team_id, n.channel_id, n.ts) for n in nudges if n.channel_id and n.ts}
    return keys | {
        MessageKey(n.team_id, n.escalation_channel_id, n.escalation_ts)
        for n in nudges
        if n.escalation_channel_id and n.escalation_ts
    }

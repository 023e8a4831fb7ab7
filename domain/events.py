"""A client's timeline besides contacts: snoozes, hand-overs, new promise dates (each with who and when)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Client, ClientEvent


class Kind(StrEnum):
    """What happened on a client's timeline (stored in client_events.kind)."""

    SNOOZED = "snoozed"  # quiet client postponed: data until
    HANDED_OVER = "handed_over"  # data from, to (promise_id set when a promise changed hands)
    PROMISE_MOVED = "promise_moved"  # a slip: data old, new (ISO dates)
    PROMISE_SNOOZED = "promise_snoozed"  # data until
    NO_ANSWER = "no_answer"  # a survey closed without someone's answer (next issue)
    MESSAGE_SNOOZED = "message_snoozed"  # a client's message to ask about later: data until, channel, user (asker)
    SPONSOR_NAMED = "sponsor_named"  # data sponsor, cadence (days), previous (another sponsor replaced, if any)
    SPONSOR_OFF = "sponsor_off"  # data previous
    SPONSOR_SNOOZED = "sponsor_snoozed"  # the sponsor's own nudge postponed: data until


def record(
    session: Session,
    *,
    client: Client,
    kind: Kind,
    actor_id: str | None,
    at: datetime,
    promise_id: int | None = None,
    **data: Any,
) -> ClientEvent:
    """Add an event to the client's timeline."""
    event = ClientEvent(
        team_id=client.team_id, client_id=client.id, promise_id=promise_id, kind=kind, actor_id=actor_id,
        at=at, data=data,
    )  # fmt: skip
    session.add(event)
    return event


def recent_events(session: Session, *, client: Client, limit: int) -> list[ClientEvent]:
    """The client's latest events, newest first."""
    return list(
        session.scalars(
            select(ClientEvent)
            .where(ClientEvent.team_id == client.team_id, ClientEvent.client_id == client.id)
            .order_by(ClientEvent.at.desc(), ClientEvent.id.desc())
            .limit(limit)
        )
    )


def promise_moves(session: Session, *, client: Client) -> list[ClientEvent]:
    """Every new date given to the client's promises, oldest first: the slips."""
    return list(
        session.scalars(
            select(ClientEvent)
            .where(
                ClientEvent.team_id == client.team_id,
                ClientEvent.client_id == client.id,
                ClientEvent.kind == Kind.PROMISE_MOVED,
            )
            .order_by(ClientEvent.at, ClientEvent.id)
        )
    )

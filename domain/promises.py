"""Promises to clients: what, by when, who owns it, and when it was kept."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import Empty, PromiseAlreadyDone, TooLong, UnknownPromise
from domain.text import one_line
from storage.models import PROMISE_MAX, Client, Promise
from storage.once import add_once

ENTITY = re.compile(r"&(?:amp|lt|gt);")
PROMISE_ID_MAX = 2**31 - 1  # promise numbers are INTEGER ids; a larger one would make PostgreSQL fail, not miss


def midnight(day: date) -> datetime:
    """A calendar date as an instant: the cycle of a promise's heads-up."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def slip_cycle(due_on: date, snoozed_until: datetime | None) -> datetime:
    """A slipped promise's cycle: the day after it was due, or the end of its snooze."""
    start = midnight(due_on + timedelta(days=1))
    return max(start, snoozed_until) if snoozed_until else start


def refresh_cycles(promise: Promise) -> Promise:
    """Recompute the nudge cycles after the due date or the snooze changed (the sweep reads them by index)."""
    promise.heads_up_at = midnight(promise.due_on)
    promise.slip_at = slip_cycle(promise.due_on, promise.snoozed_until)
    return promise


def check_promise_text(what: str) -> str:
    """What was promised, on one line, not empty, at most PROMISE_MAX characters as people see them."""
    what = one_line(what="promise", text=what)
    if not what:
        raise Empty("promise")
    if visible_length(what) > PROMISE_MAX:
        raise TooLong("promise", PROMISE_MAX, visible_length(what))
    return what


def visible_length(text: str) -> int:
    """Length as read: Slack's &amp; &lt; &gt; count as one character each."""
    return len(ENTITY.sub("&", text))


def make_promise(
    session: Session,
    *,
    client: Client,
    what: str,
    due_on: date,
    owner_id: str,
    by: str,
    now: datetime,
    idempotency_key: str | None,
) -> tuple[Promise, bool]:
    """Record a promise; with a key already used, return the earlier promise and False."""
    what = check_promise_text(what)
    return add_once(
        session,
        refresh_cycles(
            Promise(
                team_id=client.team_id,
                client_id=client.id,
                what=what,
                due_on=due_on,
                owner_id=owner_id,
                created_by=by,
                created_at=now,
                idempotency_key=idempotency_key,
            )
        ),
    )


def get_promise_or_raise(session: Session, *, team_id: str, promise_id: int) -> Promise:
    """The workspace's promise with this number; another workspace's number is unknown here."""
    if not 0 < promise_id <= PROMISE_ID_MAX:
        raise UnknownPromise(f"#{promise_id}")
    promise = session.scalar(
        select(Promise).where(Promise.team_id == team_id, Promise.id == promise_id).with_for_update(key_share=True)
    )
    if promise is None:
        raise UnknownPromise(f"#{promise_id}")
    return promise


def complete_promise(session: Session, *, team_id: str, promise_id: int, by: str, now: datetime) -> Promise:
    """Mark a promise kept; a promise already kept raises PromiseAlreadyDone."""
    promise = get_promise_or_raise(session, team_id=team_id, promise_id=promise_id)
    if promise.done_at is not None:
        raise PromiseAlreadyDone(promise.id, promise.done_by)
    promise.done_at = now
    promise.done_by = by
    return promise


def client_promises(session: Session, *, client: Client) -> list[Promise]:
    """All of a client's promises, open ones first by due date, then kept ones newest first."""
    rows = session.scalars(
        select(Promise).where(Promise.team_id == client.team_id, Promise.client_id == client.id)
    ).all()
    open_ = sorted((p for p in rows if p.done_at is None), key=lambda p: (p.due_on, p.id))
    kept = sorted((p for p in rows if p.done_at is not None), key=lambda p: p.done_at or p.created_at, reverse=True)
    return open_ + kept

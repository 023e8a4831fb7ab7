"""Messages in channels linked to a client: stored at once, read after (contacts, client messages waiting).

Slack has its ack before these run (Bolt acks events first). A message in a channel linked to no client costs
one cached look-up. A linked channel's message is stored in one short transaction on Bolt's thread, so a burst
is never dropped; reading it needs Slack (users.info), so it runs on the post-ack pool, one read per
workspace at a time; when the pool is full the next event's read, or the sweep's, takes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import DBAPIError

from domain.channel_messages import Arrival, Side, forget, react_answer, side_of, store
from domain.channel_reading import joined
from domain.channels import linked_channel
from domain.inbox import first_delivery
from domain.people import profile
from handlers.context import ACK_DEADLINE, Deps, dependencies
from services.channel_history import backfill
from services.channel_reading import arrival_of, read_pending
from services.directory import look_up
from services.home import refresh_home
from storage.db import unit_of_work

log = logging.getLogger("rapport.channels")


def on_message(event: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """Store a linked channel's message (or forget a deleted one's text); edits and other subtypes change nothing."""
    channel, team_id = event.get("channel"), context.team_id or body.get("team_id")
    if not isinstance(channel, str) or not team_id:
        return
    deps = dependencies(context)
    if not deps.links.linked(deps.sessions, team_id=team_id, channel_id=channel, deadline=ACK_DEADLINE):
        return
    if event.get("subtype") == "message_deleted":
        ts = event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts")
        if isinstance(ts, str):
            _late_if_busy(deps, partial(_forget, deps, team_id, channel, ts))
        return
    arrival = arrival_of(event, channel_id=channel)
    if arrival is None:
        return
    _late_if_busy(deps, partial(_store_and_read, deps, slack, team_id, arrival))


def _late_if_busy(deps: Deps, write: Callable[[float | None], None]) -> None:
    """Write with the short wait that keeps Bolt's threads free; when the database is busy beyond it, again later.

    Slack has its ack and will not send the event again: the write is done off Bolt's thread, waiting as long as
    it takes (SQLite's write lock is no queue), or here when the pool is full. Late, never lost.
    """
    try:
        write(ACK_DEADLINE)
    except DBAPIError:
        log.warning("a channel message's write waited too long; writing it again without the short limit")
        if deps.background.reserve():
            deps.background.run(lambda: write(None))
        else:
            write(None)


def _forget(deps: Deps, team_id: str, channel_id: str, ts: str, deadline: float | None) -> None:
    """A deleted message: whatever text was kept of it goes."""
    with unit_of_work(deps.sessions, deadline=deadline) as session:
        forget(session, team_id=team_id, channel_id=channel_id, ts=ts)


def _store_and_read(deps: Deps, slack: WebClient, team_id: str, arrival: Arrival, deadline: float | None) -> None:
    if _store(deps, team_id, arrival, deadline=deadline):
        read_soon(deps, slack, team_id)


def _store(deps: Deps, team_id: str, arrival: Arrival, *, deadline: float | None) -> bool:
    """Store a message of a linked channel; False when it was unlinked meanwhile."""
    with unit_of_work(deps.sessions, deadline=deadline) as session:
        link = linked_channel(session, team_id=team_id, channel_id=arrival.channel_id)
        if link is None:
            return False
        store(session, link=link, arrivals=[arrival], now=deps.clock.now())
    return True


def read_soon(deps: Deps, slack: WebClient, team_id: str) -> bool:
    """Read the workspace's stored messages on the post-ack pool, unless a read is running (it reads again)."""
    if not deps.reads.start(team_id):
        return False
    if not deps.background.reserve():
        deps.reads.abandon(team_id)
        return False

    def work() -> None:
        try:
            while True:
                read_pending(deps.sessions, slack, team_id=team_id, now=deps.clock.now())
                if not deps.reads.finish(team_id):
                    return
        except Exception:
            deps.reads.abandon(team_id)
            raise

    deps.background.run(work)
    return True


def on_member_joined(event: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """rapport was invited to a channel: when it is linked to a client, read its history now."""
    channel, team_id = event.get("channel"), context.team_id or body.get("team_id")
    if event.get("user") != context.bot_user_id or not isinstance(channel, str) or not team_id:
        return
    deps = dependencies(context)
    deps.links.forget(team_id, channel)
    now = deps.clock.now()
    with unit_of_work(deps.sessions) as session:
        if linked_channel(session, team_id=team_id, channel_id=channel) is None:
            return
        joined(session, team_id=team_id, channel_id=channel, member=True, now=now)
    backfill(slack, deps.sessions, now=now, team_id=team_id, channel_id=channel)


def on_client_message_reaction(event: dict[str, Any], body: dict[str, Any], slack: WebClient,
                               context: BoltContext) -> bool:  # fmt: skip
    """✅ by a teammate on a message in a linked channel answers it; True when the channel is linked (handled)."""
    item, actor = event.get("item") or {}, event.get("user") or ""
    channel, team_id = item.get("channel"), context.team_id or body.get("team_id") or ""
    deps = dependencies(context)
    if not isinstance(channel, str) or not deps.links.linked(
        deps.sessions, team_id=team_id, channel_id=channel, deadline=ACK_DEADLINE
    ):
        return False
    now = deps.clock.now()
    lookup = look_up(deps.sessions, slack, team_id=team_id, user_ids=[actor], now=now)  # before the transaction
    answered = False
    with unit_of_work(deps.sessions) as session:
        if not first_delivery(session, team_id=team_id, event_id=body.get("event_id") or "", now=now):
            return True
        found = profile(session, team_id=team_id, user_id=actor, now=now, lookup=lookup)
        if side_of(found, team_id=team_id, user_team_id=None, listed=False) is Side.TEAM:
            answered = react_answer(session, team_id=team_id, channel_id=channel, ts=str(item.get("ts")), by=actor,
                                    at=now)  # fmt: skip
    if answered:
        refresh_home(deps.sessions, slack, team_id=team_id, user_id=actor, now=now)
    return True

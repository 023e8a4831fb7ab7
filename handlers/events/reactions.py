"""Reactions on nudges: ✅ done, 💤 snooze, 🙋 I'll take it. Each event takes effect once."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from domain.inbox import first_delivery
from domain.nudge_answers import (
    Action,
    carries_nudges,
    current_owner,
    may_answer,
    nudges_on_message,
    reaction_action,
)
from domain.nudges import NudgeKind, Status
from domain.people import can_own
from handlers.context import dependencies
from handlers.events.messages import on_client_message_reaction
from services.answering import After, apply, finish
from services.directory import look_up
from services.home import refresh_home
from storage.db import read_only, unit_of_work


def on_reaction(event: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """Answer the nudges of the message reacted to; ignore other messages, the bot itself and other teams."""
    action = reaction_action(event.get("reaction", ""))
    item = event.get("item") or {}
    actor = event.get("user") or ""
    if action is None or item.get("type") != "message" or not actor or actor == context.bot_user_id:
        return
    if action == Action.DONE and on_client_message_reaction(event, body, slack, context):
        return  # a ✅ in a client's channel: an answer to the client's message
    deps, team_id = dependencies(context), context.team_id or body.get("team_id") or ""
    with read_only(deps.sessions) as session:  # a reaction on any other message costs no more than this
        if not carries_nudges(session, team_id=team_id, channel_id=item["channel"], ts=item["ts"]):
            return
    now = deps.clock.now()
    after, answered = After(), False
    lookup = look_up(deps.sessions, slack, team_id=team_id, user_ids=[actor], now=now)  # before the transaction
    with unit_of_work(deps.sessions) as session:
        if not first_delivery(session, team_id=team_id, event_id=body.get("event_id") or "", now=now):
            return
        for nudge in nudges_on_message(session, team_id=team_id, channel_id=item["channel"], ts=item["ts"]):
            if nudge.status != Status.POSTED or not may_answer(session, nudge, actor):
                continue
            if action == Action.TAKE and nudge.kind in (NudgeKind.UNANSWERED, NudgeKind.SPONSOR):
                continue  # a client's message, a sponsor's own cadence: nothing to take over
            if action == Action.TAKE and current_owner(session, nudge) == actor:
                continue
            if action == Action.TAKE and not can_own(session, team_id=team_id, user_id=actor, now=now, lookup=lookup):
                continue  # a guest of a shared channel, or a bot, does not become an owner
            _, more = apply(session, nudge, action=action, actor_id=actor, now=now, lookup=lookup)
            after.add(more)
            answered = True
    finish(deps.sessions, slack, after, now=now, reader_id=actor)
    if answered:
        refresh_home(deps.sessions, slack, team_id=team_id, user_id=actor, now=now)

"""Event listeners."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from domain.clients import list_clients
from domain.commands import ListFilter
from handlers.context import dependencies
from handlers.events.messages import on_member_joined, on_message
from handlers.events.reactions import on_reaction
from handlers.listening import after_ack, stored_at_once
from render.blocks import surface
from render.views import home_view
from services.directory import look_up, reader
from storage.db import unit_of_work

HOME_CLIENTS = 20


def publish_home(event: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """The App Home tab: how to use rapport and the reader's own clients, quietest first."""
    if event.get("tab") != "home":
        return
    deps, team_id, user_id = dependencies(context), context.team_id or "", event["user"]
    now = deps.clock.now()
    lookup = look_up(deps.sessions, slack, team_id=team_id, user_ids=[user_id], now=now)
    with unit_of_work(deps.sessions) as session:
        mine, total = list_clients(session, team_id=team_id, which=ListFilter.MINE, user_id=user_id, now=now)
        who = reader(session, lookup, team_id=team_id, user_id=user_id, now=now)
    mine.sort(key=lambda s: (not s.overdue, -s.days_quiet))
    slack.views_publish(user_id=user_id, view=surface(home_view(mine[:HOME_CLIENTS], total, who)))


def register(app: App) -> None:
    app.event("app_home_opened")(after_ack(publish_home))
    app.event("reaction_added")(after_ack(on_reaction))
    app.event("message")(stored_at_once(on_message))
    app.event("member_joined_channel")(after_ack(on_member_joined))

"""Event listeners."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from handlers.context import dependencies
from handlers.events.messages import on_member_joined, on_message
from handlers.events.reactions import on_reaction
from handlers.listening import after_ack, stored_at_once
from services.home import publish_home


def open_home(event: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """The App Home tab, opened: the reader's dashboard as it is now."""
    if event.get("tab") != "home":
        return
    deps = dependencies(context)
    publish_home(deps.sessions, slack, team_id=context.team_id or "", user_id=event["user"], now=deps.clock.now())


def register(app: App) -> None:
    app.event("app_home_opened")(after_ack(open_home))
    app.event("reaction_added")(after_ack(on_reaction))
    app.event("message")(stored_at_once(on_message))
    app.event("member_joined_channel")(after_ack(on_member_joined))

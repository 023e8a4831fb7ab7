"""Shortcut listeners."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from handlers.listening import after_ack
from render.blocks import surface
from render.ids import CallbackId
from render.views import log_contact_modal


def open_log_contact(shortcut: dict[str, Any], slack: WebClient) -> None:
    """Message shortcut "Log client contact": open the modal prefilled with the message."""
    message = shortcut.get("message", {})
    channel_id = shortcut["channel"]["id"]
    metadata = json.dumps(
        {"channel": channel_id, "ts": message.get("ts"), "response_url": shortcut.get("response_url")},
        separators=(",", ":"),
    )
    view = log_contact_modal(
        message_text=message.get("text", ""),
        author=message.get("user"),
        channel_id=channel_id,
        metadata=metadata,
    )
    slack.views_open(trigger_id=shortcut["trigger_id"], view=surface(view))


def register(app: App) -> None:
    app.message_shortcut(CallbackId.LOG_CONTACT_SHORTCUT.value)(after_ack(open_log_contact))

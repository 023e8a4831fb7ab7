"""Slash command listeners."""

from __future__ import annotations

from slack_bolt import App

from handlers.commands.client import client_command
from handlers.listening import after_ack
from render.ids import CommandId


def register(app: App) -> None:
    app.command(CommandId.CLIENT.value)(after_ack(client_command))

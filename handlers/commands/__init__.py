"""Slash command listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.ids import CommandId
from handlers.commands.client import client_command


def register(app: App) -> None:
    app.command(CommandId.CLIENT.value)(client_command)

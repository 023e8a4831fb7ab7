"""Thin Slack listeners, one package per kind, each with register(app)."""

from __future__ import annotations

from slack_bolt import App

from handlers import actions, commands, errors, events, options, shortcuts, views


def register_all(app: App) -> None:
    """Register every listener on `app`."""
    for kind in (commands, shortcuts, actions, views, options, events, errors):
        kind.register(app)

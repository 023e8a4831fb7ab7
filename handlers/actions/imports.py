"""The App Home's Import clients button (the modal's submissions are handlers/views/imports.py)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from render.blocks import surface
from render.import_views import import_modal


def open_import(body: dict[str, Any], slack: WebClient) -> None:
    """The modal with the file input; who may import is checked once the file is read."""
    slack.views_open(trigger_id=body["trigger_id"], view=surface(import_modal()))

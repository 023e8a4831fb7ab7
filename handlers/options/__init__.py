"""Options for external selects."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.ids import ActionId
from domain.search import search_clients
from handlers.context import deps
from handlers.errors import reporting
from render.views import client_options
from storage.db import unit_of_work


def client_picker_options(ack: Ack, payload: dict[str, Any], context: BoltContext) -> None:
    """Clients matching what was typed in the picker."""
    with unit_of_work(deps(context).sessions) as session:
        matches = search_clients(session, team_id=context.team_id or "", query=payload.get("value", ""))
    ack(options=client_options(matches))


def register(app: App) -> None:
    app.options(ActionId.CLIENT_PICK.value)(reporting(client_picker_options))

"""Options for external selects."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from domain.search import search_clients
from handlers.access import acting_team
from handlers.context import ACK_DEADLINE, dependencies
from handlers.listening import in_ack
from render.ids import ActionId
from render.views import client_options
from storage.db import read_only


def client_picker_options(ack: Ack, body: dict[str, Any], payload: dict[str, Any], context: BoltContext) -> None:
    """Clients of the person's own workspace matching what was typed in the picker."""
    team_id = acting_team(body, context)
    with read_only(dependencies(context).sessions, deadline=ACK_DEADLINE) as session:
        matches = search_clients(session, team_id=team_id, query=str(payload.get("value") or ""))
    ack(options=client_options(matches))


def register(app: App) -> None:
    app.options(ActionId.CLIENT_PICK.value)(in_ack(client_picker_options))

"""The "I've been in touch" modal submitted: log the contact and answer the nudge."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.ids import ActionId, BlockId
from domain.answers import Action, nudge_or_raise
from domain.contacts import check_note
from domain.errors import RapportError
from handlers.context import deps
from handlers.nudge_answers import apply, finish
from render.errors import error_text
from render.formats import escape
from storage.db import unit_of_work


def save_nudge_contact(ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Listener for the nudge's contact modal."""
    note = escape(view["state"]["values"].get(BlockId.NOTE, {}).get(ActionId.NOTE_INPUT, {}).get("value") or "")
    if note.strip():
        try:
            check_note(note)
        except RapportError as exc:
            ack(response_action="errors", errors={BlockId.NOTE.value: error_text(exc)})
            return
    ack()
    app, team_id, actor = deps(context), context.team_id or "", context.user_id or ""
    nudge_id = int(json.loads(view.get("private_metadata") or "{}").get("nudge", 0))
    now = app.clock.now()
    with unit_of_work(app.sessions) as session:
        nudge = nudge_or_raise(session, team_id=team_id, nudge_id=nudge_id)
        _, after = apply(session, client, nudge, action=Action.LOGGED, actor_id=actor, now=now, note=note or None)
    finish(app, client, after, now=now, reader_id=actor)

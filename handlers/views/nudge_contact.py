"""The "I've been in touch" modal submitted: log the contact and answer the nudge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from domain.contacts import check_note
from domain.errors import RapportError
from domain.nudge_answers import Action, answerable_or_raise
from handlers.access import acting_team, acting_user, number
from handlers.context import Deps, dependencies
from handlers.survey_access import read_metadata
from render.errors import error_text
from render.formats import escape
from render.ids import ActionId, BlockId
from services.answering import apply, finish
from services.directory import look_up
from services.home import refresh_home
from storage.db import unit_of_work


def save_nudge_contact(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext
) -> Callable[[], None] | None:
    """Listener for the nudge's contact modal: check the note, close; the answer is given after the ack."""
    note = escape(view["state"]["values"].get(BlockId.NOTE, {}).get(ActionId.NOTE_INPUT, {}).get("value") or "")
    if note.strip():
        try:
            check_note(note)
        except RapportError as exc:
            ack(response_action="errors", errors={BlockId.NOTE.value: error_text(exc)})
            return None
    ack()
    deps, team_id, actor = dependencies(context), acting_team(body, context), acting_user(body, context)
    nudge_id = number(read_metadata(view).get("nudge")) or 0
    return lambda: _answer(deps, slack, team_id=team_id, actor=actor, nudge_id=nudge_id, note=note or None)


def _answer(deps: Deps, slack: WebClient, *, team_id: str, actor: str, nudge_id: int, note: str | None) -> None:
    now = deps.clock.now()
    lookup = look_up(deps.sessions, slack, team_id=team_id, user_ids=[actor], now=now)
    with unit_of_work(deps.sessions) as session:
        nudge = answerable_or_raise(session, team_id=team_id, nudge_id=nudge_id, actor_id=actor)
        _, after = apply(session, nudge, action=Action.LOGGED, actor_id=actor, now=now, lookup=lookup, note=note)
    finish(deps.sessions, slack, after, now=now, reader_id=actor)
    refresh_home(deps.sessions, slack, team_id=team_id, user_id=actor, now=now)

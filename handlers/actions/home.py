"""App Home buttons: log a contact, snooze a client, keep or snooze a promise, answer or snooze a client's message.

A button's value is only the id of what it is about; the workspace and the right to answer come from who pressed
it (handlers.access), and domain.home_answers checks them. The actor's Home is published again once committed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from domain import home_answers
from domain.errors import UnknownHomeItem
from domain.names import get_client
from handlers.access import acting_team, acting_user, number
from handlers.context import dependencies
from handlers.survey_access import metadata
from render.blocks import surface
from render.ids import ActionId
from render.views import home_contact_modal
from services.answering import After, finish
from services.home import refresh_home
from storage.db import read_only, unit_of_work

# Each button's answer, and the name of the id its value carries.
ANSWERS: dict[str, tuple[Callable[..., object], str]] = {
    ActionId.HOME_SNOOZE_CLIENT: (home_answers.snooze_client, "client_id"),
    ActionId.HOME_PROMISE_DONE: (home_answers.keep_promise, "promise_id"),
    ActionId.HOME_PROMISE_SNOOZE: (home_answers.snooze_promise, "promise_id"),
    ActionId.HOME_MESSAGE_ANSWERED: (home_answers.answer_message, "message_id"),
    ActionId.HOME_MESSAGE_SNOOZE: (home_answers.snooze_waiting, "message_id"),
}


def answer_on_home(body: dict[str, Any], action: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """Apply the button's answer in one transaction, then publish the actor's Home again."""
    deps, team_id, actor = dependencies(context), acting_team(body, context), acting_user(body, context)
    now = deps.clock.now()
    answer, about = ANSWERS[action["action_id"]]
    with unit_of_work(deps.sessions) as session:
        closed = answer(session, team_id=team_id, actor_id=actor, now=now, **{about: _item(action)})
    if isinstance(closed, set):  # the nudges it closed lose their buttons, as after the sweep
        finish(deps.sessions, slack, After(messages=closed), now=now, reader_id=actor)
    refresh_home(deps.sessions, slack, team_id=team_id, user_id=actor, now=now)


def open_home_contact(body: dict[str, Any], action: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """Log a contact: the log-contact modal, the client picked (any teammate may log a contact, as with /client log)."""
    deps, team_id = dependencies(context), acting_team(body, context)
    with read_only(deps.sessions) as session:
        name = _client_name(session, team_id, _item(action))
    view = home_contact_modal(client_id=_item(action), client_name=name, metadata=metadata(home=True))
    slack.views_open(trigger_id=body["trigger_id"], view=surface(view))


def _client_name(session: Session, team_id: str, client_id: int) -> str:
    client = get_client(session, team_id=team_id, client_id=client_id)
    if client is None:
        raise UnknownHomeItem(f"client {client_id}")
    return client.name


def _item(action: dict[str, Any]) -> int:
    """The id a Home button carries (0, which no row has, when it carries none)."""
    return number(action.get("value")) or 0

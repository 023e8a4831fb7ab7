"""Buttons and menus on nudges."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from domain.errors import UnknownNudge
from domain.nudge_answers import Action, answerable_or_raise, ensure_open
from domain.people import teammate_or_raise
from handlers.access import acting_team, acting_user, number, picked_date
from handlers.actions.home import ANSWERS, answer_on_home, open_home_contact
from handlers.actions.imports import open_import
from handlers.actions.surveys import open_fix, open_survey
from handlers.context import dependencies
from handlers.listening import after_ack
from render.blocks import surface
from render.ids import ActionId
from render.nudges import SNOOZE_DAYS, nudge_id_of
from render.views import nudge_contact_modal
from services.answering import apply, finish, today_for
from services.directory import look_up
from services.home import refresh_home
from storage.db import unit_of_work


def _nudge_id(action: dict[str, Any]) -> int:
    """The nudge an action belongs to: its button value, its menu option, or its row's block_id."""
    raw = action.get("value") or str((action.get("selected_option") or {}).get("value") or "").split(":")[0]
    found = number(raw) or nudge_id_of(action.get("block_id"))
    if found is None:
        raise UnknownNudge(str(action.get("block_id")))
    return found


def answer_action(body: dict[str, Any], action: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """Done, snooze, hand over, new date, take it, answered: answer the nudge, then edit its message."""
    deps, team_id, actor = dependencies(context), acting_team(body, context), acting_user(body, context)
    now = deps.clock.now()
    kind, options = _what(action)
    new_owner = options.get("new_owner", actor)
    lookup = look_up(deps.sessions, slack, team_id=team_id, user_ids=[actor, new_owner], now=now)
    with unit_of_work(deps.sessions) as session:
        nudge = answerable_or_raise(session, team_id=team_id, nudge_id=_nudge_id(action), actor_id=actor)
        if kind in (Action.HAND_OVER, Action.TAKE):  # only a member of the workspace can own a client
            teammate_or_raise(session, team_id=team_id, user_id=new_owner, now=now, lookup=lookup)
        if kind == Action.NEW_DATE:
            options["today"] = today_for(session, lookup, team_id=team_id, user_id=actor, now=now)
        _, after = apply(session, nudge, action=kind, actor_id=actor, now=now, lookup=lookup, **options)
    finish(deps.sessions, slack, after, now=now, reader_id=actor)
    refresh_home(deps.sessions, slack, team_id=team_id, user_id=actor, now=now)


def _what(action: dict[str, Any]) -> tuple[Action, dict[str, Any]]:
    """The answer an action means, and its options."""
    action_id = action["action_id"]
    if action_id == ActionId.NUDGE_SNOOZE_DAY:  # a client's message: asked about again a working day later
        return Action.SNOOZE, {}
    if action_id == ActionId.NUDGE_SNOOZE:
        days = str((action.get("selected_option") or {}).get("value") or "").partition(":")[2]
        return Action.SNOOZE, {"snooze_days": number(days) if number(days) in SNOOZE_DAYS else None}
    if action_id == ActionId.NUDGE_HAND_OVER:
        return Action.HAND_OVER, {"new_owner": str(action.get("selected_user") or "")}
    if action_id == ActionId.NUDGE_NEW_DATE:
        return Action.NEW_DATE, {"new_date": picked_date(action.get("selected_date"))}
    if action_id == ActionId.NUDGE_TAKE:
        return Action.TAKE, {}
    return Action.DONE, {}


def open_contact_modal(body: dict[str, Any], action: dict[str, Any], slack: WebClient, context: BoltContext) -> None:
    """ "I've been in touch": a modal to log the contact (the note starts empty)."""
    deps, team_id, actor = dependencies(context), acting_team(body, context), acting_user(body, context)
    nudge_id = _nudge_id(action)
    with unit_of_work(deps.sessions) as session:
        ensure_open(answerable_or_raise(session, team_id=team_id, nudge_id=nudge_id, actor_id=actor))
    view = nudge_contact_modal(json.dumps({"nudge": nudge_id}))
    slack.views_open(trigger_id=body["trigger_id"], view=surface(view))


def register(app: App) -> None:
    for action_id in (ActionId.NUDGE_SNOOZE, ActionId.NUDGE_HAND_OVER, ActionId.NUDGE_DONE, ActionId.NUDGE_NEW_DATE,
                      ActionId.NUDGE_TAKE, ActionId.NUDGE_ANSWERED, ActionId.NUDGE_SNOOZE_DAY):  # fmt: skip
        app.action(action_id.value)(after_ack(answer_action))
    app.action(ActionId.NUDGE_LOGGED.value)(after_ack(open_contact_modal))
    app.action(ActionId.SURVEY_ANSWER.value)(after_ack(open_survey))
    app.action(ActionId.SURVEY_PLAN_FIX.value)(after_ack(open_fix))
    app.action(ActionId.SURVEY_NO_FIX.value)(after_ack(open_fix))
    app.action(ActionId.IMPORT_OPEN.value)(after_ack(open_import))
    for home_action in ANSWERS:
        app.action(home_action)(after_ack(answer_on_home))
    app.action(ActionId.HOME_LOG_CONTACT.value)(after_ack(open_home_contact))

"""Survey buttons: Answer (2 min), Plan a fix, No fix needed."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from domain.survey_results import results
from domain.surveys import Side, decider_or_raise, invited_or_raise, questions
from handlers.access import acting_team, acting_user, installed_team, number
from handlers.context import dependencies
from handlers.survey_access import metadata
from render import surveys as render
from render.blocks import simple, surface
from render.ids import ActionId
from storage.db import read_only
from storage.models import Client, QuestionSet


def open_survey(body: dict[str, Any], action: dict[str, Any], slack: WebClient, respond: Respond,
                context: BoltContext) -> None:  # fmt: skip
    """The invited person gets the questions; anyone else only learns that the survey isn't for them."""
    user, teams = acting_user(body, context), [t for t in (acting_team(body, context), installed_team(context)) if t]
    with read_only(dependencies(context).sessions) as session:
        survey, person = invited_or_raise(session, teams=teams, survey_id=number(action.get("value")) or 0,
                                          user_id=user)  # fmt: skip
        if person.answered_at is not None or survey.closed_at is not None:
            text = render.already_answered() if person.answered_at else render.survey_closed()
            view = None
        else:
            qs = session.get(QuestionSet, survey.question_set_id)
            owner = session.get(Client, survey.client_id)
            assert qs is not None and owner is not None
            view = render.answer_modal(
                questions(qs), side=Side(person.side), project=survey.project, client_name=owner.name,
                requester_id=survey.requester_id, metadata=metadata(survey=survey.id),
            )  # fmt: skip
    if view is None:
        respond(response_type="ephemeral", replace_original=False, **simple(text).to_dict())
    else:
        slack.views_open(trigger_id=body["trigger_id"], view=surface(view))


def open_fix(body: dict[str, Any], action: dict[str, Any], slack: WebClient, respond: Respond,
             context: BoltContext) -> None:  # fmt: skip
    """Plan a fix, or say why none is needed, for one item of the summary: for those who got the results."""
    target = _target(action.get("value"))
    team_id, user, survey_id = acting_team(body, context), acting_user(body, context), number(target.get("survey"))
    with read_only(dependencies(context).sessions) as session:
        survey = decider_or_raise(session, team_id=team_id, survey_id=survey_id or 0, user_id=user)
        item = next((i for i in results(session, survey=survey).items if i.question.key == target.get("item")), None)
        view = None
        if item is not None and item.fix is None:
            meta = metadata(survey=survey.id, item=item.question.key)
            label = f"{render.question_words(item.question.label)} ({survey.project})"
            if action["action_id"] == ActionId.SURVEY_PLAN_FIX:
                view = render.fix_modal(label=label, requester_id=survey.requester_id, metadata=meta)
            else:
                view = render.dismiss_modal(label=label, metadata=meta)
    if view is None:
        respond(response_type="ephemeral", replace_original=False, **simple(render.already_decided()).to_dict())
    else:
        slack.views_open(trigger_id=body["trigger_id"], view=surface(view))


def _target(value: object) -> dict[str, Any]:
    """The survey and item a result button points at (checked against the person pressing it)."""
    try:
        found = json.loads(str(value or "{}"))
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}

"""Survey buttons: Answer (2 min), Plan a fix, No fix needed."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.ids import ActionId
from domain.surveys import participant, participants, questions, results
from handlers.context import deps
from handlers.survey_access import metadata, survey_or_raise
from render import surveys as render
from storage.db import unit_of_work
from storage.models import Client, QuestionSet


def open_survey(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond,
                context: BoltContext) -> None:  # fmt: skip
    """The invited person gets the questions; anyone else is told whom the survey is for."""
    ack()
    user = body["user"]["id"]
    with unit_of_work(deps(context).sessions) as session:
        survey = survey_or_raise(session, context, int(action.get("value") or 0))
        person = participant(session, survey=survey, user_id=user)
        if person is None:
            invited = [p.user_id for p in participants(session, survey=survey)]
            respond(response_type="ephemeral", replace_original=False, text=render.not_for_you(invited))
            return
        if person.answered_at is not None or survey.closed_at is not None:
            text = render.already_answered() if person.answered_at else render.survey_closed()
            respond(response_type="ephemeral", replace_original=False, text=text)
            return
        qs = session.get(QuestionSet, survey.question_set_id)
        owner = session.get(Client, survey.client_id)
        assert qs is not None and owner is not None
        view = render.answer_modal(
            questions(qs), side=person.side, project=survey.project, client_name=owner.name,
            requester_id=survey.requester_id, metadata=metadata(survey=survey.id, team=survey.team_id),
        )  # fmt: skip
    client.views_open(trigger_id=body["trigger_id"], view=view)


def open_fix(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond,
             context: BoltContext) -> None:  # fmt: skip
    """Plan a fix, or say why none is needed, for one item of the summary."""
    ack()
    target = json.loads(action.get("value") or "{}")
    with unit_of_work(deps(context).sessions) as session:
        survey = survey_or_raise(session, context, int(target.get("survey", 0)))
        item = next((i for i in results(session, survey=survey).items if i.question.key == target.get("item")), None)
        if item is None or item.fix is not None:
            respond(response_type="ephemeral", replace_original=False, text=render.already_decided())
            return
        meta = metadata(survey=survey.id, team=survey.team_id, item=item.question.key)
        label = f"{item.question.label} ({survey.project})"
        if action["action_id"] == ActionId.SURVEY_PLAN_FIX:
            view = render.fix_modal(label=label, requester_id=survey.requester_id, metadata=meta)
        else:
            view = render.dismiss_modal(label=label, metadata=meta)
    client.views_open(trigger_id=body["trigger_id"], view=view)

"""Survey modals submitted: the answers (once), a planned fix, a reason why no fix is needed."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.directory import slack_lookup
from bot.ids import ActionId, BlockId, comment_block, rating_block
from bot.surveying import mark_answered, refresh_summaries, send_summary
from domain.errors import NotAPerson, NotInFuture, RapportError, UnknownSurvey
from domain.people import teammate_or_raise
from domain.surveys import (
    Rating,
    answer_problems,
    complete_if_answered,
    dismiss,
    get_survey,
    participant,
    plan_fix,
    questions,
    submit,
)
from handlers.context import deps
from handlers.nudge_answers import today_for
from handlers.survey_access import read_metadata
from render import surveys as render
from render.errors import error_text
from render.formats import escape
from storage.db import unit_of_work
from storage.models import Client, QuestionSet, Survey

PROBLEM_TEXT = {
    "missing": render.rating_needed,
    "needs_comment": render.comment_needed,
    "too_long": render.comment_too_long,
    "unreadable": render.comment_unreadable,
}


def _given(values: dict[str, Any], keys: list[str]) -> dict[str, Rating]:
    """The ratings and comments as submitted (Slack sends only what was filled in)."""
    given = {}
    for key in keys:
        option = (values.get(rating_block(key), {}).get(ActionId.RATING, {}) or {}).get("selected_option") or {}
        raw = str(option.get("value") or "")
        comment = (values.get(comment_block(key), {}).get(ActionId.COMMENT, {}) or {}).get("value")
        given[key] = Rating(
            int(raw) if raw in {"1", "2", "3", "4", "5"} else None, escape(comment) if comment else None
        )
    return given


def save_answers(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Answers are stored once; a 1 or 2 without a why keeps the modal open with the error on that comment."""
    app, meta, user = deps(context), read_metadata(view), body["user"]["id"]
    now = app.clock.now()
    with unit_of_work(app.sessions) as session:
        survey = session.get(Survey, int(meta.get("survey", 0)))
        person = (
            participant(session, survey=survey, user_id=user) if survey and survey.team_id == meta.get("team") else None
        )
        if survey is None or person is None:
            ack(response_action="update", view=render.thanks_view(render.not_for_you([])))
            return
        if survey.closed_at is not None and person.answered_at is None:
            ack(response_action="update", view=render.thanks_view(render.survey_closed()))
            return
        qs, owner = session.get(QuestionSet, survey.question_set_id), session.get(Client, survey.client_id)
        assert qs is not None and owner is not None
        items = questions(qs)
        given = _given(view["state"]["values"], [q.key for q in items])
        problems = answer_problems(items, given)
        if problems:
            errors = {
                (rating_block(k) if p == "missing" else comment_block(k)): PROBLEM_TEXT[p]()
                for k, p in problems.items()
            }
            ack(response_action="errors", errors=errors)
            return
        if not submit(session, survey=survey, person=person, given=given, now=now):
            ack(response_action="update", view=render.thanks_view(render.already_answered()))
            return
        completed = complete_if_answered(session, survey=survey, now=now)
        answered = (person.channel_id, person.ts, survey.project, owner.name, survey.team_id, survey.id)
    ack(response_action="update", view=render.thanks_view(render.thank_you()))
    channel, ts, project, client_name, team_id, survey_id = answered
    mark_answered(client, channel, ts, project=project, client_name=client_name)
    if completed:
        send_summary(client, app.sessions, team_id=team_id, survey_id=survey_id, now=now)


def save_fix(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Plan a fix: a promise to the client linked to the survey item; the summaries show it."""
    app, meta, user = deps(context), read_metadata(view), body["user"]["id"]
    values, now = view["state"]["values"], app.clock.now()
    what = escape((values.get(BlockId.FIX_WHAT, {}).get(ActionId.FIX_WHAT, {}) or {}).get("value") or "")
    owner = (values.get(BlockId.FIX_OWNER, {}).get(ActionId.FIX_OWNER, {}) or {}).get("selected_user") or user
    picked = (values.get(BlockId.FIX_DUE, {}).get(ActionId.FIX_DUE, {}) or {}).get("selected_date")
    with unit_of_work(app.sessions) as session:
        survey = _survey(session, meta)
        try:
            teammate_or_raise(session, team_id=survey.team_id, user_id=owner, now=now, lookup=slack_lookup(client))
        except NotAPerson as exc:
            ack(response_action="errors", errors={BlockId.FIX_OWNER.value: error_text(exc)})
            return
        today = today_for(session, client, team_id=survey.team_id, user_id=user, now=now)
        try:
            due_on = date.fromisoformat(picked) if picked else today
            with session.begin_nested():  # a refusal half-way leaves nothing behind
                plan_fix(session, survey=survey, item=str(meta.get("item")), what=what, owner_id=owner,
                         due_on=due_on, today=today, by=user, now=now)  # fmt: skip
        except NotInFuture as exc:
            ack(response_action="errors", errors={BlockId.FIX_DUE.value: error_text(exc)})
            return
        except RapportError as exc:
            ack(response_action="errors", errors={BlockId.FIX_WHAT.value: error_text(exc)})
            return
    ack()
    refresh_summaries(client, app.sessions, team_id=survey.team_id, survey_id=survey.id, now=now)


def save_dismissal(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """No fix needed, with the reason the team decided on."""
    app, meta, user = deps(context), read_metadata(view), body["user"]["id"]
    reason = escape((view["state"]["values"].get(BlockId.REASON, {}).get(ActionId.REASON, {}) or {}).get("value") or "")
    now = app.clock.now()
    with unit_of_work(app.sessions) as session:
        survey = _survey(session, meta)
        try:
            with session.begin_nested():
                dismiss(session, survey=survey, item=str(meta.get("item")), reason=reason, by=user, now=now)
        except RapportError as exc:
            ack(response_action="errors", errors={BlockId.REASON.value: error_text(exc)})
            return
    ack()
    refresh_summaries(client, app.sessions, team_id=survey.team_id, survey_id=survey.id, now=now)


def _survey(session: Session, meta: dict[str, Any]) -> Survey:
    """The survey a modal belongs to (its workspace and id travel in the modal's private metadata)."""
    found = get_survey(session, team_id=str(meta.get("team")), survey_id=int(meta.get("survey", 0)))
    if found is None:
        raise UnknownSurvey(f"#{meta.get('survey')}")
    return found

"""Survey modals submitted: the answers (once), a planned fix, a reason why no fix is needed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.dates import local_today
from domain.errors import InvalidDate, NotAPerson, NotInFuture, NotInvited, RapportError
from domain.people import cached_profile, person_or_raise
from domain.survey_fixes import dismiss, plan_fix
from domain.surveys import (
    AnswerProblem,
    Rating,
    Side,
    answer_problems,
    complete_if_answered,
    decider_or_raise,
    invited_or_raise,
    questions,
    submit,
)
from handlers.access import acting_team, acting_user, installed_team, number, picked_date
from handlers.context import ACK_DEADLINE, dependencies
from handlers.survey_access import read_metadata
from render import surveys as render
from render.blocks import surface
from render.errors import error_text
from render.formats import escape
from render.ids import ActionId, BlockId, comment_block, rating_block
from services.home import refresh_home
from services.surveying import mark_answered, refresh_summaries, send_summary
from storage.db import unit_of_work
from storage.models import Client, QuestionSet, Survey

PROBLEM_TEXT = {
    AnswerProblem.MISSING: render.rating_needed,
    AnswerProblem.NEEDS_COMMENT: render.comment_needed,
    AnswerProblem.TOO_LONG: render.comment_too_long,
    AnswerProblem.UNREADABLE: render.comment_unreadable,
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


def save_answers(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext
) -> Callable[[], None] | None:
    """Answers are stored once; a 1 or 2 without a why keeps the modal open with the error on that comment."""
    deps, user = dependencies(context), acting_user(body, context)
    now = deps.clock.now()
    teams = [t for t in (acting_team(body, context), installed_team(context)) if t]
    survey_id = number(read_metadata(view).get("survey")) or 0
    with unit_of_work(deps.sessions, deadline=ACK_DEADLINE) as session:
        try:
            survey, person = invited_or_raise(session, teams=teams, survey_id=survey_id, user_id=user)
        except NotInvited:
            ack(response_action="update", view=surface(render.thanks_view(render.not_for_you())))
            return None
        if survey.closed_at is not None and person.answered_at is None:
            ack(response_action="update", view=surface(render.thanks_view(render.survey_closed())))
            return None
        qs, owner = session.get(QuestionSet, survey.question_set_id), session.get(Client, survey.client_id)
        assert qs is not None and owner is not None
        items = questions(qs)
        given = _given(view["state"]["values"], [q.key for q in items])
        problems = answer_problems(items, given)
        if problems:
            ack(response_action="errors", errors=_problem_fields(problems))
            return None
        if not submit(session, survey=survey, person=person, given=given, now=now):
            ack(response_action="update", view=surface(render.thanks_view(render.already_answered())))
            return None
        completed = complete_if_answered(session, survey=survey, now=now)
        channel, ts, project, client_name = person.channel_id, person.ts, survey.project, owner.name
        team_id, survey_id, home = survey.team_id, survey.id, user if person.side == Side.TEAM else ""
    ack(response_action="update", view=surface(render.thanks_view(render.thank_you())))

    def after() -> None:
        mark_answered(slack, channel, ts, project=project, client_name=client_name)
        if completed:
            send_summary(slack, deps.sessions, team_id=team_id, survey_id=survey_id, now=now)
        refresh_home(deps.sessions, slack, team_id=team_id, user_id=home, now=now)  # the client's side has none

    return after


def _problem_fields(problems: dict[str, AnswerProblem]) -> dict[str, str]:
    """Each problem on its block: a missing rating on the rating, the rest on the comment."""
    return {
        (rating_block(key) if problem == AnswerProblem.MISSING else comment_block(key)): PROBLEM_TEXT[problem]()
        for key, problem in problems.items()
    }


def save_fix(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext
) -> Callable[[], None] | None:
    """Plan a fix: a promise to the client linked to the survey item; the summaries show it."""
    deps, meta, user = dependencies(context), read_metadata(view), acting_user(body, context)
    values, now = view["state"]["values"], deps.clock.now()
    what = escape((values.get(BlockId.FIX_WHAT, {}).get(ActionId.FIX_WHAT, {}) or {}).get("value") or "")
    owner = str((values.get(BlockId.FIX_OWNER, {}).get(ActionId.FIX_OWNER, {}) or {}).get("selected_user") or user)
    picked = (values.get(BlockId.FIX_DUE, {}).get(ActionId.FIX_DUE, {}) or {}).get("selected_date")
    with unit_of_work(deps.sessions, deadline=ACK_DEADLINE) as session:
        survey = _decided_by(session, body, context, meta)
        try:  # only what we already know of the owner: the ack never waits for Slack
            known = cached_profile(session, team_id=survey.team_id, user_id=owner, now=now)
            if known is not None:
                person_or_raise(owner, known, member_of=survey.team_id)
        except NotAPerson as exc:
            ack(response_action="errors", errors={BlockId.FIX_OWNER.value: error_text(exc)})
            return None
        mine = cached_profile(session, team_id=survey.team_id, user_id=user, now=now)
        today = local_today(now, mine.tz if mine else None)
        try:
            due_on = picked_date(picked) if picked else today
            with session.begin_nested():  # a refusal half-way leaves nothing behind
                plan_fix(session, survey=survey, item=str(meta.get("item")), what=what, owner_id=owner,
                         due_on=due_on, today=today, by=user, now=now)  # fmt: skip
        except (NotInFuture, InvalidDate) as exc:
            ack(response_action="errors", errors={BlockId.FIX_DUE.value: error_text(exc)})
            return None
        except RapportError as exc:
            ack(response_action="errors", errors={BlockId.FIX_WHAT.value: error_text(exc)})
            return None
        team_id, survey_id = survey.team_id, survey.id
    ack()
    return lambda: _refresh(slack, deps.sessions, team_id=team_id, survey_id=survey_id, user=user, now=now)


def save_dismissal(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext
) -> Callable[[], None] | None:
    """No fix needed, with the reason the team decided on."""
    deps, meta, user = dependencies(context), read_metadata(view), acting_user(body, context)
    reason = escape((view["state"]["values"].get(BlockId.REASON, {}).get(ActionId.REASON, {}) or {}).get("value") or "")
    now = deps.clock.now()
    with unit_of_work(deps.sessions, deadline=ACK_DEADLINE) as session:
        survey = _decided_by(session, body, context, meta)
        try:
            with session.begin_nested():
                dismiss(session, survey=survey, item=str(meta.get("item")), reason=reason, by=user, now=now)
        except RapportError as exc:
            ack(response_action="errors", errors={BlockId.REASON.value: error_text(exc)})
            return None
        team_id, survey_id = survey.team_id, survey.id
    ack()
    return lambda: _refresh(slack, deps.sessions, team_id=team_id, survey_id=survey_id, user=user, now=now)


def _decided_by(session: Session, body: dict[str, Any], context: BoltContext, meta: dict[str, Any]) -> Survey:
    """The survey a results modal is about, if the person submitting may decide on it.

    Only the survey's id comes from the modal's private metadata; the workspace and the right to decide come
    from who submits it.
    """
    return decider_or_raise(session, team_id=acting_team(body, context), survey_id=number(meta.get("survey")) or 0,
                            user_id=acting_user(body, context))  # fmt: skip


def _refresh(slack: WebClient, sessions: sessionmaker[Session], *, team_id: str, survey_id: int, user: str,
             now: datetime) -> None:  # fmt: skip
    """A decision on a result: the summaries show it, and so does the decider's Home (a fix is a promise)."""
    refresh_summaries(slack, sessions, team_id=team_id, survey_id=survey_id, now=now)
    refresh_home(sessions, slack, team_id=team_id, user_id=user, now=now)

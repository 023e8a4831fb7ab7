"""Deciding on a survey's results: a fix (a promise to the client, nudged like any other) or a reason for none."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.commands import Subcommand
from domain.errors import Empty, NotInFuture, Problem, TooLong, UsageError
from domain.promises import check_promise_text, make_promise
from domain.surveys import Question, questions
from domain.text import check_text
from storage.models import NOTE_MAX, Client, QuestionSet, Survey, SurveyFix


def _item_or_raise(session: Session, survey: Survey, item: str) -> Question:
    row = session.get(QuestionSet, survey.question_set_id)
    assert row is not None
    found = next((q for q in questions(row) if q.key == item), None)
    if found is None:
        raise UsageError(Subcommand.SURVEY, Problem.UNKNOWN_ITEM, item)
    return found


def plan_fix(
    session: Session, *, survey: Survey, item: str, what: str, owner_id: str, due_on: date, today: date,
    by: str, now: datetime,
) -> tuple[SurveyFix, bool]:  # fmt: skip
    """A promise to the client linked to the survey item: the nudges remind its owner until it is kept."""
    if due_on <= today:
        raise NotInFuture(due_on)
    check_promise_text(what)
    _item_or_raise(session, survey, item)
    client = session.scalar(select(Client).where(Client.team_id == survey.team_id, Client.id == survey.client_id))
    assert client is not None
    fix, created = _add_fix(session, survey, item, by, now)
    if not created:
        return fix, False
    promise, _ = make_promise(
        session, client=client, what=what, due_on=due_on, owner_id=owner_id, by=by, now=now,
        idempotency_key=f"survey:{survey.id}:{item}",
    )  # fmt: skip
    promise.survey_id, promise.survey_item = survey.id, item
    fix.promise_id = promise.id
    return fix, True


def dismiss(
    session: Session, *, survey: Survey, item: str, reason: str, by: str, now: datetime
) -> tuple[SurveyFix, bool]:
    """No fix needed, and why (the reason is required: it is what the team decided)."""
    reason = check_text(what="reason", text=reason, multi_line=True).strip()
    if not reason:
        raise Empty("reason")
    if len(reason) > NOTE_MAX:
        raise TooLong("reason", NOTE_MAX, len(reason))
    _item_or_raise(session, survey, item)
    fix, created = _add_fix(session, survey, item, by, now)
    if created:
        fix.reason = reason
    return fix, created


def _add_fix(session: Session, survey: Survey, item: str, by: str, now: datetime) -> tuple[SurveyFix, bool]:
    """One decision per survey item: a second click or a retry finds the first one."""
    existing = session.scalar(select(SurveyFix).where(SurveyFix.survey_id == survey.id, SurveyFix.item == item))
    if existing is not None:
        return existing, False
    fix = SurveyFix(team_id=survey.team_id, survey_id=survey.id, item=item, by=by, at=now)
    try:
        with session.begin_nested():
            session.add(fix)
    except IntegrityError:  # a double submit at the same moment: the other one decided
        found = session.scalar(select(SurveyFix).where(SurveyFix.survey_id == survey.id, SurveyFix.item == item))
        assert found is not None
        return found, False
    return fix, True

"""Personal survey links for client contacts outside Slack: signed, answered once, expiring after LINK_DAYS.

A link carries the participant's id and the random nonce stored with them, signed with the app's link key
(itsdangerous): a link changed by one character is refused before the database is asked. It expires LINK_DAYS
after the survey started (by the injected clock), and answering goes through the same domain path as a Slack answer
(`submit`, `complete_if_answered`), so summaries, gaps, blind spots and fixes cannot tell the two apart.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import RapportError
from domain.surveys import (
    AnswerProblem,
    Question,
    Rating,
    Side,
    answer_problems,
    complete_if_answered,
    questions,
    submit,
)
from storage.models import Client, QuestionSet, Survey, SurveyParticipant

LINK_DAYS = 30  # the texts say "30 days" (render/survey_page.py, render/surveys.py): change them together
SALT = "rapport.survey-link"
TOKEN_MAX = 200  # longer than any link we make: anything longer is refused unread


@dataclass(frozen=True)
class LinkSent:
    """A personal survey link for someone outside Slack; `emailed` None: no SMTP server, False: sending failed."""

    address: str
    url: str
    emailed: bool | None


class NoPublicUrl(RapportError):
    """A survey names someone by email address, but there is no PUBLIC_URL for their personal link."""


@dataclass
class UnknownPageLanguage(RapportError):
    """`lang` names a language the survey page does not speak."""

    typed: str


class LinkState(StrEnum):
    """Why a survey link cannot be answered."""

    TAMPERED = "tampered"  # not a link we signed (changed, cut short, or signed with another key)
    UNKNOWN = "unknown"  # signed by us, but nobody is invited by it any more (the survey was removed)
    EXPIRED = "expired"  # older than LINK_DAYS
    ANSWERED = "answered"  # answered already: a link is used once
    CLOSED = "closed"  # the survey closed (it waited long enough) before this answer came


class LinkRefused(RapportError):
    """A survey link that cannot be answered; `state` says why."""

    def __init__(self, state: LinkState, language: str | None = None) -> None:
        super().__init__(state.value)
        self.state = state
        self.language = language  # the invitation's, once the link is known to be ours


@dataclass(frozen=True)
class Opened:
    """An open survey link: whose it is, what it asks, in which language the invitation wants the page."""

    participant_id: int
    survey_id: int
    team_id: str
    project: str
    client_name: str
    language: str | None
    items: list[Question]
    side: Side


@dataclass(frozen=True)
class Answered:
    """A stored answer: whether it completed the survey (then its summary goes out)."""

    team_id: str
    survey_id: int
    completed: bool


def link_token(*, key: bytes, participant_id: int, nonce: str) -> str:
    """The personal part of a survey link."""
    return str(URLSafeSerializer(key, salt=SALT).dumps([participant_id, nonce]))


def form_check(*, key: bytes, token: str) -> str:
    """The survey form's hidden field: a POST must come from the page we served for this very link."""
    return hmac.new(key, f"form:{token}".encode(), hashlib.sha256).hexdigest()[:32]


def _read(key: bytes, token: str) -> tuple[int, str]:
    if len(token) > TOKEN_MAX:
        raise LinkRefused(LinkState.TAMPERED)
    try:
        found = URLSafeSerializer(key, salt=SALT).loads(token)
    except BadData:
        raise LinkRefused(LinkState.TAMPERED) from None
    if not (isinstance(found, list) and len(found) == 2 and isinstance(found[0], int) and isinstance(found[1], str)):
        raise LinkRefused(LinkState.TAMPERED)
    return found[0], found[1]


def _invited_or_raise(session: Session, *, key: bytes, token: str, now: datetime) -> tuple[Survey, SurveyParticipant]:
    """The survey and the person a link invites, if it can still be answered; else LinkRefused, nothing read more."""
    participant_id, nonce = _read(key, token)
    found = session.execute(
        select(SurveyParticipant, Survey)
        .join(Survey, (Survey.team_id == SurveyParticipant.team_id) & (Survey.id == SurveyParticipant.survey_id))
        .where(SurveyParticipant.id == participant_id, SurveyParticipant.nonce == nonce)
    ).first()
    if found is None:
        raise LinkRefused(LinkState.UNKNOWN)
    person, survey = found
    if person.answered_at is not None:
        raise LinkRefused(LinkState.ANSWERED, person.language)
    if now >= survey.created_at + timedelta(days=LINK_DAYS):
        raise LinkRefused(LinkState.EXPIRED, person.language)
    if survey.closed_at is not None:
        raise LinkRefused(LinkState.CLOSED, person.language)
    return survey, person


def open_link_or_raise(session: Session, *, key: bytes, token: str, now: datetime) -> Opened:
    """What a survey link asks of whom, or LinkRefused (tampered, unknown, expired, answered, closed)."""
    survey, person = _invited_or_raise(session, key=key, token=token, now=now)
    qs, client = session.get(QuestionSet, survey.question_set_id), session.get(Client, survey.client_id)
    assert qs is not None and client is not None
    return Opened(
        participant_id=person.id, survey_id=survey.id, team_id=survey.team_id, project=survey.project,
        client_name=client.name, language=person.language, items=questions(qs), side=Side(person.side),
    )  # fmt: skip


def answer_by_link(
    session: Session, *, key: bytes, token: str, given: dict[str, Rating], now: datetime
) -> Answered | dict[str, AnswerProblem]:
    """Store the answers given on the survey page once, as a Slack answer is; the problems per item instead, if any.

    Two POSTs at once: `submit` claims the participant with one conditional UPDATE, so one stores the answers and
    the other is refused as answered, whichever commits first.
    """
    survey, person = _invited_or_raise(session, key=key, token=token, now=now)
    qs = session.get(QuestionSet, survey.question_set_id)
    assert qs is not None
    problems = answer_problems(questions(qs), given)
    if problems:
        return problems
    if not submit(session, survey=survey, person=person, given=given, now=now):
        raise LinkRefused(LinkState.ANSWERED, person.language)
    completed = complete_if_answered(session, survey=survey, now=now)
    return Answered(team_id=survey.team_id, survey_id=survey.id, completed=completed)

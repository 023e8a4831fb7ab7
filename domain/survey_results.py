"""Survey results, the read-model: both sides' scores per item, the gaps, blind spots and low ratings, the state.

The rules themselves (`gap`, `is_blind_spot`, `is_low`, `state_of`) are functions over plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from domain.surveys import BLIND_SPOT, LOW, Question, Side, questions
from storage.models import Client, Promise, QuestionSet, Survey, SurveyAnswer, SurveyFix, SurveyParticipant


class SurveyState(StrEnum):
    """Where a survey stands, as `/client surveys` shows it."""

    WAITING = "waiting"  # open: someone has not answered yet
    ANSWERED = "answered"  # everyone answered; nothing needs a fix, or a fix is still to be decided
    FIXES_PLANNED = "fixes_planned"  # every item that needs action has a fix or a reason why none is needed
    CLOSED = "closed"  # closed without everyone's answer


def average(ratings: Sequence[int]) -> float | None:
    """The mean rating, or None without any."""
    return sum(ratings) / len(ratings) if ratings else None


def gap(client: Sequence[int], team: Sequence[int]) -> float | None:
    """Team average minus client average: positive when the team thinks better of the work than the client."""
    client_average, team_average = average(client), average(team)
    if client_average is None or team_average is None:
        return None
    return team_average - client_average


def is_blind_spot(client: Sequence[int], team: Sequence[int]) -> bool:
    """The team rates itself at least BLIND_SPOT above the client."""
    found = gap(client, team)
    return found is not None and found >= BLIND_SPOT


def is_low(ratings: Sequence[int]) -> bool:
    """Any rating of LOW or less, from either side."""
    return any(r <= LOW for r in ratings)


def state_of(*, closed_at: datetime | None, completed_at: datetime | None, items: Sequence[ItemResult]) -> SurveyState:
    """Waiting while open; fixes planned once every item needing action has a decision; else answered or closed."""
    if closed_at is None:
        return SurveyState.WAITING
    pending = [i for i in items if i.needs_action and i.fix is None]
    if any(i.needs_action for i in items) and not pending:
        return SurveyState.FIXES_PLANNED
    return SurveyState.ANSWERED if completed_at is not None else SurveyState.CLOSED


@dataclass(frozen=True)
class Comment:
    """A comment on a low rating, and who gave it."""

    side: Side
    user_id: str | None  # None: someone outside Slack, by `email`
    rating: int
    text: str
    email: str | None = None


@dataclass
class ItemResult:
    """Both sides' scores for one item, the gap, and what is being done about it."""

    question: Question
    client: list[int] = field(default_factory=list)
    team: list[int] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    fix: SurveyFix | None = None
    promise: Promise | None = None

    @property
    def client_average(self) -> float | None:
        return average(self.client)

    @property
    def team_average(self) -> float | None:
        return average(self.team)

    @property
    def gap(self) -> float | None:
        """Team minus client: positive when the team thinks better of the work than the client does."""
        return gap(self.client, self.team)

    @property
    def blind_spot(self) -> bool:
        return is_blind_spot(self.client, self.team)

    @property
    def low(self) -> bool:
        return is_low([*self.client, *self.team])

    @property
    def needs_action(self) -> bool:
        """A low rating or a blind spot: it needs a fix, or a reason why none is needed."""
        return self.low or self.blind_spot


@dataclass
class Results:
    """A survey's results, as the summary and `/client show` present them."""

    survey: Survey
    client_name: str
    owner_id: str | None
    items: list[ItemResult]
    answered: list[SurveyParticipant]
    missing: list[SurveyParticipant]

    def item(self, key: str) -> ItemResult | None:
        """The result of one item (None for an item of another question set version)."""
        return next((i for i in self.items if i.question.key == key), None)

    def average(self, side: Side) -> float | None:
        return average([s for item in self.items for s in (item.client if side == Side.CLIENT else item.team)])

    @property
    def state(self) -> SurveyState:
        """Waiting, answered, fixes planned or closed (closed without everyone's answer)."""
        return state_of(closed_at=self.survey.closed_at, completed_at=self.survey.completed_at, items=self.items)


def results(session: Session, *, survey: Survey) -> Results:
    """Everything about a survey's answers."""
    return results_of(session, [survey])[survey.id]


def results_of(session: Session, surveys: list[Survey]) -> dict[int, Results]:
    """Results of many surveys in five queries, however many there are."""
    if not surveys:
        return {}
    ids = [s.id for s in surveys]
    clients = {
        (c.team_id, c.id): c
        for c in session.scalars(
            select(Client).where(or_(*((Client.team_id == s.team_id) & (Client.id == s.client_id) for s in surveys)))
        )
    }
    sets = {
        q.id: q
        for q in session.scalars(select(QuestionSet).where(QuestionSet.id.in_({s.question_set_id for s in surveys})))
    }
    people = list(session.scalars(
        select(SurveyParticipant).where(SurveyParticipant.survey_id.in_(ids))
        .order_by(SurveyParticipant.side.desc(), SurveyParticipant.id)
    ))  # fmt: skip
    found: dict[int, Results] = {}
    for survey in surveys:
        client = clients[(survey.team_id, survey.client_id)]
        mine = [p for p in people if p.survey_id == survey.id]
        found[survey.id] = Results(
            survey=survey, client_name=client.name, owner_id=client.owner_id,
            items=[ItemResult(q) for q in questions(sets[survey.question_set_id])],
            answered=[p for p in mine if p.answered_at is not None],
            missing=[p for p in mine if p.answered_at is None],
        )  # fmt: skip
    _add_answers(session, found, {p.id: p for p in people})
    _add_fixes(session, found)
    return found


def _add_answers(session: Session, found: dict[int, Results], people: dict[int, SurveyParticipant]) -> None:
    """Each rating to its side of its item; the comments on low ratings with who gave them."""
    for answer in session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.survey_id.in_(list(found))).order_by(SurveyAnswer.id)
    ):
        item = found[answer.survey_id].item(answer.item)
        person = people[answer.participant_id]
        if item is None:
            continue
        (item.client if person.side == Side.CLIENT else item.team).append(answer.rating)
        if answer.comment and answer.rating <= LOW:
            item.comments.append(
                Comment(Side(person.side), person.user_id, answer.rating, answer.comment, person.email)
            )


def _add_fixes(session: Session, found: dict[int, Results]) -> None:
    """The decision on each item (a fix and its promise, or a reason for none)."""
    fixes = session.execute(
        select(SurveyFix, Promise)
        .outerjoin(Promise, (Promise.team_id == SurveyFix.team_id) & (Promise.id == SurveyFix.promise_id))
        .where(SurveyFix.survey_id.in_(list(found)))
    )
    for fix, promise in fixes:
        item = found[fix.survey_id].item(fix.item)
        if item is not None:
            item.fix, item.promise = fix, promise


def list_surveys(session: Session, *, team_id: str, client_id: int | None = None, limit: int = 30) -> list[Results]:
    """The workspace's (or one client's) latest surveys with their results."""
    query = select(Survey).where(Survey.team_id == team_id).order_by(Survey.created_at.desc(), Survey.id.desc())
    if client_id is not None:
        query = query.where(Survey.client_id == client_id)
    surveys = list(session.scalars(query.limit(limit)))
    found = results_of(session, surveys)
    return [found[s.id] for s in surveys]

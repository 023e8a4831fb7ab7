"""Survey trends: one client's scores per item across its surveys, whether planned fixes worked, and the
workspace's averages per item and per team member.

A fix "worked" when the next survey of the same client scored its item better than the survey that asked for
it. Scores compared are the client's (the fix serves the client); a survey the client gave no rating of the item
in is compared on the team's scores instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from domain.survey_results import ItemResult, Results, results_of
from domain.surveys import Side, question_set, questions
from storage.models import Survey, SurveyAnswer, SurveyParticipant

SAME = 0.05  # averages this close are the same score (2.0 and 2.04 are both shown as 2.0)


class Outcome(StrEnum):
    """What the next survey said about an item that had a fix."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    NO_SURVEY_SINCE = "no_survey_since"


@dataclass(frozen=True)
class Point:
    """One survey's scores of one item (None: nobody on that side rated it)."""

    survey_id: int
    project: str
    at: datetime
    client: float | None
    team: float | None


@dataclass
class ItemTrend:
    """One item's scores in every survey of a client, oldest first."""

    key: str
    label: str
    points: list[Point] = field(default_factory=list)


@dataclass(frozen=True)
class FixOutcome:
    """A planned fix and what the next survey scored its item, compared on `side`."""

    label: str
    fix: str
    project: str
    side: Side
    before: float | None
    after: float | None
    next_project: str | None

    @property
    def outcome(self) -> Outcome:
        """Better, worse or the same as before; no survey since when none scored the item after the fix."""
        if self.after is None or self.before is None:
            return Outcome.NO_SURVEY_SINCE
        if abs(self.after - self.before) < SAME:
            return Outcome.SAME
        return Outcome.BETTER if self.after > self.before else Outcome.WORSE


@dataclass
class ClientTrends:
    """A client's surveys (oldest first), each item's scores across them, and how each planned fix did."""

    results: list[Results]
    items: list[ItemTrend]
    fixes: list[FixOutcome]


def client_trends(session: Session, *, team_id: str, client_id: int) -> ClientTrends:
    """Every survey of a client with its trends, in six queries however many surveys there are."""
    surveys = list(session.scalars(
        select(Survey).where(Survey.team_id == team_id, Survey.client_id == client_id)
        .order_by(Survey.created_at, Survey.id)
    ))  # fmt: skip
    found = results_of(session, surveys)
    return trends_of([found[s.id] for s in surveys])


def trends_of(ordered: list[Results]) -> ClientTrends:
    """The trends of a client's surveys' results, given oldest first."""
    return ClientTrends(results=ordered, items=_items(ordered), fixes=_fixes(ordered))


def _items(ordered: list[Results]) -> list[ItemTrend]:
    """Each item of any survey, worded as in the newest survey that asked it."""
    trends: dict[str, ItemTrend] = {}
    for results in ordered:
        for item in results.items:
            trend = trends.setdefault(item.question.key, ItemTrend(item.question.key, item.question.label))
            trend.label = item.question.label
            if item.client or item.team:
                survey = results.survey
                trend.points.append(
                    Point(survey.id, survey.project, survey.created_at, item.client_average, item.team_average)
                )
    return list(trends.values())


def _fixes(ordered: list[Results]) -> list[FixOutcome]:
    """Each planned fix (a fix with its promise), with the next survey's score of its item."""
    outcomes = []
    for index, results in enumerate(ordered):
        for item in results.items:
            if item.fix is None or item.promise is None:
                continue
            side = Side.CLIENT if item.client else Side.TEAM
            after, project = _next_score(ordered[index + 1 :], item.question.key, side)
            outcomes.append(FixOutcome(item.question.label, item.promise.what, results.survey.project, side,
                                       _rated(item, side), after, project))  # fmt: skip
    return outcomes


def _next_score(later: list[Results], key: str, side: Side) -> tuple[float | None, str | None]:
    """The first later survey's score of the item on that side, and its project."""
    for results in later:
        score = _rated(results.item(key), side)
        if score is not None:
            return score, results.survey.project
    return None, None


def _rated(item: ItemResult | None, side: Side) -> float | None:
    if item is None:
        return None
    return item.client_average if side == Side.CLIENT else item.team_average


# the workspace -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemAverage:
    """An item's average over every survey of the workspace, on each side, and how many ratings made it."""

    key: str
    label: str
    client: float | None
    team: float | None
    ratings: int


@dataclass(frozen=True)
class MemberAverage:
    """A team member's own ratings, and the client's ratings of the surveys they were on the team side of."""

    user_id: str
    surveys: int
    own: float | None
    client: float | None


@dataclass
class WorkspaceTrends:
    """Averages per item and per team member, over every survey of the workspace."""

    surveys: int  # with at least one answer
    items: list[ItemAverage]
    members: list[MemberAverage]


def workspace_trends(session: Session, *, team_id: str) -> WorkspaceTrends:
    """The workspace's averages, computed in the database: five queries whatever the number of surveys."""
    answered = select(func.count(func.distinct(SurveyAnswer.survey_id))).where(SurveyAnswer.team_id == team_id)
    surveys = session.scalar(answered) or 0
    return WorkspaceTrends(surveys, _item_averages(session, team_id), _member_averages(session, team_id))


def _item_averages(session: Session, team_id: str) -> list[ItemAverage]:
    rows = session.execute(
        select(SurveyAnswer.item, SurveyParticipant.side, func.avg(SurveyAnswer.rating), func.count())
        .join(SurveyParticipant, SurveyParticipant.id == SurveyAnswer.participant_id)
        .where(SurveyAnswer.team_id == team_id)
        .group_by(SurveyAnswer.item, SurveyParticipant.side)
    ).all()
    averages: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    for item, side, mean, count in rows:
        averages.setdefault(item, {})[side] = float(mean)
        counts[item] = counts.get(item, 0) + count
    order = {q.key: (n, q.label) for n, q in enumerate(questions(question_set(session, team_id=team_id)))}
    keys = sorted(averages, key=lambda k: (order.get(k, (len(order), k))[0], k))
    return [
        ItemAverage(k, order.get(k, (0, k))[1], averages[k].get(Side.CLIENT), averages[k].get(Side.TEAM), counts[k])
        for k in keys
    ]


def _member_averages(session: Session, team_id: str) -> list[MemberAverage]:
    """Every team-side participant; the client's ratings count once per survey they were on the team side of."""
    member, client_side = aliased(SurveyParticipant), aliased(SurveyParticipant)
    on_team = (member.team_id == team_id) & (member.side == Side.TEAM)
    own = (
        select(member.user_id, func.count(func.distinct(member.survey_id)), func.avg(SurveyAnswer.rating))
        .outerjoin(SurveyAnswer, SurveyAnswer.participant_id == member.id)
        .where(on_team)
        .group_by(member.user_id)
    )
    theirs = (
        select(member.user_id, func.avg(SurveyAnswer.rating))
        .join(client_side, (client_side.survey_id == member.survey_id) & (client_side.side == Side.CLIENT))
        .join(SurveyAnswer, SurveyAnswer.participant_id == client_side.id)
        .where(on_team)
        .group_by(member.user_id)
    )
    clients = {user: float(mean) for user, mean in session.execute(theirs)}
    found = [
        MemberAverage(user, surveys, None if mean is None else float(mean), clients.get(user))
        for user, surveys, mean in session.execute(own)
    ]
    return sorted(found, key=lambda m: (-m.surveys, m.user_id))

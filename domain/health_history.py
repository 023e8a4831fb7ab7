"""What the health score is made of, read at any instant from the timestamped history: four GROUP BY queries.

Each query reads the whole workspace (or the clients asked for) at once, so scoring 10 clients or 100 000 takes
the same four statements. Only what had happened by the instant counts, so a score weeks ago comes from the same
rows as today's, imported history included.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Executable, and_, case, func, or_, select, true, union_all
from sqlalchemy.orm import Session

from domain.channel_messages import Side as Author
from domain.events import Kind
from domain.surveys import BLIND_SPOT, Side
from storage.day_numbers import day_number, unix_days
from storage.models import (
    ChannelMessage,
    Client,
    ClientEvent,
    Contact,
    Promise,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
)

WINDOW = timedelta(days=90)  # cadence, promises and messages count over the last 90 days
SURVEY_WINDOW = timedelta(days=365)  # a survey older than a year no longer says how the client feels
IN_LIST_MAX = 1000  # more clients than this are read with the whole workspace and picked in Python (bind limits)


@dataclass(frozen=True)
class Inputs:
    """One client's history at an instant: what the formula (domain.health) turns into penalties."""

    started: bool = True  # the client existed (was added, or had a contact) by then
    days_past_cadence: int = 0
    slipped: int = 0  # promises due in the window and not kept by their date, or given a new date
    kept: int = 0  # promises kept by their date in the window (never moved)
    unanswered: int = 0  # client messages in the window not answered within their reply time
    survey_tenths: int | None = None  # the client side's average rating in the last survey, in tenths (35: 3.5)
    blind_spots: int = 0  # items of the last survey the team rated BLIND_SPOT above the client


def inputs_at(
    session: Session, *, team_id: str, at: datetime, client_ids: Collection[int] | None, owner_id: str | None = None
) -> dict[int, Inputs]:
    """Every client's inputs at `at` (clients added later included: they had not started), in four queries.

    `client_ids` and `owner_id` narrow it to those clients, or to one owner's (both: the owner's among them).
    """
    scope = _Scope(team_id, at, client_ids, owner_id)
    found: dict[int, dict[str, Any]] = {}
    for client_id, start, days in session.execute(scope.cadence()):
        started = start is not None and start <= at
        found[client_id] = {"started": started, "days_past_cadence": int(days or 0)}
    for client_id, slipped, kept in session.execute(scope.promises()):
        found.setdefault(client_id, {}).update(slipped=int(slipped or 0), kept=int(kept or 0))
    for client_id, late in session.execute(scope.messages()):
        found.setdefault(client_id, {})["unanswered"] = int(late or 0)
    for client_id, average, blind in session.execute(scope.surveys()):
        found.setdefault(client_id, {}).update(survey_tenths=round(average * 10), blind_spots=int(blind or 0))
    wanted = None if client_ids is None else set(client_ids)
    return {cid: Inputs(**values) for cid, values in found.items() if wanted is None or cid in wanted}


@dataclass(frozen=True)
class _Scope:
    """The workspace, the instant and the clients the queries are about."""

    team_id: str
    at: datetime
    client_ids: Collection[int] | None
    owner_id: str | None = None

    @property
    def start(self) -> datetime:
        return self.at - WINDOW

    def of(self, column: Any) -> ColumnElement[bool]:
        """Rows of the clients asked for (all when none were named), or of one owner's clients."""
        named = self.client_ids is not None and len(self.client_ids) <= IN_LIST_MAX
        chosen = column.in_(list(self.client_ids or ())) if named else true()
        if self.owner_id is None:
            return chosen
        owned = select(Client.id).where(Client.team_id == self.team_id, Client.owner_id == self.owner_id)
        return and_(chosen, column.in_(owned.scalar_subquery()))

    def cadence(self) -> Executable:
        """Per client: when it started (added, or its first contact if earlier: imported history) and how many
        days of the window it spent past its cadence, summed over the gaps between contacts."""
        starts = self._starts()
        days = self._days_past(starts)
        return (
            select(starts.c.client_id, starts.c.start, days.c.days)
            .select_from(starts)
            .outerjoin(days, days.c.client_id == starts.c.client_id)
        )

    def _starts(self) -> Any:
        """Each client's start, its cadence, and its last contact before the window (the first gap's beginning)."""
        history = (
            select(
                Contact.client_id,
                func.min(Contact.occurred_at).label("first"),
                func.max(case((Contact.occurred_at <= self.start, Contact.occurred_at))).label("before"),
            )
            .where(Contact.team_id == self.team_id, Contact.occurred_at <= self.at, self.of(Contact.client_id))
            .group_by(Contact.client_id)
            .subquery()
        )
        first = history.c.first
        start = case((and_(first.is_not(None), first < Client.created_at), first), else_=Client.created_at)
        return (
            select(Client.id.label("client_id"), Client.cadence_days, start.label("start"), history.c.before)
            .outerjoin(history, history.c.client_id == Client.id)
            .where(Client.team_id == self.team_id, self.of(Client.id))
            .cte("starts")  # read twice: computed once
        )

    def _days_past(self, starts: Any) -> Any:
        """Days past cadence: for every gap between touches (the last one before the window, or the start; each
        contact in the window; now), the part of it inside the window and beyond the cadence."""
        opening = select(
            starts.c.client_id, func.coalesce(starts.c.before, starts.c.start).label("at"), starts.c.cadence_days
        ).where(starts.c.cadence_days.is_not(None), starts.c.start <= self.at)
        inside = (
            select(Contact.client_id, Contact.occurred_at.label("at"), Client.cadence_days)
            .join(Client, and_(Client.team_id == Contact.team_id, Client.id == Contact.client_id))
            .where(
                Contact.team_id == self.team_id,
                Contact.occurred_at > self.start,
                Contact.occurred_at <= self.at,
                Client.cadence_days.is_not(None),
                self.of(Contact.client_id),
            )
        )
        touches = union_all(opening, inside).subquery()
        day = unix_days(touches.c.at)
        gaps = select(
            touches.c.client_id,
            touches.c.cadence_days,
            day.label("day"),
            func.lead(day).over(partition_by=touches.c.client_id, order_by=day).label("next"),
        ).subquery()
        due = gaps.c.day + gaps.c.cadence_days
        due = case((due > day_number(self.start), due), else_=day_number(self.start))
        end = func.coalesce(gaps.c.next, day_number(self.at))
        past = case((end > due, end - due), else_=0.0)
        return select(gaps.c.client_id, func.floor(func.sum(past)).label("days")).group_by(gaps.c.client_id).subquery()

    def promises(self) -> Executable:
        """Per client: promises due in the window that slipped (kept after their date, still open after it, or
        given a new date), and those kept by their date."""
        moves = (
            select(ClientEvent.promise_id)
            .where(
                ClientEvent.team_id == self.team_id,
                ClientEvent.kind == Kind.PROMISE_MOVED,
                ClientEvent.at > self.start,
                ClientEvent.at <= self.at,
                self.of(ClientEvent.client_id),
            )
            .group_by(ClientEvent.promise_id)
            .subquery()
        )
        moved = moves.c.promise_id.is_not(None)
        was_due = and_(Promise.due_on >= self.start.date(), Promise.due_on < self.at.date())
        done = and_(Promise.done_at.is_not(None), Promise.done_at <= self.at)
        in_time = and_(done, unix_days(Promise.done_at) <= unix_days(Promise.due_on) + 1)  # by the end of its day
        slipped = or_(moved, and_(was_due, ~in_time))
        kept = and_(done, in_time, Promise.done_at > self.start, ~moved)
        return (
            select(
                Promise.client_id,
                func.sum(case((slipped, 1), else_=0)),
                func.sum(case((kept, 1), else_=0)),
            )
            .outerjoin(moves, moves.c.promise_id == Promise.id)
            .where(Promise.team_id == self.team_id, Promise.created_at <= self.at, self.of(Promise.client_id))
            .group_by(Promise.client_id)
        )

    def messages(self) -> Executable:
        """Per client: its messages of the window whose reply time ran out before anyone of ours answered."""
        answered_late = or_(
            ChannelMessage.answered_at.is_(None),
            ChannelMessage.answered_at > self.at,
            ChannelMessage.answered_at > ChannelMessage.due_at,
        )
        return (
            select(ChannelMessage.client_id, func.count())
            .where(
                ChannelMessage.team_id == self.team_id,
                self.of(ChannelMessage.client_id),
                ChannelMessage.side == Author.CLIENT,
                ChannelMessage.deleted.is_(False),
                ChannelMessage.at > self.start,
                ChannelMessage.due_at <= self.at,
                answered_late,
            )
            .group_by(ChannelMessage.client_id)
        )

    def surveys(self) -> Executable:
        """Per client, its last survey with the client's answers: their average rating and the blind spots."""
        items = self._survey_items()
        per_survey = (
            select(
                items.c.client_id,
                items.c.survey_id,
                items.c.created_at,
                (func.sum(items.c.client_sum) * 1.0 / func.sum(items.c.client_count)).label("average"),
                func.sum(case((items.c.team_avg - items.c.client_avg >= BLIND_SPOT, 1), else_=0)).label("blind"),
            )
            .group_by(items.c.client_id, items.c.survey_id, items.c.created_at)
            .having(func.sum(items.c.client_count) > 0)
            .subquery()
        )
        latest = func.row_number().over(
            partition_by=per_survey.c.client_id,
            order_by=(per_survey.c.created_at.desc(), per_survey.c.survey_id.desc()),
        )
        ranked = select(per_survey.c.client_id, per_survey.c.average, per_survey.c.blind, latest.label("n")).subquery()
        return select(ranked.c.client_id, ranked.c.average, ranked.c.blind).where(ranked.c.n == 1)

    def _survey_items(self) -> Any:
        """Per survey and item, both sides' ratings given by then (a blind spot needs both sides)."""
        client_side = SurveyParticipant.side == Side.CLIENT
        client_rating = case((client_side, SurveyAnswer.rating))
        team_rating = case((~client_side, SurveyAnswer.rating))
        return (
            select(
                Survey.client_id,
                Survey.id.label("survey_id"),
                Survey.created_at,
                func.sum(client_rating).label("client_sum"),
                func.count(client_rating).label("client_count"),
                (func.avg(team_rating) * 1.0).label("team_avg"),
                (func.avg(client_rating) * 1.0).label("client_avg"),
            )
            .join(SurveyAnswer, and_(SurveyAnswer.team_id == Survey.team_id, SurveyAnswer.survey_id == Survey.id))
            .join(SurveyParticipant, SurveyParticipant.id == SurveyAnswer.participant_id)
            .where(
                Survey.team_id == self.team_id,
                self.of(Survey.client_id),
                Survey.created_at > self.at - SURVEY_WINDOW,
                SurveyParticipant.answered_at <= self.at,
            )
            .group_by(Survey.client_id, Survey.id, Survey.created_at, SurveyAnswer.item)
            .subquery()
        )

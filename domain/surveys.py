"""Two-sided post-project surveys: both sides rate the same things; low ratings and blind spots become fixes.

The point is not whom to blame but "what will we do so that it never happens again", and then doing it:
a fix is a promise to the client, nudged like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import events
from domain.dates import local_today
from domain.errors import Empty, NotInFuture, NotInvited, NotYours, TooLong, UnknownSurvey, UnreadableText, UsageError
from domain.hours import WorkingHours
from domain.people import Profile, person_or_raise
from domain.promises import check_promise_text, make_promise
from domain.text import check_text, one_line, valid_id
from storage.models import (
    NAME_MAX,
    NOTE_MAX,
    Client,
    ClientEvent,
    Promise,
    QuestionSet,
    Survey,
    SurveyAnswer,
    SurveyFix,
    SurveyMessage,
    SurveyParticipant,
)
from storage.once import add_once

CLIENT_SIDE, TEAM_SIDE = "client", "team"
LOW = 2  # a rating of 1 or 2 needs a comment, and a fix or a reason why none is needed
BLIND_SPOT = 2  # the team rating itself this much above the client
MAX_REMINDERS = 2
DEFAULT_SET = "*"


@dataclass
class SurveyProblem(UsageError):
    """A survey that cannot be started (the same person on both sides, nobody on one side)."""


@dataclass(frozen=True)
class Question:
    """One item of a question set."""

    key: str
    label: str
    client: str
    team: str

    def text(self, side: str) -> str:
        return self.client if side == CLIENT_SIDE else self.team


def question_set(session: Session, *, team_id: str) -> QuestionSet:
    """The newest question set of the workspace, or the default one."""
    found = session.scalar(
        select(QuestionSet)
        .where(QuestionSet.team_id.in_([team_id, DEFAULT_SET]))
        .order_by((QuestionSet.team_id == team_id).desc(), QuestionSet.version.desc())
        .limit(1)
    )
    if found is None:
        raise RuntimeError("no question set: the database was not migrated (rapport migrate)")
    return found


def questions(row: QuestionSet) -> list[Question]:
    """The items of a question set, in order."""
    return [Question(i["key"], i.get("label", i["key"]), i["client"], i["team"]) for i in row.items]


# starting ------------------------------------------------------------------------------------------------------


def check_participants(
    *, team_ids: list[str], client_ids: list[str], profiles: dict[str, Profile | None], team_id: str
) -> None:
    """Both sides named, nobody on both, nobody who is a bot, deactivated or unknown; team members are ours."""
    if not team_ids:
        raise SurveyProblem("survey", "missing_team")
    if not client_ids:
        raise SurveyProblem("survey", "missing_client_side")
    both = sorted(set(team_ids) & set(client_ids))
    if both:
        raise SurveyProblem("survey", "both_sides", both[0])
    for user in team_ids:
        person_or_raise(user, profiles.get(user), member_of=team_id)
    for user in client_ids:
        person_or_raise(user, profiles.get(user))  # guests and Slack Connect members of the client are welcome


def start_survey(
    session: Session,
    *,
    client: Client,
    project: str,
    requester_id: str,
    team_ids: list[str],
    client_ids: list[str],
    now: datetime,
    idempotency_key: str | None,
) -> tuple[Survey, bool]:
    """Create the survey and its participants (call check_participants first); False when it existed."""
    project = one_line(what="project name", text=project)
    if not project:
        raise Empty("project name")
    if len(project) > NAME_MAX:
        raise TooLong("project name", NAME_MAX, len(project))
    survey, created = add_once(
        session,
        Survey(
            team_id=client.team_id, client_id=client.id, project=project, requester_id=requester_id,
            question_set_id=question_set(session, team_id=client.team_id).id, created_at=now,
            idempotency_key=idempotency_key,
        ),
    )  # fmt: skip
    if created:
        session.flush()
        for side, users in ((TEAM_SIDE, team_ids), (CLIENT_SIDE, client_ids)):
            for user in dict.fromkeys(users):
                session.add(SurveyParticipant(team_id=client.team_id, survey_id=survey.id, user_id=user, side=side))
        session.flush()
    return survey, created


def participants(session: Session, *, survey: Survey) -> list[SurveyParticipant]:
    """Everyone asked, team first, in the order they were named."""
    rows = session.scalars(
        select(SurveyParticipant)
        .where(SurveyParticipant.team_id == survey.team_id, SurveyParticipant.survey_id == survey.id)
        .order_by(SurveyParticipant.side.desc(), SurveyParticipant.id)
    )
    return list(rows)


def record_invitations(session: Session, sent: list[tuple[int, str | None, str | None, str | None]]) -> None:
    """Where each invitation went: (participant id, "dm"/"channel"/None, channel, ts)."""
    for participant_id, via, channel, ts in sent:
        session.execute(
            update(SurveyParticipant)
            .where(SurveyParticipant.id == participant_id)
            .values(invited_via=via, channel_id=channel, ts=ts)
        )


def get_survey(session: Session, *, team_id: str, survey_id: int) -> Survey | None:
    """The workspace's survey (another workspace's id is None)."""
    if not valid_id(survey_id):
        return None
    return session.scalar(select(Survey).where(Survey.team_id == team_id, Survey.id == survey_id))


def invited_or_raise(
    session: Session, *, teams: list[str], survey_id: int, user_id: str
) -> tuple[Survey, SurveyParticipant]:
    """The survey and the invited person answering it; for anyone else NotInvited, which tells nothing more."""
    for team in teams:
        survey = get_survey(session, team_id=team, survey_id=survey_id)
        person = participant(session, survey=survey, user_id=user_id) if survey is not None else None
        if survey is not None and person is not None:
            return survey, person
    raise NotInvited()


def decider_or_raise(session: Session, *, team_id: str, survey_id: int, user_id: str) -> Survey:
    """A survey of the workspace whose results `user_id` may act on: they got the results, or own the client now."""
    survey = get_survey(session, team_id=team_id, survey_id=survey_id)
    if survey is None:
        raise UnknownSurvey(f"#{survey_id}")
    owner = session.scalar(select(Client.owner_id).where(Client.team_id == team_id, Client.id == survey.client_id))
    got = session.scalar(
        select(SurveyMessage.id)
        .where(SurveyMessage.team_id == team_id, SurveyMessage.survey_id == survey.id, SurveyMessage.user_id == user_id)
        .limit(1)
    )
    if got is None and owner != user_id:
        raise NotYours()
    return survey


def participant(session: Session, *, survey: Survey, user_id: str) -> SurveyParticipant | None:
    """The invited person, or None for anyone else."""
    return session.scalar(
        select(SurveyParticipant).where(
            SurveyParticipant.team_id == survey.team_id,
            SurveyParticipant.survey_id == survey.id,
            SurveyParticipant.user_id == user_id,
        )
    )


# answering -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """One answer as given in the modal."""

    rating: int | None
    comment: str | None


def answer_problems(items: list[Question], given: dict[str, Rating]) -> dict[str, str]:
    """Per item key: "missing" (no rating), "needs_comment" (1 or 2 without a why), "too_long", "unreadable"."""
    problems: dict[str, str] = {}
    for item in items:
        answer = given.get(item.key)
        if answer is None or answer.rating is None or not 1 <= answer.rating <= 5:
            problems[item.key] = "missing"
        elif answer.rating <= LOW and not (answer.comment or "").strip():
            problems[item.key] = "needs_comment"
        elif len(answer.comment or "") > NOTE_MAX:
            problems[item.key] = "too_long"
        elif not _storable(answer.comment or ""):
            problems[item.key] = "unreadable"
    return problems


def _storable(comment: str) -> bool:
    """True when a comment holds no control character but tabs and line breaks (see domain.text)."""
    try:
        check_text(what="comment", text=comment, multi_line=True)
    except UnreadableText:
        return False
    return True


def submit(
    session: Session, *, survey: Survey, person: SurveyParticipant, given: dict[str, Rating], now: datetime
) -> bool:
    """Store one participant's answers once; False when they had answered already (nothing changes)."""
    claimed = session.execute(
        update(SurveyParticipant)
        .where(SurveyParticipant.id == person.id, SurveyParticipant.answered_at.is_(None))
        .values(answered_at=now)
        .returning(SurveyParticipant.id)
    ).first()
    if claimed is None:
        return False
    for key, answer in given.items():
        assert answer.rating is not None
        session.add(
            SurveyAnswer(
                team_id=survey.team_id, survey_id=survey.id, participant_id=person.id,
                question_set_id=survey.question_set_id, item=key, rating=answer.rating,
                comment=(answer.comment or "").strip() or None,
            )
        )  # fmt: skip
    session.flush()
    return True


def complete_if_answered(session: Session, *, survey: Survey, now: datetime) -> bool:
    """Mark the survey complete when nobody is left to answer; True for the one caller that completed it."""
    # Two last answers at once: each would count the other as missing. The row lock makes them take turns.
    session.execute(select(Survey.id).where(Survey.id == survey.id).with_for_update(key_share=True))
    waiting = session.scalar(
        select(func.count())
        .select_from(SurveyParticipant)
        .where(SurveyParticipant.survey_id == survey.id, SurveyParticipant.answered_at.is_(None))
    )
    if waiting:
        return False
    return _close(session, [survey.id], now=now, completed=True) == [survey.id]


def _close(session: Session, ids: list[int], *, now: datetime, completed: bool) -> list[int]:
    if not ids:
        return []
    values = {"closed_at": now, "completed_at": now} if completed else {"closed_at": now}
    statement = update(Survey).where(Survey.id.in_(ids), Survey.closed_at.is_(None)).values(values)
    return list(session.scalars(statement.returning(Survey.id)))


# results -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    side: str
    user_id: str
    rating: int
    text: str


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
        return sum(self.client) / len(self.client) if self.client else None

    @property
    def team_average(self) -> float | None:
        return sum(self.team) / len(self.team) if self.team else None

    @property
    def gap(self) -> float | None:
        """Team minus client: positive when the team thinks better of the work than the client does."""
        if self.client_average is None or self.team_average is None:
            return None
        return self.team_average - self.client_average

    @property
    def blind_spot(self) -> bool:
        return self.gap is not None and self.gap >= BLIND_SPOT

    @property
    def low(self) -> bool:
        return any(r <= LOW for r in [*self.client, *self.team])

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

    def average(self, side: str) -> float | None:
        scores = [s for item in self.items for s in (item.client if side == CLIENT_SIDE else item.team)]
        return sum(scores) / len(scores) if scores else None

    @property
    def state(self) -> str:
        """waiting, answered, fixes_planned or closed (closed without everyone's answer)."""
        if self.survey.closed_at is None:
            return "waiting"
        pending = [i for i in self.items if i.needs_action and i.fix is None]
        if any(i.needs_action for i in self.items) and not pending:
            return "fixes_planned"
        return "answered" if self.survey.completed_at is not None else "closed"


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
    sides = {p.id: p for p in people}
    for answer in session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.survey_id.in_(ids)).order_by(SurveyAnswer.id)
    ):
        item = found[answer.survey_id].item(answer.item)
        person = sides[answer.participant_id]
        if item is None:
            continue
        (item.client if person.side == CLIENT_SIDE else item.team).append(answer.rating)
        if answer.comment and answer.rating <= LOW:
            item.comments.append(Comment(person.side, person.user_id, answer.rating, answer.comment))
    fixes = session.execute(
        select(SurveyFix, Promise)
        .outerjoin(Promise, (Promise.team_id == SurveyFix.team_id) & (Promise.id == SurveyFix.promise_id))
        .where(SurveyFix.survey_id.in_(ids))
    )
    for fix, promise in fixes:
        item = found[fix.survey_id].item(fix.item)
        if item is not None:
            item.fix, item.promise = fix, promise
    return found


def list_surveys(session: Session, *, team_id: str, client_id: int | None = None, limit: int = 30) -> list[Results]:
    """The workspace's (or one client's) latest surveys with their results."""
    query = select(Survey).where(Survey.team_id == team_id).order_by(Survey.created_at.desc(), Survey.id.desc())
    if client_id is not None:
        query = query.where(Survey.client_id == client_id)
    surveys = list(session.scalars(query.limit(limit)))
    found = results_of(session, surveys)
    return [found[s.id] for s in surveys]


# fixes ---------------------------------------------------------------------------------------------------------


def _item_or_raise(session: Session, survey: Survey, item: str) -> ItemResult:
    found = next((i for i in results(session, survey=survey).items if i.question.key == item), None)
    if found is None:
        raise UsageError("survey", "unknown_item", item)
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


def summary_messages(session: Session, *, survey: Survey) -> list[SurveyMessage]:
    """Where the survey's summary was posted (to edit it when fixes are planned)."""
    return list(session.scalars(select(SurveyMessage).where(SurveyMessage.survey_id == survey.id)))


def record_summaries(session: Session, sent: list[tuple[Survey, str, str, str]]) -> None:
    """(survey, user, channel, ts) of each summary posted, in one statement."""
    if sent:
        rows = [
            {"team_id": s.team_id, "survey_id": s.id, "user_id": u, "channel_id": c, "ts": ts} for s, u, c, ts in sent
        ]
        session.execute(insert(SurveyMessage), rows)  # one executemany, no ids needed back


def get_surveys(session: Session, keys: list[tuple[str, int]]) -> list[Survey]:
    """Several surveys by (team, id), in one query."""
    if not keys:
        return []
    return list(
        session.scalars(select(Survey).where(or_(*((Survey.team_id == t) & (Survey.id == i) for t, i in keys))))
    )


# reminders and closing (from the sweep) --------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """An unanswered invitation of an open survey."""

    participant_id: int
    survey_id: int
    team_id: str
    user_id: str
    side: str
    channel_id: str | None
    ts: str | None
    via: str | None  # "dm" or "channel" (a reminder in a channel mentions the person)
    reminders: int
    since: datetime  # the invitation or the last reminder
    project: str
    client_name: str
    requester_id: str


def waiting(session: Session) -> list[Waiting]:
    """Every unanswered invitation of every open survey, in one query."""
    rows = session.execute(
        select(SurveyParticipant, Survey.created_at, Survey.project, Survey.requester_id, Client.name)
        .join(Survey, (Survey.team_id == SurveyParticipant.team_id) & (Survey.id == SurveyParticipant.survey_id))
        .join(Client, (Client.team_id == Survey.team_id) & (Client.id == Survey.client_id))
        .where(Survey.closed_at.is_(None), SurveyParticipant.answered_at.is_(None))
    )
    return [
        Waiting(
            p.id,
            p.survey_id,
            p.team_id,
            p.user_id,
            p.side,
            p.channel_id,
            p.ts,
            p.invited_via,
            p.reminders,
            p.reminded_at or created,
            project,
            name,
            requester,
        )
        for p, created, project, requester, name in rows
    ]


def claim_reminders(session: Session, ids: list[int], *, now: datetime, not_since: datetime) -> list[int]:
    """Count a reminder for each invitation not reminded since `not_since`; returns the ids this sweep won."""
    if not ids:
        return []
    statement = (
        update(SurveyParticipant)
        .where(
            SurveyParticipant.id.in_(ids),
            SurveyParticipant.answered_at.is_(None),
            or_(SurveyParticipant.reminded_at.is_(None), SurveyParticipant.reminded_at < not_since),
        )
        .values(reminders=SurveyParticipant.reminders + 1, reminded_at=now)
        .returning(SurveyParticipant.id)
    )
    return list(session.scalars(statement))


def unclaim_reminders(session: Session, ids: list[int]) -> None:
    """Reminders that did not reach anyone do not count: the next sweep tries again."""
    if ids:
        session.execute(
            update(SurveyParticipant)
            .where(SurveyParticipant.id.in_(ids), SurveyParticipant.reminders > 0)
            .values(reminders=SurveyParticipant.reminders - 1, reminded_at=None)
        )


def close_unanswered(session: Session, ids: list[int], *, now: datetime) -> list[int]:
    """Close surveys that waited long enough; silence goes on the client's timeline. Returns those closed now."""
    if not ids:
        return []
    closed = _close(session, ids, now=now, completed=False)
    if not closed:
        return []
    silent = session.execute(
        select(SurveyParticipant, Survey, Client)
        .join(Survey, (Survey.team_id == SurveyParticipant.team_id) & (Survey.id == SurveyParticipant.survey_id))
        .join(Client, (Client.team_id == Survey.team_id) & (Client.id == Survey.client_id))
        .where(SurveyParticipant.survey_id.in_(closed), SurveyParticipant.answered_at.is_(None))
    )
    rows = [
        {"team_id": client.team_id, "client_id": client.id, "promise_id": None, "kind": events.Kind.NO_ANSWER,
         "actor_id": person.user_id, "at": now, "data": {"survey": survey.id, "project": survey.project,
                                                        "side": person.side}}
        for person, survey, client in silent
    ]  # fmt: skip
    if rows:
        session.execute(insert(ClientEvent), rows)  # silence goes on the timeline, in one executemany
    return closed


def follow_ups(
    found: list[Waiting],
    *,
    now: datetime,
    hours_of: Callable[[str], WorkingHours],
    tz_of: Callable[[str, str], str | None],
) -> tuple[list[Waiting], list[int]]:
    """Reminders due (one a working day, in the person's working hours) and surveys to close after the last one."""
    reminders: list[Waiting] = []
    closing: set[int] = set()
    for invitation in found:
        tz = tz_of(invitation.team_id, invitation.user_id)
        hours = hours_of(invitation.team_id)
        if not hours.is_working(now, tz):
            continue
        if hours.working_days_between(local_today(invitation.since, tz), local_today(now, tz)) < 1:
            continue
        if invitation.reminders < MAX_REMINDERS:
            reminders.append(invitation)
        else:
            closing.add(invitation.survey_id)
    return [r for r in reminders if r.survey_id not in closing], sorted(closing)

"""Two-sided post-project surveys: both sides rate the same things; low ratings and blind spots become fixes.

The point is not whom to blame but "what will we do so that it never happens again", and then doing it:
a fix is a promise to the client, nudged like any other.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from domain.commands import Subcommand
from domain.errors import (
    Empty,
    NotInvited,
    NotYours,
    Problem,
    TooLong,
    UnknownSurvey,
    UnreadableText,
    UsageError,
)
from domain.languages import Language
from domain.people import Profile, person_or_raise
from domain.text import check_text, one_line, valid_id
from storage.models import (
    NAME_MAX,
    NOTE_MAX,
    Client,
    QuestionSet,
    Survey,
    SurveyAnswer,
    SurveyMessage,
    SurveyParticipant,
)
from storage.once import add_once

LOW = 2  # a rating of 1 or 2 needs a comment, and a fix or a reason why none is needed
BLIND_SPOT = 2  # the team rating itself this much above the client
MAX_REMINDERS = 2
DEFAULT_SET = "*"
PAGE_LANGUAGES = tuple(language.value for language in Language)  # the survey page's and its emails' (`lang ru`)


class Side(StrEnum):
    """Which side of the project a participant answers for (stored in survey_participants.side)."""

    CLIENT = "client"
    TEAM = "team"


class Via(StrEnum):
    """How an invitation reached its person (stored in survey_participants.invited_via; None: not at all)."""

    DM = "dm"
    CHANNEL = "channel"  # the client's channel, mentioning them: Slack would not let us DM an external person
    EMAIL = "email"  # someone outside Slack: their personal link was emailed (and shown to the requester)
    LINK = "link"  # someone outside Slack: their personal link was shown to the requester only (no SMTP_URL)


class AnswerProblem(StrEnum):
    """Why one answer of the modal cannot be stored."""

    MISSING = "missing"  # no rating
    NEEDS_COMMENT = "needs_comment"  # a low rating without a why
    TOO_LONG = "too_long"
    UNREADABLE = "unreadable"  # a control character


@dataclass(frozen=True)
class ByEmail:
    """A client contact outside Slack, by email address (stored form), and the survey page's language for them."""

    address: str
    language: str | None = None


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

    def text(self, side: Side) -> str:
        return self.client if side == Side.CLIENT else self.team


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
    *, team_ids: list[str], client_ids: list[str], profiles: dict[str, Profile | None], team_id: str,
    emails: int = 0,
) -> None:  # fmt: skip
    """Both sides named, nobody on both, nobody who is a bot, deactivated or unknown; team members are ours.

    `emails` counts the client's people named by email address (they are on the client's side).
    """
    if not team_ids:
        raise SurveyProblem(Subcommand.SURVEY, Problem.MISSING_TEAM)
    if not client_ids and not emails:
        raise SurveyProblem(Subcommand.SURVEY, Problem.MISSING_CLIENT_SIDE)
    both = sorted(set(team_ids) & set(client_ids))
    if both:
        raise SurveyProblem(Subcommand.SURVEY, Problem.BOTH_SIDES, both[0])
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
    client_emails: list[ByEmail] | None = None,
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
        for side, users in ((Side.TEAM, team_ids), (Side.CLIENT, client_ids)):
            for user in dict.fromkeys(users):
                session.add(SurveyParticipant(team_id=client.team_id, survey_id=survey.id, user_id=user, side=side))
        for person in {p.address: p for p in client_emails or []}.values():
            session.add(
                SurveyParticipant(
                    team_id=client.team_id, survey_id=survey.id, email=person.address, language=person.language,
                    side=Side.CLIENT, nonce=secrets.token_hex(16),
                )
            )  # fmt: skip
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


@dataclass(frozen=True)
class Invitation:
    """Where one participant's invitation went (`via` None: it reached nobody, and channel and ts are None too)."""

    participant_id: int
    via: Via | None
    channel_id: str | None
    ts: str | None


@dataclass(frozen=True)
class Reached:
    """Someone an invitation reached, and how (the reply to `/client survey` lists them by way)."""

    user_id: str
    via: Via


def record_invitations(session: Session, sent: list[Invitation]) -> None:
    """Where each invitation went."""
    for invitation in sent:
        session.execute(
            update(SurveyParticipant)
            .where(SurveyParticipant.id == invitation.participant_id)
            .values(invited_via=invitation.via, channel_id=invitation.channel_id, ts=invitation.ts)
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


def answer_problems(items: list[Question], given: dict[str, Rating]) -> dict[str, AnswerProblem]:
    """Per item key, what is wrong: no rating, a 1 or 2 without a why, a comment too long or unreadable."""
    problems: dict[str, AnswerProblem] = {}
    for item in items:
        answer = given.get(item.key)
        if answer is None or answer.rating is None or not 1 <= answer.rating <= 5:
            problems[item.key] = AnswerProblem.MISSING
        elif answer.rating <= LOW and not (answer.comment or "").strip():
            problems[item.key] = AnswerProblem.NEEDS_COMMENT
        elif len(answer.comment or "") > NOTE_MAX:
            problems[item.key] = AnswerProblem.TOO_LONG
        elif not _storable(answer.comment or ""):
            problems[item.key] = AnswerProblem.UNREADABLE
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
    return close_surveys(session, [survey.id], now=now, completed=True) == [survey.id]


def close_surveys(session: Session, ids: list[int], *, now: datetime, completed: bool) -> list[int]:
    """Close the surveys still open among `ids` (completed: everyone answered); returns those closed now."""
    if not ids:
        return []
    values = {Survey.closed_at: now, Survey.completed_at: now} if completed else {Survey.closed_at: now}
    statement = update(Survey).where(Survey.id.in_(ids), Survey.closed_at.is_(None)).values(values)
    return list(session.scalars(statement.returning(Survey.id)))


def summary_messages(session: Session, *, survey: Survey) -> list[SurveyMessage]:
    """Where the survey's summary was posted (to edit it when fixes are planned)."""
    return list(session.scalars(select(SurveyMessage).where(SurveyMessage.survey_id == survey.id)))


@dataclass(frozen=True)
class Summary:
    """A survey's summary as posted to one reader."""

    survey: Survey
    user_id: str
    channel_id: str
    ts: str


def record_summaries(session: Session, sent: list[Summary]) -> None:
    """Where each summary was posted, in one statement."""
    if sent:
        rows = [
            {"team_id": s.survey.team_id, "survey_id": s.survey.id, "user_id": s.user_id, "channel_id": s.channel_id,
             "ts": s.ts}
            for s in sent
        ]  # fmt: skip
        session.execute(insert(SurveyMessage), rows)  # one executemany, no ids needed back


@dataclass(frozen=True)
class SurveyKey:
    """One survey of one workspace."""

    team_id: str
    survey_id: int


def get_surveys(session: Session, keys: list[SurveyKey]) -> list[Survey]:
    """Several surveys, in one query."""
    if not keys:
        return []
    wanted = or_(*((Survey.team_id == k.team_id) & (Survey.id == k.survey_id) for k in keys))
    return list(session.scalars(select(Survey).where(wanted)))

"""The schema. Every row carries team_id: one workspace never sees another's data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import CHANNEL_ID, NAME_MAX, TEAM_ID, USER_ID, Base
from storage.boss_models import Briefing, ClientSponsor, Digest, DigestRecipient, PersonSettings
from storage.calendar_models import CalendarFeed, CalendarMeeting
from storage.channel_models import ChannelMessage, ClientChannel, ClientDomain, ClientPerson
from storage.mail_models import Email, EmailContact, MailboxState, UnmatchedEmail

__all__ = [
    "Briefing", "CalendarFeed", "CalendarMeeting", "ChannelMessage", "ClientChannel", "ClientDomain", "ClientPerson",
    "ClientSponsor", "Digest", "DigestRecipient", "Email", "EmailContact", "MailboxState", "PersonSettings",
    "UnmatchedEmail",
]  # fmt: skip  # and the models below

KEY_MAX = 4 * NAME_MAX  # case folding can lengthen a name ("ß" is "ss")
NOTE_MAX = 3000
PROMISE_MAX = 300
EMAIL_MAX = 254  # RFC 5321's longest path


class Workspace(Base):
    """A Slack workspace (team) that uses rapport."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(TEAM_ID, primary_key=True)
    created_at: Mapped[datetime]
    team_channel_id: Mapped[str | None] = mapped_column(CHANNEL_ID)
    team_channel_tz: Mapped[str | None] = mapped_column(String(64))  # the channel's working hours: its setter's zone
    work_start_minute: Mapped[int] = mapped_column(Integer, default=9 * 60, server_default="540")
    work_end_minute: Mapped[int] = mapped_column(Integer, default=17 * 60, server_default="1020")
    work_days_mask: Mapped[int] = mapped_column(Integer, default=0b11111, server_default="31")
    url: Mapped[str | None] = mapped_column(String(200))  # https://acme.slack.com/ (auth.test): message permalinks
    # The weekly digest goes out on this weekday (0 is Monday) at this local minute, in each recipient's zone.
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    digest_minute: Mapped[int] = mapped_column(Integer, default=9 * 60, server_default="540")
    holidays: Mapped[str | None] = mapped_column(String(16))  # public holidays are days off: `PL`, `US-CA`
    language: Mapped[str | None] = mapped_column(String(8))  # the default for people who chose none: `pl`


class Person(Base):
    """What Slack told us about a user (users.info), cached: time zone, bot, deactivated."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_email", "team_id", "email"),)  # the team mailbox finds teammates by address

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    home_team_id: Mapped[str | None] = mapped_column(TEAM_ID)
    tz: Mapped[str | None] = mapped_column(String(64))
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # a guest of the workspace
    email: Mapped[str | None] = mapped_column(String(254))  # the Slack profile's (users:read.email), lower case
    locale: Mapped[str | None] = mapped_column(String(16))  # Slack's locale for them (users.info include_locale)
    fetched_at: Mapped[datetime]


class Client(Base):
    """A client of the team: who owns the relationship and how often we should talk."""

    __tablename__ = "clients"
    __table_args__ = (
        UniqueConstraint("team_id", "name_key"),
        UniqueConstraint("team_id", "id"),
        Index("ix_clients_team_owner", "team_id", "owner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    name_key: Mapped[str] = mapped_column(String(KEY_MAX))
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    cadence_days: Mapped[int | None]
    owner_id: Mapped[str | None] = mapped_column(USER_ID)
    created_by: Mapped[str] = mapped_column(USER_ID)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Kept in step by domain.quiet.refresh_quiet(): the sweep finds quiet clients through an index.
    last_contact_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]
    quiet_due_at: Mapped[datetime | None] = mapped_column(index=True)
    # The first of its linked channels (client_channels), kept in step: where survey invitations go when a DM can't.
    channel_id: Mapped[str | None] = mapped_column(CHANNEL_ID)
    reply_time: Mapped[str | None] = mapped_column(String(8))  # "4h", "2d" or "off"; None: the default, 1d

    aliases: Mapped[list[ClientAlias]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ClientAlias.alias", lazy="selectin"
    )


class ClientAlias(Base):
    """Another name a client is known by; unique in the workspace, like names."""

    __tablename__ = "client_aliases"
    __table_args__ = (
        UniqueConstraint("team_id", "alias_key"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_client_aliases_client", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    alias: Mapped[str] = mapped_column(String(NAME_MAX))
    alias_key: Mapped[str] = mapped_column(String(KEY_MAX))
    created_at: Mapped[datetime]

    client: Mapped[Client] = relationship(back_populates="aliases")


class Contact(Base):
    """One touch with a client: who, when, where, what was said, and the message as evidence."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("team_id", "idempotency_key"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_contacts_client_time", "team_id", "client_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    user_id: Mapped[str] = mapped_column(USER_ID)
    occurred_at: Mapped[datetime]
    channel_id: Mapped[str | None] = mapped_column(CHANNEL_ID)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    permalink: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Promise(Base):
    """Something we promised a client by a date; the evidence when a relationship gets tense."""

    __tablename__ = "promises"
    __table_args__ = (
        UniqueConstraint("team_id", "idempotency_key"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_promises_client", "team_id", "client_id"),
        Index("ix_promises_open_due", "team_id", "done_at", "due_on"),
        Index("ix_promises_open_cycles", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    what: Mapped[str] = mapped_column(Text)  # PROMISE_MAX characters as read; stored with Slack's escapes
    due_on: Mapped[date] = mapped_column(Date)
    owner_id: Mapped[str] = mapped_column(USER_ID)
    created_by: Mapped[str] = mapped_column(USER_ID)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(USER_ID)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    snoozed_until: Mapped[datetime | None]
    survey_id: Mapped[int | None]  # a fix planned from a survey item, so it never happens again
    survey_item: Mapped[str | None] = mapped_column(String(32))
    # Kept in step by domain.promises.refresh_cycles(): the cycles of its heads-up and slip nudges.
    heads_up_at: Mapped[datetime | None]
    slip_at: Mapped[datetime | None]


class ClientEvent(Base):
    """What happened to a client besides contacts: snoozes, hand-overs, new promise dates, nudge answers."""

    __tablename__ = "client_events"
    __table_args__ = (
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_client_events_client_time", "team_id", "client_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    promise_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(USER_ID)
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Nudge(Base):
    """One nudge, claimed by exactly one sweep through its unique (kind, target, cycle), then posted once."""

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "target_id", "cycle_at"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_nudges_message", "team_id", "channel_id", "ts"),
        Index("ix_nudges_open", "status", "posted_at"),
        Index("ix_nudges_lease", "status", "lease_until"),
        Index("ix_nudges_recipient", "team_id", "recipient_id", "posted_at"),
        Index("ix_nudges_posted_at", "posted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    cycle_at: Mapped[datetime]
    client_id: Mapped[int]
    promise_id: Mapped[int | None]
    recipient_id: Mapped[str] = mapped_column(USER_ID)
    status: Mapped[str] = mapped_column(String(16))
    claimed_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    channel_id: Mapped[str | None] = mapped_column(CHANNEL_ID)
    ts: Mapped[str | None] = mapped_column(String(32))
    combined: Mapped[bool] = mapped_column(Boolean, default=False)
    posted_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    escalation_channel_id: Mapped[str | None] = mapped_column(CHANNEL_ID)
    escalation_ts: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(USER_ID)
    answer: Mapped[str | None] = mapped_column(String(32))


class ProcessedEvent(Base):
    """Events already handled: Slack retries an event (same event_id) when our ack is slow."""

    __tablename__ = "processed_events"

    team_id: Mapped[str] = mapped_column(TEAM_ID, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime]


class QuestionSet(Base):
    """A versioned set of survey questions; answers keep the version they were given against.

    team_id "*" is the default every workspace uses (seeded by migration 0003); a workspace may get its own.
    """

    __tablename__ = "question_sets"
    __table_args__ = (UniqueConstraint("team_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    version: Mapped[int]
    items: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{key, client, team}], in order
    created_at: Mapped[datetime]


class Survey(Base):
    """A two-sided post-project survey: the client and the team rate the same things."""

    __tablename__ = "surveys"
    __table_args__ = (
        UniqueConstraint("team_id", "idempotency_key"),
        UniqueConstraint("team_id", "id"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_surveys_client", "team_id", "client_id"),
        Index("ix_surveys_open", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    project: Mapped[str] = mapped_column(String(NAME_MAX))
    requester_id: Mapped[str] = mapped_column(USER_ID)
    question_set_id: Mapped[int] = mapped_column(ForeignKey("question_sets.id"))
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]  # everyone answered
    closed_at: Mapped[datetime | None]  # answered or given up on: no more reminders
    idempotency_key: Mapped[str | None] = mapped_column(String(200))


class SurveyParticipant(Base):
    """Someone asked to answer: a team member, a client contact in Slack (a guest or a Slack Connect member), or a
    client contact outside Slack, by email address, who answers on the survey page through a personal link."""

    __tablename__ = "survey_participants"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id"),
        UniqueConstraint("survey_id", "email"),
        UniqueConstraint("nonce"),
        CheckConstraint("(user_id IS NULL) <> (email IS NULL)", name="slack_user_or_email"),
        ForeignKeyConstraint(["team_id", "survey_id"], ["surveys.team_id", "surveys.id"], ondelete="CASCADE"),
        Index("ix_survey_participants_open", "answered_at", "survey_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    survey_id: Mapped[int]
    user_id: Mapped[str | None] = mapped_column(USER_ID)  # a Slack user; None for an email address
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))  # lower case; None for a Slack user
    language: Mapped[str | None] = mapped_column(String(8))  # the survey page's and email's, from the invitation
    nonce: Mapped[str | None] = mapped_column(String(32))  # the personal link's random part (email participants)
    side: Mapped[str] = mapped_column(String(8))  # "client" or "team"
    # "dm", "channel", "email" (the link was emailed), "link" (only shown to the requester), or None: not reached
    invited_via: Mapped[str | None] = mapped_column(String(8))
    channel_id: Mapped[str | None] = mapped_column(CHANNEL_ID)
    ts: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime | None]
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None]


class SurveyAnswer(Base):
    """One rating (1-5) and comment, against the question set version the survey was sent with."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("participant_id", "item"),
        ForeignKeyConstraint(["team_id", "survey_id"], ["surveys.team_id", "surveys.id"], ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    survey_id: Mapped[int]
    participant_id: Mapped[int] = mapped_column(ForeignKey("survey_participants.id", ondelete="CASCADE"))
    question_set_id: Mapped[int] = mapped_column(ForeignKey("question_sets.id"))
    item: Mapped[str] = mapped_column(String(32))
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)


class SurveyFix(Base):
    """What we will do about a low or blind-spot item (a promise), or why nothing is needed."""

    __tablename__ = "survey_fixes"
    __table_args__ = (
        UniqueConstraint("survey_id", "item"),
        ForeignKeyConstraint(["team_id", "survey_id"], ["surveys.team_id", "surveys.id"], ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    survey_id: Mapped[int]
    item: Mapped[str] = mapped_column(String(32))
    promise_id: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)  # "No fix needed" and why
    by: Mapped[str] = mapped_column(USER_ID)
    at: Mapped[datetime]


class SurveyMessage(Base):
    """A summary message we posted, so planned fixes can be shown in it."""

    __tablename__ = "survey_messages"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id"),
        ForeignKeyConstraint(["team_id", "survey_id"], ["surveys.team_id", "surveys.id"], ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    survey_id: Mapped[int]
    user_id: Mapped[str] = mapped_column(USER_ID)
    channel_id: Mapped[str | None] = mapped_column(CHANNEL_ID)
    ts: Mapped[str | None] = mapped_column(String(32))

"""The tables of linked channels: which channels are a client's, the people at a client, and channel messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import CHANNEL_ID, NAME_MAX, TEAM_ID, USER_ID, Base


class ClientChannel(Base):
    """A channel where the team talks with a client (often Slack Connect): a channel belongs to one client."""

    __tablename__ = "client_channels"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_client_channels_client", "team_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    channel_id: Mapped[str] = mapped_column(CHANNEL_ID)
    keep_text: Mapped[bool] = mapped_column(Boolean, default=False)  # the first TEXT_KEPT characters of messages
    joined: Mapped[bool] = mapped_column(Boolean, default=False)  # rapport is a member (a private one invites it)
    join_tried_at: Mapped[datetime | None]
    history_read_to: Mapped[datetime | None]  # the backfill read conversations.history up to here
    linked_by: Mapped[str] = mapped_column(USER_ID)
    linked_at: Mapped[datetime]


class ClientPerson(Base):
    """Someone on the client's side: a Slack user (a Slack Connect member, a guest) or an email address."""

    __tablename__ = "client_people"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        UniqueConstraint("team_id", "email"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_client_people_client", "team_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    user_id: Mapped[str | None] = mapped_column(USER_ID)
    email: Mapped[str | None] = mapped_column(String(254))  # lower case, its domain in IDNA (domain.addresses)
    name: Mapped[str | None] = mapped_column(String(NAME_MAX))  # given with an address
    added_by: Mapped[str] = mapped_column(USER_ID)
    added_at: Mapped[datetime]


class ChannelMessage(Base):
    """A message in a linked channel: stored on arrival (pending), then read as a contact or a client's question.

    Only who, when and where are kept, and the permalink; the text only for a channel that keeps text.
    """

    __tablename__ = "channel_messages"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "ts"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_channel_messages_pending", "processed_at", "team_id"),
        Index("ix_channel_messages_client", "team_id", "client_id", "at"),
        Index("ix_channel_messages_waiting", "answered_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    channel_id: Mapped[str] = mapped_column(CHANNEL_ID)
    ts: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))  # a reply in a thread: its parent's ts
    broadcast: Mapped[bool] = mapped_column(Boolean, default=False)  # a thread reply also sent to the channel
    user_id: Mapped[str | None] = mapped_column(USER_ID)
    user_team_id: Mapped[str | None] = mapped_column(TEAM_ID)  # the author's workspace, as the event says
    at: Mapped[datetime]
    text: Mapped[str | None] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    permalink: Mapped[str | None] = mapped_column(String(500))
    processed_at: Mapped[datetime | None]  # None: waiting to be read (events are stored first, read after the ack)
    side: Mapped[str | None] = mapped_column(String(8))  # "team", "client" or "other" (bots, unknown)
    due_at: Mapped[datetime | None]  # a client's message: when its reply time runs out (None: no reply time)
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(USER_ID)
    answer: Mapped[str | None] = mapped_column(String(16))  # how: "reply", "message", "reaction", "nudge"


class ClientDomain(Base):
    """An email domain whose people all belong to a client (acme.com): mail and meetings with them are contacts."""

    __tablename__ = "client_domains"
    __table_args__ = (
        UniqueConstraint("team_id", "domain"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_client_domains_client", "team_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    domain: Mapped[str] = mapped_column(String(253))  # lower case, IDNA (punycode) for international names
    added_by: Mapped[str] = mapped_column(USER_ID)
    added_at: Mapped[datetime]

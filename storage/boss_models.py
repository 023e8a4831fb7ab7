"""The tables that serve the boss and the busy: sponsors, a person's own settings, digests and briefings.

A sponsor (the boss, an account director) keeps their own cadence with a client; only their own contacts
reset it. A person's settings say how they want to be nudged (one briefing a day) and who stands in for them
while they are away. Digests (weekly, per manager) and briefings (daily, per person) are claimed once per
recipient and period, the way nudges are, so none is ever posted twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, ForeignKeyConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import CHANNEL_ID, TEAM_ID, USER_ID, Base

ERROR_MAX = 200


class ClientSponsor(Base):
    """The one sponsor of a client, with their personal cadence; their clock is theirs alone."""

    __tablename__ = "client_sponsors"
    __table_args__ = (
        UniqueConstraint("team_id", "client_id"),
        UniqueConstraint("team_id", "id"),
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        Index("ix_client_sponsors_user", "team_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    client_id: Mapped[int]
    user_id: Mapped[str] = mapped_column(USER_ID)
    cadence_days: Mapped[int]
    named_at: Mapped[datetime]  # the clock starts here while the sponsor has no contact of their own
    named_by: Mapped[str] = mapped_column(USER_ID)
    # Kept in step with the sponsor's own contacts (logged, channel, meeting, email), like clients.quiet_due_at.
    last_contact_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]
    due_at: Mapped[datetime | None] = mapped_column(index=True)


class PersonSettings(Base):
    """How one person wants rapport to reach them, and who stands in for them while they are away."""

    __tablename__ = "person_settings"

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    briefing_minute: Mapped[int | None] = mapped_column(Integer)  # local minutes after midnight; None: separate nudges
    away_until: Mapped[date | None] = mapped_column(Date)  # the last day away (inclusive), in their own zone
    away_backup_id: Mapped[str | None] = mapped_column(USER_ID)
    holidays: Mapped[str | None] = mapped_column(String(16))  # their own public holidays; None: the workspace's
    language: Mapped[str | None] = mapped_column(String(8))  # their own choice (`ru`); None: the workspace's
    updated_at: Mapped[datetime]


class DigestRecipient(Base):
    """A manager who gets the weekly digest (`/client config digest @a @b`)."""

    __tablename__ = "digest_recipients"

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    added_by: Mapped[str] = mapped_column(USER_ID)
    added_at: Mapped[datetime]


class ClaimedOnce:
    """The claim columns a message sent once per recipient and period carries, as nudges do
    (domain.period_claims records them)."""

    status: Mapped[str] = mapped_column(String(16))  # claimed, posted, failed (as nudges)
    claimed_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(ERROR_MAX))
    channel_id: Mapped[str | None] = mapped_column(CHANNEL_ID)
    ts: Mapped[str | None] = mapped_column(String(32))
    posted_at: Mapped[datetime | None]


class Digest(ClaimedOnce, Base):
    """One weekly digest for one recipient: claimed by exactly one sweep through (team, user, week), posted once."""

    __tablename__ = "digests"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "week_of"),
        Index("ix_digests_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(USER_ID)
    week_of: Mapped[date] = mapped_column(Date)  # the Monday of the recipient's local week


class Briefing(ClaimedOnce, Base):
    """One person's morning briefing for one local day: claimed once, posted once."""

    __tablename__ = "briefings"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "day"),
        Index("ix_briefings_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(USER_ID)
    day: Mapped[date] = mapped_column(Date)  # the recipient's local day

"""The tables of calendars: a teammate's private iCalendar feed, and the meetings read from it.

A feed's URL is a secret (whoever has it reads the calendar): it is stored here and nowhere else, never logged
and never shown again in full. A meeting is one occurrence (UID + RECURRENCE-ID) of an event in a feed, kept
once it has a client among its attendees, so that it counts once and its brief goes once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, ForeignKeyConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import TEAM_ID, USER_ID, Base

URL_MAX = 2000
UID_MAX = 255
ERROR_MAX = 200
TITLE_MAX = 300


class CalendarFeed(Base):
    """A teammate's calendar, polled every 15 minutes by the sweep; one per person and workspace."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("team_id", "user_id"), UniqueConstraint("team_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(USER_ID)
    url: Mapped[str] = mapped_column(String(URL_MAX))  # a secret: never logged, never echoed (see render.calendars)
    titles: Mapped[bool] = mapped_column(Boolean, default=False)  # keep meeting titles as contact notes
    brief: Mapped[bool] = mapped_column(Boolean, default=False)  # a DM 15 minutes before a meeting with a client
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    read_until: Mapped[datetime | None]  # the last full read expanded events up to here (a 304 keeps them)
    digest: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the last body read: the same again is a 304
    next_poll_at: Mapped[datetime] = mapped_column(index=True)
    polled_at: Mapped[datetime | None]  # the last successful poll
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive failed polls
    failure_notified_at: Mapped[datetime | None]  # its owner was told it fails (once, until a poll succeeds)
    last_error: Mapped[str | None] = mapped_column(String(ERROR_MAX))  # what went wrong, never the URL
    created_at: Mapped[datetime]


class CalendarMeeting(Base):
    """One occurrence of a meeting with a client: logged as contacts once it ended, briefed once before it starts."""

    __tablename__ = "calendar_meetings"
    __table_args__ = (
        UniqueConstraint("feed_id", "uid", "recurrence_id"),
        ForeignKeyConstraint(
            ["team_id", "feed_id"], ["calendar_feeds.team_id", "calendar_feeds.id"], ondelete="CASCADE"
        ),
        Index("ix_calendar_meetings_ends", "logged_at", "ends_at"),
        Index("ix_calendar_meetings_starts", "briefed_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    feed_id: Mapped[int]
    uid: Mapped[str] = mapped_column(String(UID_MAX))  # longer UIDs are stored as a digest
    recurrence_id: Mapped[str] = mapped_column(String(40), default="")  # the original start, UTC ISO; '' if single
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))  # only when the feed keeps titles
    client_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # the clients among its attendees
    declined: Mapped[bool] = mapped_column(Boolean, default=False)  # by the feed's owner
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)  # STATUS:CANCELLED, or gone from the feed
    logged_at: Mapped[datetime | None]  # its contacts were logged (one per client), or it was settled without
    briefed_at: Mapped[datetime | None]  # the brief was sent (or claimed by a sweep sending it)

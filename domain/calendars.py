"""Calendar feeds: connecting one per teammate, its settings, and when it is polled (every 15 minutes, backing off).

The feed's address is a secret: it is checked and stored here, and handed to the fetcher; what people and logs
see of it is a hint (render.calendars.hint). A poll is claimed by moving next_poll_at forward, so concurrent
sweeps read each feed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from domain.clients import ensure_workspace
from domain.commands import CalendarSetting
from domain.errors import FeedFailed, FeedProblem, NoCalendar
from storage.calendar_models import ERROR_MAX, URL_MAX, CalendarFeed, CalendarMeeting
from storage.models import Person

POLL_EVERY = timedelta(minutes=15)
BACK_OFF_MAX = timedelta(hours=6)
TELL_AFTER = 3  # consecutive failures before the owner is told (a refused address tells at once)
LOOK_BACK = timedelta(days=7)  # meetings that ended this long ago still count, on the first poll too
LOOK_AHEAD = timedelta(days=7)  # future meetings kept for briefs; a full read is due when less than a day is left
FULL_READ_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class Target:
    """A feed claimed for one poll, with what reading it needs; `full` asks for the whole feed (no 304)."""

    feed_id: int
    team_id: str
    user_id: str
    url: str
    etag: str | None
    last_modified: str | None
    titles: bool
    tz: str | None  # the owner's, for floating times
    email: str | None  # the owner's Slack profile address: their own answer (declined) is found by it
    full: bool
    digest: str | None  # of the body read last (None when a whole read is due): an unchanged body is not read again


def feed_url_or_raise(text: str) -> str:
    """The address to read: https (webcal:// is read as https://), with a host, no user name, no spaces."""
    text = text.strip()
    if text.lower().startswith("webcal://"):
        text = "https://" + text[len("webcal://") :]
    if len(text) > URL_MAX or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise FeedFailed(FeedProblem.BAD_ADDRESS)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise FeedFailed(FeedProblem.BAD_ADDRESS) from None
    if parts.scheme.lower() != "https" or not parts.hostname or parts.username or parts.password:
        raise FeedFailed(FeedProblem.BAD_ADDRESS)
    if port == 0:
        raise FeedFailed(FeedProblem.BAD_ADDRESS)
    return text


def connect_feed(session: Session, *, team_id: str, user_id: str, url: str, now: datetime) -> CalendarFeed:
    """Connect (or replace) the teammate's calendar; polled at once. Its settings and meetings stay when replaced."""
    ensure_workspace(session, team_id=team_id, now=now)
    feed = feed_of(session, team_id=team_id, user_id=user_id, for_update=True)
    if feed is None:
        feed = CalendarFeed(team_id=team_id, user_id=user_id, url=url, next_poll_at=now, created_at=now, failures=0,
                            titles=False, brief=False)  # fmt: skip
        session.add(feed)
    feed.url, feed.etag, feed.last_modified, feed.read_until, feed.digest = url, None, None, None, None
    feed.next_poll_at, feed.failures, feed.failure_notified_at, feed.last_error = now, 0, None, None
    session.flush()
    return feed


def feed_of(session: Session, *, team_id: str, user_id: str, for_update: bool = False) -> CalendarFeed | None:
    """The teammate's calendar feed, if they connected one."""
    query = select(CalendarFeed).where(CalendarFeed.team_id == team_id, CalendarFeed.user_id == user_id)
    return session.scalar(query.with_for_update() if for_update else query)


def feed_or_raise(session: Session, *, team_id: str, user_id: str) -> CalendarFeed:
    """The teammate's calendar feed, or NoCalendar."""
    feed = feed_of(session, team_id=team_id, user_id=user_id, for_update=True)
    if feed is None:
        raise NoCalendar()
    return feed


def disconnect_feed(session: Session, *, team_id: str, user_id: str) -> bool:
    """Forget the teammate's calendar and its meetings (their contacts stay); False when none was connected."""
    result = session.execute(
        delete(CalendarFeed).where(CalendarFeed.team_id == team_id, CalendarFeed.user_id == user_id),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def drop_feed(session: Session, *, feed_id: int, url: str) -> bool:
    """Forget a feed whose first read showed its address is wrong (unless it was connected anew since)."""
    result = session.execute(
        delete(CalendarFeed).where(CalendarFeed.id == feed_id, CalendarFeed.url == url),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def set_feed_setting(
    session: Session, *, team_id: str, user_id: str, setting: CalendarSetting, on: bool
) -> CalendarFeed:
    """Titles or briefs on or off; titles off also forgets those kept for meetings not yet logged."""
    feed = feed_or_raise(session, team_id=team_id, user_id=user_id)
    if setting == CalendarSetting.TITLES:
        feed.titles = on
        if on:  # the next poll reads the whole feed again, for the titles of the meetings known without them
            feed.read_until = None
        else:
            session.execute(
                update(CalendarMeeting)
                .where(CalendarMeeting.feed_id == feed.id, CalendarMeeting.logged_at.is_(None))
                .values(title=None),
                execution_options={"synchronize_session": False},
            )
    else:
        feed.brief = on
    return feed


def due_feeds(session: Session, *, now: datetime, limit: int = 500) -> list[int]:
    """The feeds whose poll is due, the longest waiting first."""
    query = select(CalendarFeed.id).where(CalendarFeed.next_poll_at <= now).order_by(CalendarFeed.next_poll_at)
    return list(session.scalars(query.limit(limit)))


def claim_poll(session: Session, *, feed_id: int, now: datetime) -> Target | None:
    """Take the feed's due poll (None when it is not due, or another sweep took it): it is next due in 15 minutes."""
    claimed = session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.id == feed_id, CalendarFeed.next_poll_at <= now)
        .values(next_poll_at=now + POLL_EVERY),
        execution_options={"synchronize_session": False},
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return None
    feed = session.get_one(CalendarFeed, feed_id, populate_existing=True)
    owner = session.get(Person, (feed.team_id, feed.user_id))
    full = feed.read_until is None or feed.read_until < now + FULL_READ_MARGIN
    return Target(
        feed.id, feed.team_id, feed.user_id, feed.url, None if full else feed.etag,
        None if full else feed.last_modified, feed.titles, owner.tz if owner else None,
        owner.email if owner else None, full, None if full else feed.digest,
    )  # fmt: skip


def poll_succeeded(
    session: Session,
    *,
    target: Target,
    etag: str | None,
    last_modified: str | None,
    digest: str | None,
    now: datetime,
) -> bool:
    """A poll read the feed (`digest`: of the body read) or heard it had not changed: failures forgotten.

    False when the feed was disconnected or given another address while it was read: keep nothing of it.
    """
    feed = session.get(CalendarFeed, target.feed_id, with_for_update=True)
    if feed is None or feed.url != target.url:
        return False
    feed.etag, feed.last_modified = etag, last_modified
    if digest is not None:  # read whole: its meetings are known a week ahead
        feed.read_until, feed.digest = now + LOOK_AHEAD, digest
    feed.polled_at, feed.failures, feed.failure_notified_at, feed.last_error = now, 0, None, None
    return True


def poll_failed(session: Session, *, target: Target, error: FeedFailed, now: datetime) -> bool:
    """A poll failed: back off; True when its owner is to be told now (once, until a poll succeeds)."""
    feed = session.get(CalendarFeed, target.feed_id, with_for_update=True)
    if feed is None or feed.url != target.url:
        return False
    feed.failures += 1
    feed.last_error = str(error)[:ERROR_MAX]
    feed.next_poll_at = now + min(POLL_EVERY * 2 ** min(feed.failures - 1, 10), BACK_OFF_MAX)
    if feed.failure_notified_at is None and (feed.failures >= TELL_AFTER or error.permanent):
        feed.failure_notified_at = now
        return True
    return False

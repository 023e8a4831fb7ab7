"""The sweep's calendar step: poll the feeds that are due, log the meetings that ended, send the briefs due.

Each feed is polled on its own (claimed, read outside any transaction, stored in one): a feed that fails, or a
bug that one feed's data sets off, never stops the others. The feed's address is never logged: a feed is named
by its id and its owner.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from domain.briefs import Due, brief_of, claim_briefs, unclaim_briefs
from domain.calendar_events import Meeting, read_meetings
from domain.calendars import LOOK_AHEAD, LOOK_BACK, Target, claim_poll, due_feeds, poll_failed, poll_succeeded
from domain.dates import local_today
from domain.errors import FeedFailed
from domain.languages import Language, language_of
from domain.meetings import Stored, log_ended, store_meetings
from render.blocks import Message
from render.briefs import brief
from render.calendars import feed_failing, meeting_title
from render.i18n import speaking
from services.calendar_fetch import FeedPolicy, fetch
from services.failures import SLACK_FAILURES, failure
from services.fan_out import per_conversation
from storage.db import read_only, unit_of_work
from storage.models import Person

log = logging.getLogger("rapport.calendars")


@dataclass(frozen=True)
class Polled:
    """One poll: whether this process took it, what a whole read stored (None: 304 or failed), the error."""

    claimed: bool
    stored: Stored | None = None
    logged: int = 0
    error: FeedFailed | None = None


@dataclass
class CalendarReport:
    """What the calendar step of a sweep did."""

    polled: int = 0
    failed: int = 0
    logged: int = 0  # contacts from meetings that ended
    briefs: int = 0


def poll_feed(
    sessions: sessionmaker[Session], slack: WebClient, policy: FeedPolicy, *, feed_id: int, now: datetime,
    tell_owner: bool = True,
) -> Polled:  # fmt: skip
    """Poll one feed if it is due: read it, keep its meetings with clients, log those that ended."""
    with unit_of_work(sessions) as session:
        target = claim_poll(session, feed_id=feed_id, now=now)
    if target is None:
        return Polled(claimed=False)
    try:
        fetched = fetch(target.url, policy=policy, etag=target.etag, last_modified=target.last_modified)
        # A server without ETag or Last-Modified sends the same body again: read like a 304, it costs no parsing.
        digest = hashlib.sha256(fetched.body).hexdigest() if fetched.body is not None else None
        meetings = None if fetched.body is None or digest == target.digest else _meetings(fetched.body, target, now)
    except FeedFailed as error:
        with unit_of_work(sessions) as session:
            tell = poll_failed(session, target=target, error=error, now=now)
            language = language_of(session, team_id=target.team_id, user_id=target.user_id)
        log.warning("calendar feed %s of %s could not be read: %s", target.feed_id, target.user_id, error)
        if tell and tell_owner:
            _tell(slack, target, error, language)
        return Polled(claimed=True, error=error)
    with unit_of_work(sessions) as session:
        if not poll_succeeded(session, target=target, etag=fetched.etag, last_modified=fetched.last_modified,
                              digest=digest if meetings is not None else None, now=now):  # fmt: skip
            return Polled(claimed=True)  # disconnected or replaced while it was read
        stored = None
        if meetings is not None:
            stored = store_meetings(session, target=target, meetings=meetings)
        logged = log_ended(session, now=now, feed_id=target.feed_id)
    return Polled(claimed=True, stored=stored, logged=logged)


def _meetings(body: bytes, target: Target, now: datetime) -> list[Meeting]:
    """The feed's meetings from a week ago to a week ahead; titles only for a teammate who keeps them."""
    found = read_meetings(body, start=now - LOOK_BACK, end=now + LOOK_AHEAD, tz=target.tz, email=target.email)
    return [replace(m, title=meeting_title(m.title) if target.titles else "") for m in found]


def _tell(slack: WebClient, target: Target, error: FeedFailed, language: Language) -> None:
    """DM the owner that their feed keeps failing (once: the feed remembers it was told), in their language."""
    with speaking(language):
        message = feed_failing(target.url, error)
    try:
        slack.chat_postMessage(channel=target.user_id, **message.to_dict())
    except SLACK_FAILURES as exc:
        log.warning("could not tell %s that their calendar fails: %s", target.user_id, failure(exc))


def sweep_calendars(
    sessions: sessionmaker[Session], slack: WebClient, policy: FeedPolicy, *, now: datetime, workers: int
) -> CalendarReport:
    """Poll the due feeds (several at once), log ended meetings, send the briefs due now."""
    report = CalendarReport()
    lock = threading.Lock()
    with read_only(sessions) as session:
        due = due_feeds(session, now=now)

    def poll(feed_id: int) -> None:
        try:
            polled = poll_feed(sessions, slack, policy, feed_id=feed_id, now=now)
        except Exception as exc:  # one feed's trouble is never every feed's: log it (no address) and go on
            log.error(
                "calendar feed %s: the poll failed (%s)",
                feed_id,
                type(exc).__name__,
                exc_info=not isinstance(exc, SQLAlchemyError),
            )  # its parameters may hold the address
            with lock:
                report.failed += 1
            return
        with lock:
            report.polled += polled.claimed
            report.failed += polled.error is not None
            report.logged += polled.logged

    per_conversation(due, conversation=lambda feed_id: feed_id, work=poll, workers=workers)
    with unit_of_work(sessions) as session:
        report.logged += log_ended(session, now=now)
    report.briefs = send_briefs(sessions, slack, now=now)
    return report


def send_briefs(sessions: sessionmaker[Session], slack: WebClient, *, now: datetime) -> int:
    """DM each brief due now (in its reader's language), once; one Slack did not take is tried again next sweep."""
    messages: list[tuple[Due, Message]] = []
    with unit_of_work(sessions) as session:
        for due in claim_briefs(session, now=now):
            owner = session.get(Person, (due.team_id, due.user_id))
            tz = owner.tz if owner else None
            today = local_today(now, tz)
            clients = brief_of(session, team_id=due.team_id, client_ids=due.client_ids, today=today)
            if clients:
                with speaking(language_of(session, team_id=due.team_id, user_id=due.user_id)):
                    messages.append((due, brief(due, clients, tz=tz, today=today)))
    failed = []
    for due, message in messages:
        try:
            slack.chat_postMessage(channel=due.user_id, **message.to_dict())
        except SLACK_FAILURES as exc:
            log.warning("the brief for meeting %s to %s failed: %s", due.meeting_id, due.user_id, failure(exc))
            failed.append(due.meeting_id)
    if failed:
        with unit_of_work(sessions) as session:
            unclaim_briefs(session, failed)
    return len(messages) - len(failed)

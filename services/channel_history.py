"""Joining a linked channel and reading its history (the backfill), so the client's last contact is right at once.

conversations.history is read page by page (a 429 waits out Retry-After in the Web API client; a refusal
leaves the rest to the sweep, which reads again from where reading stopped), and conversations.replies for
threads with replies since. Messages are stored like events' (domain.channel_messages.store), then read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from domain.channel_messages import store
from domain.channel_reading import history_read, history_since, joined, to_read
from domain.channels import linked_channel
from services.channel_reading import arrival_of, read_pending
from services.failures import SLACK_FAILURES, failure
from storage.db import read_only, unit_of_work

log = logging.getLogger("rapport.channels")

PAGE = 200
PRIVATE = ("method_not_supported_for_channel_type", "channel_not_found")  # a private channel: an invitation
PERMANENT = ("is_archived", "missing_scope", "restricted_action", "not_allowed_token_type")  # no use trying again


class Joined(StrEnum):
    """What joining a linked channel came to."""

    JOINED = "joined"
    INVITE = "invite"  # a private channel: someone must invite rapport there
    FAILED = "failed"  # Slack refused or did not answer: the sweep tries again


def connect(slack: WebClient, sessions: sessionmaker[Session], *, now: datetime, team_id: str,
            channel_id: str) -> Joined:  # fmt: skip
    """Join a linked channel (public ones; a private one must invite rapport) and record whether rapport is in."""
    try:
        slack.conversations_join(channel=channel_id)
        result = Joined.JOINED
    except SlackApiError as exc:
        result = Joined.INVITE if exc.response.get("error") in PRIVATE else Joined.FAILED
        log.info("could not join %s: %s", channel_id, failure(exc))
        if exc.response.get("error") in PERMANENT:  # tried once: not every sweep; linking it again tries again
            with unit_of_work(sessions) as session:
                joined(session, team_id=team_id, channel_id=channel_id, member=False, now=now)
    except SLACK_FAILURES as exc:
        result = Joined.FAILED
        log.warning("could not join %s: %s", channel_id, failure(exc))
    if result is not Joined.FAILED:
        with unit_of_work(sessions) as session:
            joined(session, team_id=team_id, channel_id=channel_id, member=result is Joined.JOINED, now=now)
    return result


def backfill(slack: WebClient, sessions: sessionmaker[Session], *, now: datetime, team_id: str,
             channel_id: str) -> int:  # fmt: skip
    """Read the channel's history since where reading stopped (30 days for a new link); the messages stored."""
    with read_only(sessions) as session:
        since = history_since(session, team_id=team_id, channel_id=channel_id, now=now)
    if since is None:  # unlinked meanwhile
        return 0
    stored = 0
    try:
        for page in _pages(slack, channel_id, oldest=since):
            with unit_of_work(sessions) as session:
                link = linked_channel(session, team_id=team_id, channel_id=channel_id)
                if link is None:
                    return stored
                arrivals = [a for m in page if (a := arrival_of(m, channel_id=channel_id)) is not None]
                stored += store(session, link=link, arrivals=arrivals, now=now)
    except SLACK_FAILURES as exc:
        log.warning("reading the history of %s stopped: %s; the sweep reads on later", channel_id, failure(exc))
        read_pending(sessions, slack, team_id=team_id, now=now)
        return stored
    with unit_of_work(sessions) as session:
        history_read(session, team_id=team_id, channel_id=channel_id, to=now)
    read_pending(sessions, slack, team_id=team_id, now=now)
    return stored


def _pages(slack: WebClient, channel_id: str, *, oldest: datetime) -> Iterator[list[dict[str, Any]]]:
    """The channel's messages since `oldest`, a page at a time, each followed by the replies of its threads."""
    since = f"{oldest.timestamp():.6f}"
    cursor = None
    while True:
        answer = slack.conversations_history(channel=channel_id, oldest=since, limit=PAGE, cursor=cursor)
        messages = list(answer.get("messages") or [])
        yield messages
        for parent in messages:
            if parent.get("reply_count") and float(parent.get("latest_reply") or 0) > float(since):
                yield from _replies(slack, channel_id, parent["ts"], since)
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not answer.get("has_more") or not cursor:
            return


def _replies(slack: WebClient, channel_id: str, thread_ts: str, since: str) -> Iterator[list[dict[str, Any]]]:
    """A thread's replies since `since` (the parent, which Slack lists first, is read with the channel)."""
    cursor = None
    while True:
        answer = slack.conversations_replies(channel=channel_id, ts=thread_ts, oldest=since, limit=PAGE, cursor=cursor)
        yield [m for m in answer.get("messages") or [] if m.get("ts") != thread_ts]
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not answer.get("has_more") or not cursor:
            return


def catch_up(slack: WebClient, sessions: sessionmaker[Session], *, now: datetime) -> int:
    """The sweep's part: join channels never joined, read histories not read far enough; messages stored."""
    with read_only(sessions) as session:
        due = to_read(session, now=now)
    stored = 0
    for channel in due:
        if not channel.joined and connect(slack, sessions, now=now, team_id=channel.team_id,
                                          channel_id=channel.channel_id) is not Joined.JOINED:  # fmt: skip
            continue
        stored += backfill(slack, sessions, now=now, team_id=channel.team_id, channel_id=channel.channel_id)
    return stored

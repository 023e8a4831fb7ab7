"""Reading linked channels: which channels are linked (cached), what a Slack message is, and reading stored ones.

Events store messages of linked channels (domain.channel_messages.store) and ask for a read; reading looks the
authors up in Slack first (users.info, cached a day), then reads every pending message in one transaction.
A read that finds no room in the post-ack pool is left to the next event or to the sweep: nothing is lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.channel_messages import Arrival, Read, pending, process
from domain.channel_reading import set_workspace_url, workspace_url
from domain.channels import linked_channel
from domain.people import Lookup, Profile
from domain.workspace import get_settings
from services.directory import Known, look_up
from services.failures import SLACK_FAILURES, failure
from storage.db import read_only, unit_of_work

log = logging.getLogger("rapport.channels")

COUNTED = frozenset({None, "file_share", "thread_broadcast"})  # other subtypes: joins, topics, edits, bots…
CACHE_SECONDS = 30.0
ROUNDS = 20  # batches one read takes at most before leaving the rest to the next one


def arrival_of(message: dict[str, Any], *, channel_id: str, app_bot_id: str | None = None) -> Arrival | None:
    """A Slack message (event or history) as an Arrival; None for what never counts (joins, topics, edits…)."""
    subtype = message.get("subtype")
    ts = message.get("ts")
    if (subtype not in COUNTED and subtype != "bot_message") or not isinstance(ts, str):
        return None
    by_bot = subtype == "bot_message" or bool(message.get("bot_id")) or message.get("bot_profile") is not None
    user = message.get("user") if not by_bot else None
    team = message.get("user_team") or message.get("team")
    return Arrival(
        channel_id=channel_id,
        ts=ts,
        thread_ts=message.get("thread_ts") if isinstance(message.get("thread_ts"), str) else None,
        broadcast=subtype == "thread_broadcast",
        user_id=user if isinstance(user, str) and user else None,
        user_team_id=team if isinstance(team, str) else None,
        text=message.get("text") if isinstance(message.get("text"), str) else None,
    )


@dataclass
class LinkCache:
    """Whether a channel is linked to a client: one indexed look-up, then remembered for CACHE_SECONDS.

    A message in a channel linked to no client costs this and nothing else. A link made in another process is
    seen here within CACHE_SECONDS; the sweep reads the history again after a link, so nothing is missed.
    """

    seconds: float = CACHE_SECONDS
    monotonic: Callable[[], float] = time.monotonic
    _known: dict[tuple[str, str], tuple[bool, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def linked(self, sessions: sessionmaker[Session], *, team_id: str, channel_id: str, deadline: float) -> bool:
        key, now = (team_id, channel_id), self.monotonic()
        with self._lock:
            found = self._known.get(key)
        if found is not None and now - found[1] < self.seconds:
            return found[0]
        with read_only(sessions, deadline=deadline) as session:
            linked = linked_channel(session, team_id=team_id, channel_id=channel_id) is not None
        with self._lock:
            if len(self._known) > 100_000:  # channels seen: bounded, whatever the workspace's size
                self._known.clear()
            self._known[key] = (linked, now)
        return linked

    def forget(self, team_id: str, channel_id: str) -> None:
        """A channel was linked or unlinked here: ask the database next time."""
        with self._lock:
            self._known.pop((team_id, channel_id), None)


class Reads:
    """At most one read per workspace at a time in this process; a read asked for during one runs once after it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._again: set[str] = set()

    def start(self, team_id: str) -> bool:
        """True when the caller should read now; False when a read is running (it will read again)."""
        with self._lock:
            if team_id in self._running:
                self._again.add(team_id)
                return False
            self._running.add(team_id)
            return True

    def abandon(self, team_id: str) -> None:
        """The read could not run or failed: the next event or the sweep reads what is left."""
        with self._lock:
            self._running.discard(team_id)
            self._again.discard(team_id)

    def finish(self, team_id: str) -> bool:
        """True when more was asked for meanwhile (the caller reads again); else the read is over."""
        with self._lock:
            if team_id in self._again:
                self._again.discard(team_id)
                return True
            self._running.discard(team_id)
            return False


def read_pending(sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, now: datetime) -> Read:
    """Read the workspace's stored messages not read yet: authors looked up first, then a transaction a batch."""
    total = Read([], 0, 0)
    url = _url(sessions, slack, team_id)
    for _ in range(ROUNDS):
        with read_only(sessions) as session:
            batch = pending(session, team_id=team_id)
        if not batch.ids:
            break
        known = look_up(sessions, slack, team_id=team_id, user_ids=batch.people, now=now)
        ids = [i for i in batch.ids if batch.author_of[i] not in known.failed]  # the rest wait for Slack
        if not ids:
            log.warning("users.info failed for %s; their messages are read later", sorted(known.failed))
            break
        with unit_of_work(sessions) as session:
            hours = get_settings(session, team_id=team_id).hours
            read = process(session, team_id=team_id, ids=ids, lookup=_forgiving(known), hours=hours, url=url, now=now)
        total = Read(total.contacts + read.contacts, total.waiting + read.waiting, total.answered + read.answered)
    return total


def _forgiving(known: Known) -> Lookup:
    """`known`, answering None for people Slack failed on (an owner's hours are then counted in UTC)."""

    def lookup(user_id: str) -> Profile | None:
        return None if user_id in known.failed else known(user_id)

    return lookup


def _url(sessions: sessionmaker[Session], slack: WebClient, team_id: str) -> str | None:
    """The workspace's address for permalinks: stored, or asked once (auth.test) outside any transaction."""
    with read_only(sessions) as session:
        url = workspace_url(session, team_id=team_id)
    if url:
        return url
    try:
        url = slack.auth_test().get("url")
    except SLACK_FAILURES as exc:
        log.warning("auth.test failed: %s; messages are kept without links for now", failure(exc))
        return None
    if isinstance(url, str) and url.startswith("https://"):
        with unit_of_work(sessions) as session:
            set_workspace_url(session, team_id=team_id, url=url)
        return url
    return None

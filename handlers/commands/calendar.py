"""`/client calendar`: connect a teammate's private iCalendar address, disconnect it, titles and briefs on or off.

The address is a secret. Its host is resolved and checked before the transaction (no private address unless
CALENDAR_ALLOW_PRIVATE); the reply shows a hint only. After the commit and the reply, the first poll reads the
feed and a second ephemeral message says what it found, or why it failed.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from domain.calendars import (
    connect_feed,
    disconnect_feed,
    drop_feed,
    feed_of,
    feed_url_or_raise,
    set_feed_setting,
)
from handlers.commands.invocation import Invocation
from handlers.commands.parsed import Calendar
from render import calendars as replies
from render.blocks import Message
from services.calendar_fetch import FeedPolicy, check_address
from services.calendars import poll_feed
from services.failures import SLACK_FAILURES
from storage.db import unit_of_work

log = logging.getLogger(__name__)


def checked(command: Any, policy: FeedPolicy) -> Any:
    """Before the transaction: a calendar address must be https and resolve to addresses we may read."""
    if not isinstance(command, Calendar) or command.url is None:
        return command
    url = feed_url_or_raise(command.url)
    check_address(url, policy=policy)
    return replace(command, url=url)


def calendar(cmd: Calendar, call: Invocation) -> Message:
    """`calendar <url>`, `calendar off`, `calendar titles|brief on|off`, or `calendar` alone (how it stands)."""
    team_id, user_id = call.team_id, call.user_id
    if cmd.url is not None:
        call.reader()  # caches the teammate's profile: their time zone (floating times) and email (their answers)
        feed = connect_feed(call.session, team_id=team_id, user_id=user_id, url=cmd.url, now=call.now)
        feed_id, url = feed.id, cmd.url
        call.after_commit.append(lambda: _first_read(call, feed_id, url))
        return replies.connected(cmd.url)
    if cmd.off:
        return replies.disconnected(disconnect_feed(call.session, team_id=team_id, user_id=user_id))
    if cmd.setting is not None:
        feed = set_feed_setting(call.session, team_id=team_id, user_id=user_id, setting=cmd.setting, on=cmd.on)
        return replies.setting_changed(feed, cmd.setting)
    reader = call.reader()
    return replies.status(feed_of(call.session, team_id=team_id, user_id=user_id), tz=reader.tz, today=reader.today)


def _first_read(call: Invocation, feed_id: int, url: str) -> None:
    """Read the new feed now, and tell the teammate what it held (or what went wrong) where they asked.

    An address that answers no calendar (a web page, a reset secret address) is not kept: a server or network
    having a bad moment is, and the sweep tries again.
    """
    polled = poll_feed(call.sessions, call.slack, call.calendars, feed_id=feed_id, now=call.now, tell_owner=False)
    dropped = False
    if polled.error is not None and polled.error.wrong_address:
        with unit_of_work(call.sessions) as session:
            dropped = drop_feed(session, feed_id=feed_id, url=url)
    message = replies.first_read(polled.stored if polled.claimed else None, polled.logged, polled.error, dropped)
    if call.respond is None:
        return
    try:
        call.respond(response_type="ephemeral", replace_original=False, **message.to_dict())
    except SLACK_FAILURES as exc:
        log.warning("could not tell %s what their calendar held: %s", call.user_id, type(exc).__name__)

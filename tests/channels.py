"""Helpers of the client-channel tests: linking channels, and messages and reactions as Slack sends them."""

from __future__ import annotations

import itertools
import json
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fakes.slack import TEAM
from storage.models import ChannelMessage, ClientChannel
from tests.conftest import NOW
from tests.driver import Response, SlackDriver
from tests.helpers import client_named, fresh

CHANNEL = "CACME"
_events = itertools.count(1)


def ts_of(at: datetime) -> str:
    """The Slack ts of a message sent at `at`."""
    return f"{int(at.timestamp())}.{at.microsecond:06d}"


def link(session: Session, channel: str = CHANNEL, *, client: str = "Acme Corp", keep_text: bool = False,
         read: bool = True) -> None:  # fmt: skip
    """Link a channel as if long ago and read since (no history to catch up on); unread: as migration 0005 does."""
    row = client_named(session, client)
    session.add(
        ClientChannel(
            team_id=row.team_id, client_id=row.id, channel_id=channel, keep_text=keep_text, joined=read,
            linked_by="UALICE", linked_at=NOW - timedelta(days=3),
            history_read_to=NOW - timedelta(days=2) if read else None,
        )
    )  # fmt: skip
    session.commit()


def links(session: Session) -> list[ClientChannel]:
    return list(fresh(session).scalars(select(ClientChannel).order_by(ClientChannel.id)))


def event(slack: SlackDriver, payload: dict[str, Any], *, event_id: str | None = None, retry: int | None = None,
          team: str = TEAM, wait: bool = True) -> Response:  # fmt: skip
    """An Events API callback, signed, as Slack sends it (a retry carries the same event_id)."""
    body = json.dumps(
        {
            "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"EvMsg{next(_events)}", "event_time": int(time.time()), "event": payload,
        }
    )  # fmt: skip
    headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
    return slack.post(body, "application/json", headers=headers, wait=wait)


def message(slack: SlackDriver, at: datetime | str, *, user: str | None = "UALICE", channel: str = CHANNEL,
            text: str = "hello", team: str = TEAM, event_id: str | None = None, retry: int | None = None,
            wait: bool = True, **extra: Any) -> str:  # fmt: skip
    """A message event in `channel` (by `user` of `team`; extra fields as given); returns its ts."""
    ts = at if isinstance(at, str) else ts_of(at)
    payload = {"type": "message", "channel": channel, "ts": ts, "text": text, "event_ts": ts,
               "channel_type": "channel", **({"user": user, "team": team} if user else {}), **extra}  # fmt: skip
    assert event(slack, payload, event_id=event_id, retry=retry, wait=wait).status == 200
    return ts


def reaction(slack: SlackDriver, ts: str, *, user: str, name: str = "white_check_mark",
             channel: str = CHANNEL) -> Response:  # fmt: skip
    return event(
        slack,
        {"type": "reaction_added", "user": user, "reaction": name, "item": {"type": "message", "channel": channel,
                                                                             "ts": ts}, "event_ts": ts},
    )  # fmt: skip


def stored(session: Session) -> list[ChannelMessage]:
    return list(fresh(session).scalars(select(ChannelMessage).order_by(ChannelMessage.at, ChannelMessage.id)))

"""users.info as a domain Profile, and the reader of a reply (time zone, today)."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from domain.dates import local_today
from domain.people import Lookup, Profile, profile
from render.replies import Reader

log = logging.getLogger(__name__)


def slack_lookup(client: WebClient) -> Lookup:
    """A Lookup backed by users.info; None for users Slack does not know."""

    def lookup(user_id: str) -> Profile | None:
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in ("user_not_found", "user_not_visible"):
                return None
            raise
        home = None if user.get("enterprise_user") else user.get("team_id")
        return Profile(
            user_id=user_id,
            home_team_id=home,
            tz=user.get("tz"),
            is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
            deleted=bool(user.get("deleted")),
        )

    return lookup


def reader(session: Session, client: WebClient, *, team_id: str, user_id: str, now: datetime) -> Reader:
    """Who reads the reply; when Slack cannot tell their time zone, UTC, rather than no reply at all."""
    try:
        found = profile(session, team_id=team_id, user_id=user_id, now=now, lookup=slack_lookup(client))
    except SlackApiError:
        log.warning("users.info failed for %s; showing times in UTC", user_id, exc_info=True)
        found = None
    tz = found.tz if found else None
    return Reader(user_id=user_id, tz=tz, today=local_today(now, tz))

"""People as Slack knows them (users.info), asked before a unit of work begins, never inside its transaction.

A listener names the people its work will need; `look_up` reads their cached profiles and asks Slack about
the rest *before* the transaction, and the `Known` it returns answers the domain's Lookup inside it without
calling Slack. So no row lock or SQLite write lock is ever held while Slack takes its time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from domain.dates import local_today
from domain.people import Lookup, Profile, cached_profile, profile
from render.replies import Reader
from services.failures import SLACK_FAILURES
from storage.db import read_only

log = logging.getLogger(__name__)


def slack_lookup(slack: WebClient) -> Lookup:
    """A Lookup backed by users.info; None for users Slack does not know."""

    def lookup(user_id: str) -> Profile | None:
        try:
            user = slack.users_info(user=user_id, include_locale=True)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in ("user_not_found", "user_not_visible"):
                return None
            raise
        return _profile(user_id, user)

    return lookup


def email_lookup(slack: WebClient) -> Lookup:
    """A Lookup by email address backed by users.lookupByEmail (users:read.email); None for an unknown address."""

    def lookup(email: str) -> Profile | None:
        try:
            user = slack.users_lookupByEmail(email=email)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in ("users_not_found", "user_not_found", "user_not_visible"):
                return None
            raise
        return _profile(str(user["id"]), user)

    return lookup


def _profile(user_id: str, user: dict[str, Any]) -> Profile:
    """What users.info and users.lookupByEmail say about a user."""
    home = None if user.get("enterprise_user") else user.get("team_id")
    return Profile(
        user_id=user_id,
        home_team_id=home,
        tz=user.get("tz"),
        is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
        deleted=bool(user.get("deleted")),
        is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
        email=_email(user),
        locale=user.get("locale") if isinstance(user.get("locale"), str) else None,
    )


def _email(user: dict[str, Any]) -> str | None:
    """The profile's email address, lower case; None without users:read.email or for bots."""
    email = (user.get("profile") or {}).get("email")
    return email.strip().lower()[:254] if isinstance(email, str) and "@" in email else None


class Known:
    """Profiles looked up before a transaction: a Lookup that answers from them and never calls Slack."""

    def __init__(self, found: dict[str, Profile | None], failed: dict[str, Exception]) -> None:
        self.found = found
        self.failed = failed

    def __call__(self, user_id: str) -> Profile | None:
        if user_id in self.failed:  # Slack's refusal surfaces where the answer is needed, as if asked there
            raise self.failed[user_id]
        if user_id not in self.found:
            raise LookupError(f"{user_id} was not looked up before the transaction")  # our bug: name them first
        return self.found[user_id]


def look_up(
    sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, user_ids: Iterable[str | None], now: datetime
) -> Known:
    """The people a unit of work will need: cached profiles, and users.info for the others (outside any transaction)."""
    wanted = sorted({u for u in user_ids if u})
    with read_only(sessions) as session:
        found = {u: cached_profile(session, team_id=team_id, user_id=u, now=now) for u in wanted}
    failed: dict[str, Exception] = {}
    ask = slack_lookup(slack)
    for user_id in [u for u, p in found.items() if p is None]:
        try:
            found[user_id] = ask(user_id)
        except SLACK_FAILURES as exc:
            failed[user_id] = exc
    return Known(found, failed)


def reader(session: Session, lookup: Lookup, *, team_id: str, user_id: str, now: datetime) -> Reader:
    """Who reads the reply; when Slack cannot tell their time zone, UTC, rather than no reply at all."""
    try:
        found = profile(session, team_id=team_id, user_id=user_id, now=now, lookup=lookup)
    except SLACK_FAILURES:
        log.warning("users.info failed for %s; showing times in UTC", user_id, exc_info=True)
        found = None
    tz = found.tz if found else None
    return Reader(user_id=user_id, tz=tz, today=local_today(now, tz))

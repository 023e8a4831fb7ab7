"""What rapport needs before it serves: Slack accepting the token, a database that answers.

Each failure is a StartupError whose message is one line naming the setting to fix, never a secret.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from storage.db import make_engine

# auth.test must answer quickly: a start that hangs on an unreachable Slack tells nobody anything.
SLACK_TIMEOUT_SECONDS = 10
# auth.test errors that mean the token itself is refused (https://api.slack.com/methods/auth.test).
REFUSED_TOKEN = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type"}
)


class StartupError(Exception):
    """rapport cannot start; the message is one line naming the setting to fix, never a secret."""


@dataclass(frozen=True)
class Identity:
    """Who SLACK_BOT_TOKEN is, from auth.test."""

    team: str
    team_id: str
    user: str
    user_id: str
    scopes: frozenset[str] | None  # None when Slack sent no x-oauth-scopes header


def identify(*, token: str, api_url: str, timeout: int = SLACK_TIMEOUT_SECONDS) -> Identity:
    """Ask Slack's auth.test who the token is; a refused token or an unreachable Slack is a StartupError."""
    # No retry handlers: at start a clear failure now beats a hang while a dead Slack is retried. slack_sdk logs
    # every failed request at ERROR; here the failure is reported once, as the StartupError, so its log is muted.
    quiet = logging.getLogger("rapport.startup.auth_test")
    quiet.setLevel(logging.CRITICAL)
    slack = WebClient(token=token, base_url=api_url, timeout=timeout, retry_handlers=[], logger=quiet)
    try:
        response = slack.auth_test()
    except SlackApiError as exc:
        raise StartupError(slack_refused(exc.response.data, exc.response.status_code, api_url)) from None
    except OSError as exc:  # URLError, refused connections, DNS failures and timeouts are all OSErrors
        raise StartupError(slack_unreachable(api_url, exc)) from None
    header = next((v for k, v in response.headers.items() if k.lower() == "x-oauth-scopes"), None)
    scopes = frozenset(s.strip() for s in str(header).split(",") if s.strip()) if header is not None else None
    return Identity(
        team=str(response.get("team", "")),
        team_id=str(response.get("team_id", "")),
        user=str(response.get("user", "")),
        user_id=str(response.get("user_id", "")),
        scopes=scopes,
    )


def connect_database(*, url: str) -> Engine:
    """An engine for DATABASE_URL that has answered once; a StartupError (password hidden) when it does not."""
    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StartupError(database_unusable(url, exc)) from None
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise StartupError(database_unreachable(url, exc)) from None
    return engine


# The one-line messages -------------------------------------------------------------------------------------


def slack_refused(data: Any, status: int, api_url: str) -> str:
    """auth.test answered, but not with an identity."""
    error = data.get("error") if isinstance(data, dict) else None
    if error in REFUSED_TOKEN:
        return (
            f"SLACK_BOT_TOKEN was refused by Slack ({error}): copy the Bot User OAuth Token (xoxb-…) "
            "from the app's OAuth & Permissions page"
        )
    if error:
        return f"Slack's auth.test failed for SLACK_BOT_TOKEN ({error}) at SLACK_API_URL={api_url}"
    return f"SLACK_API_URL={api_url} does not answer like Slack's Web API (HTTP {status} to auth.test)"


def slack_unreachable(api_url: str, exc: OSError) -> str:
    """auth.test got no answer at all."""
    return f"cannot reach Slack at SLACK_API_URL={api_url} ({_reason(exc)})"


def database_unusable(url: str, exc: Exception) -> str:
    """DATABASE_URL names something SQLAlchemy cannot open."""
    return f"DATABASE_URL={shown_url(url)} cannot be used ({_first_line(exc, url)})"


def database_unreachable(url: str, exc: DBAPIError) -> str:
    """The database did not answer."""
    return f"cannot reach the database at DATABASE_URL={shown_url(url)} ({_first_line(exc.orig or exc, url)})"


def shown_url(url: str) -> str:
    """The URL as it may be printed: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a URL)"


def _reason(exc: OSError) -> str:
    reason = getattr(exc, "reason", exc)  # URLError wraps the socket error that says what happened
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _first_line(exc: BaseException, url: str) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    password = _password(url)
    return text.replace(password, "***") if password else text  # drivers rarely echo it; never let them


def _password(url: str) -> str | None:
    try:
        return make_url(url).password
    except ArgumentError:
        return None

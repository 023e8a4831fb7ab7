"""Whose request is this: the acting person's workspace, never a button value or a modal's private metadata."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import BoltContext

from domain.errors import InvalidDate
from domain.text import ascii_number


def acting_team(body: dict[str, Any], context: BoltContext) -> str:
    """The workspace of the person acting: their own team, as Slack signed it into the request.

    A person from another organization (Slack Connect) acts from their own team, so ids copied from ours find
    nothing there.
    """
    user = body.get("user")
    if isinstance(user, dict) and user.get("team_id"):
        return str(user["team_id"])
    return context.team_id or str(body.get("team_id") or (body.get("team") or {}).get("id") or "")


def installed_team(context: BoltContext) -> str | None:
    """The workspace rapport is installed in (from auth.test, not from the request)."""
    return context.authorize_result.team_id if context.authorize_result else None


def acting_user(body: dict[str, Any], context: BoltContext) -> str:
    """Who pressed, typed or submitted."""
    user = body.get("user")
    if isinstance(user, dict) and user.get("id"):
        return str(user["id"])
    return context.user_id or str(body.get("user_id") or "")


def number(text: object) -> int | None:
    """A row id or count from a button value, menu option or modal metadata: ASCII digits only, else None."""
    return ascii_number(str(text or ""))


def picked_date(text: object) -> date:
    """A date from a date picker (YYYY-MM-DD); anything else is InvalidDate, not our bug."""
    try:
        return date.fromisoformat(str(text or ""))
    except ValueError:
        raise InvalidDate(str(text or "")[:40]) from None

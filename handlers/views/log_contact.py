"""The message shortcut's modal submitted: check it, close it, fetch the permalink, save the contact."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from domain.contacts import Source, check_note, log_contact
from domain.errors import RapportError
from domain.names import get_client
from handlers.access import acting_team, acting_user, number
from handlers.context import ACK_DEADLINE, Deps, dependencies
from handlers.survey_access import read_metadata
from render import replies
from render.errors import error_text, pick_a_client_text
from render.formats import escape
from render.ids import ActionId, BlockId
from services.directory import look_up, reader
from services.failures import SLACK_FAILURES, failure
from services.home import refresh_home
from storage.db import read_only, unit_of_work

log = logging.getLogger(__name__)
RESPONSE_URL_TIMEOUT = 10  # seconds; a response_url that hangs must not hold a post-ack thread for long


def save_log_contact(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext
) -> Callable[[], None] | None:
    """Listener for the log-contact modal's submission: check it, close it; the rest happens after the ack."""
    values = view["state"]["values"]
    picked = _picked_id(values)
    note = escape(values.get(BlockId.NOTE, {}).get(ActionId.NOTE_INPUT, {}).get("value") or "")
    meta = read_metadata(view)
    deps, team_id, user_id = dependencies(context), acting_team(body, context), acting_user(body, context)
    with read_only(deps.sessions, deadline=ACK_DEADLINE) as session:
        chosen = get_client(session, team_id=team_id, client_id=picked) if picked is not None else None
    errors = {BlockId.CLIENT.value: pick_a_client_text()} if chosen is None else {}
    try:
        check_note(note)
    except RapportError as exc:
        errors[BlockId.NOTE.value] = error_text(exc)
    if errors:
        ack(response_action="errors", errors=errors)
        return None
    ack()
    if meta.get("home"):  # opened from the App Home: no message behind it; the modal's id keeps it once
        key = f"home:{view.get('id') or body.get('trigger_id')}"
        return lambda: _log_from_home(deps, slack, team_id=team_id, user_id=user_id, client_id=picked or 0,
                                      note=note, key=key)  # fmt: skip
    return lambda: _log(deps, slack, team_id=team_id, user_id=user_id, client_id=picked or 0, note=note, meta=meta)


def _log(
    deps: Deps, slack: WebClient, *, team_id: str, user_id: str, client_id: int, note: str, meta: dict[str, Any]
) -> None:
    """Fetch the permalink, save the contact, confirm where the shortcut was used."""
    channel, ts = _text(meta.get("channel")), _text(meta.get("ts"))
    permalink = _permalink(slack, channel, ts)
    now = deps.clock.now()
    lookup = look_up(deps.sessions, slack, team_id=team_id, user_ids=[user_id], now=now)
    with unit_of_work(deps.sessions) as session:
        target = get_client(session, team_id=team_id, client_id=client_id)
        if target is None:  # deleted between the check and now
            return
        contact, created = log_contact(
            session, client=target, user_id=user_id, note=note, now=now, source=Source.SHORTCUT,
            idempotency_key=f"msg:{channel}:{ts}:{target.id}", occurred_at=_message_time(ts), channel_id=channel,
            message_ts=ts, permalink=permalink,
        )  # fmt: skip
        message = replies.contact_logged(
            target, contact, created, reader(session, lookup, team_id=team_id, user_id=user_id, now=now)
        )
    _confirm(slack, _text(meta.get("response_url")), user_id, message.to_dict())
    refresh_home(deps.sessions, slack, team_id=team_id, user_id=user_id, now=now)


def _log_from_home(deps: Deps, slack: WebClient, *, team_id: str, user_id: str, client_id: int, note: str,
                   key: str) -> None:  # fmt: skip
    """Save the contact; the Home published again is the confirmation."""
    now = deps.clock.now()
    with unit_of_work(deps.sessions) as session:
        target = get_client(session, team_id=team_id, client_id=client_id)
        if target is None:  # deleted between the check and now
            return
        log_contact(session, client=target, user_id=user_id, note=note, now=now, source=Source.HOME,
                    idempotency_key=f"{key}:{target.id}")  # fmt: skip
    refresh_home(deps.sessions, slack, team_id=team_id, user_id=user_id, now=now)


def _text(value: object) -> str | None:
    """A string from the modal's metadata (which we wrote), or None."""
    return value if isinstance(value, str) and value else None


def _picked_id(values: dict[str, Any]) -> int | None:
    """The client id chosen in the picker, if any."""
    option = values.get(BlockId.CLIENT, {}).get(ActionId.CLIENT_PICK, {}).get("selected_option") or {}
    return number(option.get("value"))


def _permalink(slack: WebClient, channel: str | None, ts: str | None) -> str | None:
    """The message's permalink, or None when Slack will not give one (the contact is saved anyway)."""
    if not channel or not ts:
        return None
    try:
        return slack.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SLACK_FAILURES as exc:
        log.warning("chat.getPermalink failed for %s/%s: %s", channel, ts, failure(exc))
        return None


def _message_time(ts: str | None) -> datetime | None:
    """When the message was posted: that is when the contact happened."""
    try:
        return datetime.fromtimestamp(float(ts), UTC) if ts else None
    except (ValueError, OverflowError, OSError):
        return None


def _confirm(slack: WebClient, response_url: str | None, user_id: str, message: dict[str, Any]) -> None:
    """Tell the user, ephemerally in the channel when we can, else in their DM with the app."""
    if response_url:
        try:
            webhook = WebhookClient(response_url, timeout=RESPONSE_URL_TIMEOUT)
            outcome: object = webhook.send(response_type="ephemeral", **message).status_code
        except OSError as exc:  # refused, unreachable, timed out: the DM still reaches them
            outcome = exc
        if outcome == 200:
            return
        log.warning("response_url failed (%s); confirming by DM", outcome)
    try:
        slack.chat_postMessage(channel=user_id, **message)
    except SLACK_FAILURES as exc:  # the contact is saved; only its confirmation is lost
        log.warning("could not confirm the contact to %s: %s", user_id, failure(exc))

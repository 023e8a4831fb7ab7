"""The message shortcut's modal submitted: check it, close it, fetch the permalink, save the contact."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.directory import reader
from bot.ids import ActionId, BlockId
from domain.contacts import Source, check_note, log_contact
from domain.errors import RapportError
from domain.names import get_client
from handlers.context import deps
from render import replies
from render.errors import error_text, pick_a_client_text
from render.formats import escape
from storage.db import unit_of_work

log = logging.getLogger(__name__)


def save_log_contact(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Listener for the log-contact modal's submission."""
    values = view["state"]["values"]
    picked = _picked_id(values)
    note = escape(values.get(BlockId.NOTE, {}).get(ActionId.NOTE_INPUT, {}).get("value") or "")
    meta = json.loads(view.get("private_metadata") or "{}")
    app, team_id, user_id = deps(context), context.team_id or "", context.user_id or ""
    with unit_of_work(app.sessions) as session:
        chosen = get_client(session, team_id=team_id, client_id=picked) if picked is not None else None
    errors = {BlockId.CLIENT.value: pick_a_client_text()} if chosen is None else {}
    try:
        check_note(note)
    except RapportError as exc:
        errors[BlockId.NOTE.value] = error_text(exc)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    permalink = _permalink(client, meta.get("channel"), meta.get("ts"))
    with unit_of_work(app.sessions) as session:
        target = get_client(session, team_id=team_id, client_id=picked or 0)
        if target is None:  # deleted between the check and now
            return
        contact, created = log_contact(
            session, client=target, user_id=user_id, note=note, now=app.clock.now(), source=Source.SHORTCUT,
            idempotency_key=f"msg:{meta.get('channel')}:{meta.get('ts')}:{target.id}",
            occurred_at=_message_time(meta.get("ts")), channel_id=meta.get("channel"),
            message_ts=meta.get("ts"), permalink=permalink,
        )  # fmt: skip
        message = replies.contact_logged(
            target,
            contact,
            created,
            reader(session, client, team_id=team_id, user_id=user_id, now=app.clock.now()),
        )
    _confirm(client, meta.get("response_url"), user_id, message.to_dict())


def _picked_id(values: dict[str, Any]) -> int | None:
    """The client id chosen in the picker, if any."""
    option = values.get(BlockId.CLIENT, {}).get(ActionId.CLIENT_PICK, {}).get("selected_option") or {}
    value = str(option.get("value") or "")
    return int(value) if value.isdigit() and len(value) < 18 else None


def _permalink(client: WebClient, channel: str | None, ts: str | None) -> str | None:
    """The message's permalink, or None when Slack will not give one (the contact is saved anyway)."""
    if not channel or not ts:
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as exc:
        log.warning("chat.getPermalink failed for %s/%s: %s", channel, ts, exc.response.get("error"))
        return None


def _message_time(ts: str | None) -> datetime | None:
    """When the message was posted: that is when the contact happened."""
    try:
        return datetime.fromtimestamp(float(ts), UTC) if ts else None
    except ValueError:
        return None


def _confirm(client: WebClient, response_url: str | None, user_id: str, message: dict[str, Any]) -> None:
    """Tell the user, ephemerally in the channel when we can, else in their DM with the app."""
    if response_url:
        response = WebhookClient(response_url).send(response_type="ephemeral", **message)
        if response.status_code == 200:
            return
        log.warning("response_url answered %s; confirming by DM", response.status_code)
    client.chat_postMessage(channel=user_id, **message)

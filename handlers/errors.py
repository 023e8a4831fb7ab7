"""One error handler: typed errors become a friendly ephemeral reply; anything else gets an id to quote."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from domain.errors import Problem, RapportError, UsageError
from handlers.context import ACK_DEADLINE, Deps
from render.errors import error_text, unexpected_text
from render.replies import error_message, unknown_command_message
from services.languages import answering_in_their_language

log = logging.getLogger("rapport.errors")


def handle_error(
    error: Exception,
    body: dict[str, Any],
    respond: Respond | None,
    slack: WebClient,
    response: BoltResponse | None,
) -> None:
    """Tell the user what went wrong, where they asked."""
    if isinstance(error, UsageError) and error.problem == Problem.UNKNOWN_SUBCOMMAND:
        message = unknown_command_message(f":warning: {error_text(error)}")
    elif isinstance(error, RapportError):
        message = error_message(error_text(error))
    else:
        error_id = uuid.uuid4().hex[:8]
        log.error("unexpected error %s handling a %s request", error_id, body.get("type", "command"), exc_info=error)
        message = error_message(unexpected_text(error_id))
    _tell(message.to_dict(), body, respond, slack)


def _tell(message: dict[str, Any], body: dict[str, Any], respond: Respond | None, slack: WebClient) -> None:
    try:
        if respond is not None and respond.response_url:
            respond(response_type="ephemeral", replace_original=False, **message)
            return
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        if user:
            slack.chat_postMessage(channel=user, **message)
    except (SlackApiError, OSError):
        log.warning("could not deliver an error message to the user", exc_info=True)


def on_error(error: Exception, body: dict[str, Any], respond: Respond | None, client: WebClient,
             response: BoltResponse | None, context: BoltContext) -> None:  # fmt: skip
    """Bolt's global error handler (Bolt injects its Web API client by the name `client`), in the user's language."""
    deps = context.get("deps")
    if not isinstance(deps, Deps):  # the failure came before the dependencies were installed: English
        handle_error(error, body, respond, client, response)
        return
    # As far as the database tells, without Slack: Bolt may be waiting to ack.
    with answering_in_their_language(deps.sessions, None, team_id=context.team_id, user_id=context.user_id,
                                     now=deps.clock.now(), deadline=ACK_DEADLINE):  # fmt: skip
        handle_error(error, body, respond, client, response)


def register(app: App) -> None:
    app.error(on_error)

"""One error handler: typed errors become a friendly ephemeral reply; anything else gets an id to quote."""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from domain.errors import RapportError, UsageError
from render.errors import error_text, unexpected_text
from render.replies import error_message, unknown_command_message

log = logging.getLogger("rapport.errors")


def handle_error(
    error: Exception,
    body: dict[str, Any],
    respond: Respond | None,
    client: WebClient,
    response: BoltResponse | None,
) -> None:
    """Tell the user what went wrong, where they asked."""
    if isinstance(error, UsageError) and error.problem == "unknown_subcommand":
        message = unknown_command_message(f":warning: {error_text(error)}")
    elif isinstance(error, RapportError):
        message = error_message(error_text(error))
    else:
        error_id = uuid.uuid4().hex[:8]
        log.error("unexpected error %s handling a %s request", error_id, body.get("type", "command"), exc_info=error)
        message = error_message(unexpected_text(error_id))
    _tell(message.to_dict(), body, respond, client)


def _tell(message: dict[str, Any], body: dict[str, Any], respond: Respond | None, client: WebClient) -> None:
    try:
        if respond is not None and respond.response_url:
            respond(response_type="ephemeral", replace_original=False, **message)
            return
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        if user:
            client.chat_postMessage(channel=user, **message)
    except (SlackApiError, OSError):
        log.warning("could not deliver an error message to the user", exc_info=True)


def reporting(listener: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a listener so its errors reach the user through handle_error, from the listener's own thread.

    Bolt's global error handler is not enough after ack(): when a listener raises right after acking, Bolt
    resets the ack it has not yet seen and answers Slack 404 after three seconds. So listeners never let an
    exception escape; they report it here (and ack, if they had not).
    """
    own = list(inspect.signature(listener).parameters)
    needed = list(dict.fromkeys([*own, "ack", "body", "respond", "client"]))

    def run(**kwargs: Any) -> Any:
        try:
            return listener(**{name: kwargs[name] for name in own})
        except Exception as error:  # every failure is reported to the user, typed or not
            ack: Ack = kwargs["ack"]
            if ack.response is None:
                ack()
            handle_error(error, kwargs["body"], kwargs["respond"], kwargs["client"], None)
            return None

    run.__name__ = run.__qualname__ = listener.__name__
    run.__doc__ = listener.__doc__
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in needed]
    )
    return run


def register(app: App) -> None:
    app.error(handle_error)

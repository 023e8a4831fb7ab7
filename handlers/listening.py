"""How listeners run: what happens on Bolt's thread before the ack, and what on the post-ack pool after it.

Bolt waits (3 s at most) for a listener to ack on one of its listener threads; a listener that then calls Slack
holds that thread as long as Slack takes, and acks of later requests queue behind it. So a listener only acks
(and a modal first checks what was typed) on Bolt's thread, and its Slack work runs on handlers.background's
bounded pool. Bolt injects arguments by name; a listener may ask for `slack`, Bolt's `client` (in rapport a
client is a customer).
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from domain.errors import RapportError
from domain.languages import Language
from handlers.context import ACK_DEADLINE, dependencies
from handlers.errors import handle_error
from render.errors import busy_text, error_text, unexpected_text
from services.languages import answering_in_their_language

log = logging.getLogger("rapport.listeners")


def after_ack(listener: Callable[..., Any]) -> Callable[..., Any]:
    """Commands, actions, shortcuts, events: ack at once, then run `listener` on the post-ack pool.

    The listener may call Slack as slowly as Slack answers: the ack never waits for it. With the pool and its
    backlog full (Slack down), the request is acked with a "busy" reply and nothing else happens.
    """
    own = _parameters(listener)

    def run(**kwargs: Any) -> None:
        ack: Ack = kwargs["ack"]
        background = dependencies(kwargs["context"]).background
        if not background.reserve():
            if ack.response is None:
                ack(**_busy(kwargs))
            return
        if ack.response is None:
            ack()
        background.run(lambda: _reported(listener, own, kwargs))

    return _listener(run, listener, [*own, "ack", "body", "respond", "client", "context"])


def checked(listener: Callable[..., Any]) -> Callable[..., Any]:
    """View submissions: `listener` checks the input and acks on Bolt's thread, and returns the post-ack work.

    Checking may read the database (bounded by its timeouts) but never calls Slack; the returned work does that.
    """
    own = _parameters(listener)

    def run(**kwargs: Any) -> None:
        ack: Ack = kwargs["ack"]
        background = dependencies(kwargs["context"]).background
        if not background.reserve():
            with _their_language(kwargs, ask_slack=False):
                ack(response_action="errors", errors=_fields(kwargs["body"], busy_text()))
            return
        with _their_language(kwargs, ask_slack=False):  # Bolt's thread: the ack never waits on Slack
            try:
                work = listener(**_arguments(own, kwargs))
            except Exception as error:  # the modal stays open and says what went wrong, where it can
                if ack.response is None and _refused(error, kwargs):
                    background.release()
                else:  # already closed, or no field to show it on: a message tells them, after the ack
                    if ack.response is None:
                        ack()
                    background.run(partial(_reported_error, error, kwargs))
                return
        if ack.response is None:
            ack()
        if work is None:
            background.release()
        else:
            background.run(lambda: _reported(work, [], kwargs))

    return _listener(run, listener, [*own, "ack", "body", "respond", "client", "context"])


def in_ack(listener: Callable[..., Any]) -> Callable[..., Any]:
    """Options requests: the answer is the ack itself (a database read, no Slack call); a failure offers nothing."""
    own = _parameters(listener)

    def run(**kwargs: Any) -> None:
        try:
            with _their_language(kwargs, ask_slack=False):
                listener(**_arguments(own, kwargs))
        except Exception:  # an empty list is all Slack can show; the reason goes to the log
            log.exception("options request failed")
            if kwargs["ack"].response is None:
                kwargs["ack"](options=[])

    return _listener(run, listener, [*own, "ack", "context"])


def stored_at_once(listener: Callable[..., Any]) -> Callable[..., Any]:
    """Events Bolt has acked already, whose work is a short database write: run on Bolt's listener thread.

    Bolt queues them without bound, so a burst is never refused (as the bounded post-ack pool would); the
    listener hands any Slack work to the pool itself.
    """
    own = _parameters(listener)

    def run(**kwargs: Any) -> None:
        listener(**_arguments(own, kwargs))

    return _listener(run, listener, own)


def _reported(work: Callable[..., Any], own: list[str], kwargs: dict[str, Any]) -> None:
    """Run post-ack work in the user's language; any failure reaches the user through handle_error.

    Bolt's global error handler is not enough after ack(): when a listener raises right after acking, Bolt
    resets the ack it has not yet seen and answers Slack 404 after three seconds. So no exception escapes.
    """
    with _their_language(kwargs, ask_slack=True):
        try:
            work(**_arguments(own, kwargs))
        except Exception as error:  # every failure is reported to the user, typed or not
            _report(error, kwargs)


def _their_language(kwargs: dict[str, Any], *, ask_slack: bool) -> AbstractContextManager[Language]:
    """Write in the language of whoever acted (after the ack, someone never seen is asked of Slack; an event's
    author is not: they may be anyone in a client's channel)."""
    context: BoltContext = kwargs["context"]
    deps = dependencies(context)
    body = kwargs.get("body") or {}
    slack = kwargs.get("client") if ask_slack and body.get("type") != "event_callback" else None
    return answering_in_their_language(deps.sessions, slack, team_id=context.team_id, user_id=context.user_id,
                                       now=deps.clock.now(), deadline=None if ask_slack else ACK_DEADLINE)  # fmt: skip


def _refused(error: Exception, kwargs: dict[str, Any]) -> bool:
    """A modal whose check failed (a database that does not answer, our bug) shows it on its first input."""
    if not _fields(kwargs["body"], ""):
        return False
    if isinstance(error, RapportError):
        text = error_text(error)
    else:
        error_id = uuid.uuid4().hex[:8]
        log.error("unexpected error %s checking a modal", error_id, exc_info=error)
        text = unexpected_text(error_id)
    kwargs["ack"](response_action="errors", errors=_fields(kwargs["body"], text))
    return True


def _reported_error(error: Exception, kwargs: dict[str, Any]) -> None:
    """A modal's failed check, told in a message after the ack, in the user's language."""
    with _their_language(kwargs, ask_slack=True):
        _report(error, kwargs)


def _report(error: Exception, kwargs: dict[str, Any]) -> None:
    handle_error(error, kwargs["body"], kwargs["respond"], kwargs["client"], None)


def _busy(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The ack when there is no room for the work: a slash command can say so (in the user's language, as far as
    the database tells before the ack), other requests cannot."""
    if not kwargs["body"].get("command"):
        return {}
    with _their_language(kwargs, ask_slack=False):
        return {"text": f":hourglass: {busy_text()}"}


def _fields(body: dict[str, Any], text: str) -> dict[str, str]:
    """`text` on the modal's first input: the modal stays open, so nothing typed is lost."""
    blocks = (body.get("view") or {}).get("blocks") or []
    first = next((b.get("block_id") for b in blocks if b.get("type") == "input" and b.get("block_id")), None)
    return {first: text} if first else {}


def _parameters(listener: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(listener).parameters)


def _arguments(own: list[str], kwargs: dict[str, Any]) -> dict[str, Any]:
    """What the listener asked for; `slack` is Bolt's `client` (a client, in rapport, is a customer)."""
    return {name: kwargs["client" if name == "slack" else name] for name in own}


def _listener(run: Callable[..., Any], listener: Callable[..., Any], needed: list[str]) -> Callable[..., Any]:
    """`run` dressed as `listener`, asking Bolt for the arguments in `needed` (Bolt injects them by name)."""
    needed = ["client" if name == "slack" else name for name in needed]
    run.__name__ = run.__qualname__ = listener.__name__
    run.__doc__ = listener.__doc__
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in dict.fromkeys(needed)]
    )
    return run

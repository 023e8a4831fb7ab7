"""Errors about calendar feeds: why one cannot be read, in a sentence other messages reuse."""

from __future__ import annotations

from domain import errors
from render.error_base import error_text, unchanged
from render.i18n import N_, _

FEED_PROBLEMS = {
    errors.FeedProblem.BAD_ADDRESS: N_(
        "that is not a calendar address I can read: it must start with `https://` (or `webcal://`), with no user "
        "name or password in it."
    ),
    errors.FeedProblem.PRIVATE: N_(
        "its address is on a private network (loopback, private, link-local or reserved), which I don't read unless "
        "whoever runs rapport sets CALENDAR_ALLOW_PRIVATE."
    ),
    errors.FeedProblem.UNRESOLVABLE: N_("its host name does not resolve."),
    errors.FeedProblem.REFUSED: N_(
        "its server refused the address: the secret address may have been reset, or the calendar is no longer shared."
    ),
    errors.FeedProblem.HTTP: N_("its server answered with an error."),
    errors.FeedProblem.REDIRECTS: N_("it redirects too often, or to an address that is not https."),
    errors.FeedProblem.TOO_BIG: N_("it is larger than 5 MB."),
    errors.FeedProblem.TIMEOUT: N_("its server took too long to answer."),
    errors.FeedProblem.TLS: N_("its server's certificate is not one I trust."),
    errors.FeedProblem.NETWORK: N_("I could not connect to its server."),
    errors.FeedProblem.NOT_ICALENDAR: N_("what it sends is not an iCalendar (.ics) feed."),
}  # why a feed cannot be read, after "I can't use that calendar:"; translated where used


def feed_problem(error: errors.FeedFailed) -> str:
    """Why a calendar feed cannot be read, as a sentence (with the HTTP status when there was one)."""
    text = _(FEED_PROBLEMS[error.problem])
    if error.status is None:
        return text
    return f"{text.removesuffix('.')} (HTTP {error.status})."


@error_text.register
def _feed_failed(error: errors.FeedFailed) -> str:
    return unchanged(_("I can't use that calendar: {problem}", problem=feed_problem(error)))


@error_text.register
def _no_calendar(error: errors.NoCalendar) -> str:
    return unchanged(_("You have no calendar connected: `/client calendar <https address>` connects one."))

"""What a Slack call may fail with once it is made, and how to say it in one short line."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackClientError

# Slack's refusal (a garbled reply is one too), or the network: after a commit, such a failure loses only a
# message; the stored change stands. Anything else is our bug.
SLACK_FAILURES = (SlackClientError, OSError)


def failure(exc: Exception) -> str:
    """What went wrong, short: Slack's error code, or the kind of failure."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return f"{type(exc).__name__}: {exc}"[:200]

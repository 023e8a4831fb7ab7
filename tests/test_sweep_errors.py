"""The sweep tells Slack's refusals (retried later) from messages we built wrong (our bug: an error, not retried)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import SectionBlock
from sqlalchemy.orm import Session

import services.nudge_posting
from domain.nudges import MAX_ATTEMPTS, Status
from fakes.slack import Canned
from render.blocks import Message
from tests.driver import SlackDriver
from tests.helpers import Sweeps, nudges, posts

MONDAY_10_WARSAW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # the key client below is quiet by then


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "rapport.sweep" and r.levelno >= logging.ERROR]


@pytest.mark.expected_errors("we built a message Slack cannot take")
@pytest.mark.parametrize("error", ["invalid_blocks", "invalid_arguments", "msg_too_long", "invalid_metadata_format"])
def test_a_message_slack_calls_invalid_is_our_bug_logged_and_not_retried_every_sweep(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None, caplog: pytest.LogCaptureFixture, error: str
) -> None:
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": error}))
    report = sweeps.at(MONDAY_10_WARSAW)
    assert (report.posted, report.failed) == (0, 1)
    [nudge] = nudges(session)
    assert (nudge.status, nudge.attempts) == (Status.FAILED, MAX_ATTEMPTS)
    assert nudge.last_error == f"invalid message: {error}"
    [logged] = _errors(caplog)
    assert str(nudge.id) in logged.getMessage() and error in logged.getMessage()
    for later in (timedelta(minutes=5), timedelta(hours=3)):  # no retry every sweep: it rests like a failed nudge
        assert sweeps.at(MONDAY_10_WARSAW + later).posted == 0
    assert len(posts(slack.fake)) == 1
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=1, minutes=5)).posted == 1  # a day later: tried once more
    assert nudges(session)[0].status == Status.POSTED


@pytest.mark.expected_errors("we built a message Slack cannot take")
def test_a_message_slack_sdk_refuses_to_build_is_our_bug_and_never_reaches_slack(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    def too_long(*args: Any, **kwargs: Any) -> Message:
        return Message(text="too long", blocks=[SectionBlock(text="x" * 3001)])  # Slack's limit is 3000

    monkeypatch.setattr(services.nudge_posting, "nudge_message", too_long)
    assert sweeps.at(MONDAY_10_WARSAW).failed == 1
    assert posts(slack.fake) == []
    [nudge] = nudges(session)
    assert nudge.status == Status.FAILED
    assert (nudge.last_error or "").startswith("invalid message: SlackObjectFormationError")
    [logged] = _errors(caplog)
    assert str(nudge.id) in logged.getMessage()
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=5)).failed == 0  # not retried every sweep


@pytest.mark.parametrize(
    "answer",
    [
        Canned({"ok": False, "error": "internal_error"}),
        Canned({"ok": False, "error": "fatal_error"}, status=500),
        Canned("<html>bad gateway</html>", status=502),
    ],
)
def test_slack_refusing_or_unreachable_is_retried_by_a_later_sweep_without_an_error(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None, caplog: pytest.LogCaptureFixture,
    answer: Canned,
) -> None:  # fmt: skip
    slack.fake.queue("chat.postMessage", answer)
    assert sweeps.at(MONDAY_10_WARSAW).failed == 1
    [nudge] = nudges(session)
    assert (nudge.status, nudge.attempts) == (Status.CLAIMED, 1)
    assert not (nudge.last_error or "").startswith("invalid message")
    assert _errors(caplog) == []
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=5)).posted == 1
    assert nudges(session)[0].status == Status.POSTED

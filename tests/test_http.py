"""The HTTP surface: health check, signatures, paths."""

from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Client
from tests.driver import SlackDriver


def _clients(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Client)) or 0


def test_healthz_answers_200_when_the_database_answers(slack: SlackDriver) -> None:
    response = slack.get("/healthz")
    assert (response.status, response.body) == (200, "ok\n")


def test_unknown_path_is_404(slack: SlackDriver) -> None:
    assert slack.get("/nope").status == 404


def test_bad_signature_is_401_and_writes_nothing(slack: SlackDriver, session: Session) -> None:
    body = slack.command_body("add Acme")
    response = slack.post(body, "application/x-www-form-urlencoded", sign=False,
                          headers={"X-Slack-Signature": "v0=" + "0" * 64})  # fmt: skip
    assert response.status == 401
    assert _clients(session) == 0
    assert slack.fake.responses() == []


def test_missing_signature_is_401(slack: SlackDriver, session: Session) -> None:
    response = slack.post(slack.command_body("add Acme"), "application/x-www-form-urlencoded", sign=False)
    assert response.status == 401
    assert _clients(session) == 0


def test_stale_signature_is_401_and_writes_nothing(slack: SlackDriver, session: Session) -> None:
    ten_minutes_ago = int(time.time()) - 600
    response = slack.post(
        slack.command_body("add Acme"), "application/x-www-form-urlencoded", timestamp=ten_minutes_ago
    )
    assert response.status == 401
    assert _clients(session) == 0


def test_signed_command_is_acknowledged_with_an_empty_200(slack: SlackDriver, session: Session) -> None:
    response = slack.command("add Acme")
    assert (response.status, response.body) == (200, "")
    assert _clients(session) == 1


def test_url_verification_challenge(slack: SlackDriver) -> None:
    response = slack.post('{"type":"url_verification","challenge":"abc123","token":"x"}', "application/json")
    assert response.status == 200
    assert "abc123" in response.body


def test_a_command_failing_right_after_its_ack_still_answers_200(slack: SlackDriver, session: Session) -> None:
    """Bolt resets an unseen ack when a listener raises right after it; our listeners never let that happen."""
    slack.command("add Acme")
    response = slack.command("add Acme")
    assert (response.status, response.body) == (200, "")
    assert "already a client called *Acme*" in slack.fake.last_response()["text"]
    assert _clients(session) == 1

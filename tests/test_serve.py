"""`python -m bot` really serves: gunicorn on PORT, /healthz, signed Slack requests, schema upgraded on start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import pytest
from sqlalchemy import create_engine, inspect

from fakes.slack import FakeSlack
from handlers.background import Background
from tests.driver import SIGNING_SECRET, DrainingExecutor, SlackDriver

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[tuple[str, Path, list[str]]]:
    port = _free_port()
    database = tmp_path / "served.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k != "DATABASE_URL"}
    env.update(
        SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.api_url,
        DATABASE_URL=f"sqlite:///{database}", PORT=str(port), PYTHONUNBUFFERED="1",
    )  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # blocks until gunicorn says it listens (or the process dies)
        seen.append(line)
        if "Booting worker" in line:
            break
    else:
        pytest.fail("rapport exited before serving:\n" + "".join(seen))
    try:
        yield f"http://127.0.0.1:{port}", database, seen
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_python_m_bot_serves_http(served: tuple[str, Path, list[str]], fake_slack: FakeSlack) -> None:
    url, database, _ = served
    with urlopen(url + "/healthz", timeout=10) as answer:
        assert answer.status == 200
    assert "clients" in inspect(create_engine(f"sqlite:///{database}")).get_table_names()
    driver = SlackDriver(url, fake_slack, DrainingExecutor(), Background())  # the app runs in the other process
    assert driver.post(driver.command_body("add Acme"), "application/x-www-form-urlencoded", sign=False).status == 401
    assert driver.command("add Acme").status == 200
    # The listener runs in the server process after the ack; its reply arrives at the fake Slack.
    [reply] = fake_slack.wait_for("response_url")
    assert "Added *Acme*" in reply.params["text"]


def test_start_logs_each_line_once_and_serving_only_once_listening(served: tuple[str, Path, list[str]]) -> None:
    _, _, lines = served
    text = "".join(lines)
    assert "rapport: rapport:" not in text
    assert "will be unused" not in text  # Bolt no longer finds SLACK_BOT_TOKEN in the environment as well
    assert "Traceback" not in text
    [listening] = [i for i, line in enumerate(lines) if "Listening at" in line]
    [serving] = [i for i, line in enumerate(lines) if "rapport: serving HTTP on" in line]
    assert listening < serving
    assert "gunicorn.error: Listening at" in lines[listening]  # gunicorn's lines in our format, once each

"""Starting with something wrong: one line naming the setting, never a secret, exit 1, nothing on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fakes.slack import FakeSlack
from tests.driver import SIGNING_SECRET
from tests.test_check import closed_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-startup-secret"


def start(tmp_path: Path, *args: str, **settings: str) -> list[str]:
    """`python -m bot …` in an empty directory with these settings; its stderr lines (after asserting exit 1)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k not in ("DATABASE_URL", "PORT")}
    env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, PORT=str(closed_port()),
               LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT), **settings)  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1, result.stderr
    assert TOKEN not in result.stdout + result.stderr
    return result.stderr.splitlines()


def test_a_refused_token_stops_serving_with_one_line(tmp_path: Path, fake_slack: FakeSlack) -> None:
    fake_slack.refuse_token("token_revoked")
    lines = start(tmp_path, SLACK_API_URL=fake_slack.api_url)
    assert lines == [
        "rapport: SLACK_BOT_TOKEN was refused by Slack (token_revoked): copy the Bot User OAuth Token (xoxb-…) "
        "from the app's OAuth & Permissions page"
    ]
    assert list(tmp_path.iterdir()) == []  # checked before the SQLite file would be made


def test_an_unreachable_slack_names_slack_api_url(tmp_path: Path) -> None:
    api_url = f"http://127.0.0.1:{closed_port()}/api/"
    assert start(tmp_path, "serve", SLACK_API_URL=api_url) == [
        f"rapport: cannot reach Slack at SLACK_API_URL={api_url} (Connection refused)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_database_names_database_url_without_its_password(tmp_path: Path, fake_slack: FakeSlack) -> None:
    url = f"postgresql://rapport:pw-s3cret@127.0.0.1:{closed_port()}/rapport"
    shown = url.replace("pw-s3cret", "***")
    for command in ("serve", "sweep", "migrate"):
        [line] = start(tmp_path, command, SLACK_API_URL=fake_slack.api_url, DATABASE_URL=url)
        assert line.startswith(f"rapport: cannot reach the database at DATABASE_URL={shown} ("), line
        assert "pw-s3cret" not in line

"""`rapport check` against the fake Slack over HTTP and real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import main
from fakes.slack import FakeSlack
from storage.db import make_engine, upgrade
from tests.test_serve import _free_port as closed_port  # free means nobody listens: connecting is refused

TOKEN = "xoxb-check-secret"
Check = Callable[..., tuple[int, list[str]]]


@pytest.fixture
def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_slack: FakeSlack
) -> Check:
    """`rapport check` with these settings (and no .env): its exit status and its lines."""

    def runner(*, database_url: str, api_url: str | None = None) -> tuple[int, list[str]]:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
        monkeypatch.setenv("SLACK_API_URL", api_url or fake_slack.api_url)
        monkeypatch.setenv("DATABASE_URL", database_url)
        status = main(["check"])
        out, err = capsys.readouterr()
        assert TOKEN not in out + err
        return status, out.splitlines()

    return runner


def test_all_good_exits_0_with_one_line_per_check(run: Check, database_url: str, engine: Engine) -> None:
    status, lines = run(database_url=database_url)
    assert status == 0, lines
    assert lines == [
        "ok   Slack token: accepted in workspace Acme (T1) as bot user rapport (UBOT)",
        lines[1],
        lines[2],
    ]
    assert lines[1].startswith("ok   scopes: all ") and "manifest.yml" in lines[1]
    assert lines[2].startswith("ok   database: ") and "newest migration" in lines[2]


def test_a_refused_token_names_slack_bot_token(
    run: Check, fake_slack: FakeSlack, database_url: str, engine: Engine
) -> None:
    fake_slack.refuse_token("invalid_auth")
    status, lines = run(database_url=database_url)
    assert status == 1
    assert lines[0].startswith("FAIL Slack token: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)")
    assert len(lines) == 2 and lines[1].startswith("ok   database: ")  # scopes cannot be known; the rest still runs


def test_an_unreachable_slack_names_slack_api_url(run: Check, database_url: str, engine: Engine) -> None:
    api_url = f"http://127.0.0.1:{closed_port()}/api/"
    status, lines = run(database_url=database_url, api_url=api_url)
    assert status == 1
    assert lines[0].startswith(f"FAIL Slack token: cannot reach Slack at SLACK_API_URL={api_url} (")


def test_a_missing_scope_is_named(run: Check, fake_slack: FakeSlack, database_url: str, engine: Engine) -> None:
    fake_slack.scopes -= {"channels:join", "files:write"}
    fake_slack.scopes.add("channels:history")  # an extra scope is fine
    status, lines = run(database_url=database_url)
    assert status == 1
    assert lines[1].startswith("FAIL scopes: SLACK_BOT_TOKEN lacks channels:join, files:write (listed in manifest.yml)")


def test_a_database_behind_head_fails_and_is_not_upgraded(run: Check, empty_database_url: str) -> None:
    old = make_engine(empty_database_url)
    upgrade(old, "0003")
    status, lines = run(database_url=empty_database_url)
    assert status == 1
    assert lines[-1].startswith("FAIL database: ") and "is at 0003, the newest migration is " in lines[-1]
    assert "run `rapport migrate`" in lines[-1]
    status, lines = run(database_url=empty_database_url)
    assert "is at 0003" in lines[-1]  # check changed nothing
    old.dispose()


def test_an_empty_database_fails_and_a_missing_sqlite_file_is_not_created(run: Check, empty_database_url: str) -> None:
    status, lines = run(database_url=empty_database_url)
    assert status == 1
    assert lines[-1].startswith("FAIL database: ")
    assert "rapport migrate" in lines[-1]
    if empty_database_url.startswith("sqlite"):
        assert "no SQLite file at" in lines[-1]
        assert not Path(empty_database_url.removeprefix("sqlite:///")).exists()
    else:
        assert "no schema yet" in lines[-1]


def test_an_unreachable_database_names_database_url_without_its_password(run: Check) -> None:
    port = closed_port()
    status, lines = run(database_url=f"postgresql://rapport:pw-s3cret@127.0.0.1:{port}/rapport")
    assert status == 1
    assert lines[-1].startswith(
        f"FAIL database: cannot reach the database at DATABASE_URL=postgresql://rapport:***@127.0.0.1:{port}/rapport ("
    )
    assert "pw-s3cret" not in "\n".join(lines)

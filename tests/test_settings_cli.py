"""Settings from the environment, and the `rapport` / `python -m bot` command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k not in ("DATABASE_URL", "PORT")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env={**clean, **(env or {})}, cwd=cwd or ROOT,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    settings = load_settings(_env_file=None)
    assert settings.port == 3000
    assert settings.database_url == "sqlite:///rapport.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.socket_mode is False
    assert "xoxb-1" not in repr(settings)


def test_api_url_gets_its_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", "https://slack-gov.com/api")
    assert load_settings(_env_file=None).slack_api_url == "https://slack-gov.com/api/"


def test_missing_token_is_one_line_naming_the_variable() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None)
    assert "SLACK_BOT_TOKEN is not set" in str(error.value)
    assert "\n" not in str(error.value)


def test_socket_mode_needs_no_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert load_settings(_env_file=None).socket_mode is True


def test_http_mode_needs_a_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        load_settings(_env_file=None)


def test_bad_values_are_named_without_their_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("PORT", "seventy")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-secret-wrong-kind")
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None)
    assert "PORT" in str(error.value) and "SLACK_APP_TOKEN" in str(error.value)
    assert "xoxb-secret-wrong-kind" not in str(error.value)


@pytest.mark.parametrize("command", ["serve", "sweep", "check"])
def test_cli_missing_settings_exit_2_with_one_line_and_nothing_on_disk(command: str, tmp_path: Path) -> None:
    result = _run(command, cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "rapport: SLACK_BOT_TOKEN is not set; SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN (Socket Mode) "
        "is set"
    ]
    assert list(tmp_path.iterdir()) == []  # the default SQLite file, rapport.db, was not created


def test_every_bad_setting_is_named_at_once() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, port="seventy", log_level="loud", database_url="not a url:pw")
    message = str(error.value)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PORT", "LOG_LEVEL", "DATABASE_URL"):
        assert name in message
    assert "\n" not in message and "not a url:pw" not in message


def test_migrate_needs_only_the_database(tmp_path: Path) -> None:
    result = _run("migrate", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "rapport.db").exists()  # README: the SQLite file goes to the working directory


def test_migrate_with_a_bad_database_url_creates_nothing(tmp_path: Path) -> None:
    result = _run("migrate", cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "DATABASE_URL": "nonsense"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "rapport: DATABASE_URL must be a database URL, e.g. sqlite:///rapport.db or postgresql://…"
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [["--help"], ["serve", "--help"], ["migrate", "--help"], ["check", "--help"], ["mail", "--help"],
     ["mail", "unmatched", "--help"], ["mail", "poll", "--help"]],
)  # fmt: skip
def test_help_works_everywhere(args: list[str]) -> None:
    result = _run(*args)
    assert result.returncode == 0
    assert "usage: rapport" in result.stdout


def test_console_script_is_the_same_cli() -> None:
    script = Path(sys.executable).with_name("rapport")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "usage: rapport" in result.stdout


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    database = tmp_path / "r.db"
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": f"sqlite:///{database}"}
    result = _run("migrate", env=env)
    assert result.returncode == 0, result.stderr
    assert database.exists()


def test_main_returns_2_on_bad_settings(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert main(["sweep"]) == 2
    assert capsys.readouterr().err.strip() == "rapport: SLACK_BOT_TOKEN is not set"


def test_alembic_by_hand_needs_no_slack_setting(tmp_path: Path) -> None:
    database = tmp_path / "by-hand.db"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**clean, "DATABASE_URL": f"sqlite:///{database}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert database.exists()

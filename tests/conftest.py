"""Fixtures: both databases (SQLite always, PostgreSQL with TEST_DATABASE_URL), the fake Slack, the app over HTTP."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.app import create_app
from bot.settings import Settings
from bot.wsgi import create_wsgi, threaded_server
from domain.clock import FixedClock
from fakes.imap_server import Account, ImapServer
from fakes.slack import FakeSlack
from handlers.background import Background
from storage.base import Base
from storage.db import make_engine, normalize_url, upgrade
from tests.driver import SIGNING_SECRET, DrainingExecutor, SlackDriver
from tests.helpers import Sweeps

# Sunday 22 Nov 2026, 10:00 in Warsaw.
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
SLACK_VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "DATABASE_URL",
    "PORT",
    "CALENDAR_ALLOW_PRIVATE",
    "CALENDAR_CA_FILE",
    "IMAP_URL",  # a developer's own team mailbox is never read by a test
    "IMAP_PASSWORD",
    "PUBLIC_URL",  # nor a developer's survey links or mail server
    "SURVEY_LINK_SECRET",
    "SMTP_URL",
    "SMTP_PASSWORD",
    "SMTP_FROM",
)


# The app's loggers: "rapport.*", and the modules that log under their own name (handlers.commands.client, ...).
APP_LOGGERS = ("rapport", "slack_bolt", "bot", "handlers", "services", "render", "domain", "storage")


class _ErrorRecords(logging.Handler):
    """Collects ERROR and above from the app's loggers, from any thread (Bolt's listeners, the post-ack pool)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in APP_LOGGERS:
            self.records.append(record)


@pytest.fixture(autouse=True)
def _no_unexpected_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test fails when the app logs an error it did not declare with @pytest.mark.expected_errors("words", ...).

    Autouse, so it is set up before and torn down after the app's fixtures: errors logged while they drain count.
    """
    marker = request.node.get_closest_marker("expected_errors")
    expected = marker.args if marker else ()
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    unexpected = [r for r in handler.records if not any(words in _logged(r) for words in expected)]
    if unexpected:
        pytest.fail("the app logged errors the test did not expect:\n" + "\n".join(map(_logged, unexpected)))


def _logged(record: logging.LogRecord) -> str:
    """The record as one would read it in the log: logger, level, message and the exception's last line."""
    line = f"{record.name} {record.levelname}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        line += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
    return line


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own Slack settings never leak into a test."""
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database per test run and backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'rapport.db'}"
        return
    with _postgres_database() as url:
        yield url


@pytest.fixture
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Another database on database_url's backend, with nothing in it yet (the SQLite file does not exist)."""
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with _postgres_database() as url:
        yield url


@contextmanager
def _postgres_database() -> Iterator[str]:
    """A new database on the TEST_DATABASE_URL server, dropped afterwards."""
    server = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL_POSTGRES")
    if not server:
        _absent("PostgreSQL: TEST_DATABASE_URL is not set", ci="CI must test PostgreSQL too: set TEST_DATABASE_URL")
    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    name = f"rapport_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalize_url(server)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _absent(reason: str, *, ci: str) -> NoReturn:
    """Something outside the repository is missing: a developer's run skips, CI fails (nothing skips silently)."""
    if os.environ.get("CI"):
        pytest.fail(ci)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def slack_manifest_schema() -> Path:
    """Slack's JSON Schema for app manifests, which lives outside the repository: SLACK_MANIFEST_SCHEMA names it."""
    value = os.environ.get("SLACK_MANIFEST_SCHEMA")
    if not value:
        _absent(
            "SLACK_MANIFEST_SCHEMA is not set (the path to Slack's manifest.schema.1.0.0.json)",
            ci="CI must validate manifest.yml: set SLACK_MANIFEST_SCHEMA",
        )
    path = Path(str(value))
    if not path.is_file():  # named but missing is a mistake, not a choice: fail everywhere
        pytest.fail(f"SLACK_MANIFEST_SCHEMA names no file: {path}")
    return path


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """The real migrations, once per backend."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    """The migrated database, emptied after each test."""
    yield migrated_engine
    with migrated_engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            seeded = table.name == "question_sets"  # the default questions come with the schema (migration 0003)
            connection.execute(table.delete().where(table.c.team_id != "*") if seeded else table.delete())


@pytest.fixture(scope="session")
def inspection_engine(database_url: str) -> Iterator[Engine]:
    """Plain driver defaults: on SQLite a SELECT opens no transaction, so each query sees the latest commit."""
    engine = create_engine(normalize_url(database_url))
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine, inspection_engine: Engine) -> Iterator[Session]:
    """A session to look at what the app stored (call expire_all() before re-reading loaded objects)."""
    with Session(inspection_engine, autoflush=False) as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    for user in ("UALICE", "UBOB", "UCAROL"):
        fake.add_user(user)
    yield fake
    fake.stop()
    assert fake.mass_mentions == [], "the app sent Slack text that notifies a whole channel or group"


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        database_url=database_url,
    )


@pytest.fixture
def background() -> Background:
    """The app's pool for post-ack work (a test may want a smaller one)."""
    return Background()


@pytest.fixture
def slack(
    settings: Settings, engine: Engine, clock: FixedClock, fake_slack: FakeSlack, background: Background
) -> Iterator[SlackDriver]:
    """The real app behind a real HTTP server, driven with signed requests."""
    executor = DrainingExecutor()
    app = create_app(settings, engine=engine, clock=clock, listener_executor=executor, background=background)
    server = threaded_server("127.0.0.1", 0, create_wsgi(app, engine))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield SlackDriver(f"http://127.0.0.1:{server.server_port}", fake_slack, executor, background)
    server.shutdown()
    server.server_close()
    executor.shutdown(wait=True)
    background.shutdown()


# shared situations -----------------------------------------------------------------------------------------------


@pytest.fixture
def sweeps(settings: Settings, engine: Engine, clock: FixedClock) -> Sweeps:
    """The real sweep, run at the times a test chooses."""
    return Sweeps(settings, engine, clock)


@pytest.fixture
def acme_without_contacts(slack: SlackDriver) -> None:
    """ "Acme Corp", a key client (14-day cadence) owned by UALICE, added at the start of the tests' clock (so quiet
    from Sun 6 Dec), nothing logged yet; UCLIENT is a Slack Connect member of the client's organization (TCLIENT)."""
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command('add "Acme Corp" key')


@pytest.fixture
def acme(slack: SlackDriver, acme_without_contacts: None) -> None:
    """acme_without_contacts, and one contact logged at the start of the tests' clock."""
    slack.command("log acme invoice call")


# the team mailbox ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def imap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImapServer]:
    """A real IMAP server (pymap) on loopback for the whole run: plain, STARTTLS and IMAPS with a test certificate."""
    folder = tmp_path_factory.mktemp("imap-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    if shutil.which("openssl") is None:  # plain IMAP only: the TLS tests skip (or fail in CI)
        server = ImapServer().start()
    else:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        server = ImapServer(cert=cert, key=key).start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(imap_server: ImapServer) -> Account:
    """A new, empty team mailbox on the test IMAP server."""
    return imap_server.account()

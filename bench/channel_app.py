"""The real app on loopback for bench.channels, and what it did: SQL statements, log records, stored messages.

The app is built as tests/conftest.py builds it (bot.app.create_app behind bot.wsgi.create_wsgi and
threaded_server), with Bolt's listener pool as Bolt makes it by default (5 threads, the production setting),
counted so the bench knows when every listener has run.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from bot.app import create_app
from bot.settings import Settings
from bot.wsgi import SLACK_PATH, create_wsgi, threaded_server
from fakes.slack import FakeSlack
from handlers.background import Background
from storage.models import ChannelMessage, Contact

SECRET = "bench-signing-secret"
BOLT_LISTENER_THREADS = 5  # what Bolt's App makes when given no listener_executor, as in production
LOGGERS = ("rapport", "slack_bolt", "bot", "handlers", "services", "render", "domain", "storage", "sqlalchemy")


class CountingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, knowing how many listeners are queued or running."""

    def __init__(self, workers: int) -> None:
        super().__init__(max_workers=workers, thread_name_prefix="bolt-listener")
        self._outstanding = 0
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            self._outstanding += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._lock:
            self._outstanding -= 1

    def idle(self) -> bool:
        with self._lock:
            return self._outstanding == 0


class Statements:
    """Every statement the app's engine sends (an executemany is one): when (epoch) and its first word."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sent: list[tuple[float, str]] = []
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.sent.append((time.time(), statement.lstrip().split(None, 1)[0].upper()))  # append: thread-safe

    def since(self, moment: float) -> list[tuple[float, str]]:
        return [s for s in list(self.sent) if s[0] >= moment]

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)


class WriteLocks:
    """SQLite's write lock: how long each BEGIN IMMEDIATE waited for it (also those that gave up) and how long
    the transaction then held it, by who: Bolt's listeners (storing) or the post-ack pool (reading)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.waits: list[tuple[float, str, float, bool]] = []  # epoch, who, seconds waited, got the lock
        self.holds: list[tuple[float, str, float]] = []  # epoch, who, seconds held
        self._local = threading.local()
        self._hooks: list[tuple[str, Callable[..., None]]] = [
            ("before_cursor_execute", self._asking), ("after_cursor_execute", self._got),
            ("handle_error", self._gave_up), ("commit", self._ended), ("rollback", self._ended),
        ]  # fmt: skip
        for name, hook in self._hooks:
            event.listen(engine, name, hook)

    @staticmethod
    def _who() -> str:
        return "read" if threading.current_thread().name.startswith("rapport-post-ack") else "store"

    def _asking(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement == "BEGIN IMMEDIATE":
            self._local.asked = time.perf_counter()

    def _got(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement == "BEGIN IMMEDIATE":
            self._local.got = time.perf_counter()
            self.waits.append((time.time(), self._who(), self._local.got - self._local.asked, True))

    def _gave_up(self, context: Any) -> None:
        if context.statement == "BEGIN IMMEDIATE":
            self.waits.append((time.time(), self._who(), time.perf_counter() - self._local.asked, False))

    def _ended(self, _conn: Any) -> None:
        got, self._local.got = getattr(self._local, "got", None), None
        if got is not None:
            self.holds.append((time.time(), self._who(), time.perf_counter() - got))

    def since(self, moment: float) -> tuple[list[tuple[float, str, float, bool]], list[tuple[float, str, float]]]:
        return [w for w in list(self.waits) if w[0] >= moment], [h for h in list(self.holds) if h[0] >= moment]

    def close(self) -> None:
        for name, hook in self._hooks:
            event.remove(self.engine, name, hook)


class AppLogs(logging.Handler):
    """Warnings and errors the app logs, from any thread: when (epoch), level, logger and message."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[float, str, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in LOGGERS:
            error = f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})" if record.exc_info else ""
            self.records.append((record.created, record.levelname, record.name, record.getMessage() + error))

    def since(self, moment: float) -> list[tuple[float, str, str, str]]:
        return [r for r in list(self.records) if r[0] >= moment]


@dataclass
class Running:
    """The app serving on loopback, and what watches it."""

    url: str
    secret: str
    fake: FakeSlack
    listeners: CountingExecutor
    background: Background
    statements: Statements
    locks: WriteLocks
    logs: AppLogs

    def idle(self) -> bool:
        """No listener queued or running, then no post-ack work (listeners hand work to the pool, not back)."""
        return self.listeners.idle() and self.background.wait_idle(timeout=0)

    def wait_idle(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not self.idle() and time.monotonic() < deadline:
            time.sleep(0.01)


@contextmanager
def running_app(engine: Engine, fake: FakeSlack, *, backlog: int) -> Iterator[Running]:
    """The real app behind a real HTTP server on loopback, its Web API calls going to `fake`.

    threaded_server listens with socketserver's backlog of 5 connections; `backlog` (gunicorn's is 2048) replaces
    it: Linux takes a second listen() on a listening socket as a new backlog.
    """
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-bench"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake.api_url,
    )
    listeners, background = CountingExecutor(BOLT_LISTENER_THREADS), Background()
    app = create_app(settings, engine=engine, listener_executor=listeners, background=background)
    server = threaded_server("127.0.0.1", 0, create_wsgi(app, engine))
    server.socket.listen(backlog)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    statements, locks, logs = Statements(engine), WriteLocks(engine), AppLogs()
    logging.getLogger().addHandler(logs)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}{SLACK_PATH}"
        yield Running(url, SECRET, fake, listeners, background, statements, locks, logs)
    finally:
        server.shutdown()
        server.server_close()
        listeners.shutdown(wait=True)
        background.shutdown()
        statements.close()
        locks.close()
        logging.getLogger().removeHandler(logs)


@dataclass(frozen=True)
class Cpu:
    """CPU seconds: this process's (the app, the fake Slack, the bench's polling) and the machine's, busy and in all."""

    process: float
    busy: float
    total: float

    @staticmethod
    def now() -> Cpu:
        """Read now; the machine's figures from /proc/stat (Linux), zero elsewhere."""
        try:
            ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        except OSError:
            ticks = [0] * 5
        hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        idle = ticks[3] + ticks[4]  # idle and waiting for I/O
        return Cpu(time.process_time(), (sum(ticks) - idle) / hz, sum(ticks) / hz)

    def __sub__(self, earlier: Cpu) -> Cpu:
        return Cpu(self.process - earlier.process, self.busy - earlier.busy, self.total - earlier.total)


@dataclass(frozen=True)
class Stored:
    """What the channels hold: messages stored (their ts), those not read yet, contacts, client messages waiting."""

    rows: int
    ts: frozenset[str]
    pending: int
    contacts: int
    waiting: int


def stored(inspect: Engine, channels: list[str], client_id: int | None) -> Stored:
    """Counted on an engine of the bench's own (its statements are not the app's)."""
    in_channels = ChannelMessage.channel_id.in_(channels)
    with Session(inspect) as session:
        found = session.execute(select(ChannelMessage.ts, ChannelMessage.processed_at).where(in_channels)).all()
        unanswered = ChannelMessage.answered_at.is_(None)
        waiting = session.scalar(select(func.count()).where(in_channels, ChannelMessage.side == "client", unanswered))
        contacts = session.scalar(
            select(func.count()).where(Contact.client_id == client_id, Contact.source == "channel")
        ) if client_id is not None else 0  # fmt: skip
    pending = sum(processed is None for _, processed in found)
    return Stored(len(found), frozenset(ts for ts, _ in found), pending, contacts or 0, waiting or 0)

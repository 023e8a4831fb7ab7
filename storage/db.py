"""Engine, sessions and schema upgrades."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
READ_ONLY = "rapport_read_only"
DEADLINE = "rapport_deadline"
CONNECT_TIMEOUT = 2  # seconds to reach the database before giving up (libpq takes 2 at least)
STATEMENT_TIMEOUT = 60.0  # seconds one statement may take (migrations excepted)
SQLITE_BUSY_TIMEOUT = 30.0  # seconds a SQLite writer waits for another to finish
APPLICATION_NAME = "rapport"  # how our connections show in pg_stat_activity
POOL_TIMEOUT = 2  # seconds to wait for a free pooled connection: the pool is sized so this only trips when stuck


def normalize_url(url: str) -> str:
    """Pick psycopg 3 for PostgreSQL URLs that name no driver (postgres://, postgresql://)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for DATABASE_URL; SQLite gets foreign keys, a busy timeout and WAL."""
    url = normalize_url(url)
    # Statements' parameters stay out of error messages, and so out of logs: they hold secrets (calendar addresses).
    kwargs.setdefault("hide_parameters", True)
    if make_url(url).get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite opens transactions lazily and late. Take control, and take the write lock at BEGIN: a
        # deferred transaction that read and then writes fails at once (SQLITE_BUSY_SNAPSHOT) under WAL.
        # Read-only units (the sweep's big read) begin deferred, so they never block writers.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # Never wait forever: for the server (connect), a statement or lock, or a pooled connection. Enough
    # connections for every listener, post-ack and sweep thread at once, so the pool itself never makes anyone wait.
    options = f"-c statement_timeout={int(STATEMENT_TIMEOUT * 1000)}"
    kwargs.setdefault(
        "connect_args",
        {
            "connect_timeout": CONNECT_TIMEOUT,
            "options": options,
            "application_name": APPLICATION_NAME,
            # A server cut off mid-conversation (network partition) is noticed in seconds, not in TCP's minutes.
            "tcp_user_timeout": int(CONNECT_TIMEOUT * 1000),
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
        },
    )
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 30)
    kwargs.setdefault("pool_timeout", POOL_TIMEOUT)
    return create_engine(url, **kwargs)


def _sqlite_begin(conn: Any) -> None:
    options = conn.get_execution_options()
    # The lock wait is per connection: set it on every transaction, short on the ack path, long elsewhere.
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(options.get(DEADLINE, SQLITE_BUSY_TIMEOUT) * 1000)}")
    conn.exec_driver_sql("BEGIN" if options.get(READ_ONLY, False) else "BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (we render after the transaction)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, deadline: float | None = None) -> Iterator[Session]:
    """One transaction: commit when the block succeeds, roll back everything when it raises.

    With a `deadline` (seconds), no lock wait or statement in it takes longer: for work done before an ack.
    """
    with factory() as session, session.begin():
        if deadline is not None:
            _limit(session, deadline, {})
        yield session


@contextmanager
def read_only(factory: sessionmaker[Session], *, deadline: float | None = None) -> Iterator[Session]:
    """A transaction that only reads (rolled back at the end); on SQLite it takes no write lock.

    What was loaded stays usable afterwards (it is detached before the rollback could expire it).
    """
    with factory() as session:
        if deadline is None:
            session.connection(execution_options={READ_ONLY: True})
        else:
            _limit(session, deadline, {READ_ONLY: True})
        try:
            yield session
        finally:
            session.expunge_all()
            session.rollback()


def _limit(session: Session, seconds: float, options: dict[str, Any]) -> None:
    """Bound every lock wait and statement of the session's transaction to `seconds`."""
    connection = session.connection(execution_options={**options, DEADLINE: seconds})  # SQLite: read at BEGIN
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('statement_timeout', :ms, true)"), {"ms": str(int(seconds * 1000))})


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic configuration pointing at our migrations; with an engine, migrations use it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the app does this on start)."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

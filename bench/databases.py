"""The databases a bench runs on: a SQLite file in a temporary folder, or a fresh database on a PostgreSQL server.

Both are made for the run and removed afterwards, even when the run fails.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine, normalize_url


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A SQLite file's URL, in a folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A fresh database on the server, dropped afterwards even when the run fails."""
    server = normalize_url(server_url)
    name = f"rapport_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def engine_on(url: str) -> Iterator[Engine]:
    """The app's engine on `url`, disposed afterwards (before its database is dropped)."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()

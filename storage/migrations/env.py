"""Alembic environment: the URL comes from the app's DATABASE_URL setting unless a connection is handed in.

Only the database settings are read, so `alembic` works without any Slack secret.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage import models  # noqa: F401  (registers the tables on Base.metadata)
from storage.base import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":  # a migration may take as long as it needs (app: 60 s)
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.db import make_engine
    from storage.settings import load_database_settings

    engine = make_engine(load_database_settings().database_url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def run_migrations_offline() -> None:
    from storage.db import normalize_url
    from storage.settings import load_database_settings

    context.configure(
        url=normalize_url(load_database_settings().database_url),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Migrations are the schema: after `upgrade head` the models and the database agree, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from storage.base import Base


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_table_carries_team_id() -> None:
    for table in Base.metadata.sorted_tables:
        assert "team_id" in table.columns, f"{table.name} has no team_id"


def test_upgrading_a_foundation_database_backfills_the_nudge_clocks(tmp_path: object) -> None:
    """A database from the first release gets its quiet clock and promise cycles computed on upgrade."""
    from datetime import UTC, datetime

    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    from storage.db import make_engine, upgrade
    from storage.models import Client, Promise

    engine = make_engine(f"sqlite:///{tmp_path}/old.db")
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO workspaces (team_id, created_at) VALUES ('T1', '2026-11-01 10:00:00')"))
        connection.execute(text(
            "INSERT INTO clients (id, team_id, name, name_key, is_key, cadence_days, owner_id, created_by, "
            "created_at, updated_at) VALUES (1, 'T1', 'Acme', 'acme', 1, 14, 'U1', 'U1', '2026-11-01 10:00:00', "
            "'2026-11-01 10:00:00')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO contacts (team_id, client_id, user_id, occurred_at, note, source, created_at) VALUES "
            "('T1', 1, 'U1', '2026-11-10 12:00:00', 'call', 'command', '2026-11-10 12:00:00')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO promises (team_id, client_id, what, due_on, owner_id, created_by, created_at) VALUES "
            "('T1', 1, 'quote', '2026-11-20', 'U1', 'U1', '2026-11-02 10:00:00')"
        ))  # fmt: skip
    upgrade(engine)
    with Session(engine) as session:
        client = session.scalars(select(Client)).one()
        assert client.last_contact_at == datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
        assert client.quiet_due_at == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
        promise = session.scalars(select(Promise)).one()
        assert (promise.heads_up_at, promise.slip_at) == (
            datetime(2026, 11, 20, tzinfo=UTC),
            datetime(2026, 11, 21, tzinfo=UTC),
        )
    engine.dispose()

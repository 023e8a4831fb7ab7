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

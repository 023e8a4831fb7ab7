"""Where a database's schema stands against our migrations, without changing it."""

from __future__ import annotations

from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from storage.db import alembic_config


@dataclass(frozen=True)
class Revisions:
    """The database's current Alembic revisions and the newest ones in the code."""

    current: tuple[str, ...]
    newest: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        """True when the database is at the newest migration."""
        return set(self.current) == set(self.newest)


def schema_revisions(*, engine: Engine) -> Revisions:
    """Read the database's revision (an empty tuple before the first migration) and our heads."""
    newest = ScriptDirectory.from_config(alembic_config()).get_heads()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return Revisions(current=tuple(sorted(current)), newest=tuple(sorted(newest)))

"""public holidays

A workspace's public holidays (workspaces.holidays, `PL` or `US-CA`) and a person's own
(person_settings.holidays): those days are not working days.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workspaces", sa.Column("holidays", sa.String(length=16), nullable=True))
    op.add_column("person_settings", sa.Column("holidays", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("person_settings", "holidays")
    op.drop_column("workspaces", "holidays")

"""languages

The language rapport speaks to each reader: a person's own choice (person_settings.language), the workspace's
default (workspaces.language), and Slack's locale for them (people.locale, from users.info include_locale).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workspaces", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("person_settings", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("people", sa.Column("locale", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("people", "locale")
    op.drop_column("person_settings", "language")
    op.drop_column("workspaces", "language")

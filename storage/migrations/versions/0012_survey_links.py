"""survey links

A survey participant is a Slack user or an email address (a client contact outside Slack), never both. An email
participant answers on the survey page through a personal link: `nonce` is its random part, `language` the page's
and the email's language from the invitation (`lang ru`). Answered once: survey_participants.answered_at is set by
one conditional UPDATE, and survey_answers keeps its unique (participant_id, item).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 16:45:43.620382
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("nonce", sa.String(length=32), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.String(length=32), nullable=True)
        batch_op.create_unique_constraint(batch_op.f("uq_survey_participants_nonce"), ["nonce"])
        batch_op.create_unique_constraint(batch_op.f("uq_survey_participants_survey_id_email"), ["survey_id", "email"])
        batch_op.create_check_constraint(
            batch_op.f("ck_survey_participants_slack_user_or_email"), "(user_id IS NULL) <> (email IS NULL)"
        )


def downgrade() -> None:
    op.execute("DELETE FROM survey_participants WHERE user_id IS NULL")  # email participants cannot exist before
    with op.batch_alter_table("survey_participants", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_survey_participants_slack_user_or_email"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_survey_participants_survey_id_email"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_survey_participants_nonce"), type_="unique")
        batch_op.alter_column("user_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column("nonce")
        batch_op.drop_column("language")
        batch_op.drop_column("email")

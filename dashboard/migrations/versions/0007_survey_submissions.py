"""survey submissions per sender address (the answers' rate limit)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 21:00:00

``survey_submission`` records each accepted survey submission with a keyed hash of the
sender's address and the time, so the limit on answers per address is shared by every
worker process; rows older than an hour are deleted as new ones arrive.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_submission")),
    )
    op.create_index("ix_survey_submission_address_at", "survey_submission", ["address", "at"])


def downgrade() -> None:
    op.drop_index("ix_survey_submission_address_at", table_name="survey_submission")
    op.drop_table("survey_submission")

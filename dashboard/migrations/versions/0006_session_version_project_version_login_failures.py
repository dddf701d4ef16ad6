"""hardening: session version per user, version per project, failed logins

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 19:00:00

``app_user.session_version`` ends every session of a user when it moves on (logout
everywhere, password change, deactivation, role change). ``project.version`` lets an
edit form opened before another change be refused instead of silently undoing it.
``login_failure`` records failed logins per user and per address, shared by every
worker process, so they can be slowed down and limited.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index("ix_login_failure_key_at", "login_failure", ["key", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_failure_key_at", table_name="login_failure")
    op.drop_table("login_failure")
    with op.batch_alter_table("project") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("session_version")

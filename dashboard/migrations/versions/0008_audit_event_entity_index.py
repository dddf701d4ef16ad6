"""audit_event: an index on (entity, id)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 19:10:00

The data version (dashboard/cache.py) is the newest audit event *about the data*
(projects, import files, the database, indicators), not about notes, survey answers or
logins: a learning day's answers must not invalidate every cached figure and rebuild the
analytics copy. The index makes that newest id per entity one lookup.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_event_entity_id", "audit_event", ["entity", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_entity_id", table_name="audit_event")

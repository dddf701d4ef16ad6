"""indicator: kind (share, rate, count, level) and when its values were last loaded

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 10:00:00

A share's change is shown in percentage points, a rate keeps its decimals, a count is a
whole number: the kind says which. Existing indicators get their kind from the unit and
name (the rule of ``dashboard.models.indicator_kind``, repeated here so the migration
stays as it is when the code changes). ``updated_at`` stays empty for existing rows:
when their values were loaded is not known (the page says so); the next import sets it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_KIND = """
CASE
    WHEN lower(trim(coalesce(unit, ''))) IN ('%', 'procent', 'andel') THEN 'share'
    WHEN lower(coalesce(unit, '') || ' ' || coalesce(name_sv, '')) LIKE '%per 1 000%'
      OR lower(coalesce(unit, '') || ' ' || coalesce(name_sv, '')) LIKE '%per 1000%'
      OR lower(coalesce(unit, '') || ' ' || coalesce(name_sv, '')) LIKE '%per 10 000%'
      OR lower(coalesce(unit, '') || ' ' || coalesce(name_sv, '')) LIKE '%per 100 000%' THEN 'rate'
    WHEN lower(trim(coalesce(unit, ''))) IN ('antal', 'st', 'personer', 'invånare', 'företag') THEN 'count'
    WHEN trim(coalesce(unit, '')) = '' AND lower(coalesce(name_sv, '')) LIKE '%andel%' THEN 'share'
    ELSE 'level'
END
"""


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    op.execute(f"UPDATE indicator SET kind = {_KIND}")
    with op.batch_alter_table("indicator") as batch:
        batch.alter_column("kind", existing_type=sa.String(length=10), nullable=False)
        batch.create_check_constraint("kind", "kind IN ('share', 'rate', 'count', 'level')")


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_constraint("ck_indicator_kind", type_="check")
        batch.drop_column("updated_at")
        batch.drop_column("kind")

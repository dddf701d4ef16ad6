"""Alembic migrations match the models, so a region's database survives upgrades."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from dashboard import schema
from dashboard.models import Base


def test_database_is_at_head(demo_engine: Engine) -> None:
    assert schema.current_revision(demo_engine) == schema.head_revision() != ""


def test_models_and_migrations_agree(demo_engine: Engine) -> None:
    with demo_engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models differ from the migrations; add a revision: {diff}"


def test_upgrade_is_idempotent(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    assert schema.current_revision(empty_engine) == schema.head_revision()

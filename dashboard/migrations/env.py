"""Alembic environment: migrations run through dashboard.schema.upgrade()."""

from __future__ import annotations

from alembic import context

from dashboard.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations on the connection handed over in ``config.attributes``."""
    connection = config.attributes.get("connection")
    if connection is None:  # plain `alembic` CLI use
        from dashboard.db import get_engine

        with get_engine(config.get_main_option("sqlalchemy.url")).connect() as conn:
            _run(conn)
            conn.commit()
    else:
        _run(connection)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

"""Shared fixtures: one seeded demo database per test session.

Runs against SQLite by default, or against the database in
``TEST_DATABASE_URL`` (e.g. PostgreSQL), whose schema is wiped first.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from dashboard.config import Settings
from dashboard.db import get_engine

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True, scope="session")
def validated_figures():
    """The app builds figures without Plotly's property checks; the tests have them on,
    so a misspelt or invalid property in a figure fails here."""
    from dashboard.figures import theme

    theme.VALIDATE = True
    yield
    theme.VALIDATE = False


def wipe_database(engine: Engine) -> None:
    """Drop everything in the test database (PostgreSQL: the public schema)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        from dashboard.models import Base

        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def fresh_url(tmp_path: Path, name: str) -> str:
    """A clean database URL: the PostgreSQL test database (wiped) or a new SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        wipe_database(get_engine(url))
        return url
    return f"sqlite:///{tmp_path / name}"


def writable_demo(url: str, projects: int = 40, users: tuple[tuple, ...] = ()) -> tuple[Settings, Engine]:
    """A separate demo database that a test may change, with ``users`` as
    ``(name, password, role, themes)``; returns its settings and engine."""
    from dashboard.auth import create_user
    from dashboard.bootstrap import init_database

    settings = replace(Settings(), database_url=url, auto_init=False, demo_projects=projects)
    engine = get_engine(url)
    init_database(engine, settings)
    for name, password, role, themes in users:
        create_user(engine, name, password, role, list(themes))
    return settings, engine


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the session's demo database (schema, strategy, 250 demo projects)."""
    from dashboard.bootstrap import init_database

    url = fresh_url(tmp_path_factory.mktemp("db"), "demo.sqlite")
    settings = replace(Settings(), database_url=url, auto_init=False)
    init_database(get_engine(url), settings)
    return settings


@pytest.fixture(scope="session")
def demo_engine(demo_settings: Settings) -> Engine:
    """Engine on the demo database. Tests must not change its data."""
    return get_engine(demo_settings.database_url)


@pytest.fixture(scope="session")
def app(demo_settings: Settings):
    """One Dash app on the demo database for the session."""
    from dashboard import create_app

    return create_app(demo_settings)


@pytest.fixture
def empty_engine(tmp_path: Path) -> Engine:
    """A migrated database with the strategy tree but no projects (may be changed freely).
    Uses SQLite even when TEST_DATABASE_URL is set, so the session demo database stays intact."""
    from dashboard import schema
    from dashboard.bootstrap import load_strategy_file

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = get_engine(url)
    schema.upgrade(engine)
    load_strategy_file(engine, Settings())
    return engine


PG_SERVER = os.environ.get("RUS_TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")


def scratch_pg_database(name: str) -> str | None:
    """A new, empty database ``name`` on the test PostgreSQL server (dropped first if it
    exists); its URL, or None when no server answers."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    try:
        admin = create_engine(
            f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except SQLAlchemyError:
        return None
    return f"{PG_SERVER}/{name}"


@pytest.fixture(scope="session")
def _pg_import_url() -> str | None:
    """A PostgreSQL database with the schema and the strategy tree, for the import tests."""
    from dashboard import schema
    from dashboard.bootstrap import load_strategy_file

    url = scratch_pg_database("rus_import")
    if url:
        engine = get_engine(url)
        schema.upgrade(engine)
        load_strategy_file(engine, Settings())
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path, _pg_import_url: str | None) -> Engine:
    """An engine with the strategy tree and no projects, on SQLite and on PostgreSQL (skipped
    when no server answers), so a test shows both databases accept and reject alike."""
    if request.param == "sqlite":
        return request.getfixturevalue("empty_engine")
    if _pg_import_url is None:
        pytest.skip("no PostgreSQL server answers")
    from dashboard.demo import clear_data
    from dashboard.models import AuditEvent, ImportProfile

    engine = get_engine(_pg_import_url)
    with engine.begin() as conn:
        clear_data(conn)
        conn.execute(AuditEvent.__table__.delete())
        conn.execute(ImportProfile.__table__.delete())
    return engine

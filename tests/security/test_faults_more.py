"""Faults written as they happen: a read-only SQLite file, a full disk, a statement that waits
on another session's lock. Viewing keeps working where it can, every write is all or nothing,
and every message says which fault it is."""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError

from dashboard.config import Settings
from dashboard.db import get_engine
from dashboard.faults import classify, message
from dashboard.importers.projects import import_projects
from dashboard.models import Project

from ..conftest import scratch_pg_database, writable_demo
from ..unit.test_import_trust import _row, _write
from ..unit.test_importer_projects import HEADER, REF


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ro") / "demo.sqlite"
    _, engine = writable_demo(f"sqlite:///{path}", 30)
    engine.dispose()
    return path


def test_a_read_only_database_still_shows_pages_and_says_read_only(demo_file: Path, tmp_path: Path) -> None:
    """The file opened read-only (as when the app's user may not write it): pages and /login
    answer; a write fails with the read-only message, not a crash."""
    from dashboard import create_app

    copy = tmp_path / "ro.sqlite"
    shutil.copy(demo_file, copy)
    url = f"sqlite:///file:{copy}?mode=ro&uri=true"
    app = create_app(replace(Settings(), database_url=url, auto_init=True))
    client = app.server.test_client()
    for path in ("/", "/login", "/projekt", "/_dash-layout"):
        assert client.get(path).status_code == 200, path
    engine = get_engine(url)
    with pytest.raises(OperationalError) as info:
        import_projects(engine, _write(tmp_path, HEADER, [_row("RO-1")]), reference_date=REF)
    assert classify(info.value) == "readonly"
    assert message("readonly", "sv").startswith("Databasen är skrivskyddad: allt går att titta på")


def test_a_full_disk_writes_nothing_half(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "full.sqlite"
    shutil.copy(demo_file, copy)
    engine = create_engine(f"sqlite:///{copy}")
    pages = os.path.getsize(copy) // 4096

    @event.listens_for(engine, "connect")
    def _tiny_disk(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(Project)).scalar_one()
    rows = [_row(f"F-{i}", Titel="x" * 250) for i in range(3_000)]
    with pytest.raises(OperationalError) as info:
        import_projects(engine, _write(tmp_path, HEADER, rows), reference_date=REF)
    assert classify(info.value) == "disk_full"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Project)).scalar_one() == before, "nothing half"


def _hold_lock(url: str, statement: str, ready: threading.Event, release: threading.Event) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT" if url.startswith("sqlite") else None)
    with engine.connect() as conn:
        if url.startswith("sqlite"):
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            conn.begin()
            conn.exec_driver_sql(statement)
        ready.set()
        release.wait(30)
        conn.exec_driver_sql("ROLLBACK")
    engine.dispose()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_time_limit_holds_while_another_session_holds_a_lock(
    dialect: str, demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RUS_QUERY_TIMEOUT_MS=3000 stops a statement blocked by a lock in about 3 s (12 s were seen)."""
    if dialect == "sqlite":
        copy = tmp_path / "lock.sqlite"
        shutil.copy(demo_file, copy)
        url = f"sqlite:///{copy}"
        blocked = "UPDATE project SET title = title"
    else:
        url = scratch_pg_database("rus_lock")
        if url is None:
            pytest.skip("no PostgreSQL server answers")
        writable_demo(url, 10)
        blocked = "SELECT count(*) FROM project"
    monkeypatch.setenv("RUS_QUERY_TIMEOUT_MS", "3000")
    get_engine.cache_clear()
    engine: Engine = get_engine(url)
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold_lock, args=(url, "LOCK TABLE project IN ACCESS EXCLUSIVE MODE", ready, release), daemon=True
    )
    holder.start()
    assert ready.wait(10)
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError) as info, engine.begin() as conn:
            conn.execute(text(blocked))
        took = time.monotonic() - started
    finally:
        release.set()
        holder.join(10)
        engine.dispose()
        get_engine.cache_clear()
    assert classify(info.value) in ("locked", "timeout")
    assert 2.0 <= took <= 6.0, took

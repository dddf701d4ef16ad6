"""Database faults: clear messages and 503 pages, recovery, time limits, corrupt and locked SQLite."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from dashboard.config import Settings
from dashboard.db import get_engine
from dashboard.faults import check_database, classify, clear_checks

from ..conftest import writable_demo

PG_SERVER = os.environ.get("RUS_TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")


def test_corrupt_sqlite_file_gives_a_clear_503(tmp_path: Path) -> None:
    from dashboard import create_app

    path = tmp_path / "corrupt.sqlite"
    path.write_bytes(b"this is not a database at all " * 200)
    app = create_app(replace(Settings(), database_url=f"sqlite:///{path}", auto_init=False))
    clear_checks()
    response = app.server.test_client().get("/")
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    body = response.get_data(as_text=True)
    assert 'data-kind="corrupt"' in body and "skadad" in body and "Traceback" not in body


def test_empty_database_says_run_init(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert classify(check_database(engine, force=True)) == "schema"


def test_locked_sqlite_is_named(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
        with pytest.raises(OperationalError) as info, engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
        assert classify(info.value) == "locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_slow_query_is_stopped_at_the_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUS_QUERY_TIMEOUT_MS", "200")
    engine = get_engine(f"sqlite:///{tmp_path / 'slow.sqlite'}")
    slow = text(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT sum(x) FROM c"
    )
    with pytest.raises(OperationalError) as info, engine.connect() as conn:
        conn.execute(slow).scalar()
    assert classify(info.value) == "timeout"
    with engine.connect() as conn:  # the connection is usable again for the next (fast) query
        assert conn.execute(text("SELECT 41 + 1")).scalar() == 42


def test_bulk_reads_are_not_stopped_but_page_queries_still_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Building the analytics copy reads whole tables: the page time limit must not cut it off."""
    from dashboard.db import bulk_connection

    monkeypatch.setenv("RUS_QUERY_TIMEOUT_MS", "100")
    engine = get_engine(f"sqlite:///{tmp_path / 'bulk.sqlite'}")
    slow = text(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT sum(x) FROM c"
    )
    with bulk_connection(engine) as conn:
        assert conn.execute(slow).scalar() == 3_000_000 * 3_000_001 // 2
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.execute(slow).scalar()


class TcpProxy:
    """A loopback TCP forwarder that can be cut and restored: the database 'goes away'."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        if self.listener is not None:
            try:
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() call (close alone does not)
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets = []


@pytest.fixture(scope="module")
def pg_faults_url() -> str:
    """A small demo database on the PostgreSQL server (skipped when none answers)."""
    try:
        admin = create_engine(
            f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = 'rus_faults'")).first():
                conn.execute(text("DROP DATABASE rus_faults WITH (FORCE)"))
            conn.execute(text("CREATE DATABASE rus_faults"))
        admin.dispose()
    except SQLAlchemyError as exc:
        pytest.skip(f"no PostgreSQL server to cut off ({exc.__class__.__name__})")
    writable_demo(f"{PG_SERVER}/rus_faults", projects=20)
    return f"{PG_SERVER}/rus_faults"


def test_database_gone_gives_503_and_the_app_recovers(pg_faults_url: str) -> None:
    from dashboard import create_app

    real = get_engine(pg_faults_url).url
    proxy = TcpProxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.start()
    url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    app = create_app(replace(Settings(), database_url=url, auto_init=False))
    client = app.server.test_client()
    clear_checks()
    assert client.get("/").status_code == 200
    assert client.get("/projekt").status_code == 200

    proxy.stop()  # the database server goes away mid-session
    clear_checks()
    response = client.get("/projekt")
    assert response.status_code == 503
    assert 'data-kind="unreachable"' in response.get_data(as_text=True)
    layout = client.get("/_dash-layout")
    assert layout.status_code in (200, 503) and "Traceback" not in layout.get_data(as_text=True)

    proxy.start()  # … and comes back
    clear_checks()
    assert client.get("/projekt").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    proxy.stop()


def test_unreachable_at_start_is_a_clear_page_not_a_crash() -> None:
    from dashboard import create_app

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens here
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/test"
    app = create_app(replace(Settings(), database_url=url, auto_init=True))
    clear_checks()
    response = app.server.test_client().get("/")
    assert response.status_code == 503
    assert 'data-kind="unreachable"' in response.get_data(as_text=True)

"""The analytical path: the query modules' statements answered from a DuckDB copy.

At hundreds of thousands of projects the grouped sums over ``funding_split`` take
seconds in SQLite (one core, row store). DuckDB (columnar, vectorised, all cores)
answers the same SQL in milliseconds. This module keeps a DuckDB copy of the
tables the dashboards read and runs the *same* SQLAlchemy statements on it
(compiled to SQL with literal values in the PostgreSQL dialect, which DuckDB
speaks).

The copy is a DuckDB *file* (compressed columns: about 65 MB for a million
projects, against about 1 GB as in-memory tables), written once per data version
into ``RUS_ANALYTICS_DIR`` and then opened read-only. Every worker process of the
server opens the same file, so there is one build and one copy on disk, and each
process holds only DuckDB's page cache (capped by ``RUS_ANALYTICS_MEMORY``). A
process uses only files written after it started, so a restarted app never reads
an old copy. The database stays the source of truth:

- the copy is tagged with the data version (:func:`dashboard.cache.data_version`);
  when the version moves on, the copy is rebuilt in a background thread, and until
  it is ready every query goes to the database itself;
- any statement the copy cannot answer goes to the database too;
- ``RUS_ANALYTICS``: ``auto`` (default; on from ``AUTO_MIN_PROJECTS`` projects),
  ``on`` or ``off``.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Date, DateTime, Engine, Float, Integer, Numeric, Select, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import SQLAlchemyError

from .models import Base

log = logging.getLogger(__name__)

AUTO_MIN_PROJECTS = 20_000
DIRECT_MAX_PROJECTS = 200_000
# Statements over these tables are slow in the database at scale; the others (strategy tree,
# themes, indicators) are small and always answered by the database while a copy is written.
LARGE_TABLES = {"project", "funding", "funding_split", "project_goal", "project_municipality", "project_priority"}
CHUNK_ROWS = 100_000
# Tables the dashboards read (users, notes, answers and the audit log stay in the database only).
SKIPPED = {
    "app_user",
    "user_theme",
    "import_profile",
    "audit_event",
    "workshop_note",
    "survey_answer",
    "survey_submission",
    "login_failure",
}
"""Tables no dashboard query reads (logins, notes, answers, logs): never copied."""
SKIPPED_COLUMNS = {"project": {"description"}}  # long text no dashboard query reads (the detail view asks the database)
STARTED = time.time()  # this process uses copies written after this moment only
_mirrors: dict[str, Mirror] = {}
_lock = threading.Lock()


def copy_dir() -> Path:
    """Where the copies are written (``RUS_ANALYTICS_DIR``, default: a folder in the system temp dir)."""
    return Path(os.environ.get("RUS_ANALYTICS_DIR") or Path(tempfile.gettempdir()) / "rus-analytics")


def memory_limit() -> str:
    """DuckDB's memory cap per process (``RUS_ANALYTICS_MEMORY``, default ``256MB``: at a million projects the
    callbacks took as long as with 512 MB, and each process held about 200 MB less)."""
    return os.environ.get("RUS_ANALYTICS_MEMORY", "256MB").strip() or "256MB"


def mode() -> str:
    """``auto``, ``on`` or ``off`` (``RUS_ANALYTICS``)."""
    value = os.environ.get("RUS_ANALYTICS", "auto").strip().lower()
    return value if value in ("auto", "on", "off") else "auto"


def _duck_type(column: Any) -> str:
    kind = column.type
    if isinstance(kind, Boolean):
        return "BOOLEAN"
    if isinstance(kind, Date):
        return "DATE"
    if isinstance(kind, DateTime):
        return "TIMESTAMP"
    if isinstance(kind, Integer):
        return "BIGINT"
    if isinstance(kind, Float | Numeric):
        return "DOUBLE"
    return "VARCHAR"


def compile_sql(stmt: Select) -> str:
    """The statement as one SQL string with its values inlined (PostgreSQL dialect)."""
    return str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


class Mirror:
    """A DuckDB copy of the analytical tables of one database (a file shared by the processes)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.version: tuple | None = None
        self.con: Any = None
        self.building = False
        self.failed_at = 0.0
        self.local = threading.local()
        self.lock = threading.Lock()
        url = engine.url.render_as_string(hide_password=False)
        self.prefix = hashlib.sha1(url.encode()).hexdigest()[:12]

    def path(self, version: tuple) -> Path:
        """The copy's file for ``version`` of this database."""
        return copy_dir() / f"{self.prefix}-{hashlib.sha1(repr(version).encode()).hexdigest()[:16]}.duckdb"

    def _write(self, target: Path) -> None:
        """Copy every analytical table into a new DuckDB file at ``target``."""
        import duckdb

        from .db import bulk_connection
        from .queries import cube

        partial = target.with_suffix(f".{os.getpid()}.part")
        partial.unlink(missing_ok=True)
        con = duckdb.connect(str(partial), config={"memory_limit": memory_limit()})
        try:
            with bulk_connection(self.engine) as conn:  # a million rows may take longer than a page query may
                for table in Base.metadata.sorted_tables:
                    if table.name in SKIPPED:
                        continue
                    columns = [c for c in table.columns if c.name not in SKIPPED_COLUMNS.get(table.name, ())]
                    casts = ", ".join(f'CAST("{c.name}" AS {_duck_type(c)}) AS "{c.name}"' for c in columns)
                    created = False
                    # in chunks, so the peak memory is one chunk, not the whole table as pandas objects
                    query = select(*columns)
                    for frame in pd.read_sql(query, conn, dtype_backend="pyarrow", chunksize=CHUNK_ROWS):
                        frame.columns = [c.name for c in columns]
                        con.register("incoming", frame)
                        if created:
                            con.execute(f'INSERT INTO "{table.name}" SELECT {casts} FROM incoming')
                        else:
                            con.execute(f'CREATE TABLE "{table.name}" AS SELECT {casts} FROM incoming')
                            created = True
                        con.unregister("incoming")
                        del frame
                    if not created:  # an empty table still needs its columns
                        declared = ", ".join(f'"{c.name}" {_duck_type(c)}' for c in columns)
                        con.execute(f'CREATE TABLE "{table.name}" ({declared})')
            for sql in cube.BUILD_SQL:  # summary tables over the copied ones
                con.execute(sql)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        partial.replace(target)

    def _open(self, path: Path) -> Any:
        import duckdb

        con = duckdb.connect(str(path), read_only=True, config={"memory_limit": memory_limit()})
        # Sort NULLs as the source database does (SQLite first, PostgreSQL last), so ORDER BY agrees.
        nulls = (
            "nulls_first_on_asc_last_on_desc"
            if self.engine.dialect.name == "sqlite"
            else "nulls_last_on_asc_first_on_desc"
        )
        con.execute(f"SET default_null_order = '{nulls}'")
        return con

    def build(self, version: tuple) -> None:
        """Make the copy for ``version`` current: open the file another process wrote
        (after this one started), or write it (one writer at a time, by a lock file)."""
        started = time.perf_counter()
        target = self.path(version)
        target.parent.mkdir(parents=True, exist_ok=True)
        # One writer at a time: an advisory lock, released by the system if the writer dies.
        with open(target.with_suffix(".lock"), "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not (target.exists() and target.stat().st_mtime >= STARTED):
                    for part in target.parent.glob(f"{target.stem}.*.part"):  # left by a writer that died
                        part.unlink(missing_ok=True)
                    self._write(target)
                    for old in target.parent.glob(f"{self.prefix}-*.duckdb"):  # open handles keep their data
                        if old != target:
                            old.unlink(missing_ok=True)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        con = self._open(target)
        with self.lock:  # the old copy is closed when the last query on it has finished
            self.con, self.version = con, version
            self.local = threading.local()
        log.info("analytics copy %s ready in %.1f s", target.name, time.perf_counter() - started)

    def _build_in_background(self, version: tuple) -> None:
        try:
            self.build(version)
        except Exception:
            log.exception("could not build the analytics copy")
            self.failed_at = time.monotonic()
        finally:
            self.building = False

    def wait(self, version: tuple, timeout: float = 600) -> bool:
        """Build the copy for ``version`` if needed, or wait for the build under way (benchmarks)."""
        deadline = time.monotonic() + timeout
        while self.version != version and time.monotonic() < deadline:
            with self.lock:
                start = not self.building
                self.building = True
            if start:
                try:
                    self.build(version)
                finally:
                    self.building = False
            else:
                time.sleep(0.1)
        return self.version == version

    def rows(self, stmt: Select, version: tuple) -> list[tuple] | None:
        """The statement's rows from the copy, or None when the copy is not current."""
        if self.version != version:
            with self.lock:
                if not self.building and time.monotonic() - self.failed_at > 60:
                    self.building = True
                    threading.Thread(target=self._build_in_background, args=(version,), daemon=True).start()
            return None
        cursor = getattr(self.local, "cursor", None)
        if cursor is None:
            with self.lock:
                if self.con is None:
                    return None
                cursor = self.local.cursor = self.con.cursor()
        return cursor.execute(compile_sql(stmt)).fetchall()


def mirror_for(engine: Engine) -> Mirror | None:
    """The engine's mirror when the analytical path is on for it."""
    chosen = mode()
    if chosen == "off":
        return None
    key = engine.url.render_as_string(hide_password=True)
    with _lock:
        mirror = _mirrors.get(key)
    if mirror is not None:
        return mirror
    if chosen == "auto":
        from .cache import data_version

        if (data_version(engine)[1] or 0) < AUTO_MIN_PROJECTS:  # [1] is the largest project id (about the count)
            return None
    with _lock:
        return _mirrors.setdefault(key, Mirror(engine))


def _reads_large_tables(stmt: Select) -> bool:
    from sqlalchemy.sql.util import find_tables

    found = find_tables(stmt, include_aliases=True, include_joins=True)
    return any(getattr(getattr(t, "element", t), "name", None) in LARGE_TABLES for t in found)


Analytic = Select | Callable[[], Select] | None
"""What the copy runs instead of a statement (see :func:`try_rows`)."""


class CopyNotReady(SQLAlchemyError):
    """The analytics copy is being written and the database is too large to answer directly."""


def wait_seconds() -> float:
    """How long a request waits for a copy under way (at most 15 s, and within the query time limit)."""
    from .db import query_timeout_ms

    limit = query_timeout_ms() / 1000
    return min(15.0, limit) if limit else 15.0


def try_rows(engine: Engine, stmt: Select, *, analytic: Analytic = None) -> list[tuple] | None:
    """Rows from the analytical copy, or None when the database should answer.
    ``analytic``, when given, is what the copy runs instead of ``stmt``: the same
    question over the copy's summary tables, or a function that builds it (called only
    when the copy answers, so the database path does not pay for building it); see
    :mod:`dashboard.queries.cube`.

    While the copy for the current data version is being written (after a start or
    an import), a database of up to ``DIRECT_MAX_PROJECTS`` projects answers itself.
    A larger one would only run into the time limit and slow the writing down, so
    the request waits for the copy for a while and otherwise raises
    :class:`CopyNotReady` (the app answers 503 "data is being prepared")."""
    try:
        mirror = mirror_for(engine)
        if mirror is None:
            return None
        from .cache import data_version

        version = data_version(engine)
        asked = stmt if analytic is None else analytic() if callable(analytic) else analytic
        rows = mirror.rows(asked, version)
        if rows is None and (version[1] or 0) >= DIRECT_MAX_PROJECTS and _reads_large_tables(stmt):
            deadline = time.monotonic() + wait_seconds()
            while rows is None and time.monotonic() < deadline:
                time.sleep(0.1)
                rows = mirror.rows(asked, version)
            if rows is None:
                raise CopyNotReady("the analytics copy is not ready yet")
        return rows
    except CopyNotReady:
        raise
    except Exception as exc:
        log.debug("analytics copy could not answer (%s); using the database", exc)
        return None


def reset() -> None:
    """Drop every mirror (tests)."""
    with _lock:
        for mirror in _mirrors.values():
            if mirror.con is not None:
                mirror.con.close()
        _mirrors.clear()

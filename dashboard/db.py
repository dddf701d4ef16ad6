"""Engine and session handling: one engine per database URL."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # wait for another writer's lock at most 5 s, and never longer than a statement may run
    limit = query_timeout_ms()
    cur.execute(f"PRAGMA busy_timeout={min(5000, limit) if limit else 5000:d}")
    cur.close()
    # SQLite's own lower() only folds ASCII; the project search must find "Å" with "å".
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def query_timeout_ms() -> int:
    """The longest a single statement may run (``RUS_QUERY_TIMEOUT_MS``, default 20 s; 0 = no limit)."""
    return int(os.environ.get("RUS_QUERY_TIMEOUT_MS", "20000") or 0)


def _sqlite_deadline(dbapi_connection, record) -> None:  # noqa: ANN001
    """Abort a statement that runs past its deadline (SQLite's progress handler;
    the deadline is set before each statement by :func:`_start_clock`)."""
    state = {"deadline": None}
    record.info["rus_clock"] = state

    def check() -> int:
        deadline = state["deadline"]
        return 1 if deadline is not None and time.monotonic() > deadline else 0

    dbapi_connection.set_progress_handler(check, 20_000)


def _start_clock(conn, _cursor, _statement, _params, _context, _executemany) -> None:  # noqa: ANN001
    limit = 0 if conn.get_execution_options().get("rus_no_time_limit") else query_timeout_ms()
    clock = conn.connection.info.get("rus_clock")
    if clock is not None:
        clock["deadline"] = time.monotonic() + limit / 1000 if limit else None


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """Return the (cached) engine for ``url``.

    SQLite gets foreign keys, WAL, a 5 s wait on locks and a per-statement time
    limit; PostgreSQL gets pre-pinged connections, a 5 s connect timeout and a
    server-side ``statement_timeout``. The limit is ``RUS_QUERY_TIMEOUT_MS``."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", _sqlite_deadline)
        event.listen(engine, "before_cursor_execute", _start_clock)
    elif url.startswith("postgresql"):
        limit = query_timeout_ms()
        options = f"-c statement_timeout={limit}" if limit else ""
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5, "options": options})
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


@contextmanager
def bulk_connection(engine: Engine) -> Iterator[Connection]:
    """A connection without the per-statement time limit, for bulk reads that are
    expected to take long (building the analytics copy), not for user requests."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET statement_timeout = 0")
        try:
            yield conn.execution_options(rus_no_time_limit=True)
        finally:
            if conn.dialect.name == "postgresql" and not conn.closed:
                conn.rollback()
                conn.exec_driver_sql("RESET statement_timeout")
                conn.commit()


@contextmanager
def bulk_load(conn: Connection, tables: Iterable[str]) -> Iterator[None]:
    """Load many rows into ``tables`` without maintaining their foreign keys and
    secondary indexes row by row (PostgreSQL; elsewhere nothing changes).

    PostgreSQL's own advice for populating a database: the foreign keys and indexes of
    the tables are dropped, the rows are written, and then the same definitions (read
    from the catalogue) are created again, in the caller's transaction, and the tables
    analysed. Checking a
    foreign key once for the whole table is one join instead of one lookup per row. If
    anything fails, the transaction rolls back with the constraints as they were."""
    if conn.dialect.name != "postgresql":
        yield
        return
    names = list(tables)
    fks = conn.exec_driver_sql(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = ANY(%(t)s::regclass[])",
        {"t": names},
    ).all()
    indexes = conn.exec_driver_sql(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%(t)s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique",
        {"t": names},
    ).all()
    for table, name, _ in fks:
        conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    yield
    for _, definition in indexes:
        conn.exec_driver_sql(definition)
    for table, name, definition in fks:
        conn.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for table in names:  # fresh statistics for the planner (a sample, not a scan)
        conn.exec_driver_sql(f'ANALYZE "{table}"')


def batched(rows: Iterable[Sequence], size: int) -> Iterator[list[Sequence]]:
    """``rows`` in lists of at most ``size`` (``itertools.batched`` is Python 3.12+)."""
    it = iter(rows)
    while part := list(islice(it, size)):
        yield part


def bulk_insert(
    conn: Connection, table: Table, columns: list[str], rows: Iterable[Sequence], chunk: int = 50_000
) -> int:
    """Insert many rows (sequences of ``columns``' values) in the connection's transaction.

    PostgreSQL gets ``COPY`` in chunks (several times faster than a batched INSERT; one
    COPY per chunk keeps each statement within the time limit), with the columns' Python
    defaults filled in as INSERT would. Other databases get batched INSERTs. Returns the
    number of rows written."""
    written = 0
    if conn.dialect.name == "postgresql":
        defaults = {
            c.name: c.default.arg
            for c in table.columns
            if c.name not in columns and c.default is not None and c.default.is_scalar
        }
        names = ", ".join(f'"{c}"' for c in [*columns, *defaults])
        extra = tuple(defaults.values())
        with conn.connection.driver_connection.cursor() as cur:
            for part in batched(rows, chunk):
                with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in part:
                        copy.write_row((*row, *extra))
                written += len(part)
        return written
    stmt = table.insert()
    for part in batched(rows, chunk):
        conn.execute(stmt, [dict(zip(columns, row, strict=True)) for row in part])
        written += len(part)
    return written


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A transactional session: commit on success, roll back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
    from .cache import clear

    clear()  # this process answers from the new data at once (others within a second)

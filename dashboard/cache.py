"""Results cached per data version: a repeat of the same question is answered from memory
until the data changes.

The data version is a fingerprint read from the database: the newest audit event about
the data (every import, edit and delete writes one; notes, survey answers and logins do
not count, see :data:`DATA_ENTITIES`), the largest id of the project and
funding tables (bulk writers such as the demo build add rows), and the count and
largest id of the indicator values (indicator imports update them in place). Each
part is an index lookup, never a scan: at a million projects counting the funding
rows cost SQLite a third of a second. It is read at most once per
``VERSION_SECONDS`` per process, so another worker's import is seen within that time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Engine, func, select

from .models import AuditEvent, Funding, IndicatorValue, Project

T = TypeVar("T")
VERSION_SECONDS = 1.0
DATA_ENTITIES = ("project", "file", "database", "indicators")
"""Audit entities that change what the dashboards show (notes, survey answers and logins do not)."""
MAX_ENTRIES = 512
_versions: dict[str, tuple[float, tuple]] = {}
_entries: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def data_version(engine: Engine) -> tuple:
    """The fingerprint of the data (cached ``VERSION_SECONDS``)."""
    key = engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    with _lock:
        cached = _versions.get(key)
        if cached and now - cached[0] < VERSION_SECONDS:
            return cached[1]
    with engine.connect() as conn:
        version = (
            max(
                (
                    conn.execute(select(func.max(AuditEvent.id)).where(AuditEvent.entity == entity)).scalar() or 0
                    for entity in DATA_ENTITIES
                ),
                default=0,
            ),
            conn.execute(select(func.max(Project.id))).scalar(),
            conn.execute(select(func.max(Funding.id))).scalar(),
            *conn.execute(select(func.count(), func.max(IndicatorValue.id)).select_from(IndicatorValue)).one(),
        )
    with _lock:
        _versions[key] = (time.monotonic(), version)
    return version


def cached(engine: Engine, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per (database, data version, namespace, key); least recently used entries go first."""
    full = (engine.url.render_as_string(hide_password=True), data_version(engine), namespace, key)
    with _lock:
        if full in _entries:
            _entries.move_to_end(full)
            return _entries[full]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _entries[full] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Forget every cached result and version (tests; after writing outside the app)."""
    with _lock:
        _entries.clear()
        _versions.clear()

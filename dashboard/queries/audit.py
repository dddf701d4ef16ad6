"""The audit log: every import, edit and delete, newest first."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from ..models import AuditEvent

MAX_EVENTS = 5000


def load_audit(engine: Engine, limit: int = MAX_EVENTS) -> pd.DataFrame:
    """at, actor, action, entity, entity_key, before_json, after_json (newest first)."""
    stmt = (
        select(
            AuditEvent.id,
            AuditEvent.at,
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.entity,
            AuditEvent.entity_key,
            AuditEvent.before_json,
            AuditEvent.after_json,
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).all(), columns=list(stmt.selected_columns.keys()))

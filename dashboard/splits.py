"""Derived money tables: funding split over goals in whole kronor."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from .models import Funding, FundingSplit, ProjectGoal
from .transforms import split_funding_by_goal

_CHUNK = 20_000


def refresh_funding_splits(conn: Connection, project_ids: Sequence[int] | None = None) -> int:
    """Rebuild ``funding_split`` for the given projects (all when None), inside
    the caller's transaction. Returns the number of split rows written."""
    funding_stmt = select(Funding.id, Funding.project_id, Funding.source, Funding.amount_sek)
    goals_stmt = select(ProjectGoal.project_id, ProjectGoal.goal_id, ProjectGoal.share_bp)
    if project_ids is not None:
        ids = list(project_ids)
        conn.execute(delete(FundingSplit).where(FundingSplit.project_id.in_(ids)))
        funding_stmt = funding_stmt.where(Funding.project_id.in_(ids))
        goals_stmt = goals_stmt.where(ProjectGoal.project_id.in_(ids))
    else:
        conn.execute(delete(FundingSplit))
    funding = pd.DataFrame(
        conn.execute(funding_stmt).all(), columns=["funding_id", "project_id", "source", "amount_sek"]
    )
    goals = pd.DataFrame(conn.execute(goals_stmt).all(), columns=["project_id", "goal_id", "share_bp"])
    parts = split_funding_by_goal(funding, goals)
    rows = parts.to_dict("records")
    for row in rows:
        if pd.isna(row["goal_id"]):
            row["goal_id"] = None
    for i in range(0, len(rows), _CHUNK):
        conn.execute(insert(FundingSplit), rows[i : i + _CHUNK])
    return len(rows)

"""Derived money tables: funding split over goals in whole kronor."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, delete, select

from .db import bulk_insert
from .models import Funding, FundingSplit, ProjectGoal
from .transforms import split_funding_by_goal


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
    funding = pd.DataFrame.from_records(
        [tuple(r) for r in conn.execute(funding_stmt)], columns=["funding_id", "project_id", "source", "amount_sek"]
    )
    goals = pd.DataFrame.from_records(
        [tuple(r) for r in conn.execute(goals_stmt)], columns=["project_id", "goal_id", "share_bp"]
    )
    parts = split_funding_by_goal(funding, goals)
    columns = ["funding_id", "project_id", "goal_id", "source", "amount_sek"]
    goal_ids = parts["goal_id"].astype("object").where(parts["goal_id"].notna(), None)
    rows = zip(
        parts["funding_id"].astype("int64").tolist(),
        parts["project_id"].astype("int64").tolist(),
        [None if g is None else int(g) for g in goal_ids],
        parts["source"].tolist(),
        parts["amount_sek"].astype("int64").tolist(),
        strict=True,
    )
    return bulk_insert(conn, FundingSplit.__table__, columns, rows)

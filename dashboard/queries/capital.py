"""Development capital: project-level leverage."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, Select, select

from ..filters import FilterState
from ..models import Project, Theme
from .common import apply_project_filters, join_project_money, read_frame
from .money import decided_statuses

TOP_COLUMNS = ["reference", "title", "theme", "granted_sek", "other_sek"]


def top_leverage_stmt(f: FilterState, limit: int = 10, *, summed: bool = False) -> Select:
    """Decided projects with the most other capital per krona of 1:1 (whole projects).
    Summed per project id first (an integer key), names joined for the top rows only.
    ``summed``: read the sums from the analytics copy's per-project money
    (:data:`dashboard.queries.cube.project_money`) instead of grouping funding rows."""
    sums, granted, other = join_project_money(select(Project.id.label("id")).select_from(Project), summed=summed)
    sums = sums.add_columns(granted.label("granted"), other.label("other"))
    sums = apply_project_filters(sums.where(Project.status.in_(decided_statuses(f))), f)
    # projects without 1:1 money have no leverage (nor any without funding rows)
    sums = (sums.where(granted > 0) if summed else sums.group_by(Project.id).having(granted > 0)).subquery()
    ratio = (sums.c.other * 1.0) / sums.c.granted
    return (
        select(Project.reference, Project.title, Theme.code, sums.c.granted, sums.c.other)
        .select_from(sums)
        .join(Project, Project.id == sums.c.id)
        .outerjoin(Theme, Theme.id == Project.theme_id)
        .order_by(ratio.desc(), Project.reference)
        .limit(limit)
    )


def load_top_leverage(engine: Engine, f: FilterState, limit: int = 10) -> pd.DataFrame:
    """Columns ``reference, title, theme, granted_sek, other_sek, leverage``."""
    stmt = top_leverage_stmt(f, limit)
    df = read_frame(engine, stmt, TOP_COLUMNS, analytic=lambda: top_leverage_stmt(f, limit, summed=True)).astype(
        {"granted_sek": "int64", "other_sek": "int64"}
    )
    df["leverage"] = df["other_sek"] / df["granted_sek"]
    return df

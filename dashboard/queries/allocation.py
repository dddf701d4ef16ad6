"""Allocation of 1:1 grants and other capital per goal (and per year)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from ..filters import FilterState
from .money import decided_statuses, load_money

__all__ = ["decided_statuses", "load_goal_allocation", "load_totals", "load_year_goal_allocation"]


def load_goal_allocation(engine: Engine, f: FilterState) -> pd.DataFrame:
    """Columns ``goal, granted_sek, other_sek, projects``; goal None = tied to no goal."""
    return load_money(engine, f, ["goal"])


def load_year_goal_allocation(engine: Engine, f: FilterState) -> pd.DataFrame:
    """Columns ``year, goal, granted_sek, other_sek, projects``."""
    return load_money(engine, f, ["year", "goal"])


def load_totals(engine: Engine, f: FilterState) -> pd.DataFrame:
    """One row: ``granted_sek, other_sek, projects`` (distinct projects)."""
    return load_money(engine, f)


FRAME_COLUMNS = ["year", "goal", "frame_sek"]


def load_frames(engine: Engine, years: list[int]) -> pd.DataFrame:
    """Budget frames for ``years``: ``year, goal, frame_sek`` (goal None = the total frame)."""
    from sqlalchemy import select

    from ..models import BudgetFrame, Goal
    from .common import read_frame

    stmt = (
        select(BudgetFrame.year, Goal.code, BudgetFrame.amount_sek)
        .outerjoin(Goal, Goal.id == BudgetFrame.goal_id)
        .where(BudgetFrame.year.in_(years))
        .order_by(BudgetFrame.year, Goal.sort)
    )
    return read_frame(engine, stmt, FRAME_COLUMNS).astype({"year": "int64", "frame_sek": "int64"})


def load_frame_years(engine: Engine) -> list[int]:
    """Years that have a budget frame, ascending."""
    from sqlalchemy import select

    from ..models import BudgetFrame

    with engine.connect() as conn:
        return [int(y) for (y,) in conn.execute(select(BudgetFrame.year).distinct().order_by(BudgetFrame.year))]

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

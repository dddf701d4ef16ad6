"""Allocation of 1:1 grants and other capital per goal (and per year).

Amounts come back in *basis-point kronor* (amount × share in bp) so that no
rounding happens in SQL; :func:`dashboard.transforms.compute_goal_allocation`
turns them into whole kronor that add up to the total exactly.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, Select, and_, case, func, literal, select

from ..filters import FilterState
from ..models import DECIDED_STATUSES, GRANT_SOURCE, SHARE_SCALE, Funding, Goal, Project, ProjectGoal
from .common import apply_project_filters, read_frame

GOAL_ALLOCATION_COLUMNS = ["goal", "granted_bp", "other_bp", "projects"]
YEAR_GOAL_COLUMNS = ["year", "goal", "granted_bp", "other_bp", "projects"]
TOTALS_COLUMNS = ["projects", "granted_sek", "other_sek"]


def decided_statuses(f: FilterState) -> tuple[str, ...]:
    """Statuses counted as decided grants, narrowed by the status filter."""
    if not f.status:
        return DECIDED_STATUSES
    return tuple(s for s in f.status if s in DECIDED_STATUSES)


def _share():
    return func.coalesce(ProjectGoal.share_bp, literal(SHARE_SCALE))


def goal_allocation_stmt(f: FilterState, *, by_year: bool = False) -> Select:
    """Per goal (NULL = project tied to no goal): 1:1 and other capital in
    bp-kronor and the number of distinct projects, for decided projects."""
    granted = func.sum(case((Funding.source == GRANT_SOURCE, Funding.amount_sek * _share()), else_=0))
    other = func.sum(case((Funding.source != GRANT_SOURCE, Funding.amount_sek * _share()), else_=0))
    cols = [
        Goal.code.label("goal"),
        granted.label("granted_bp"),
        other.label("other_bp"),
        func.count(func.distinct(Project.id)).label("projects"),
    ]
    group = [Goal.code]
    if by_year:
        cols.insert(0, Project.decision_year.label("year"))
        group.insert(0, Project.decision_year)
    stmt = (
        select(*cols)
        .select_from(Project)
        .join(Funding, Funding.project_id == Project.id)
        .outerjoin(ProjectGoal, ProjectGoal.project_id == Project.id)
        .outerjoin(Goal, Goal.id == ProjectGoal.goal_id)
        .where(Project.status.in_(decided_statuses(f)))
    )
    if f.source:
        stmt = stmt.where((Funding.source == GRANT_SOURCE) | Funding.source.in_(f.source))
    stmt = apply_project_filters(stmt, f.with_values(source=()), goal_joined=True)
    return stmt.group_by(*group).order_by(*group)


def load_goal_allocation(engine: Engine, f: FilterState) -> pd.DataFrame:
    """Columns ``goal, granted_bp, other_bp, projects``; one row per goal with money."""
    df = read_frame(engine, goal_allocation_stmt(f), GOAL_ALLOCATION_COLUMNS)
    return df.astype({"granted_bp": "int64", "other_bp": "int64", "projects": "int64"})


def load_year_goal_allocation(engine: Engine, f: FilterState) -> pd.DataFrame:
    """Columns ``year, goal, granted_bp, other_bp, projects`` (for the over-the-years view)."""
    df = read_frame(engine, goal_allocation_stmt(f, by_year=True), YEAR_GOAL_COLUMNS)
    return df.astype({"granted_bp": "int64", "other_bp": "int64", "projects": "int64"})


def totals_stmt(f: FilterState) -> Select:
    """Whole-kronor totals over the filtered decided projects (no goal split):
    distinct projects, 1:1 granted and other capital."""
    granted = func.coalesce(func.sum(case((Funding.source == GRANT_SOURCE, Funding.amount_sek), else_=0)), 0)
    other = func.coalesce(func.sum(case((Funding.source != GRANT_SOURCE, Funding.amount_sek), else_=0)), 0)
    stmt = (
        select(func.count(func.distinct(Project.id)), granted, other)
        .select_from(Project)
        .join(Funding, Funding.project_id == Project.id)
        .where(Project.status.in_(decided_statuses(f)))
    )
    if f.source:
        stmt = stmt.where(and_((Funding.source == GRANT_SOURCE) | Funding.source.in_(f.source)))
    return apply_project_filters(stmt, f.with_values(source=()))


def load_totals(engine: Engine, f: FilterState) -> pd.DataFrame:
    """One row: ``projects, granted_sek, other_sek`` (goal filter selects projects)."""
    df = read_frame(engine, totals_stmt(f), TOTALS_COLUMNS)
    return df.astype("int64")

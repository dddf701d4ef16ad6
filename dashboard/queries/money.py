"""Money of decided projects, grouped by any of goal, theme, year, source,
direction — one parameterised query behind every allocation and capital view.

Sums run over ``funding_split`` (funding split over goals in whole kronor), so
every grouping adds up to the same totals exactly, and the goal filter counts
only the chosen goals' parts of a multi-goal project.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, Select, case, func, select

from ..filters import FilterState
from ..models import DECIDED_STATUSES, GRANT_SOURCE, Direction, FundingSplit, Goal, Project, Theme
from .common import apply_project_filters, read_frame

DIMENSIONS = ("goal", "theme", "year", "source", "direction")
MONEY_COLUMNS = ["granted_sek", "other_sek", "projects"]


def decided_statuses(f: FilterState) -> tuple[str, ...]:
    """Statuses counted as decided grants, narrowed by the status filter."""
    if not f.status:
        return DECIDED_STATUSES
    return tuple(s for s in f.status if s in DECIDED_STATUSES)


def money_stmt(f: FilterState, dims: Sequence[str] = (), statuses: Sequence[str] | None = None) -> Select:
    """``SELECT dims…, granted_sek, other_sek, projects`` for the filtered decided
    projects (or for ``statuses``, e.g. the applied money of ``ansokt`` projects)."""
    unknown = set(dims) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimension(s): {', '.join(sorted(unknown))}")
    columns = {
        "goal": Goal.code,
        "theme": Theme.code,
        "year": Project.decision_year,
        "source": FundingSplit.source,
        "direction": Direction.code,
    }
    keys = [columns[d].label(d) for d in dims]
    granted = func.coalesce(func.sum(case((FundingSplit.source == GRANT_SOURCE, FundingSplit.amount_sek), else_=0)), 0)
    other = func.coalesce(func.sum(case((FundingSplit.source != GRANT_SOURCE, FundingSplit.amount_sek), else_=0)), 0)
    stmt = (
        select(
            *keys,
            granted.label("granted_sek"),
            other.label("other_sek"),
            func.count(func.distinct(FundingSplit.project_id)).label("projects"),
        )
        .select_from(FundingSplit)
        .join(Project, Project.id == FundingSplit.project_id)
        .where(Project.status.in_(tuple(statuses) if statuses is not None else decided_statuses(f)))
    )
    if "goal" in dims or "direction" in dims:
        stmt = stmt.outerjoin(Goal, Goal.id == FundingSplit.goal_id)
    if "direction" in dims:
        stmt = stmt.outerjoin(Direction, Direction.id == Goal.direction_id)
    if "theme" in dims:
        stmt = stmt.outerjoin(Theme, Theme.id == Project.theme_id)
    if f.goal:
        stmt = stmt.where(FundingSplit.goal_id.in_(select(Goal.id).where(Goal.code.in_(f.goal))))
    if f.source:
        # the 1:1 grant and the chosen sources, for projects that have money from a chosen source
        stmt = stmt.where((FundingSplit.source == GRANT_SOURCE) | FundingSplit.source.in_(f.source))
    stmt = apply_project_filters(stmt, f.with_values(goal=()))
    if keys:
        group = [columns[d] for d in dims]
        stmt = stmt.group_by(*group).order_by(*group)
    return stmt


def load_money(
    engine: Engine, f: FilterState, dims: Sequence[str] = (), statuses: Sequence[str] | None = None
) -> pd.DataFrame:
    """Run :func:`money_stmt`; columns ``dims…, granted_sek, other_sek, projects`` (int64).
    Results are cached per data version (see :mod:`dashboard.cache`)."""
    from ..cache import cached

    def run() -> pd.DataFrame:
        df = read_frame(engine, money_stmt(f, dims, statuses), [*dims, *MONEY_COLUMNS])
        types = {c: "int64" for c in MONEY_COLUMNS}
        if "year" in dims:
            types["year"] = "Int64"
        return df.astype(types)

    key = (f, tuple(dims), None if statuses is None else tuple(statuses))
    return cached(engine, "money", key, run).copy()

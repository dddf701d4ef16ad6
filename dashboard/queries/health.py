"""Data health: what is missing or inconsistent, as rows to fix."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, exists, func, not_, or_, select

from ..models import (
    DECIDED_STATUSES,
    GRANT_SOURCE,
    SHARE_SCALE,
    Funding,
    Indicator,
    IndicatorTarget,
    Priority,
    Project,
    ProjectGoal,
    ProjectMunicipality,
    ThemePriority,
)
from .common import read_frame

PROJECT_COLUMNS = ["reference", "title", "status"]


def _projects(engine: Engine, condition) -> pd.DataFrame:  # noqa: ANN001
    stmt = select(Project.reference, Project.title, Project.status).where(condition).order_by(Project.reference)
    return read_frame(engine, stmt, PROJECT_COLUMNS)


def load_health(engine: Engine, reference: date) -> dict[str, pd.DataFrame]:
    """Each check → the rows that fail it (empty frame = all good)."""
    no_goal = not_(exists().where(ProjectGoal.project_id == Project.id))
    no_cofinancing = not_(
        exists().where(Funding.project_id == Project.id, Funding.source != GRANT_SOURCE, Funding.amount_sek > 0)
    )
    dates = or_(
        and_(Project.status == "pagaende", or_(Project.start_date > reference, Project.end_date < reference)),
        and_(Project.status == "avslutat", Project.end_date > reference),
        and_(Project.status.in_(DECIDED_STATUSES), Project.decision_date.is_(None)),
        and_(Project.status.in_(("ide", "ansokt")), Project.decision_date.is_not(None)),
    )
    goal_sums = (
        select(ProjectGoal.project_id)
        .group_by(ProjectGoal.project_id)
        .having(func.sum(ProjectGoal.share_bp) != SHARE_SCALE)
    )
    muni_sums = (
        select(ProjectMunicipality.project_id)
        .group_by(ProjectMunicipality.project_id)
        .having(func.sum(ProjectMunicipality.share_bp) != SHARE_SCALE)
    )
    shares = or_(
        Project.id.in_(goal_sums),
        Project.id.in_(muni_sums),
        and_(Project.whole_county.is_(False), not_(exists().where(ProjectMunicipality.project_id == Project.id))),
    )
    no_target = read_frame(
        engine,
        select(Indicator.code, Indicator.name_sv)
        .where(not_(exists().where(IndicatorTarget.indicator_id == Indicator.id)))
        .order_by(Indicator.code),
        ["code", "name"],
    )
    uncovered = read_frame(
        engine,
        select(Priority.code, Priority.name_sv)
        .where(not_(exists().where(ThemePriority.priority_id == Priority.id)))
        .order_by(Priority.goal_id, Priority.sort),
        ["code", "name"],
    )
    return {
        "no_goal": _projects(engine, no_goal),
        "no_cofinancing": _projects(engine, and_(no_cofinancing, Project.status != "avslag")),
        "dates": _projects(engine, dates),
        "shares": _projects(engine, shares),
        "indicators_without_target": no_target,
        "priorities_without_theme": uncovered,
    }

"""Theme maps (kartbild): projects with their priorities, phases, results, and
money per municipality."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, func, select

from ..filters import FilterState
from ..models import (
    GRANT_SOURCE,
    Funding,
    Goal,
    Organisation,
    Priority,
    Project,
    ProjectMunicipality,
    ProjectPriority,
    ProjectResult,
    Theme,
    ThemePriority,
)
from .common import apply_project_filters, funding_sums, read_frame, read_row
from .money import decided_statuses

THEME_PROJECT_COLUMNS = [
    "id",
    "reference",
    "title",
    "theme",
    "status",
    "decision_date",
    "start_date",
    "end_date",
    "owner",
    "expected_results",
    "granted_sek",
    "other_sek",
]


def load_theme_projects(engine: Engine, f: FilterState) -> pd.DataFrame:
    """All projects of the selection (every status), whole-project money.

    The kartbild is about now and the coming years, so the year and status
    filters are not applied here (theme, goal, municipality and source are).
    """
    granted, other = funding_sums()
    stmt = (
        select(
            Project.id,
            Project.reference,
            Project.title,
            Theme.code,
            Project.status,
            Project.decision_date,
            Project.start_date,
            Project.end_date,
            Organisation.name,
            Project.expected_results,
            granted,
            other,
        )
        .select_from(Project)
        .outerjoin(Funding, Funding.project_id == Project.id)
        .outerjoin(Theme, Theme.id == Project.theme_id)
        .outerjoin(Organisation, Organisation.id == Project.owner_id)
    )
    stmt = apply_project_filters(stmt, f.with_values(year_from=None, year_to=None, status=()))
    stmt = stmt.group_by(
        Project.id,
        Project.reference,
        Project.title,
        Theme.code,
        Project.status,
        Project.decision_date,
        Project.start_date,
        Project.end_date,
        Organisation.name,
        Project.expected_results,
    )
    df = read_frame(engine, stmt.order_by(Project.start_date, Project.reference), THEME_PROJECT_COLUMNS)
    for col in ("decision_date", "start_date", "end_date"):
        df[col] = pd.to_datetime(df[col])
    return df.astype({"granted_sek": "int64", "other_sek": "int64"})


def load_project_priorities(engine: Engine, project_ids: list[int] | None = None) -> pd.DataFrame:
    """``project_id, priority`` links (all projects when ``project_ids`` is None)."""
    stmt = select(ProjectPriority.project_id, Priority.code).join(Priority, Priority.id == ProjectPriority.priority_id)
    if project_ids is not None:
        stmt = stmt.where(ProjectPriority.project_id.in_(project_ids))
    return read_frame(engine, stmt, ["project_id", "priority"])


def load_priorities(engine: Engine) -> pd.DataFrame:
    """Every priority with its goal and the themes it is relevant to:
    ``priority, name_sv, name_en, illustrative, goal, goal_sort, sort, themes`` (themes a list)."""
    pri = read_frame(
        engine,
        select(
            Priority.code,
            Priority.name_sv,
            Priority.name_en,
            Priority.illustrative,
            Goal.code,
            Goal.sort,
            Priority.sort,
        )
        .join(Goal, Goal.id == Priority.goal_id)
        .order_by(Goal.sort, Priority.sort),
        ["priority", "name_sv", "name_en", "illustrative", "goal", "goal_sort", "sort"],
    )
    links = read_frame(
        engine,
        select(Priority.code, Theme.code)
        .join(ThemePriority, ThemePriority.priority_id == Priority.id)
        .join(Theme, Theme.id == ThemePriority.theme_id)
        .order_by(Theme.sort),
        ["priority", "theme"],
    )
    themes = links.groupby("priority")["theme"].apply(list)
    pri["themes"] = [themes.get(p, []) for p in pri["priority"]]
    return pri


def load_results(engine: Engine, project_ids: list[int]) -> pd.DataFrame:
    """Planned and achieved results summed per measure and unit for the projects."""
    if not project_ids:
        return pd.DataFrame(columns=["measure", "unit", "planned", "achieved", "projects"])
    stmt = (
        select(
            ProjectResult.measure,
            ProjectResult.unit,
            func.sum(ProjectResult.planned),
            func.sum(ProjectResult.achieved),
            func.count(func.distinct(ProjectResult.project_id)),
        )
        .where(ProjectResult.project_id.in_(project_ids))
        .group_by(ProjectResult.measure, ProjectResult.unit)
        .order_by(ProjectResult.measure)
    )
    return read_frame(engine, stmt, ["measure", "unit", "planned", "achieved", "projects"])


MUNICIPALITY_COLUMNS = ["municipality", "granted_bp", "projects"]


def load_municipality_money(engine: Engine, f: FilterState) -> tuple[pd.DataFrame, dict[str, int]]:
    """1:1 money of the decided projects in the selection per municipality.

    Returns (per municipality: ``municipality, granted_bp, projects`` in
    basis-point kronor, i.e. amount × share; the whole-county part:
    ``{"granted_sek": …, "projects": …}``). Apportion with
    :func:`dashboard.transforms.apportion` so municipalities + whole county =
    the total exactly.
    """
    grant = case((Funding.source == GRANT_SOURCE, Funding.amount_sek), else_=0)
    per = (
        select(
            ProjectMunicipality.municipality_code,
            func.coalesce(func.sum(grant * ProjectMunicipality.share_bp), 0),
            func.count(func.distinct(Project.id)),
        )
        .select_from(Project)
        .join(ProjectMunicipality, ProjectMunicipality.project_id == Project.id)
        .join(Funding, Funding.project_id == Project.id)
        .where(Project.status.in_(decided_statuses(f)), Project.whole_county.is_(False))
    )
    per = apply_project_filters(per, f.with_values(municipality=()))
    if f.municipality:  # only the chosen municipalities' parts
        per = per.where(ProjectMunicipality.municipality_code.in_(f.municipality))
    per = per.group_by(ProjectMunicipality.municipality_code).order_by(ProjectMunicipality.municipality_code)
    whole = (
        select(func.coalesce(func.sum(grant), 0), func.count(func.distinct(Project.id)))
        .select_from(Project)
        .join(Funding, Funding.project_id == Project.id)
        .where(Project.status.in_(decided_statuses(f)), Project.whole_county.is_(True))
    )
    whole = apply_project_filters(whole, f.with_values(municipality=()))
    if f.municipality:  # whole-county projects are not in any one municipality
        whole = whole.where(Project.id.is_(None))
    df = read_frame(engine, per, MUNICIPALITY_COLUMNS).astype({"granted_bp": "int64", "projects": "int64"})
    amount, n = read_row(engine, whole)
    return df, {"granted_sek": int(amount or 0), "projects": int(n or 0)}

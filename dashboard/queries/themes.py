"""Theme maps (kartbild): projects with their priorities, phases, results, and
money per municipality."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, and_, case, exists, func, or_, select

from ..filters import FilterState
from ..models import (
    GRANT_SOURCE,
    FundingSplit,
    Goal,
    Organisation,
    Priority,
    Project,
    ProjectGoal,
    ProjectMunicipality,
    ProjectPriority,
    ProjectResult,
    Theme,
    ThemePriority,
)
from ..transforms import PHASE_NOW, PHASE_PLANNED, PIPELINE_STAGES, window_end
from . import cube
from .common import apply_project_filters, join_project_money, read_frame, read_row
from .money import decided_statuses

NOW_STATUS = "pagaende"

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


def _theme_projects_stmt(f: FilterState, *, summed: bool = False) -> Select:
    """Project rows with whole-project money (the kartbild's filters applied);
    ``summed``: over the analytics copy's per-project sums (see :func:`join_project_money`)."""
    keys = (
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
    stmt, granted, other = join_project_money(select(*keys).select_from(Project), summed=summed)
    stmt = (
        stmt.add_columns(granted, other)
        .outerjoin(Theme, Theme.id == Project.theme_id)
        .outerjoin(Organisation, Organisation.id == Project.owner_id)
    )
    stmt = _theme_filters(stmt, f)
    return stmt if summed else stmt.group_by(*keys)


def _theme_frame(engine: Engine, build: Callable[[bool], Select]) -> pd.DataFrame:
    """Run ``build(summed)`` (the database's statement, and the copy's over per-project sums)."""
    df = read_frame(engine, build(False), THEME_PROJECT_COLUMNS, analytic=lambda: build(True))
    for col in ("decision_date", "start_date", "end_date"):
        df[col] = pd.to_datetime(df[col])
    return df.astype({"granted_sek": "int64", "other_sek": "int64"})


def load_theme_projects(engine: Engine, f: FilterState) -> pd.DataFrame:
    """All projects of the selection (every status), whole-project money, by start date.

    The kartbild is about now and the coming years, so the year and status
    filters are not applied here (theme, goal, municipality and source are).
    """
    return _theme_frame(
        engine, lambda summed: _theme_projects_stmt(f, summed=summed).order_by(Project.start_date, Project.reference)
    )


def phase_condition(reference: date, phase: str | None = None) -> ColumnElement[bool]:
    """SQL for the kartbild's phases (the rule of :func:`dashboard.transforms.classify_phase`):
    ``now`` = ongoing; ``planned`` = idé, ansökt or beviljat starting after ``reference``
    and within three years of it; None = either. The phase follows from the status
    within these rows (pågående → now, the pipeline stages → planned)."""
    now = Project.status == NOW_STATUS
    planned = and_(
        Project.status.in_(PIPELINE_STAGES),
        Project.start_date > reference,
        Project.start_date <= window_end(reference),
    )
    return {PHASE_NOW: now, PHASE_PLANNED: planned}.get(phase or "", or_(now, planned))


def _theme_filters(stmt: Select, f: FilterState) -> Select:
    """The kartbild is about now and the coming years: the year and status filters
    do not apply (theme, goal, municipality and source do)."""
    return apply_project_filters(stmt, f.with_values(year_from=None, year_to=None, status=()))


PHASE_SUMMARY_COLUMNS = ["status", "projects", "granted_sek", "other_sek"]


def load_phase_summary(engine: Engine, f: FilterState, reference: date) -> pd.DataFrame:
    """Projects and money per status of the selection's projects that are ongoing
    now or planned in 1–3 years (``status, projects, granted_sek, other_sek``)."""

    def build(summed: bool) -> Select:
        stmt, granted, other = join_project_money(select(Project.status).select_from(Project), summed=summed)
        count = func.count(Project.id) if summed else func.count(func.distinct(Project.id))
        if summed:
            granted, other = func.coalesce(func.sum(granted), 0), func.coalesce(func.sum(other), 0)
        stmt = stmt.add_columns(count, granted, other).where(phase_condition(reference))
        return _theme_filters(stmt, f).group_by(Project.status).order_by(Project.status)

    df = read_frame(engine, build(False), PHASE_SUMMARY_COLUMNS, analytic=lambda: build(True))
    return df.astype({"projects": "int64", "granted_sek": "int64", "other_sek": "int64"})


def phase_project_ids(f: FilterState, reference: date, phase: str) -> Select:
    """The ids of the selection's projects in ``phase`` (a subquery for other statements)."""
    return _theme_filters(select(Project.id).where(phase_condition(reference, phase)), f)


def load_phase_projects(engine: Engine, f: FilterState, reference: date, phase: str, limit: int) -> pd.DataFrame:
    """The first ``limit`` projects (by start date) of the selection in ``phase``."""
    return _theme_frame(
        engine,
        lambda summed: (
            _theme_projects_stmt(f, summed=summed)
            .where(phase_condition(reference, phase))
            .order_by(Project.start_date, Project.reference)
            .limit(limit)
        ),
    )


TIMELINE_STATUSES = ("ide", "ansokt", "beviljat", "pagaende", "avslutat")


def load_timeline_projects(engine: Engine, f: FilterState, limit: int) -> pd.DataFrame:
    """The ``limit`` latest-starting projects of the selection that have a period
    and are not rejected or cancelled (the kartbild's timeline)."""
    return _theme_frame(
        engine,
        lambda summed: (
            _theme_projects_stmt(f, summed=summed)
            .where(
                Project.status.in_(TIMELINE_STATUSES), Project.start_date.is_not(None), Project.end_date.is_not(None)
            )
            .order_by(Project.start_date.desc(), Project.reference.desc())
            .limit(limit)
        ),
    )


PORTFOLIO_COLUMNS = ["goal", "status", "total_bp", "projects"]


def _project_totals(summed: bool) -> Select:
    """``id, status, total``: each project's whole budget (grouped funding rows, or the
    copy's per-project sums with ``summed``)."""
    stmt, granted, other = join_project_money(select(Project.id, Project.status).select_from(Project), summed=summed)
    stmt = stmt.add_columns((granted + other).label("total"))
    return stmt if summed else stmt.group_by(Project.id, Project.status)


def load_portfolio(engine: Engine, f: FilterState) -> pd.DataFrame:
    """The selection's whole-project budgets per goal and status, each project's
    budget split by its goal shares: ``goal, status, total_bp, projects`` with
    ``total_bp`` in kronor × 10 000 (exact; a project without goals is goal None
    with its whole budget)."""

    def build(summed: bool) -> Select:
        sub = _theme_filters(_project_totals(summed), f).subquery()
        return (
            select(
                Goal.code,
                sub.c.status,
                func.sum(sub.c.total * func.coalesce(ProjectGoal.share_bp, 10_000)),
                func.count(func.distinct(sub.c.id)),
            )
            .select_from(sub)
            .outerjoin(ProjectGoal, ProjectGoal.project_id == sub.c.id)
            .outerjoin(Goal, Goal.id == ProjectGoal.goal_id)
            .group_by(Goal.code, sub.c.status)
            .order_by(Goal.code, sub.c.status)
        )

    df = read_frame(engine, build(False), PORTFOLIO_COLUMNS, analytic=lambda: build(True))
    return df.astype({"total_bp": "int64", "projects": "int64"})


COVERAGE_COUNT_COLUMNS = ["priority", "phase", "projects", "sek"]


def load_priority_coverage(engine: Engine, reference: date) -> pd.DataFrame:
    """Per priority and phase, the projects (of any theme) working on it and their
    whole budgets: ``priority, phase, projects, sek`` (a project counts once per
    priority and phase)."""

    def build(summed: bool) -> Select:
        totals = _project_totals(summed).where(phase_condition(reference)).subquery()
        return (
            select(Priority.code, totals.c.status, func.count(totals.c.id), func.sum(totals.c.total))
            .select_from(ProjectPriority)
            .join(totals, totals.c.id == ProjectPriority.project_id)
            .join(Priority, Priority.id == ProjectPriority.priority_id)
            .group_by(Priority.code, totals.c.status)
        )

    df = read_frame(engine, build(False), ["priority", "status", "projects", "sek"], analytic=lambda: build(True))
    df["phase"] = [PHASE_NOW if s == NOW_STATUS else PHASE_PLANNED for s in df["status"]]
    df = (
        df.astype({"projects": "int64", "sek": "int64"})
        .groupby(["priority", "phase"], as_index=False)[["projects", "sek"]]
        .sum()
    )
    return df[COVERAGE_COUNT_COLUMNS].sort_values(["priority", "phase"]).reset_index(drop=True)


def load_priority_projects(engine: Engine, priority: str) -> pd.DataFrame:
    """Every project that ever worked on ``priority`` (newest start first)."""
    linked = (
        select(ProjectPriority.project_id)
        .join(Priority, Priority.id == ProjectPriority.priority_id)
        .where(Priority.code == priority)
    )
    return _theme_frame(
        engine,
        lambda summed: (
            _theme_projects_stmt(FilterState(), summed=summed)
            .where(Project.id.in_(linked))
            .order_by(Project.start_date.desc().nulls_last(), Project.reference)
        ),
    )


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


def load_results(engine: Engine, project_ids: list[int] | Select) -> pd.DataFrame:
    """Planned and achieved results summed per measure and unit for the projects
    (a list of ids or a statement selecting them)."""
    if isinstance(project_ids, list) and not project_ids:
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
    basis-point kronor, i.e. amount × share; the rest: ``{"granted_sek", "projects"}``
    of the whole-county projects and ``{"unplaced_sek", "unplaced_projects"}`` of the
    projects with no municipality at all). Apportion with
    :func:`dashboard.transforms.apportion` so municipalities + whole county + unplaced =
    the total exactly. The money is read from the funding split over goals, as the
    allocation reads it: with a goal filter, only the chosen goals' parts count. Projects
    without any funding are counted too (with 0 kr), as the project list counts them.
    """
    goal_ids = select(Goal.id).where(Goal.code.in_(f.goal)) if f.goal else None
    on = FundingSplit.project_id == Project.id
    if goal_ids is not None:
        on = and_(on, FundingSplit.goal_id.in_(goal_ids))
    grant = case((FundingSplit.source == GRANT_SOURCE, FundingSplit.amount_sek), else_=0)
    per = (
        select(
            ProjectMunicipality.municipality_code,
            func.coalesce(func.sum(grant * ProjectMunicipality.share_bp), 0),
            func.count(func.distinct(Project.id)),
        )
        .select_from(Project)
        .join(ProjectMunicipality, ProjectMunicipality.project_id == Project.id)
        .outerjoin(FundingSplit, on)
        .where(Project.status.in_(decided_statuses(f)), Project.whole_county.is_(False))
    )
    per = apply_project_filters(per, f.with_values(municipality=()))
    if f.municipality:  # only the chosen municipalities' parts
        per = per.where(ProjectMunicipality.municipality_code.in_(f.municipality))
    per = per.group_by(ProjectMunicipality.municipality_code).order_by(ProjectMunicipality.municipality_code)

    def rest(where: ColumnElement[bool]) -> Select:
        stmt = (
            select(func.coalesce(func.sum(grant), 0), func.count(func.distinct(Project.id)))
            .select_from(Project)
            .outerjoin(FundingSplit, on)
            .where(Project.status.in_(decided_statuses(f)), where)
        )
        stmt = apply_project_filters(stmt, f.with_values(municipality=()))
        if f.municipality:  # neither is in any one municipality
            stmt = stmt.where(Project.id.is_(None))
        return stmt

    placed = select(ProjectMunicipality.project_id)
    df = read_frame(engine, per, MUNICIPALITY_COLUMNS, analytic=lambda: _municipality_money_by_profile(f)).astype(
        {"granted_bp": "int64", "projects": "int64"}
    )
    amount, n = read_row(
        engine, rest(Project.whole_county.is_(True)), analytic=lambda: _county_money_by_profile(f, placed=None)
    )
    unplaced, n_unplaced = read_row(
        engine,
        rest(and_(Project.whole_county.is_(False), Project.id.not_in(placed))),
        analytic=lambda: _county_money_by_profile(f, placed=False),
    )
    return df, {
        "granted_sek": int(amount or 0),
        "projects": int(n or 0),
        "unplaced_sek": int(unplaced or 0),
        "unplaced_projects": int(n_unplaced or 0),
    }


def _count_profiles(stmt: Select, f: FilterState) -> Select:
    """``stmt`` (over :data:`dashboard.queries.cube.count_profile`) restricted to the decided
    profiles of the selection, the municipality filter aside (as the map's database statements)."""
    p = cube.count_profile.c
    return cube.apply_count_filters(stmt.where(p.status.in_(decided_statuses(f))), f.with_values(municipality=()))


def _goal_parts(goal_id: ColumnElement, f: FilterState) -> list[ColumnElement[bool]]:
    """With a goal filter, only the chosen goals' split parts count."""
    return [goal_id.in_(select(Goal.id).where(Goal.code.in_(f.goal)))] if f.goal else []


def _municipality_money_by_profile(f: FilterState) -> Select:
    """The per-municipality rows of :func:`load_municipality_money` over the count cube:
    ``municipality, granted_bp, projects`` (projects from the profiles placed there, money
    from their split 1:1 parts × share)."""
    p, places, money = cube.count_profile.c, cube.count_municipality.c, cube.count_place_grant.c
    chosen = [places.municipality_code.in_(f.municipality)] if f.municipality else []
    counts = _count_profiles(
        select(places.municipality_code.label("code"), func.sum(p.n_projects).label("projects"))
        .select_from(cube.count_municipality)
        .join(cube.count_profile, p.id == places.profile_id)
        .where(p.whole_county.is_(False), *chosen),
        f,
    ).group_by(places.municipality_code)
    chosen = [money.municipality_code.in_(f.municipality)] if f.municipality else []
    sums = _count_profiles(
        select(money.municipality_code.label("code"), func.sum(money.granted_bp).label("granted_bp"))
        .select_from(cube.count_place_grant)
        .join(cube.count_profile, p.id == money.profile_id)
        .where(p.whole_county.is_(False), *chosen, *_goal_parts(money.goal_id, f)),
        f,
    ).group_by(money.municipality_code)
    counts, sums = counts.subquery(), sums.subquery()
    return (
        select(counts.c.code, func.coalesce(sums.c.granted_bp, 0), counts.c.projects)
        .select_from(counts)
        .outerjoin(sums, sums.c.code == counts.c.code)
        .order_by(counts.c.code)
    )


def _county_money_by_profile(f: FilterState, *, placed: bool | None) -> Select:
    """``granted_sek, projects`` of :func:`load_municipality_money`'s other rows over the
    count cube: the whole-county profiles (``placed`` None), or those placed in no
    municipality (``placed`` False)."""
    p, places, money = cube.count_profile.c, cube.count_municipality.c, cube.count_grant.c
    if placed is None:
        which = [p.whole_county.is_(True)]
    else:
        which = [p.whole_county.is_(False), ~exists().where(places.profile_id == p.id)]
    if f.municipality:  # neither is in any one municipality
        which.append(p.id.is_(None))
    n = _count_profiles(select(func.coalesce(func.sum(p.n_projects), 0)).where(*which), f)
    sek = _count_profiles(
        select(func.coalesce(func.sum(money.granted_sek), 0))
        .select_from(cube.count_grant)
        .join(cube.count_profile, p.id == money.profile_id)
        .where(*which, *_goal_parts(money.goal_id, f)),
        f,
    )
    return select(sek.scalar_subquery(), n.scalar_subquery())

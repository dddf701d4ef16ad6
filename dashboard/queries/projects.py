"""The project list and a project's details."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, String, and_, case, cast, func, not_, or_, select

from ..analytics import try_rows
from ..filters import FilterState
from ..models import (
    GRANT_SOURCE,
    Funding,
    FundingSplit,
    Goal,
    Municipality,
    Organisation,
    Priority,
    Project,
    ProjectGoal,
    ProjectMunicipality,
    ProjectPriority,
    ProjectResult,
    Theme,
)
from .common import (
    apply_project_filters,
    funding_sums,
    join_project_money,
    project_money_sums,
    read_frame,
    read_row,
)

PROJECT_COLUMNS = [
    "id",
    "reference",
    "title",
    "theme",
    "status",
    "decision_year",
    "decision_date",
    "start_date",
    "end_date",
    "owner",
    "whole_county",
    "granted_sek",
    "other_sek",
]
EXPORT_MAX_ROWS = 100_000
"""An export holds at most this many projects (a spreadsheet of a million rows helps nobody)."""


@dataclass(frozen=True)
class ListQuery:
    """What the project list adds to the shared filters: the quick search, the grid's
    column filters and sort order (AG Grid's ``filterModel`` and ``sortModel``)."""

    search: str = ""
    filter_model: dict[str, Any] = field(default_factory=dict)
    sort_model: tuple[tuple[str, str], ...] = ()  # (column, "asc" | "desc"), first is most significant
    lang: str = "sv"  # theme names are filtered and sorted in this language
    status_order: tuple[str, ...] = ()  # status codes in the order of their labels

    @classmethod
    def from_grid(cls, request: dict | None, search: str | None, lang: str, status_order: tuple[str, ...]) -> ListQuery:
        """From a grid request (``getRowsRequest``) and the search box."""
        from ..limits import MAX_TEXT, RequestRefused, bounded_filter_model, bounded_sort_model

        request = request or {}
        if not isinstance(request, dict):
            raise RequestRefused("not a grid request")
        if len(search or "") > MAX_TEXT:
            raise RequestRefused(f"search longer than {MAX_TEXT} characters")
        return cls(
            search=(search or "").strip(),
            filter_model=bounded_filter_model(request.get("filterModel"), FILTER_COLUMNS),
            sort_model=bounded_sort_model(request.get("sortModel"), SORT_COLUMNS),
            lang=lang,
            status_order=status_order,
        )

    def needs_money(self) -> bool:
        """Whether sorting or filtering needs every project's sums (not just one page's)."""
        return any(c in MONEY_COLUMNS for c, _ in self.sort_model) or any(c in MONEY_COLUMNS for c in self.filter_model)


MONEY_COLUMNS = ("granted_sek", "other_sek", "total_sek", "leverage")
FILTER_COLUMNS: dict[str, bool] = {
    **dict.fromkeys(("reference", "title", "theme", "owner", "start_date", "end_date"), False),
    **dict.fromkeys(("decision_year", *MONEY_COLUMNS), True),
}
"""The grid's filterable columns (True: a number column); a filter on any other is refused."""
SORT_COLUMNS = {
    *FILTER_COLUMNS,
    "status",
    "goals",
    "municipalities",
    "goal_share",
    "goal_granted_sek",
}
"""The grid's columns a sort may name (those the query cannot sort by keep the default order)."""


def _text_columns(lq: ListQuery) -> dict[str, ColumnElement]:
    theme = Theme.name_sv if lq.lang == "sv" else func.coalesce(Theme.name_en, Theme.name_sv)
    return {
        "reference": Project.reference,
        "title": Project.title,
        "theme": theme,
        "owner": Organisation.name,
        "start_date": cast(Project.start_date, String),
        "end_date": cast(Project.end_date, String),
    }


def _money_columns(summed: bool = False) -> dict[str, ColumnElement]:
    """The list's money columns: sums over the joined funding rows, or with ``summed``
    the analytics copy's per-project sums (see :func:`join_project_money`)."""
    granted, other = project_money_sums(summed)
    return {
        "granted_sek": granted,
        "other_sek": other,
        "total_sek": granted + other,
        "leverage": case((granted > 0, other * 1.0 / granted), else_=None),
    }


def _text_condition(column: ColumnElement, model: dict[str, Any]) -> ColumnElement | None:
    kind = model.get("type") or "contains"
    if kind == "blank":
        return or_(column.is_(None), column == "")
    if kind == "notBlank":
        return and_(column.is_not(None), column != "")
    value = str(model.get("filter") or "").lower()
    if not value:
        return None
    low = func.lower(func.coalesce(column, ""))
    conditions = {
        "contains": lambda: low.contains(value, autoescape=True),
        "notContains": lambda: not_(low.contains(value, autoescape=True)),
        "equals": lambda: low == value,
        "notEqual": lambda: low != value,
        "startsWith": lambda: low.startswith(value, autoescape=True),
        "endsWith": lambda: low.endswith(value, autoescape=True),
    }
    return conditions[kind]() if kind in conditions else None


def _number_condition(column: ColumnElement, model: dict[str, Any]) -> ColumnElement | None:
    kind = model.get("type") or "equals"
    if kind == "blank":
        return column.is_(None)
    if kind == "notBlank":
        return column.is_not(None)
    value, upper = model.get("filter"), model.get("filterTo")
    if value is None:
        return None
    conditions = {
        "equals": lambda: column == value,
        "notEqual": lambda: column != value,
        "lessThan": lambda: column < value,
        "lessThanOrEqual": lambda: column <= value,
        "greaterThan": lambda: column > value,
        "greaterThanOrEqual": lambda: column >= value,
        "inRange": lambda: column.between(value, upper) if upper is not None else column >= value,
    }
    return conditions[kind]() if kind in conditions else None


def _column_condition(column: ColumnElement, model: dict[str, Any]) -> ColumnElement | None:
    """One column's filter (a single condition, or two joined by AND/OR)."""
    if "conditions" in model:
        parts = [c for c in (_column_condition(column, m) for m in model["conditions"]) if c is not None]
        if not parts:
            return None
        return or_(*parts) if str(model.get("operator", "AND")).upper() == "OR" else and_(*parts)
    if model.get("filterType") == "number":
        return _number_condition(column, model)
    return _text_condition(column, model)


def _list_conditions(lq: ListQuery, summed: bool = False) -> tuple[list[ColumnElement], list[ColumnElement]]:
    """(WHERE conditions, HAVING conditions) of the search and the column filters
    (with ``summed``, the money conditions are over per-project sums: WHERE, not HAVING)."""
    text = _text_columns(lq)
    where: list[ColumnElement] = []
    if lq.search:
        needle = lq.search.lower()
        where.append(
            or_(
                *(
                    func.lower(func.coalesce(text[c], "")).contains(needle, autoescape=True)
                    for c in ("reference", "title", "owner", "theme")
                )
            )
        )
    having: list[ColumnElement] = []
    money = _money_columns(summed)
    for column, model in lq.filter_model.items():
        if column in text:
            condition = _column_condition(text[column], model)
        elif column == "decision_year":
            condition = _column_condition(Project.decision_year, {**model, "filterType": "number"})
        elif column in money:
            condition = _column_condition(money[column], {**model, "filterType": "number"})
            if condition is not None:
                having.append(condition)
            continue
        else:  # goals, municipalities, status: the shared filter bar filters those
            continue
        if condition is not None:
            where.append(condition)
    return where, having


def _list_order(lq: ListQuery, summed: bool = False) -> list[ColumnElement]:
    text = _text_columns(lq)
    money = _money_columns(summed)
    order: list[ColumnElement] = []
    for column, direction in lq.sort_model:
        if column in text:
            expr = text[column]
        elif column in money:
            expr = money[column]
        elif column == "decision_year":
            expr = Project.decision_year
        elif column == "status" and lq.status_order:
            expr = case({code: i for i, code in enumerate(lq.status_order)}, value=Project.status, else_=99)
        else:
            continue
        order.append(expr.desc().nulls_last() if direction == "desc" else expr.asc().nulls_last())
    if not order:
        order.append(Project.decision_date.desc().nulls_last())
    return [*order, Project.reference.asc()]


def projects_stmt(
    f: FilterState, references: list[str] | None = None, lq: ListQuery | None = None, *, summed: bool = False
) -> Select:
    """One row per project with its whole 1:1 grant and other capital (newest decision
    first, or in the list's sort order), restricted by the filters and the list's search
    and column filters. ``summed``: over the analytics copy's per-project sums."""
    lq = lq or ListQuery()
    keys = (
        Project.id,
        Project.reference,
        Project.title,
        Theme.code,
        Project.status,
        Project.decision_year,
        Project.decision_date,
        Project.start_date,
        Project.end_date,
        Organisation.name,
        Project.whole_county,
    )
    stmt, granted, other = join_project_money(select(*keys).select_from(Project), summed=summed)
    stmt = (
        stmt.add_columns(granted.label("granted"), other.label("other"))
        .outerjoin(Theme, Theme.id == Project.theme_id)
        .outerjoin(Organisation, Organisation.id == Project.owner_id)
    )
    stmt = apply_project_filters(stmt, f)
    if references is not None:
        stmt = stmt.where(Project.reference.in_(references))
    where, having = _list_conditions(lq, summed)
    if summed:
        stmt = stmt.where(*where, *having)
    else:
        # the theme's names are grouped too, so that the list may sort by them (PostgreSQL, DuckDB)
        stmt = stmt.where(*where).group_by(*keys, Theme.name_sv, Theme.name_en)
        if having:
            stmt = stmt.having(and_(*having))
    return stmt.order_by(*_list_order(lq, summed))


def _listed_ids(f: FilterState, lq: ListQuery) -> Select:
    """The ids of the projects the list holds, before any money filter (no funding joined)."""
    stmt = (
        select(Project.id)
        .select_from(Project)
        .outerjoin(Theme, Theme.id == Project.theme_id)
        .outerjoin(Organisation, Organisation.id == Project.owner_id)
    )
    where, _ = _list_conditions(lq)
    return apply_project_filters(stmt, f).where(*where)


def _page_ids(f: FilterState, lq: ListQuery, offset: int, limit: int) -> Select:
    """One page of project ids in list order, without summing money (the list's
    filters and sort do not need it): at a million projects this reads an index
    instead of grouping every funding row."""
    return _listed_ids(f, lq).order_by(*_list_order(lq)).offset(offset).limit(limit)


def count_projects(engine: Engine, f: FilterState) -> int:
    """Number of projects matching the filters."""
    stmt = apply_project_filters(select(func.count(Project.id)).select_from(Project), f)
    return int(read_row(engine, stmt)[0])


def list_totals(engine: Engine, f: FilterState, lq: ListQuery) -> tuple[int, int, int]:
    """(projects, 1:1 granted, other capital) of every project the list holds
    (filters, search and column filters; each project counted once)."""
    granted, other = funding_sums()
    _, having = _list_conditions(lq)
    listed = _listed_ids(f, lq)

    def over_sums() -> Select:  # the copy: one pass over the projects and their per-project sums
        where, money_conditions = _list_conditions(lq, summed=True)
        joined, p_granted, p_other = join_project_money(select(func.count()).select_from(Project), summed=True)
        joined = (
            joined.add_columns(func.sum(p_granted), func.sum(p_other))
            .outerjoin(Theme, Theme.id == Project.theme_id)
            .outerjoin(Organisation, Organisation.id == Project.owner_id)
        )
        return apply_project_filters(joined, f).where(*where, *money_conditions)

    if having:  # money filters: sums per project first (grouped by the id only, which is cheap)
        sub = (
            listed.outerjoin(Funding, Funding.project_id == Project.id)
            .add_columns(granted.label("granted"), other.label("other"))
            .group_by(Project.id)
            .having(and_(*having))
            .subquery()
        )
        stmt = select(func.count(sub.c.id), func.sum(sub.c.granted), func.sum(sub.c.other))
        row = read_row(engine, stmt, analytic=over_sums)
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
    copied = try_rows(engine, listed, analytic=over_sums)
    if copied is not None:
        return int(copied[0][0] or 0), int(copied[0][1] or 0), int(copied[0][2] or 0)
    # the database: the count from the projects alone, the sums over their funding rows (no DISTINCT needed)
    n = read_row(engine, listed.with_only_columns(func.count()))[0]
    money = read_row(
        engine,
        select(granted, other).select_from(Funding).where(Funding.project_id.in_(listed)),
    )
    return int(n or 0), int(money[0] or 0), int(money[1] or 0)


def load_projects(
    engine: Engine,
    f: FilterState,
    *,
    limit: int | None = None,
    offset: int = 0,
    references: list[str] | None = None,
    lq: ListQuery | None = None,
) -> pd.DataFrame:
    """The filtered projects (newest decisions first, or the list's order) with their
    goals (and shares) and municipalities as lists; rows ``offset`` to ``offset + limit``."""
    lq = lq or ListQuery()
    page: list[int] | None = None
    if limit is not None and references is None and not lq.needs_money():
        # a page of ids first (no money needed to find it), then the money of those only
        page = [int(i) for i in read_frame(engine, _page_ids(f, lq, offset, limit), ["id"])["id"]]

    def restricted(summed: bool) -> Select:
        stmt = projects_stmt(f, references, lq, summed=summed)
        if page is not None:
            return stmt.where(Project.id.in_(page))
        return stmt.offset(offset).limit(limit) if limit is not None else stmt

    stmt = restricted(False)
    df = read_frame(engine, stmt, PROJECT_COLUMNS, analytic=lambda: restricted(True))
    df = df.astype({"granted_sek": "int64", "other_sek": "int64"})
    ids = [int(i) for i in df["id"]]
    # the same projects as a subquery (a literal list of thousands of ids is slow to parse)
    chosen = page if page is not None else (select(stmt.subquery().c.id) if references is None else ids)
    goals = (
        read_frame(
            engine,
            select(ProjectGoal.project_id, Goal.code, ProjectGoal.share_bp)
            .join(Goal, Goal.id == ProjectGoal.goal_id)
            .where(ProjectGoal.project_id.in_(chosen))
            .order_by(ProjectGoal.project_id, ProjectGoal.share_bp.desc(), Goal.sort),
            ["id", "goal", "share_bp"],
        )
        if ids
        else pd.DataFrame(columns=["id", "goal", "share_bp"])
    )
    munis = (
        read_frame(
            engine,
            select(ProjectMunicipality.project_id, ProjectMunicipality.municipality_code)
            .where(ProjectMunicipality.project_id.in_(chosen))
            .order_by(ProjectMunicipality.project_id, ProjectMunicipality.municipality_code),
            ["id", "municipality"],
        )
        if ids
        else pd.DataFrame(columns=["id", "municipality"])
    )
    goal_lists: dict[int, list] = {}  # plain loops: pandas groupby.apply costs ~0,3 s per 5 000 projects
    for pid, code, share in zip(goals["id"].tolist(), goals["goal"].tolist(), goals["share_bp"].tolist(), strict=True):
        goal_lists.setdefault(pid, []).append((code, share))
    muni_lists: dict[int, list] = {}
    for pid, code in zip(munis["id"].tolist(), munis["municipality"].tolist(), strict=True):
        muni_lists.setdefault(pid, []).append(code)
    df["goals"] = [goal_lists.get(i, []) for i in df["id"]]
    df["municipalities"] = [muni_lists.get(i, []) for i in df["id"]]
    if f.goal:  # the chosen goals' share of each project and their part of its 1:1 money
        chosen_goals = set(f.goal)
        df["goal_share_bp"] = [sum(s for g, s in goal_lists.get(i, []) if g in chosen_goals) for i in df["id"]]
        parts = (
            read_frame(
                engine,
                select(FundingSplit.project_id, func.sum(FundingSplit.amount_sek))
                .where(
                    FundingSplit.project_id.in_(chosen),
                    FundingSplit.source == GRANT_SOURCE,
                    FundingSplit.goal_id.in_(select(Goal.id).where(Goal.code.in_(f.goal))),
                )
                .group_by(FundingSplit.project_id),
                ["id", "amount"],
            )
            if ids
            else pd.DataFrame(columns=["id", "amount"])
        )
        part_of = dict(zip(parts["id"].tolist(), parts["amount"].tolist(), strict=True))
        df["goal_granted_sek"] = pd.Series([int(part_of.get(i, 0) or 0) for i in df["id"]], dtype="int64")
    return df


def list_goal_part(engine: Engine, f: FilterState, lq: ListQuery) -> int:
    """The chosen goals' part of the 1:1 money of every project the list holds (0 without
    a goal filter): what the allocation per goal shows for the same projects, while the
    list shows whole projects."""
    if not f.goal:
        return 0
    _, having = _list_conditions(lq)
    listed = _listed_ids(f, lq)
    if having:  # money filters: the projects whose whole sums pass them
        granted, other = funding_sums()
        sub = (
            listed.outerjoin(Funding, Funding.project_id == Project.id)
            .add_columns(granted.label("granted"), other.label("other"))
            .group_by(Project.id)
            .having(and_(*having))
            .subquery()
        )
        listed = select(sub.c.id)
    stmt = select(func.coalesce(func.sum(FundingSplit.amount_sek), 0)).where(
        FundingSplit.project_id.in_(listed),
        FundingSplit.source == GRANT_SOURCE,
        FundingSplit.goal_id.in_(select(Goal.id).where(Goal.code.in_(f.goal))),
    )
    return int(read_row(engine, stmt)[0] or 0)


def load_project_detail(engine: Engine, reference: str) -> dict[str, Any] | None:
    """Everything about one project, or None when the reference is unknown."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(
                    Project,
                    Theme.code.label("theme_code"),
                    Theme.name_sv.label("theme_sv"),
                    Theme.name_en.label("theme_en"),
                    Organisation.name.label("owner"),
                )
                .outerjoin(Theme, Theme.id == Project.theme_id)
                .outerjoin(Organisation, Organisation.id == Project.owner_id)
                .where(Project.reference == reference)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        pid = row["id"]
        detail = {k: row[k] for k in row.keys()}
        financier = Organisation.__table__.alias("financier")
        detail["funding"] = [
            dict(r)
            for r in conn.execute(
                select(Funding.source, financier.c.name.label("financier"), Funding.amount_sek)
                .outerjoin(financier, financier.c.id == Funding.financier_id)
                .where(Funding.project_id == pid)
                .order_by(Funding.id)
            ).mappings()
        ]
        detail["goals"] = [
            dict(r)
            for r in conn.execute(
                select(Goal.code, Goal.name_sv, Goal.name_en, ProjectGoal.share_bp)
                .join(ProjectGoal, ProjectGoal.goal_id == Goal.id)
                .where(ProjectGoal.project_id == pid)
                .order_by(ProjectGoal.share_bp.desc(), Goal.sort)
            ).mappings()
        ]
        detail["priorities"] = [
            dict(r)
            for r in conn.execute(
                select(Priority.code, Priority.name_sv, Priority.name_en, Priority.illustrative)
                .join(ProjectPriority, ProjectPriority.priority_id == Priority.id)
                .where(ProjectPriority.project_id == pid)
                .order_by(Priority.goal_id, Priority.sort)
            ).mappings()
        ]
        detail["municipalities"] = [
            dict(r)
            for r in conn.execute(
                select(Municipality.code, Municipality.name, ProjectMunicipality.share_bp)
                .join(ProjectMunicipality, ProjectMunicipality.municipality_code == Municipality.code)
                .where(ProjectMunicipality.project_id == pid)
                .order_by(Municipality.name)
            ).mappings()
        ]
        detail["results"] = [
            dict(r)
            for r in conn.execute(
                select(ProjectResult.measure, ProjectResult.unit, ProjectResult.planned, ProjectResult.achieved)
                .where(ProjectResult.project_id == pid)
                .order_by(ProjectResult.id)
            ).mappings()
        ]
    return detail

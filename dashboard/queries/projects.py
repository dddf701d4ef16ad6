"""The project list and a project's details."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select

from ..filters import FilterState
from ..models import (
    Funding,
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
from .common import apply_project_filters, funding_sums, read_frame, read_row

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
MAX_ROWS = 5_000
"""The grid shows at most this many projects; narrower filters show the rest."""


def projects_stmt(f: FilterState, references: list[str] | None = None):  # noqa: ANN201
    """One row per project with its whole 1:1 grant and other capital."""
    granted, other = funding_sums()
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
    stmt = (
        select(*keys, granted, other)
        .select_from(Project)
        .outerjoin(Funding, Funding.project_id == Project.id)
        .outerjoin(Theme, Theme.id == Project.theme_id)
        .outerjoin(Organisation, Organisation.id == Project.owner_id)
    )
    stmt = apply_project_filters(stmt, f)
    if references is not None:
        stmt = stmt.where(Project.reference.in_(references))
    return stmt.group_by(*keys).order_by(Project.decision_date.desc().nulls_last(), Project.reference)


def count_projects(engine: Engine, f: FilterState) -> int:
    """Number of projects matching the filters."""
    stmt = apply_project_filters(select(func.count(Project.id)).select_from(Project), f)
    return int(read_row(engine, stmt)[0])


def load_projects(
    engine: Engine, f: FilterState, *, limit: int | None = MAX_ROWS, references: list[str] | None = None
) -> pd.DataFrame:
    """The filtered projects (newest decisions first) with their goals (and
    shares) and municipalities as lists; at most ``limit`` rows."""
    stmt = projects_stmt(f, references)
    if limit is not None:
        stmt = stmt.limit(limit)
    df = read_frame(engine, stmt, PROJECT_COLUMNS).astype({"granted_sek": "int64", "other_sek": "int64"})
    ids = [int(i) for i in df["id"]]
    # the same projects as a subquery (a literal list of thousands of ids is slow to parse)
    chosen = select(stmt.subquery().c.id) if limit is not None or references is None else ids
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
    return df


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

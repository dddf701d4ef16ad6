"""Shared query pieces: applying the filter model, reading frames, vocabularies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, exists, func, select
from sqlalchemy.orm import aliased

from ..filters import FilterState
from ..models import (
    Funding,
    Goal,
    Municipality,
    Project,
    ProjectGoal,
    ProjectMunicipality,
    Strategy,
    Theme,
)

if TYPE_CHECKING:
    from ..analytics import Analytic


def apply_project_filters(stmt: Select, f: FilterState, *, goal_joined: bool = False) -> Select:
    """Restrict ``stmt`` (which selects from ``project``) by the filter state.

    Years filter on the decision year. Theme, status and municipality select
    whole projects (a project in two chosen municipalities is still one
    project). The goal filter restricts the joined ``project_goal`` rows when
    ``goal_joined`` (so only the chosen goals' shares count), otherwise it
    keeps projects linked to any chosen goal.
    """
    if f.year_from is not None:
        stmt = stmt.where(Project.decision_year >= f.year_from)
    if f.year_to is not None:
        stmt = stmt.where(Project.decision_year <= f.year_to)
    if f.theme:
        stmt = stmt.where(Project.theme_id.in_(select(Theme.id).where(Theme.code.in_(f.theme))))
    if f.status:
        stmt = stmt.where(Project.status.in_(f.status))
    if f.municipality:
        pm = aliased(ProjectMunicipality)  # aliased: the outer statement may join the same table
        stmt = stmt.where(exists().where(pm.project_id == Project.id, pm.municipality_code.in_(f.municipality)))
    if f.goal:
        goal_ids = select(Goal.id).where(Goal.code.in_(f.goal)).scalar_subquery()
        if goal_joined:
            stmt = stmt.where(ProjectGoal.goal_id.in_(goal_ids))
        else:
            pg = aliased(ProjectGoal)
            stmt = stmt.where(exists().where(pg.project_id == Project.id, pg.goal_id.in_(goal_ids)))
    if f.source:
        fu = aliased(Funding)
        stmt = stmt.where(exists().where(fu.project_id == Project.id, fu.source.in_(f.source), fu.amount_sek > 0))
    return stmt


def funding_sums():  # noqa: ANN201
    """(1:1 granted, other capital) as SQL sums over ``funding`` rows, zero when none."""
    from sqlalchemy import case, func

    from ..models import GRANT_SOURCE

    granted = func.coalesce(func.sum(case((Funding.source == GRANT_SOURCE, Funding.amount_sek), else_=0)), 0)
    other = func.coalesce(func.sum(case((Funding.source != GRANT_SOURCE, Funding.amount_sek), else_=0)), 0)
    return granted, other


def project_money_sums(summed: bool = False) -> tuple[ColumnElement, ColumnElement]:
    """(1:1 granted, other capital) of a project: sums over its joined funding rows, or
    with ``summed`` the analytics copy's per-project sums (zero without funding)."""
    if summed:
        from .cube import project_money as pm

        return func.coalesce(pm.c.granted_sek, 0), func.coalesce(pm.c.other_sek, 0)
    return funding_sums()


def join_project_money(stmt: Select, *, summed: bool = False) -> tuple[Select, ColumnElement, ColumnElement]:
    """``stmt`` (selecting from ``project``) with each project's whole funding joined,
    and the (1:1 granted, other capital) expressions to select.

    By default the funding rows are joined and the expressions are sums: the caller
    groups by project. With ``summed``, the analytics copy's per-project sums
    (:data:`dashboard.queries.cube.project_money`) are joined, one row per project,
    and the expressions are plain columns (zero without funding): no grouping needed."""
    granted, other = project_money_sums(summed)
    if summed:
        from .cube import project_money as pm

        return stmt.outerjoin(pm, pm.c.project_id == Project.id), granted, other
    return stmt.outerjoin(Funding, Funding.project_id == Project.id), granted, other


def read_frame(engine: Engine, stmt: Select, columns: list[str], *, analytic: Analytic = None) -> pd.DataFrame:
    """Run ``stmt`` and return a DataFrame with exactly ``columns`` (also when empty).
    At scale the statement is answered from the analytical copy (see :mod:`dashboard.analytics`),
    by ``analytic`` when given: the same question over the copy's summary tables (or a
    function building it, called only when the copy answers)."""
    from ..analytics import try_rows

    rows = try_rows(engine, stmt, analytic=analytic)
    if rows is None:
        with engine.connect() as conn:
            rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def read_row(engine: Engine, stmt: Select, *, analytic: Analytic = None) -> tuple:
    """The single row of an aggregate ``stmt`` (through the analytical copy at scale,
    by ``analytic`` when given; see :func:`read_frame`)."""
    from ..analytics import try_rows

    rows = try_rows(engine, stmt, analytic=analytic)
    if rows is None:
        with engine.connect() as conn:
            return tuple(conn.execute(stmt).one())
    return tuple(rows[0])


@dataclass(frozen=True)
class Vocabulary:
    """Codes and display names of the filter dimensions, in display order."""

    themes: pd.DataFrame  # code, name_sv, name_en
    goals: pd.DataFrame  # code, name_sv, name_en, short_sv, short_en, direction_sv, direction_en, sort
    municipalities: pd.DataFrame  # code, name
    years: tuple[int, ...]
    strategy_name: str
    has_demo: bool
    region_name: str = ""

    def goal_labels(self, lang: str, *, short: bool = False) -> dict[str, str]:
        """Goal code → display name (short names for chart axes)."""
        cols = ["short_en", "name_en", "short_sv", "name_sv"] if lang == "en" else ["short_sv", "name_sv"]
        if not short:
            cols = [c for c in cols if c.startswith("name")]
        out: dict[str, str] = {}
        for row in self.goals.to_dict("records"):
            out[row["code"]] = next((row[c] for c in cols if isinstance(row.get(c), str) and row[c]), row["code"])
        return out

    def theme_labels(self, lang: str) -> dict[str, str]:
        """Theme code → display name."""
        col = "name_en" if lang == "en" else "name_sv"
        return {
            r["code"]: (r[col] if isinstance(r[col], str) and r[col] else r["name_sv"])
            for r in self.themes.to_dict("records")
        }

    def municipality_labels(self) -> dict[str, str]:
        """Municipality code → name."""
        return dict(zip(self.municipalities["code"], self.municipalities["name"], strict=True))

    def goal_codes(self) -> list[str]:
        """Goal codes in strategy order."""
        return list(self.goals["code"])

    def aliases(self) -> dict[str, dict[str, str]]:
        """{key → {lower-cased code or name → code}} for :func:`dashboard.filters.resolve`."""
        out: dict[str, dict[str, str]] = {}
        for key, frame, cols in (
            ("theme", self.themes, ("code", "name_sv", "name_en")),
            ("goal", self.goals, ("code", "name_sv", "name_en", "short_sv", "short_en")),
            ("municipality", self.municipalities, ("code", "name")),
        ):
            table: dict[str, str] = {}
            for row in frame.itertuples(index=False):
                for col in cols:
                    value = getattr(row, col)
                    if isinstance(value, str) and value:
                        table.setdefault(value.lower(), row.code)
            out[key] = table
        return out


def load_vocabulary(engine: Engine) -> Vocabulary:
    """Read themes, goals, municipalities and the years with decisions."""
    from ..models import Direction

    themes = read_frame(
        engine, select(Theme.code, Theme.name_sv, Theme.name_en).order_by(Theme.sort), ["code", "name_sv", "name_en"]
    )
    goals = read_frame(
        engine,
        select(
            Goal.code,
            Goal.name_sv,
            Goal.name_en,
            Goal.short_sv,
            Goal.short_en,
            Direction.name_sv,
            Direction.name_en,
            Goal.sort,
            Goal.illustrative,
            Direction.code,
        )
        .join(Direction, Direction.id == Goal.direction_id)
        .order_by(Direction.sort, Goal.sort),
        [
            "code",
            "name_sv",
            "name_en",
            "short_sv",
            "short_en",
            "direction_sv",
            "direction_en",
            "sort",
            "illustrative",
            "direction",
        ],
    )
    municipalities = read_frame(
        engine, select(Municipality.code, Municipality.name).order_by(Municipality.name), ["code", "name"]
    )
    with engine.connect() as conn:
        years = tuple(
            int(y)
            for (y,) in conn.execute(
                select(Project.decision_year)
                .where(Project.decision_year.is_not(None))
                .distinct()
                .order_by(Project.decision_year)
            )
        )
        strategy_name, region_name = conn.execute(select(Strategy.name_sv, Strategy.region_name).limit(1)).first() or (
            "",
            "",
        )
        has_demo = conn.execute(select(Project.id).where(Project.is_demo.is_(True)).limit(1)).first() is not None
    return Vocabulary(themes, goals, municipalities, years, strategy_name or "", has_demo, region_name or "")

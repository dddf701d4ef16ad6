"""Read models shared by pages, the CLI and exports: a query plus its
transform, so each place that shows a theme map computes it the same way."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from .filters import FilterState
from .queries.money import load_money
from .queries.themes import (
    NOW_STATUS,
    load_phase_projects,
    load_phase_summary,
    load_portfolio,
    load_priorities,
    load_priority_coverage,
    load_results,
    load_timeline_projects,
    phase_project_ids,
)
from .transforms import (
    PHASE_NOW,
    PHASE_PLANNED,
    PIPELINE_STAGES,
    compute_coverage,
    compute_pipeline,
    compute_portfolio,
    compute_theme_table,
    count_white_spots,
)

LIST_LIMIT = 12
"""Projects listed per phase in a kartbild (the rest are counted)."""
TIMELINE_LIMIT = 40
"""Projects on a kartbild's timeline (the latest starts)."""


@dataclass(frozen=True)
class PhaseList:
    """The projects of one kartbild phase: the first few by start date, and all of them counted."""

    rows: pd.DataFrame  # at most LIST_LIMIT projects, earliest start first
    count: int
    total_sek: int  # 1:1 grants plus other capital, whole projects


@dataclass(frozen=True)
class ThemeMap:
    """Everything the kartbild of one theme shows."""

    theme: str
    today: PhaseList
    coming: PhaseList
    pipeline: pd.DataFrame
    coverage: pd.DataFrame  # relevant priorities × now / 1–3 years
    priorities: pd.DataFrame
    results_today: pd.DataFrame
    results_coming: pd.DataFrame
    portfolio: pd.DataFrame  # goal × status × money
    timeline: pd.DataFrame  # the latest-starting projects


def global_coverage(engine: Engine, reference: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(priorities with their themes, coverage of every priority by ongoing and
    planned projects of any theme) — white spots are a strategy-level fact.
    Cached per data version."""
    from .cache import cached

    priorities, coverage = cached(engine, "coverage", reference, lambda: _global_coverage(engine, reference))
    return priorities.copy(), coverage.copy()


def _global_coverage(engine: Engine, reference: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    priorities = load_priorities(engine)
    coverage = compute_coverage(
        list(priorities["priority"]),
        dict(zip(priorities["priority"], priorities["goal"], strict=True)),
        load_priority_coverage(engine, reference),
    )
    return priorities, coverage


# The kartbild's queries are independent of each other: run side by side (the database
# and DuckDB both answer several at once), so a theme map costs its slowest query, not their sum.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kartbild")


def theme_map(engine: Engine, f: FilterState, theme: str, reference: date) -> ThemeMap:
    """The kartbild of ``theme`` for the selection (theme, goal, municipality, source filters).
    Aggregated in SQL: its cost does not grow with the number of the theme's projects.
    The kartbild ignores the year and status filters, so it is cached per data version
    under the filters it uses: changing the year on the kartbild page costs nothing."""
    from .cache import cached

    tf = f.with_values(theme=(theme,), year_from=None, year_to=None, status=())
    tm = cached(engine, "theme-map", (tf, reference), lambda: _theme_map(engine, tf, theme, reference))
    frames = {k: v.copy() for k, v in vars(tm).items() if isinstance(v, pd.DataFrame)}  # callers may change theirs
    return replace(
        tm,
        **frames,
        today=replace(tm.today, rows=tm.today.rows.copy()),
        coming=replace(tm.coming, rows=tm.coming.rows.copy()),
    )


def _theme_map(engine: Engine, tf: FilterState, theme: str, reference: date) -> ThemeMap:
    priorities, coverage = global_coverage(engine, reference)
    relevant = priorities[priorities["themes"].map(lambda ts: theme in ts)]
    jobs = {
        "summary": _POOL.submit(load_phase_summary, engine, tf, reference),
        "today": _POOL.submit(load_phase_projects, engine, tf, reference, PHASE_NOW, LIST_LIMIT),
        "coming": _POOL.submit(load_phase_projects, engine, tf, reference, PHASE_PLANNED, LIST_LIMIT),
        "results_today": _POOL.submit(load_results, engine, phase_project_ids(tf, reference, PHASE_NOW)),
        "results_coming": _POOL.submit(load_results, engine, phase_project_ids(tf, reference, PHASE_PLANNED)),
        "portfolio": _POOL.submit(load_portfolio, engine, tf),
        "timeline": _POOL.submit(load_timeline_projects, engine, tf, TIMELINE_LIMIT),
    }
    done = {name: job.result() for name, job in jobs.items()}
    summary = done["summary"]
    now = summary[summary["status"] == NOW_STATUS]
    planned = summary[summary["status"].isin(PIPELINE_STAGES)]

    def phase_list(rows: pd.DataFrame, part: pd.DataFrame) -> PhaseList:
        return PhaseList(
            rows=rows,
            count=int(part["projects"].sum()),
            total_sek=int(part["granted_sek"].sum() + part["other_sek"].sum()),
        )

    return ThemeMap(
        theme=theme,
        today=phase_list(done["today"], now),
        coming=phase_list(done["coming"], planned),
        pipeline=compute_pipeline(planned),
        coverage=coverage[coverage["priority"].isin(relevant["priority"])].reset_index(drop=True),
        priorities=priorities,
        results_today=done["results_today"],
        results_coming=done["results_coming"],
        portfolio=compute_portfolio(done["portfolio"]),
        timeline=done["timeline"],
    )


def theme_table(engine: Engine, f: FilterState, reference: date, theme_order: list[str]) -> pd.DataFrame:
    """All themes side by side (money of decided projects in the selection, white spots)."""
    priorities, coverage = global_coverage(engine, reference)
    return compute_theme_table(load_money(engine, f, ["theme"]), count_white_spots(priorities, coverage), theme_order)


RIKET = "0000"


def region_area(county_code: str) -> str:
    """Kolada's area code of a region: ``00`` + the county code (Blekinge 10 → 0010)."""
    return "00" + county_code[-2:]


REPORT_COLUMNS = [
    "goal",
    "indicator",
    "name_sv",
    "name_en",
    "kpi",
    "unit",
    "kind",
    "source",
    "updated_at",
    "area",
    "latest_year",
    "latest_value",
    "baseline_value",
    "change",
    "slope",
    "required_slope",
    "projected",
    "target_value",
    "target_year",
    "target_illustrative",
    "status",
    "higher_is_better",
]


def indicator_report(engine: Engine, area: str, goals: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per indicator for ``area`` (total, not by gender): latest value,
    change since 2022, trend, target and status (see
    :func:`dashboard.transforms.compute_indicator_status`). Cached per data version."""
    from .cache import cached

    return cached(engine, "indicator-report", (area, goals), lambda: _indicator_report(engine, area, goals)).copy()


def _indicator_report(engine: Engine, area: str, goals: tuple[str, ...]) -> pd.DataFrame:
    from .queries.indicators import load_indicators, load_targets, load_values
    from .transforms import compute_indicator_status

    indicators = load_indicators(engine, goals)
    codes = list(indicators["code"])
    values = load_values(engine, codes, [area])
    targets = load_targets(engine, codes)
    rows = []
    for ind in indicators.itertuples(index=False):
        series = values[(values["indicator"] == ind.code) & (values["gender"] == "T")][["year", "value"]]
        tgt = targets[(targets["indicator"] == ind.code) & (targets["area"] == area)].sort_values("year")
        target_value = float(tgt["value"].iloc[-1]) if not tgt.empty else None
        target_year = int(tgt["year"].iloc[-1]) if not tgt.empty else None
        status = compute_indicator_status(
            series, target_value=target_value, target_year=target_year, higher_is_better=bool(ind.higher_is_better)
        )
        rows.append(
            {
                "goal": ind.goal,
                "indicator": ind.code,
                "name_sv": ind.name_sv,
                "name_en": ind.name_en,
                "kpi": ind.kpi,
                "unit": ind.unit,
                "kind": ind.kind,
                "source": ind.source,
                "updated_at": ind.updated_at,
                "area": area,
                **status,
                "target_value": target_value,
                "target_year": target_year,
                "target_illustrative": bool(tgt["illustrative"].iloc[-1]) if not tgt.empty else False,
                "higher_is_better": bool(ind.higher_is_better),
            }
        )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)

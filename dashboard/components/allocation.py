"""Components of the allocation views (tables, KPI rows, text summaries)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from ..i18n import (
    format_leverage,
    format_mnkr,
    format_mnkr_units,
    format_number,
    format_percent,
    format_sek,
    mnkr_parts,
    mnkr_units,
    percent_parts,
    t,
)
from .cards import make_kpi_card, make_table
from .links import make_filter_button, make_show_projects


def goal_label(code: object, labels: dict[str, str], lang: str) -> str:
    """Display name of a goal code (the no-goal row has its own label)."""
    return labels.get(code, str(code)) if isinstance(code, str) else t("goal.none", lang)


def make_allocation_kpis(
    granted: int, other: int, projects: int, lang: str, *, granted_units: int | None = None
) -> dbc.Row:
    """KPI row: 1:1 granted, projects, total budgets, development capital, leverage.

    The total budget's label is the sum of the 1:1 and the development-capital labels
    beside it (each of those is the number other views show for it, so the total is the
    one that gives way, by at most one tenth). ``granted_units``: the 1:1 label when it
    is the sum of parts shown elsewhere on the page (the chosen goals' slices)."""
    lev = other / granted if granted else float("nan")
    g_units = mnkr_units(granted) if granted_units is None else granted_units
    return dbc.Row(
        [
            make_kpi_card(t("kpi.granted", lang), format_mnkr_units(g_units, lang), kpi_id="kpi-granted"),
            make_kpi_card(t("kpi.projects", lang), format_number(projects, lang), kpi_id="kpi-projects"),
            make_kpi_card(
                t("kpi.budget", lang), format_mnkr_units(g_units + mnkr_units(other), lang), kpi_id="kpi-budget"
            ),
            make_kpi_card(t("kpi.other", lang), format_mnkr(other, lang), kpi_id="kpi-other"),
            make_kpi_card(
                t("kpi.leverage", lang),
                format_leverage(lev, lang),
                help_text=t("kpi.leverage.help", lang),
                kpi_id="kpi-leverage",
            ),
        ],
        className="g-3 kpi-row",
    )


def make_goal_table(
    table: pd.DataFrame, labels: dict[str, str], lang: str, caption: str, *, links: dict[str, str] | None = None
) -> dbc.Table:
    """Table alternative to the allocation charts, with a total row that adds up
    exactly and, per goal, a link to its projects."""
    links = links or {}
    shares = percent_parts([int(v) for v in table["granted_sek"]], lang)
    rows = [
        [
            html.Span(
                [
                    goal_label(r.goal, labels, lang),
                    " ",
                    make_filter_button("goal", r.goal, goal_label(r.goal, labels, lang), lang)
                    if isinstance(r.goal, str)
                    else None,
                ]
            ),
            format_sek(r.granted_sek, lang),
            share,
            format_sek(r.other_sek, lang),
            format_leverage(r.leverage, lang),
            make_show_projects(int(r.projects), links[r.goal], lang)
            if r.goal in links
            else format_number(r.projects, lang),
        ]
        for r, share in zip(table.itertuples(index=False), shares, strict=True)
    ]
    granted, other = int(table["granted_sek"].sum()), int(table["other_sek"].sum())
    footer = [
        "Totalt" if lang == "sv" else "Total",
        format_sek(granted, lang),
        format_percent(1.0 if granted else None, lang),
        format_sek(other, lang),
        format_leverage(other / granted if granted else None, lang),
        "",
    ]
    header = [t(k, lang) for k in ("col.goal", "col.granted", "col.share", "col.other", "col.leverage", "col.projects")]
    return make_table(header, rows, caption=caption, numeric={1, 2, 3, 4, 5}, footer=footer)


def describe_goal_allocation(table: pd.DataFrame, labels: dict[str, str], lang: str, period: str) -> str:
    """One-sentence summary of the donut for screen readers."""
    df = table[table["granted_sek"] > 0]
    if df.empty:
        return t("overview.empty", lang)
    amounts = [int(v) for v in df["granted_sek"]]
    money, shares = mnkr_parts(amounts, lang), percent_parts(amounts, lang)  # as the chart shows them
    top = max(range(len(amounts)), key=lambda i: (amounts[i], -i))
    return t(
        "overview.summary",
        lang,
        total=format_mnkr(sum(amounts), lang),
        period=period,
        top=goal_label(df["goal"].iloc[top], labels, lang),
        top_value=money[top],
        top_share=shares[top],
    )


def make_year_table(
    df: pd.DataFrame, labels: dict[str, str], goal_order: list[str], lang: str, caption: str
) -> dbc.Table:
    """Years as rows, goals as columns (and money tied to no goal), with row and column
    totals that add up; projects without a decision year get a row of their own."""
    data = df[df["granted_sek"] != 0]
    years = sorted(int(y) for y in data["year"].dropna().unique())
    if data["year"].isna().any():
        years.append(None)
    goals: list = [g for g in goal_order if g in set(data["goal"].dropna())]
    if data["goal"].isna().any():
        goals.append(None)
    cells: dict[tuple, int] = {}
    for y, g, v in zip(data["year"].tolist(), data["goal"].tolist(), data["granted_sek"].tolist(), strict=True):
        key = (None if pd.isna(y) else int(y), g if isinstance(g, str) else None)
        cells[key] = cells.get(key, 0) + int(v)
    rows = []
    for y in years:
        values = [cells.get((y, g), 0) for g in goals]
        rows.append(
            [
                str(y) if y is not None else t("year.none", lang),
                *[format_sek(v, lang) for v in values],
                format_sek(sum(values), lang),
            ]
        )
    column_totals = [sum(cells.get((y, g), 0) for y in years) for g in goals]
    total = _total_label(lang)
    footer = [total, *[format_sek(v, lang) for v in column_totals], format_sek(sum(column_totals), lang)]
    header = [t("col.year", lang), *[goal_label(g, labels, lang) for g in goals], total]
    return make_table(header, rows, caption=caption, numeric=set(range(1, len(header))), footer=footer)


def _total_label(lang: str) -> str:
    return "Totalt" if lang == "sv" else "Total"


def make_hierarchy_table(df: pd.DataFrame, lang: str, caption: str) -> dbc.Table:
    """Direction, goal, theme and amount, largest first within each goal."""
    data = df[df["granted_sek"] > 0].sort_values(
        ["direction_label", "goal_label", "granted_sek"], ascending=[True, True, False], kind="stable"
    )
    rows = [
        [r.direction_label, r.goal_label, r.theme_label, format_sek(int(r.granted_sek), lang)]
        for r in data.itertuples(index=False)
    ]
    header = [t("col.direction", lang), t("col.goal", lang), t("col.theme", lang), t("col.granted", lang)]
    footer = ["Totalt" if lang == "sv" else "Total", "", "", format_sek(int(data["granted_sek"].sum()), lang)]
    return make_table(header, rows, caption=caption, numeric={3}, footer=footer)


def make_frame_table(table: pd.DataFrame, lang: str, caption: str) -> dbc.Table:
    """Frame, decided and remaining per row of :func:`dashboard.transforms.compute_frame_table`."""
    rows = [
        [r.label, format_sek(r.frame_sek, lang), format_sek(r.decided_sek, lang), format_sek(r.remaining_sek, lang)]
        for r in table.itertuples(index=False)
    ]
    header = [t("col.goal", lang), t("col.frame", lang), t("col.decided", lang), t("col.remaining", lang)]
    return make_table(header, rows, caption=caption, numeric={1, 2, 3})

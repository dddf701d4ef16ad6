"""Components of the allocation views (tables, KPI rows, text summaries)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from ..i18n import format_leverage, format_mnkr, format_number, format_percent, format_sek, t
from .cards import make_kpi_card, make_table
from .links import make_filter_button, make_show_projects


def goal_label(code: object, labels: dict[str, str], lang: str) -> str:
    """Display name of a goal code (the no-goal row has its own label)."""
    return labels.get(code, str(code)) if isinstance(code, str) else t("goal.none", lang)


def make_allocation_kpis(granted: int, other: int, projects: int, lang: str) -> dbc.Row:
    """KPI row: 1:1 granted, projects, total budgets, development capital, leverage."""
    lev = other / granted if granted else float("nan")
    return dbc.Row(
        [
            make_kpi_card(t("kpi.granted", lang), format_mnkr(granted, lang), kpi_id="kpi-granted"),
            make_kpi_card(t("kpi.projects", lang), format_number(projects, lang), kpi_id="kpi-projects"),
            make_kpi_card(t("kpi.budget", lang), format_mnkr(granted + other, lang), kpi_id="kpi-budget"),
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
            format_percent(r.share, lang),
            format_sek(r.other_sek, lang),
            format_leverage(r.leverage, lang),
            make_show_projects(int(r.projects), links[r.goal], lang)
            if r.goal in links
            else format_number(r.projects, lang),
        ]
        for r in table.itertuples(index=False)
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
    top = df.sort_values("granted_sek", ascending=False, kind="stable").iloc[0]
    return t(
        "overview.summary",
        lang,
        total=format_mnkr(int(df["granted_sek"].sum()), lang),
        period=period,
        top=goal_label(top["goal"], labels, lang),
        top_value=format_mnkr(int(top["granted_sek"]), lang),
        top_share=format_percent(float(top["share"]), lang),
    )


def make_year_table(
    df: pd.DataFrame, labels: dict[str, str], goal_order: list[str], lang: str, caption: str
) -> dbc.Table:
    """Years as rows, goals as columns, with row totals."""
    data = df[df["year"].notna()]
    years = sorted(int(y) for y in data["year"].unique())
    goals = [g for g in goal_order if g in set(data["goal"].dropna())]
    pivot = data.pivot_table(index="year", columns="goal", values="granted_sek", aggfunc="sum", fill_value=0)
    rows = []
    for y in years:
        values = [int(pivot.at[y, g]) if g in pivot.columns else 0 for g in goals]
        total = int(data.loc[data["year"] == y, "granted_sek"].sum())
        rows.append([str(y), *[format_sek(v, lang) for v in values], format_sek(total, lang)])
    header = [t("col.year", lang), *[labels.get(g, g) for g in goals], "Totalt" if lang == "sv" else "Total"]
    return make_table(header, rows, caption=caption, numeric=set(range(1, len(header))))


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

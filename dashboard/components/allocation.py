"""Components of the allocation views (tables, KPI rows, text summaries)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd

from ..i18n import format_leverage, format_mnkr, format_number, format_percent, format_sek, t
from .cards import make_kpi_card, make_table


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


def make_goal_table(table: pd.DataFrame, labels: dict[str, str], lang: str, caption: str) -> dbc.Table:
    """Table alternative to the allocation charts, with a total row that adds up exactly."""
    rows = [
        [
            goal_label(r.goal, labels, lang),
            format_sek(r.granted_sek, lang),
            format_percent(r.share, lang),
            format_sek(r.other_sek, lang),
            format_leverage(r.leverage, lang),
            format_number(r.projects, lang),
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

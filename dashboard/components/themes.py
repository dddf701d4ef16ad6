"""Components of the theme map (kartbild)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from ..i18n import format_leverage, format_mnkr, format_month, format_number, format_sek, status_label, t
from . import ids
from .cards import make_kpi_card, make_table
from .links import make_filter_button

if TYPE_CHECKING:
    from ..services import PhaseList


def _name(row: dict, lang: str) -> str:
    return (row.get("name_en") if lang == "en" else None) or row["name_sv"]


def make_theme_kpis(today: PhaseList, coming: PhaseList, coverage: pd.DataFrame, lang: str) -> dbc.Row:
    """Ongoing now, planned 1–3 years, white spots."""

    n_white = int((coverage["state"] == "white").sum())
    return dbc.Row(
        [
            make_kpi_card(
                t("theme.kpi.today", lang),
                t("theme.projects_short", lang, n=format_number(today.count, lang)),
                help_text=format_mnkr(today.total_sek, lang),
                kpi_id="kpi-theme-today",
            ),
            make_kpi_card(
                t("theme.kpi.coming", lang),
                t("theme.projects_short", lang, n=format_number(coming.count, lang)),
                help_text=format_mnkr(coming.total_sek, lang),
                kpi_id="kpi-theme-coming",
            ),
            make_kpi_card(
                t("theme.kpi.white", lang),
                format_number(n_white, lang),
                help_text=t("theme.kpi.relevant", lang, n=len(coverage)),
                kpi_id="kpi-theme-white",
            ),
        ],
        className="g-3 kpi-row",
    )


def make_project_list(
    df: pd.DataFrame, lang: str, caption: str, *, limit: int = 12, total: int | None = None
) -> html.Div:
    """Projects with owner, period, money and expected results (links open the details).
    ``total``: how many projects there are in all when ``df`` holds only the first ones."""
    rows = [
        [
            dcc.Link(r.reference, href=f"/projekt?project={r.reference}"),
            html.Div([html.Div(r.title), html.Div(r.expected_results or "", className="expected")]),
            r.owner or "",
            make_period(r.start_date, r.end_date),
            status_label(r.status, lang),
            format_mnkr(int(r.granted_sek) + int(r.other_sek), lang),
        ]
        for r in df.head(limit).itertuples(index=False)
    ]
    header = [
        t("col.reference", lang),
        f"{t('col.title', lang)} / {t('col.expected', lang).lower()}",
        t("col.owner", lang),
        t("col.period", lang),
        t("col.status", lang),
        t("col.total", lang),
    ]
    more = (len(df) if total is None else total) - min(limit, len(df))
    extra = [html.P(f"+ {format_number(more, lang)} …", className="footnote")] if more > 0 else []
    return html.Div([make_table(header, rows, caption=caption, numeric={5}), *extra])


def _month(value: object) -> str:
    return format_month(value)


def make_period(start: object, end: object) -> html.Span:
    """``2025-04 – 2027-08`` that may break at the dash but never inside a date ("2027-" / "08")."""
    first, last = _month(start), _month(end)
    return html.Span([html.Span(first, className="nowrap"), " – ", html.Span(last, className="nowrap")])


def make_results_table(results: pd.DataFrame, lang: str, caption: str) -> dbc.Table:
    """Planned and achieved results summed per measure."""
    rows = [
        [
            f"{r.measure}" + (f" ({r.unit})" if isinstance(r.unit, str) and r.unit else ""),
            format_number(r.planned, lang),
            format_number(r.achieved, lang),
            format_number(r.projects, lang),
        ]
        for r in results.itertuples(index=False)
    ]
    header = [t("detail.measure", lang), t("detail.planned", lang), t("detail.achieved", lang), t("col.projects", lang)]
    return make_table(header, rows, caption=caption, numeric={1, 2, 3})


def make_coverage_table(
    coverage: pd.DataFrame, priorities: pd.DataFrame, goal_labels: dict[str, str], lang: str
) -> html.Div:
    """The white-spot matrix: rows = relevant priorities, columns = now / 1–3 years;
    white spots and only-planned rows stand out; every row is a button for details."""
    info = {r["priority"]: r for r in priorities.to_dict("records")}
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("col.priority", lang)),
                html.Th(t("col.goal", lang)),
                html.Th(t("col.now", lang), className="text-end"),
                html.Th(t("col.coming", lang), className="text-end"),
                html.Th(t("col.state", lang)),
            ]
        )
    )
    body = []
    for r in coverage.itertuples(index=False):
        p = info[r.priority]
        cells = [
            html.Td(
                html.Button(
                    _name(p, lang),
                    id={"type": ids.THEME_WS_ROW, "priority": r.priority},
                    className="ws-row-button",
                    n_clicks=0,
                )
            ),
            html.Td(goal_labels.get(r.goal, r.goal or "")),
            html.Td(_cell(r.now_projects, r.now_sek, lang), className="text-end"),
            html.Td(_cell(r.planned_projects, r.planned_sek, lang), className="text-end"),
            html.Td(t(f"state.{r.state}", lang), className=f"ws-state ws-state-{r.state}"),
        ]
        body.append(html.Tr(cells, className=f"ws-{r.state}"))
    table = dbc.Table(
        [html.Caption(t("theme.whitespots.caption", lang)), head, html.Tbody(body)],
        size="sm",
        className="data-table ws-table",
        responsive=True,
    )
    white = [info[p] for p in coverage.loc[coverage["state"] == "white", "priority"]]
    planned = [info[p] for p in coverage.loc[coverage["state"] == "only_planned", "priority"]]
    lists = dbc.Row(
        [
            dbc.Col(
                [
                    html.H3(t("theme.whitespots.none", lang), className="h6"),
                    html.Ul([html.Li(_name(p, lang)) for p in white] or [html.Li("–")], className="ws-list-white"),
                ],
                md=6,
            ),
            dbc.Col(
                [
                    html.H3(t("theme.whitespots.only_planned", lang), className="h6"),
                    html.Ul([html.Li(_name(p, lang)) for p in planned] or [html.Li("–")], className="ws-list-planned"),
                ],
                md=6,
            ),
        ]
    )
    return html.Div([html.P(t("theme.whitespots.hint", lang), className="footnote"), table, lists])


def _cell(n: int, money: int, lang: str) -> str:
    return "–" if n == 0 else f"{format_number(n, lang)} · {format_mnkr(money, lang)}"


def make_ws_detail(
    priority: dict, history: pd.DataFrame, goal_labels: dict[str, str], theme_labels: dict[str, str], lang: str
) -> html.Div:
    """Details of one priority: its goal, the themes it is relevant to, and every project that worked on it."""
    themes = ", ".join(theme_labels.get(x, x) for x in priority["themes"]) or "–"
    parts = [
        html.H3(t("theme.whitespots.details", lang, priority=_name(priority, lang)), className="h6"),
        html.P(
            t(
                "theme.whitespots.detail_lead",
                lang,
                goal=goal_labels.get(priority["goal"], priority["goal"]),
                themes=themes,
            )
        ),
    ]
    if history.empty:
        parts.append(html.P(t("theme.whitespots.no_history", lang), className="ws-no-history"))
    else:
        parts.append(make_project_list(history, lang, t("theme.whitespots.history", lang), limit=20))
    return html.Div(parts, className="ws-detail")


def make_theme_table(
    table: pd.DataFrame, theme_labels: dict[str, str], lang: str, caption: str, query_suffix: str = ""
) -> dbc.Table:
    """All themes side by side, each row linking to its theme map, with a total row
    that adds up (each project has one theme; projects without one have a row of their own)."""
    rows = [
        [
            dcc.Link(theme_labels.get(r.theme, r.theme), href=f"/tema?theme={r.theme}{query_suffix}")
            if isinstance(r.theme, str)
            else t("theme.none", lang),
            format_number(r.projects, lang),
            format_sek(r.granted_sek, lang),
            format_sek(r.other_sek, lang),
            format_leverage(r.leverage, lang),
            format_number(r.white_spots, lang) if isinstance(r.theme, str) else "",
        ]
        for r in table.itertuples(index=False)
    ]
    header = [
        t("col.theme", lang),
        t("col.projects", lang),
        t("col.granted", lang),
        t("col.other", lang),
        t("col.leverage", lang),
        t("col.white_spots", lang),
    ]
    granted, other = int(table["granted_sek"].sum()), int(table["other_sek"].sum())
    footer = [
        "Totalt" if lang == "sv" else "Total",
        format_number(int(table["projects"].sum()), lang),
        format_sek(granted, lang),
        format_sek(other, lang),
        format_leverage(other / granted if granted else None, lang),
        "",
    ]
    return make_table(header, rows, caption=caption, numeric={1, 2, 3, 4, 5}, footer=footer, table_id=ids.THEME_TABLE)


def make_map_table(split: pd.DataFrame, lang: str, caption: str) -> dbc.Table:
    """Per municipality and the whole county, adding up to the total."""
    rows = [
        [
            t("projects.whole_county", lang)
            if r.whole_county
            else t("theme.map.unplaced_row", lang)
            if getattr(r, "unplaced", False)
            else html.Span([r.name, " ", make_filter_button("municipality", r.code, r.name, lang)]),
            format_sek(r.granted_sek, lang),
            format_number(r.projects, lang),
        ]
        for r in split.itertuples(index=False)
    ]
    footer = ["Totalt" if lang == "sv" else "Total", format_sek(int(split["granted_sek"].sum()), lang), ""]
    return make_table(
        [t("filter.municipality", lang), t("col.granted", lang), t("col.projects", lang)],
        rows,
        caption=caption,
        numeric={1, 2},
        footer=footer,
    )

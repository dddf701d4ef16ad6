"""Översikt: the allocation of 1:1 grants per goal."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html
from dash.exceptions import PreventUpdate

from ..components import ids
from ..components.allocation import describe_goal_allocation, make_allocation_kpis, make_goal_table
from ..figures.allocation import build_goal_donut
from ..figures.theme import color_map, graph_config
from ..filters import parse_query, resolve
from ..i18n import format_period, t
from ..queries.allocation import load_goal_allocation, load_totals
from ..state import current_engine, current_language, vocabulary
from ..transforms import compute_goal_allocation


def layout(**_query: str) -> html.Div:
    """Page skeleton; the figures are filled by :func:`update_overview`."""
    lang = current_language()
    return html.Div(
        [
            html.H1(t("overview.title", lang), className="page-title"),
            html.P(t("overview.lead", lang), className="lead-text"),
            dcc.Loading(html.Div(id=ids.OVERVIEW_KPIS), type="dot", delay_show=300),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(id=ids.OVERVIEW_TITLE, className="card-title h5"),
                        html.Div(
                            dcc.Graph(id=ids.OVERVIEW_DONUT, config=graph_config(lang), style={"height": "420px"}),
                            id=ids.OVERVIEW_DONUT_WRAP,
                            role="img",
                        ),
                        html.P(id=ids.OVERVIEW_DONUT_SUMMARY, className="visually-hidden"),
                        html.Details(
                            [html.Summary(t("table.show", lang)), html.Div(id=ids.OVERVIEW_TABLE)],
                            className="table-alt",
                        ),
                        html.P(t("overview.rule", lang), className="footnote"),
                    ]
                ),
                className="chart-card",
            ),
        ]
    )


dash.register_page(__name__, path="/", name="Översikt", title="Översikt · RUS-dashboard", order=0, layout=layout)


@callback(
    Output(ids.OVERVIEW_KPIS, "children"),
    Output(ids.OVERVIEW_TITLE, "children"),
    Output(ids.OVERVIEW_DONUT, "figure"),
    Output(ids.OVERVIEW_DONUT_WRAP, "aria-label"),
    Output(ids.OVERVIEW_DONUT_SUMMARY, "children"),
    Output(ids.OVERVIEW_TABLE, "children"),
    Input(ids.FILTER_STORE, "data"),
)
def update_overview(query: str | None):  # noqa: ANN201
    """Filter query → allocation per goal → KPI cards, donut, table and summary."""
    if query is None:
        raise PreventUpdate
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    f = resolve(parse_query(query), vocab.aliases())
    goal_codes = list(vocab.goals["code"])
    labels = dict(
        zip(
            goal_codes,
            vocab.goals["name_sv" if lang == "sv" else "name_en"].fillna(vocab.goals["name_sv"]),
            strict=True,
        )
    )
    table = compute_goal_allocation(load_goal_allocation(engine, f), goal_codes)
    totals = load_totals(engine, f)
    period = format_period(f.year_from, f.year_to, lang)
    granted, other = int(table["granted_sek"].sum()), int(table["other_sek"].sum())
    summary = describe_goal_allocation(table, labels, lang, period)
    return (
        make_allocation_kpis(granted, other, int(totals["projects"].iloc[0]), lang),
        t("overview.donut.title", lang, period=period),
        build_goal_donut(table, labels=labels, colors=color_map(goal_codes), lang=lang),
        summary,
        summary,
        make_goal_table(table, labels, lang, t("overview.table.caption", lang, period=period)),
    )

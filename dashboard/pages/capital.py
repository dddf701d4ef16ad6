"""Utvecklingskapital: other capital by source, leverage, flows from sources to goals."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

from ..components import ids
from ..components.allocation import make_allocation_kpis
from ..components.capital import (
    describe_sources,
    make_leverage_table,
    make_sankey_table,
    make_source_table,
    make_top_table,
)
from ..components.cards import make_chart_card
from ..components.links import make_show_projects, projects_href
from ..figures.capital import build_leverage_bars, build_sankey, build_source_stacked, sankey_units
from ..figures.theme import color_map, graph_config
from ..filters import FilterState
from ..i18n import format_leverage, format_mnkr_units, format_period, t
from ..queries.capital import load_top_leverage
from ..queries.money import load_money
from ..shell import register_click_filter
from ..state import current_engine, current_language, filters_from_store, vocabulary
from ..transforms import compute_goal_allocation, compute_source_flows


def _drill(engine, f: FilterState, dim: str) -> dict:  # noqa: ANN001
    """Per row key of the source table: (projects, link to exactly those projects)."""
    per = load_money(engine, f, [dim])
    out = {}
    for r in per.itertuples(index=False):
        key = getattr(r, dim)
        if key is None or pd.isna(key):  # no goal, theme or decision year: nothing to link to
            continue
        key = int(key) if dim == "year" else key
        change = {"year_from": key, "year_to": key} if dim == "year" else {dim: (key,)}
        out[key] = (int(r.projects), projects_href(f, **change))
    return out


def layout(**_query: str) -> html.Div:
    """Page skeleton; callbacks fill it from the shared filter."""
    lang = current_language()
    cfg = graph_config(lang)
    dim = dbc.RadioItems(
        id=ids.CAPITAL_DIM,
        options=[{"label": t(f"capital.dim.{d}.label", lang), "value": d} for d in ("goal", "theme", "year")],
        value="goal",
        inline=True,
        className="chart-switch",
    )
    return html.Div(
        [
            html.H1(t("capital.title", lang), className="page-title"),
            html.P(
                [t("capital.lead", lang), " ", html.Span(t("capital.click_hint", lang), className="text-muted")],
                className="lead-text",
            ),
            dbc.Alert(
                [html.I(className="bi bi-info-circle me-2", **{"aria-hidden": "true"}), t("capital.definition", lang)],
                color="light",
                className="definition",
            ),
            dcc.Loading(html.Div(id=ids.CAPITAL_KPIS), type="dot", delay_show=400),
            dbc.Row(
                dbc.Col(
                    make_chart_card(
                        title_id=ids.CAPITAL_SOURCES_TITLE,
                        graph_id=ids.CAPITAL_SOURCES,
                        wrap_id=ids.CAPITAL_SOURCES_WRAP,
                        table_id=ids.CAPITAL_SOURCES_TABLE,
                        lang=lang,
                        config=cfg,
                        height=420,
                        controls=dim,
                        footer=[html.Div(id=ids.CAPITAL_SHOW)],
                    )
                ),
                className="g-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        make_chart_card(
                            title=t("capital.leverage.title", lang),
                            graph_id=ids.CAPITAL_LEVERAGE,
                            wrap_id=ids.CAPITAL_LEVERAGE_WRAP,
                            table_id=ids.CAPITAL_LEVERAGE_TABLE,
                            lang=lang,
                            config=cfg,
                            height=380,
                        ),
                        xl=5,
                    ),
                    dbc.Col(
                        make_chart_card(
                            title=t("capital.sankey.title", lang),
                            graph_id=ids.CAPITAL_SANKEY,
                            wrap_id=ids.CAPITAL_SANKEY_WRAP,
                            table_id=ids.CAPITAL_SANKEY_TABLE,
                            lang=lang,
                            config=cfg,
                            height=480,
                        ),
                        xl=7,
                    ),
                ],
                className="g-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [html.H2(t("capital.top.title", lang), className="card-title h5"), html.Div(id=ids.CAPITAL_TOP)]
                ),
                className="chart-card",
            ),
        ]
    )


dash.register_page(
    __name__,
    path="/kapital",
    name="Utvecklingskapital",
    title="Utvecklingskapital · RUS-dashboard",
    order=1,
    layout=layout,
)
register_click_filter([ids.CAPITAL_SOURCES, ids.CAPITAL_LEVERAGE])


@callback(
    Output(ids.CAPITAL_KPIS, "children"),
    Output(ids.CAPITAL_SOURCES_TITLE, "children"),
    Output(ids.CAPITAL_SOURCES, "figure"),
    Output(ids.CAPITAL_SOURCES_WRAP, "aria-label"),
    Output(ids.CAPITAL_SOURCES_TABLE, "children"),
    Output(ids.CAPITAL_SHOW, "children"),
    Input(ids.FILTER_STORE, "data"),
    Input(ids.CAPITAL_DIM, "value"),
)
def update_sources(query: str | None, dim: str = "goal"):  # noqa: ANN201
    """Other capital by source, stacked per goal, theme or year; KPI cards."""
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    dim = dim if dim in ("goal", "theme", "year") else "goal"
    money = load_money(engine, f, [dim, "source"])
    if dim == "goal":
        order, labels = vocab.goal_codes(), vocab.goal_labels(lang, short=True)
    elif dim == "theme":
        order, labels = list(vocab.themes["code"]), vocab.theme_labels(lang)
    else:
        order = sorted(int(y) for y in money["year"].dropna().unique())
        labels = {y: str(y) for y in order}
        money = money.assign(year=money["year"].astype("float").astype("Int64"))
    totals = load_money(engine, f).iloc[0]
    period = format_period(f.year_from, f.year_to, lang)
    dim_name = t(f"capital.dim.{dim}", lang)
    fig = build_source_stacked(money, dim=dim, order=order, labels=labels, lang=lang, selected_sources=f.source)
    return (
        make_allocation_kpis(int(totals["granted_sek"]), int(totals["other_sek"]), int(totals["projects"]), lang),
        t("capital.sources.title", lang, dim=dim_name, period=period),
        fig,
        describe_sources(money, lang, period),
        make_source_table(
            money,
            drill=_drill(engine, f, dim),
            dim=dim,
            order=order,
            labels=labels,
            lang=lang,
            caption=t("capital.sources.caption", lang, dim=dim_name),
        ),
        make_show_projects(int(totals["projects"]), projects_href(f), lang, link_id=ids.CAPITAL_SHOW + "-link"),
    )


@callback(
    Output(ids.CAPITAL_LEVERAGE, "figure"),
    Output(ids.CAPITAL_LEVERAGE_WRAP, "aria-label"),
    Output(ids.CAPITAL_LEVERAGE_TABLE, "children"),
    Output(ids.CAPITAL_SANKEY, "figure"),
    Output(ids.CAPITAL_SANKEY_WRAP, "aria-label"),
    Output(ids.CAPITAL_SANKEY_TABLE, "children"),
    Output(ids.CAPITAL_TOP, "children"),
    Input(ids.FILTER_STORE, "data"),
)
def update_leverage(query: str | None):  # noqa: ANN201
    """Leverage per goal (with the overall level), source → goal flows, top projects."""
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    codes = vocab.goal_codes()
    short = vocab.goal_labels(lang, short=True)
    colors = color_map(codes)
    table = compute_goal_allocation(load_money(engine, f, ["goal"]), codes)
    granted, other = int(table["granted_sek"].sum()), int(table["other_sek"].sum())
    overall = other / granted if granted else float("nan")
    with_money = table[table["granted_sek"] > 0]
    if with_money.empty:
        lev_summary = t("capital.empty", lang)
    else:
        top = with_money.sort_values("leverage", ascending=False, kind="stable").iloc[0]
        lev_summary = t(
            "capital.leverage.summary",
            lang,
            overall=format_leverage(overall, lang),
            top=short.get(top["goal"], t("goal.none", lang)),
            value=format_leverage(top["leverage"], lang),
        )
    flows = compute_source_flows(load_money(engine, f, ["source", "goal"]))
    if flows.empty:
        sankey_summary = t("capital.empty", lang)
    else:
        sources, goals, source_units, _, _ = sankey_units(flows, codes)
        sankey_summary = t(
            "capital.sankey.summary",
            lang,
            n=len(sources),
            m=len([g for g in goals if g is not None]),
            total=format_mnkr_units(sum(source_units.values()), lang),  # the sum of the source nodes' labels
        )
    top_projects = load_top_leverage(engine, f)
    return (
        build_leverage_bars(table, labels=short, colors=colors, overall=overall, lang=lang),
        lev_summary,
        make_leverage_table(table, short, lang, t("capital.leverage.caption", lang)),
        build_sankey(flows, labels=short, goal_order=codes, colors=colors, lang=lang),
        sankey_summary,
        make_sankey_table(flows, short, lang, t("capital.sankey.caption", lang)),
        make_top_table(top_projects, vocab.theme_labels(lang), lang, t("capital.top.caption", lang)),
    )

"""Kartbild: per theme what is done today, what is coming, white spots and the
portfolio; without a single theme, all themes side by side. Plus the
municipality map."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from ..components import ids
from ..components.cards import make_chart_card
from ..components.themes import (
    make_coverage_table,
    make_map_table,
    make_project_list,
    make_results_table,
    make_theme_kpis,
    make_theme_table,
    make_ws_detail,
)
from ..figures.theme import graph_config
from ..figures.themes import (
    build_municipality_map,
    build_pipeline,
    build_portfolio,
    build_timeline,
    municipality_labels,
)
from ..filters import FilterState, to_query
from ..geo import municipality_geojson
from ..i18n import t
from ..queries.themes import load_municipality_money
from ..services import theme_map, theme_table
from ..shell import register_click_filter
from ..state import current_engine, current_language, current_settings, filters_from_store, vocabulary
from ..transforms import compute_municipality_split


def layout(**_query: str) -> html.Div:
    """Header, body (filled per theme) and the municipality map."""
    lang = current_language()
    metric = dbc.RadioItems(
        id=ids.THEME_MAP_METRIC,
        options=[
            {"label": t("theme.map.money", lang), "value": "money"},
            {"label": t("theme.map.projects", lang), "value": "projects"},
        ],
        value="money",
        inline=True,
        className="chart-switch",
    )
    return html.Div(
        [
            html.Div(id=ids.THEME_HEADER),
            html.Div(
                [
                    dbc.Button(
                        [
                            html.I(className="bi bi-file-earmark-pdf me-1", **{"aria-hidden": "true"}),
                            t("theme.export_pdf", lang),
                        ],
                        id=ids.THEME_PDF,
                        color="secondary",
                        outline=True,
                        size="sm",
                        className="me-2",
                    ),
                    dbc.Button(
                        [
                            html.I(className="bi bi-file-earmark-image me-1", **{"aria-hidden": "true"}),
                            t("theme.export_png", lang),
                        ],
                        id=ids.THEME_PNG,
                        color="secondary",
                        outline=True,
                        size="sm",
                    ),
                    dcc.Loading(dcc.Download(id=ids.THEME_DOWNLOAD), type="dot"),
                ],
                id=ids.THEME_EXPORTS,
                className="mb-2 text-end",
                style={"display": "none"},
            ),
            dbc.Offcanvas(
                html.Div(id=ids.THEME_WS_DETAIL),
                id=ids.THEME_WS_PANEL,
                placement="end",
                title=t("theme.whitespots.title", lang),
                is_open=False,
                style={"width": "560px"},
            ),
            dcc.Loading(html.Div(id=ids.THEME_BODY), type="dot", delay_show=400),
            dbc.Row(
                dbc.Col(
                    make_chart_card(
                        title=t("theme.map.title", lang),
                        graph_id=ids.THEME_MAP,
                        wrap_id=ids.THEME_MAP_WRAP,
                        table_id=ids.THEME_MAP_TABLE,
                        lang=lang,
                        config=graph_config(lang),
                        height=380,
                        controls=metric,
                        footer=[
                            html.P(id=ids.THEME_MAP_WHOLE, className="map-whole"),
                            html.P(t("theme.map.hint", lang), className="footnote"),
                        ],
                    ),
                    xxl=6,  # below 1400 px the whole width: at half of it the names ran into each other
                ),
                className="g-3",
            ),
        ]
    )


dash.register_page(__name__, path="/tema", name="Kartbild", title="Kartbild · RUS-dashboard", order=2, layout=layout)
register_click_filter([ids.THEME_MAP])


def _theme_buttons(vocab, lang: str, current: str | None, f: FilterState) -> html.Div:  # noqa: ANN001
    labels = vocab.theme_labels(lang)
    rest = to_query(f.with_values(theme=())).lstrip("?")
    links = [
        dcc.Link(
            labels[c],
            href=f"/tema?theme={c}" + (f"&{rest}" if rest else ""),
            className="theme-pill" + (" active" if c == current else ""),
        )
        for c in vocab.themes["code"]
    ]
    return html.Nav(
        [html.Span(t("theme.pick", lang), className="me-2 small text-muted"), *links],
        className="theme-pills",
        **{"aria-label": t("theme.pick", lang)},
    )


@callback(
    Output(ids.THEME_HEADER, "children"),
    Output(ids.THEME_BODY, "children"),
    Output(ids.THEME_EXPORTS, "style"),
    Input(ids.FILTER_STORE, "data"),
)
def update_theme(query: str | None):  # noqa: ANN201
    """One theme chosen → its kartbild; otherwise all themes side by side."""
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    reference = current_settings().reference_date
    rule = html.Details(
        [
            html.Summary(t("theme.rule.summary", lang)),
            html.P(t("theme.rule", lang, date=reference.isoformat())),
            html.P(t("theme.filters_note", lang)),
        ],
        className="rule-box",
    )
    if len(f.theme) != 1:
        table = theme_table(engine, f, reference, list(vocab.themes["code"]))
        rest = to_query(f.with_values(theme=())).lstrip("?")
        header = html.Div(
            [
                html.H1(t("theme.all.title", lang), className="page-title"),
                html.P(t("theme.all.lead", lang), className="lead-text"),
                _theme_buttons(vocab, lang, None, f),
                rule,
            ]
        )
        body = dbc.Card(
            dbc.CardBody(
                make_theme_table(
                    table,
                    vocab.theme_labels(lang),
                    lang,
                    t("theme.all.title", lang),
                    query_suffix=f"&{rest}" if rest else "",
                )
            ),
            className="chart-card mb-3",
        )
        return header, body, {"display": "none"}
    code = f.theme[0]
    name = vocab.theme_labels(lang).get(code, code)
    tm = theme_map(engine, f, code, reference)
    goal_labels = vocab.goal_labels(lang, short=True)
    cfg = graph_config(lang)
    header = html.Div(
        [
            html.H1(t("theme.title", lang, theme=name), className="page-title"),
            html.P(t("theme.lead", lang, date=reference.isoformat()), className="lead-text"),
            _theme_buttons(vocab, lang, code, f),
            rule,
        ]
    )
    today = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("theme.today.title", lang), className="card-title h5"),
                make_project_list(tm.today.rows, lang, t("theme.today.title", lang), total=tm.today.count),
                make_results_table(tm.results_today, lang, t("theme.today.leads", lang)),
            ]
        ),
        className="chart-card h-100",
        id=ids.THEME_TODAY,
    )
    coming = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("theme.coming.title", lang), className="card-title h5"),
                dcc.Graph(
                    id=ids.THEME_PIPELINE,
                    figure=build_pipeline(tm.pipeline, lang=lang),
                    config=cfg,
                    style={"height": "300px"},
                ),
                make_project_list(tm.coming.rows, lang, t("theme.coming.title", lang), limit=8, total=tm.coming.count),
                make_results_table(tm.results_coming, lang, t("theme.coming.leads", lang)),
            ]
        ),
        className="chart-card h-100",
        id=ids.THEME_COMING,
    )
    whitespots = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("theme.whitespots.title", lang), className="card-title h5"),
                make_coverage_table(tm.coverage, tm.priorities, goal_labels, lang),
            ]
        ),
        className="chart-card h-100",
        id=ids.THEME_WHITESPOTS,
    )
    portfolio = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("theme.portfolio.title", lang), className="card-title h5"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                html.H3(t("theme.timeline.title", lang), className="h6"),
                                dcc.Graph(
                                    id=ids.THEME_TIMELINE,
                                    config=cfg,
                                    figure=(
                                        timeline := build_timeline(
                                            tm.timeline, reference=pd.Timestamp(reference), lang=lang
                                        )
                                    ),
                                    style={"height": f"{timeline.layout.height}px"},
                                ),
                            ],
                            xl=7,
                        ),
                        dbc.Col(
                            [
                                html.H3(t("theme.bubbles.title", lang), className="h6"),
                                dcc.Graph(
                                    id=ids.THEME_BUBBLES,
                                    config=cfg,
                                    style={"height": "340px"},
                                    figure=build_portfolio(
                                        tm.portfolio, goal_labels=goal_labels, goal_order=vocab.goal_codes(), lang=lang
                                    ),
                                ),
                            ],
                            xl=5,
                        ),
                    ]
                ),
            ]
        ),
        className="chart-card",
    )
    body = html.Div(
        [
            make_theme_kpis(tm.today, tm.coming, tm.coverage, lang),
            # side by side only where both tables fit (at 1280 px they were cut: "Tot budg", "0,8 mn")
            dbc.Row([dbc.Col(today, xxl=6), dbc.Col(coming, xxl=6)], className="g-3"),
            dbc.Row([dbc.Col(whitespots)], className="g-3"),
            dbc.Row([dbc.Col(portfolio)], className="g-3"),
        ]
    )
    return header, body, {}


@callback(
    Output(ids.THEME_WS_PANEL, "is_open"),
    Output(ids.THEME_WS_DETAIL, "children"),
    Input({"type": ids.THEME_WS_ROW, "priority": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def on_white_spot_click(clicks: list[int]):  # noqa: ANN201
    """Show a priority's details and every project that ever worked on it."""
    trigger = ctx.triggered_id
    if not trigger or not any(clicks or []):
        raise PreventUpdate
    return True, white_spot_detail(trigger["priority"], current_language())


def white_spot_detail(priority: str, lang: str) -> html.Div:
    """The details panel for one priority."""
    from ..queries.themes import load_priorities, load_priority_projects

    engine = current_engine()
    vocab = vocabulary(engine)
    info = load_priorities(engine)
    row = info[info["priority"] == priority]
    if row.empty:
        raise PreventUpdate
    history = load_priority_projects(engine, priority)
    return make_ws_detail(
        row.iloc[0].to_dict(), history, vocab.goal_labels(lang, short=True), vocab.theme_labels(lang), lang
    )


@callback(
    Output(ids.THEME_MAP, "figure"),
    Output(ids.THEME_MAP_WRAP, "aria-label"),
    Output(ids.THEME_MAP_TABLE, "children"),
    Output(ids.THEME_MAP_WHOLE, "children"),
    Input(ids.FILTER_STORE, "data"),
    Input(ids.THEME_MAP_METRIC, "value"),
)
def update_map(query: str | None, metric: str = "money"):  # noqa: ANN201
    """1:1 money (or projects) per municipality; whole-county projects beside the map."""
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    per, whole = load_municipality_money(engine, f)
    split = compute_municipality_split(per, whole, vocab.municipality_labels())
    county = str(vocab.municipalities["code"].iloc[0])[:2] if not vocab.municipalities.empty else ""
    fig = build_municipality_map(split, municipality_geojson(county), metric=metric, selected=f.municipality, lang=lang)
    labelled = split.assign(label=municipality_labels(split, lang))  # as the map shows them: they add up
    munis = labelled[~(labelled["whole_county"] | labelled["unplaced"])]
    top = munis.sort_values("granted_sek", ascending=False, kind="stable").iloc[0] if not munis.empty else None
    summary = (
        f"{t('theme.map.title', lang)}: {top['name']} {top['label']}" if top is not None else t("theme.empty", lang)
    )
    whole_row = labelled[labelled["whole_county"]].iloc[0]
    whole_text = t("theme.map.whole", lang, value=whole_row["label"], n=int(whole_row["projects"]))
    unplaced = labelled[labelled["unplaced"]]
    if not unplaced.empty:
        whole_text += " · " + t(
            "theme.map.unplaced", lang, value=unplaced["label"].iloc[0], n=int(unplaced["projects"].iloc[0])
        )
    return fig, summary, make_map_table(split, lang, t("theme.map.caption", lang)), whole_text


@callback(
    Output(ids.THEME_DOWNLOAD, "data"),
    Input(ids.THEME_PDF, "n_clicks"),
    Input(ids.THEME_PNG, "n_clicks"),
    State(ids.FILTER_STORE, "data"),
    prevent_initial_call=True,
)
def on_theme_export(pdf: int | None, png: int | None, query: str | None):  # noqa: ANN201
    """The theme's kartbild as a one-page PDF or a PNG."""
    if not (pdf or png):
        raise PreventUpdate
    f = filters_from_store(query)
    if len(f.theme) != 1:
        raise PreventUpdate
    kind = "png" if ctx.triggered_id == ids.THEME_PNG else "pdf"
    return export_theme(f, kind, current_language())


def export_theme(f: FilterState, kind: str, lang: str) -> dict:
    """Build the download (``dcc.send_bytes``) of the theme map."""
    from ..exports.kartbild import kartbild_pdf, pdf_to_png

    engine = current_engine()
    vocab = vocabulary(engine)
    code = f.theme[0]
    reference = current_settings().reference_date
    tm = theme_map(engine, f, code, reference)
    pdf = kartbild_pdf(
        tm,
        theme_name=vocab.theme_labels(lang).get(code, code),
        reference=reference,
        goal_labels=vocab.goal_labels(lang, short=True),
        lang=lang,
    )
    if kind == "png":
        return dcc.send_bytes(pdf_to_png(pdf), f"kartbild-{code}.png")
    return dcc.send_bytes(pdf, f"kartbild-{code}.pdf")

"""Indikatorer: the digital follow-up report per RUS goal."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from ..cache import cached
from ..components import ids
from ..components.indicators import (
    decimals_for,
    kind_of,
    make_goal_header,
    make_indicator_card,
    make_scorecard,
    unit_text,
)
from ..components.links import projects_href
from ..exports.tables import to_csv_bytes, to_xlsx_bytes
from ..figures.indicators import build_indicator_chart
from ..figures.theme import graph_config
from ..filters import FilterState
from ..i18n import format_mnkr, format_period, t
from ..queries.indicators import load_targets, load_values
from ..queries.money import load_money
from ..services import RIKET, indicator_report, region_area
from ..state import current_engine, current_language, filters_from_store, vocabulary
from ..transforms import latest_target


def _region(vocab) -> str:  # noqa: ANN001
    code = str(vocab.municipalities["code"].iloc[0]) if not vocab.municipalities.empty else "1000"
    return region_area(code[:2])


def _area_labels(vocab, lang: str) -> dict[str, str]:  # noqa: ANN001
    region_name = vocab.region_name or ("Regionen" if lang == "sv" else "The region")
    return {RIKET: "Riket" if lang == "sv" else "Sweden", _region(vocab): region_name, **vocab.municipality_labels()}


def layout(**_query: str) -> html.Div:
    """Options, scorecard and the goal sections (filled by callbacks)."""
    lang = current_language()
    return html.Div(
        [
            html.H1(t("indicators.title", lang), className="page-title"),
            html.P(t("indicators.lead", lang), className="lead-text"),
            dbc.Alert(
                [
                    html.I(className="bi bi-exclamation-circle me-2", **{"aria-hidden": "true"}),
                    t("indicators.demo_targets", lang),
                ],
                color="light",
                className="small py-2 demo-note",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Span(t("indicators.options", lang) + ":", className="me-2 small text-muted"),
                            dbc.Checklist(
                                id=ids.IND_OPTIONS,
                                inline=True,
                                value=[],
                                switch=True,
                                options=[
                                    {"label": t("indicators.show_municipalities", lang), "value": "municipalities"},
                                    {"label": t("indicators.show_gender", lang), "value": "gender"},
                                ],
                            ),
                        ],
                        className="d-flex align-items-center",
                    ),
                    html.Div(
                        [
                            dbc.Button(
                                t("indicators.export_csv", lang),
                                id=ids.IND_CSV,
                                color="secondary",
                                outline=True,
                                size="sm",
                                className="me-2",
                            ),
                            dbc.Button(
                                t("indicators.export_xlsx", lang),
                                id=ids.IND_XLSX,
                                color="secondary",
                                outline=True,
                                size="sm",
                            ),
                            dcc.Download(id=ids.IND_DOWNLOAD),
                        ]
                    ),
                ],
                className="d-flex justify-content-between flex-wrap gap-2 mb-2",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(t("indicators.scorecard", lang), className="card-title h5"),
                        html.Div(id=ids.IND_SCORECARD),
                    ]
                ),
                className="chart-card mb-3",
            ),
            html.P(t("indicators.rule", lang), className="footnote mb-3"),
            dcc.Loading(html.Div(id=ids.IND_SECTIONS), type="dot", delay_show=400),
        ]
    )


dash.register_page(
    __name__, path="/indikatorer", name="Indikatorer", title="Indikatorer · RUS-dashboard", order=3, layout=layout
)


def _shown_areas(f: FilterState, options: list[str] | None, vocab) -> list[str]:  # noqa: ANN001
    if "municipalities" in (options or []):
        return list(f.municipality) or list(vocab.municipalities["code"])
    return list(f.municipality)


def _indicator_card(row: dict, values, targets, region: str, labels: dict, munis: list, options, cfg: dict, lang: str):  # noqa: ANN001
    """One indicator's card with its chart (cached per data version by the callback)."""
    own = values[values["indicator"] == row["indicator"]]
    target = latest_target(targets, row["indicator"], region)
    fig = build_indicator_chart(
        own,
        region=region,
        area_labels=labels,
        target=target,
        municipalities=munis,
        genders="gender" in (options or []),
        decimals=decimals_for(kind_of(row)),
        unit=unit_text(row, lang),
        lang=lang,
    )
    chart = dcc.Graph(figure=fig, config=cfg, style={"height": "300px"}, id=f"ind-chart-{row['indicator']}")
    shown = own[own["gender"] == "T"] if "gender" not in (options or []) else own
    return make_indicator_card(row, chart, shown[shown["gender"] == "T"], region, labels, lang)


@callback(
    Output(ids.IND_SCORECARD, "children"),
    Output(ids.IND_SECTIONS, "children"),
    Input(ids.FILTER_STORE, "data"),
    Input(ids.IND_OPTIONS, "value"),
)
def update_indicators(query: str | None, options: list[str] | None = None):  # noqa: ANN201
    """Scorecard and one section per goal (grouped by direction) with its indicators."""
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    region = _region(vocab)
    labels = _area_labels(vocab, lang)
    goals = vocab.goals[vocab.goals["code"].isin(f.goal)] if f.goal else vocab.goals
    report = indicator_report(engine, region, tuple(goals["code"]))
    munis = _shown_areas(f, options, vocab)
    codes = list(report["indicator"])
    values = load_values(engine, codes, [RIKET, region, *munis])
    targets = load_targets(engine, codes)
    cfg = graph_config(lang)
    period = format_period(f.year_from, f.year_to, lang)
    sections: list = []
    current_direction = None
    # one query for every goal's money: grouping by goal sums and counts exactly what a goal filter would
    period_filter = FilterState(year_from=f.year_from, year_to=f.year_to)
    per_goal = load_money(engine, period_filter, ["goal"]).set_index("goal")
    for g in goals.to_dict("records"):
        direction = g["direction_en"] if lang == "en" and g.get("direction_en") else g["direction_sv"]
        if direction != current_direction:
            sections.append(html.H2(direction, className="h4 direction-title mt-3"))
            current_direction = direction
        gf = period_filter.with_values(goal=(g["code"],))
        granted, n = (
            (int(per_goal.at[g["code"], "granted_sek"]), int(per_goal.at[g["code"], "projects"]))
            if g["code"] in per_goal.index
            else (0, 0)
        )
        sections.append(
            make_goal_header(
                g,
                lang,
                n,
                t("indicators.money", lang, money=format_mnkr(granted, lang), period=period),
                projects_href(gf),
            )
        )
        for row in report[report["goal"] == g["code"]].to_dict("records"):
            key = (row["indicator"], region, tuple(munis), tuple(sorted(options or [])), lang)
            sections.append(
                cached(
                    engine,
                    "indicator-card",
                    key,
                    lambda row=row: _indicator_card(row, values, targets, region, labels, munis, options, cfg, lang),
                )
            )
    scorecard = cached(
        engine,
        "indicator-scorecard",
        (region, tuple(goals["code"]), lang),
        lambda: make_scorecard(report, goals, lang, labels.get(region, region)),
    )
    return scorecard, sections


@callback(
    Output(ids.IND_DOWNLOAD, "data"),
    Input(ids.IND_CSV, "n_clicks"),
    Input(ids.IND_XLSX, "n_clicks"),
    State(ids.FILTER_STORE, "data"),
    State(ids.IND_OPTIONS, "value"),
    prevent_initial_call=True,
)
def on_export(_csv: int | None, _xlsx: int | None, query: str | None, options: list[str] | None):  # noqa: ANN201
    """The indicator values shown on the page, as CSV or XLSX."""
    kind = "xlsx" if ctx.triggered_id == ids.IND_XLSX else "csv"
    return export_values(filters_from_store(query), options or [], kind, current_language())


def export_values(f: FilterState, options: list[str], kind: str, lang: str) -> dict:
    """Values of the shown indicators and areas (long format, Swedish headers)."""
    engine = current_engine()
    vocab = vocabulary(engine)
    region = _region(vocab)
    labels = _area_labels(vocab, lang)
    goals = tuple(f.goal) or tuple(vocab.goals["code"])
    report = indicator_report(engine, region, goals)
    values = load_values(engine, list(report["indicator"]), [RIKET, region, *_shown_areas(f, options, vocab)])
    if "gender" not in options:
        values = values[values["gender"] == "T"]
    names = {r.indicator: (r.name_en if lang == "en" and r.name_en else r.name_sv) for r in report.itertuples()}
    kpis = dict(zip(report["indicator"], report["kpi"], strict=True))
    units = dict(zip(report["indicator"], report["unit"], strict=True))
    sources = dict(zip(report["indicator"], report["source"], strict=True))
    updated = {
        r["indicator"]: pd.Timestamp(r["updated_at"]).strftime("%Y-%m-%d") if pd.notna(r["updated_at"]) else ""
        for r in report.to_dict("records")
    }
    out = pd.DataFrame(
        {
            "indicator": values["indicator"].map(names),
            "kpi": values["indicator"].map(kpis).fillna(""),
            "unit": values["indicator"].map(units).fillna(""),
            "area": values["area"].map(lambda a: labels.get(a, a)),
            "area_code": values["area"],
            "gender": values["gender"],
            "year": values["year"],
            "value": values["value"],
            "source": values["indicator"].map(sources).fillna(""),
            "updated": values["indicator"].map(updated).fillna(""),
        }
    )
    headers = {
        "indicator": t("col.indicator", lang),
        "kpi": t("col.kpi", lang),
        "unit": t("col.unit", lang),
        "area": t("col.area", lang),
        "area_code": "Kod" if lang == "sv" else "Code",
        "gender": t("col.gender", lang),
        "year": t("col.year", lang),
        "value": t("col.value", lang),
        "source": t("col.source_name", lang),
        "updated": t("col.updated", lang),
    }
    name = "indikatorer" if lang == "sv" else "indicators"
    if kind == "xlsx":
        return dcc.send_bytes(to_xlsx_bytes({t("indicators.sheet", lang): (out, headers)}), f"{name}.xlsx")
    return dcc.send_bytes(to_csv_bytes(out, headers), f"{name}.csv")

"""Översikt: the allocation of 1:1 grants per goal, over the years, in the
strategy's structure, and against the board's frame."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

from ..components import ids
from ..components.allocation import (
    describe_goal_allocation,
    make_allocation_kpis,
    make_frame_table,
    make_goal_table,
    make_hierarchy_table,
    make_year_table,
)
from ..components.cards import make_chart_card
from ..components.links import make_show_projects, projects_href
from ..figures.allocation import (
    build_frame_chart,
    build_goal_bars,
    build_goal_donut,
    build_hierarchy,
    build_year_stacked,
    goal_label_units,
    hierarchy_units,
    year_goal_units,
)
from ..figures.theme import color_map, graph_config
from ..filters import FilterState
from ..i18n import format_mnkr, format_mnkr_units, format_period, mnkr_units, t
from ..queries.allocation import load_frame_years, load_frames, load_year_goal_allocation
from ..queries.money import load_money
from ..shell import register_click_filter
from ..state import current_engine, current_language, current_settings, filters_from_store, vocabulary
from ..transforms import (
    FRAME_TABLE_COLUMNS,
    compute_frame_table,
    compute_goal_allocation,
    compute_hierarchy,
    pick_frame_year,
)


def chosen_goal_units(engine, f: FilterState, codes: list[str]) -> dict | None:  # noqa: ANN001
    """With chosen goals, their labels in the goal chart (which shows every goal and
    highlights the chosen ones): the page's other views add up to these. None otherwise."""
    if not f.goal:
        return None
    everything = compute_goal_allocation(load_money(engine, f.with_values(goal=()), ["goal"]), codes)
    return {g: u for g, u in goal_label_units(everything).items() if g in f.goal}


def layout(**_query: str) -> html.Div:
    """Page skeleton; the callbacks below fill it from the shared filter."""
    lang = current_language()
    cfg = graph_config(lang)
    kind = dbc.RadioItems(
        id=ids.OVERVIEW_KIND,
        options=[
            {"label": t("overview.kind.donut", lang), "value": "donut"},
            {"label": t("overview.kind.bars", lang), "value": "bars"},
        ],
        value="donut",
        inline=True,
        className="chart-switch",
    )
    years_mode = dbc.RadioItems(
        id=ids.OVERVIEW_YEARS_MODE,
        options=[
            {"label": t("overview.years.abs", lang), "value": "abs"},
            {"label": t("overview.years.share", lang), "value": "share"},
        ],
        value="abs",
        inline=True,
        className="chart-switch",
    )
    return html.Div(
        [
            html.H1(t("overview.title", lang), className="page-title"),
            html.P(
                [t("overview.lead", lang), " ", html.Span(t("overview.click_hint", lang), className="text-muted")],
                className="lead-text",
            ),
            dcc.Loading(html.Div(id=ids.OVERVIEW_KPIS), type="dot", delay_show=400),
            dbc.Row(
                [
                    dbc.Col(
                        make_chart_card(
                            title_id=ids.OVERVIEW_TITLE,
                            graph_id=ids.OVERVIEW_DONUT,
                            wrap_id=ids.OVERVIEW_DONUT_WRAP,
                            table_id=ids.OVERVIEW_TABLE,
                            summary_id=ids.OVERVIEW_DONUT_SUMMARY,
                            lang=lang,
                            config=cfg,
                            height=420,
                            controls=kind,
                            footer=[
                                html.Div(id=ids.OVERVIEW_SHOW),
                                html.P(t("overview.rule", lang), className="footnote"),
                            ],
                        ),
                        xl=7,
                    ),
                    dbc.Col(
                        make_chart_card(
                            title_id=ids.OVERVIEW_FRAME_TITLE,
                            graph_id=ids.OVERVIEW_FRAME,
                            wrap_id=ids.OVERVIEW_FRAME_WRAP,
                            table_id=ids.OVERVIEW_FRAME_TABLE,
                            lang=lang,
                            config=cfg,
                            height=420,
                            footer=[html.P(t("frame.note", lang), className="footnote")],
                        ),
                        xl=5,
                    ),
                ],
                className="g-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        make_chart_card(
                            title=t("overview.years.title", lang),
                            graph_id=ids.OVERVIEW_YEARS,
                            wrap_id=ids.OVERVIEW_YEARS_WRAP,
                            table_id=ids.OVERVIEW_YEARS_TABLE,
                            lang=lang,
                            config=cfg,
                            height=380,
                            controls=years_mode,
                        ),
                        xl=7,
                    ),
                    dbc.Col(
                        make_chart_card(
                            title=t("overview.hierarchy.title", lang),
                            graph_id=ids.OVERVIEW_SUNBURST,
                            wrap_id=ids.OVERVIEW_SUNBURST_WRAP,
                            table_id=ids.OVERVIEW_SUNBURST_TABLE,
                            lang=lang,
                            config=cfg,
                            height=460,
                            footer=[html.P(t("overview.hierarchy.note", lang), className="footnote")],
                        ),
                        xl=5,
                    ),
                ],
                className="g-3",
            ),
        ]
    )


dash.register_page(__name__, path="/", name="Översikt", title="Översikt · RUS-dashboard", order=0, layout=layout)
register_click_filter([ids.OVERVIEW_DONUT, ids.OVERVIEW_YEARS, ids.OVERVIEW_SUNBURST])


@callback(
    Output(ids.OVERVIEW_KPIS, "children"),
    Output(ids.OVERVIEW_TITLE, "children"),
    Output(ids.OVERVIEW_DONUT, "figure"),
    Output(ids.OVERVIEW_DONUT_WRAP, "aria-label"),
    Output(ids.OVERVIEW_DONUT_SUMMARY, "children"),
    Output(ids.OVERVIEW_TABLE, "children"),
    Output(ids.OVERVIEW_SHOW, "children"),
    Input(ids.FILTER_STORE, "data"),
    Input(ids.OVERVIEW_KIND, "value"),
)
def update_overview(query: str | None, kind: str = "donut"):  # noqa: ANN201
    """Filter → allocation per goal → KPI cards, donut or bars, table, summary, drill-down link.

    The goal chart ignores the goal filter and highlights the chosen goals
    instead, so a clicked goal stays in context; the KPIs follow the filter.
    """
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    codes = vocab.goal_codes()
    labels = vocab.goal_labels(lang)
    everything = compute_goal_allocation(load_money(engine, f.with_values(goal=()), ["goal"]), codes)
    chosen = everything[everything["goal"].isin(f.goal)] if f.goal else everything
    totals = load_money(engine, f).iloc[0]
    period = format_period(f.year_from, f.year_to, lang)
    builder = build_goal_bars if kind == "bars" else build_goal_donut
    figure = builder(everything, labels=labels, colors=color_map(codes), lang=lang, selected=f.goal)
    summary = describe_goal_allocation(chosen, labels, lang, period)
    links = {g: projects_href(f, goal=(g,)) for g in codes}
    return (
        make_allocation_kpis(
            int(totals["granted_sek"]),
            int(totals["other_sek"]),
            int(totals["projects"]),
            lang,
            # with chosen goals, the 1:1 KPI is the sum of their (highlighted) slices' labels
            granted_units=sum(chosen.values()) if (chosen := chosen_goal_units(engine, f, codes)) is not None else None,
        ),
        t("overview.donut.title", lang, period=period),
        figure,
        summary,
        summary,
        make_goal_table(everything, labels, lang, t("overview.table.caption", lang, period=period), links=links),
        make_show_projects(int(totals["projects"]), projects_href(f), lang, link_id=ids.OVERVIEW_SHOW + "-link"),
    )


@callback(
    Output(ids.OVERVIEW_YEARS, "figure"),
    Output(ids.OVERVIEW_YEARS_WRAP, "aria-label"),
    Output(ids.OVERVIEW_YEARS_TABLE, "children"),
    Input(ids.FILTER_STORE, "data"),
    Input(ids.OVERVIEW_YEARS_MODE, "value"),
)
def update_years(query: str | None, mode: str = "abs"):  # noqa: ANN201
    """Allocation per goal over the decision years (stacked; kronor or shares)."""
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    codes = vocab.goal_codes()
    labels = vocab.goal_labels(lang, short=True)
    df = load_year_goal_allocation(engine, f)
    chosen = chosen_goal_units(engine, f, codes)
    total_units = sum(chosen.values()) if chosen is not None else None  # the KPI's label
    fig = build_year_stacked(
        df,
        labels=labels,
        colors=color_map(codes),
        goal_order=codes,
        lang=lang,
        share=mode == "share",
        total_units=total_units,
    )
    years, _, cells, year_units, _ = year_goal_units(df, codes, total_units)
    if not years:
        summary = t("overview.empty", lang)
    else:
        top = max(years, key=lambda y: (sum(v for (yy, _), v in cells.items() if yy == y), y is not None))
        summary = t(
            "overview.years.summary",
            lang,
            n=len(years),
            year=top if top is not None else t("year.none", lang),
            value=format_mnkr_units(year_units[top], lang),
        )
    return fig, summary, make_year_table(df, labels, codes, lang, t("overview.years.caption", lang))


@callback(
    Output(ids.OVERVIEW_SUNBURST, "figure"),
    Output(ids.OVERVIEW_SUNBURST_WRAP, "aria-label"),
    Output(ids.OVERVIEW_SUNBURST_TABLE, "children"),
    Input(ids.FILTER_STORE, "data"),
)
def update_hierarchy(query: str | None):  # noqa: ANN201
    """Direction → goal → theme sunburst of 1:1 money."""
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    directions = dict(
        zip(vocab.goals["direction"], vocab.goals["direction_en" if lang == "en" else "direction_sv"], strict=True)
    )
    df = compute_hierarchy(
        load_money(engine, f, ["direction", "goal", "theme"]),
        direction_labels=directions,
        goal_labels=vocab.goal_labels(lang, short=True),
        theme_labels=vocab.theme_labels(lang),
        none_label=t("goal.none", lang),
    )
    chosen = chosen_goal_units(engine, f, vocab.goal_codes())
    fig = build_hierarchy(
        df, colors=color_map(vocab.goal_codes()), lang=lang, goal_order=vocab.goal_codes(), goal_units=chosen
    )
    # the summary names the largest direction with the label its ring shows
    by_dir = df[df["granted_sek"] > 0].groupby("direction")["granted_sek"].sum()
    if by_dir.empty:
        summary = t("overview.empty", lang)
    else:
        top = by_dir.idxmax()
        units = hierarchy_units(df, vocab.goal_codes(), chosen)
        name = df.loc[df["direction"] == top, "direction_label"].iloc[0]
        summary = t("overview.hierarchy.summary", lang, top=name, value=format_mnkr_units(units[("d", top)][0], lang))
    return fig, summary, make_hierarchy_table(df, lang, t("overview.hierarchy.caption", lang))


@callback(
    Output(ids.OVERVIEW_FRAME_TITLE, "children"),
    Output(ids.OVERVIEW_FRAME, "figure"),
    Output(ids.OVERVIEW_FRAME_WRAP, "aria-label"),
    Output(ids.OVERVIEW_FRAME_TABLE, "children"),
    Input(ids.FILTER_STORE, "data"),
)
def update_frame(query: str | None):  # noqa: ANN201
    """The year's frame against decided 1:1 money, in all and per goal."""
    f = filters_from_store(query)
    lang = current_language()
    engine = current_engine()
    vocab = vocabulary(engine)
    year = pick_frame_year(load_frame_years(engine), f.year_from, f.year_to, current_settings().reference_date.year)
    if year is None:
        empty = pd.DataFrame(columns=FRAME_TABLE_COLUMNS)
        return t("frame.title", lang, year="–"), build_frame_chart(empty, lang=lang), t("frame.none", lang), None
    decided = load_money(engine, FilterState(year_from=year, year_to=year), ["goal"])
    table = compute_frame_table(
        load_frames(engine, [year]),
        decided,
        labels=vocab.goal_labels(lang, short=True),
        total_label=t("frame.total", lang),
        goals=f.goal,
    )
    fig = build_frame_chart(table, lang=lang)
    total = table[table["goal"].isna()]
    row = total.iloc[0] if not total.empty else (table.sum(numeric_only=True) if not table.empty else None)
    summary = (
        t(
            "frame.summary",
            lang,
            frame=format_mnkr(int(row["frame_sek"]), lang),
            year=year,
            decided=format_mnkr(int(row["decided_sek"]), lang),
            # as the chart's labels: decided + remaining = the frame
            remaining=format_mnkr_units(mnkr_units(int(row["frame_sek"])) - mnkr_units(int(row["decided_sek"])), lang),
        )
        if row is not None
        else t("frame.none", lang)
    )
    return (
        t("frame.title", lang, year=year),
        fig,
        summary,
        make_frame_table(table, lang, t("frame.caption", lang, year=year)),
    )

"""Strategin: the strategy tree, with sub-goals, priorities and themes."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from ..i18n import t
from ..queries.strategy import load_strategy_tree
from ..state import current_engine, current_language


def _badge(lang: str) -> html.Span:
    return html.Span(
        t("strategy.illustrative", lang),
        className="badge-illustrative ms-2",
        title=t("strategy.illustrative.help", lang),
    )


def _name(row: dict, lang: str) -> str:
    return (row.get("name_en") if lang == "en" else None) or row["name_sv"]


def layout(**_query: str) -> html.Div:
    """The tree as nested cards (read once per request)."""
    lang = current_language()
    tree = load_strategy_tree(current_engine())
    directions = []
    for d in tree["directions"]:
        goals = []
        for g in d["goals"]:
            subgoals = [html.Li([_name(s, lang), _badge(lang) if s["illustrative"] else None]) for s in g["subgoals"]]
            priorities = [
                html.Li(
                    [
                        _name(p, lang),
                        _badge(lang) if p["illustrative"] else None,
                        html.Span(", ".join(p["themes"]), className="theme-tags ms-2") if p["themes"] else None,
                    ]
                )
                for p in g["priorities"]
            ]
            goals.append(
                dbc.Col(
                    dbc.Card(
                        dbc.CardBody(
                            [
                                html.H3(_name(g, lang), className="h6 fw-bold"),
                                html.H4(t("strategy.subgoals", lang), className="small text-uppercase mt-2"),
                                html.Ul(subgoals, className="small"),
                                html.H4(t("strategy.priorities", lang), className="small text-uppercase"),
                                html.Ul(priorities, className="small"),
                            ]
                        ),
                        className="h-100 goal-card",
                    ),
                    md=6,
                    xl=4,
                    className="mb-3",
                )
            )
        areas = ", ".join(_name(a, lang) for a in d["areas"])
        directions.append(
            html.Section(
                [
                    html.H2(_name(d, lang), className="h4 mt-3"),
                    html.P(areas, className="text-muted small"),
                    dbc.Row(goals),
                ]
            )
        )
    return html.Div(
        [
            html.H1(t("strategy.title", lang), className="page-title"),
            html.P(t("strategy.lead", lang), className="lead-text"),
            *directions,
        ]
    )


dash.register_page(
    __name__, path="/strategi", name="Strategin", title="Strategin · RUS-dashboard", order=1, layout=layout
)

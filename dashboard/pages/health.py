"""/data: data health — counts of what is missing or inconsistent, each with its rows."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from ..components.cards import make_table
from ..i18n import format_number, status_label, t
from ..queries.health import load_health
from ..state import current_engine, current_language, current_settings

CHECKS = ("no_goal", "no_cofinancing", "dates", "shares", "indicators_without_target", "priorities_without_theme")


def layout(**_query: str) -> html.Div:
    """One card per check: the count, and the rows behind a disclosure."""
    lang = current_language()
    health = load_health(current_engine(), current_settings().reference_date)
    cards = []
    for key in CHECKS:
        df = health[key]
        if "reference" in df.columns:
            rows = [
                [dcc.Link(r.reference, href=f"/projekt?project={r.reference}"), r.title, status_label(r.status, lang)]
                for r in df.itertuples(index=False)
            ]
            header = [t("col.reference", lang), t("col.title", lang), t("col.status", lang)]
        else:
            rows = [[r.code, r.name] for r in df.itertuples(index=False)]
            header = ["Kod" if lang == "sv" else "Code", t("col.title", lang)]
        body = (
            html.P(t("health.ok", lang), className="text-success mb-0")
            if df.empty
            else html.Details(
                [html.Summary(t("health.show", lang)), make_table(header, rows, caption=t(f"health.{key}", lang))],
                className="table-alt",
            )
        )
        cards.append(
            dbc.Col(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.Div(
                                [
                                    html.Span(
                                        format_number(len(df), lang),
                                        className="health-count " + ("health-bad" if len(df) else "health-good"),
                                    ),
                                    html.H2(t(f"health.{key}", lang), className="h6 mb-0"),
                                ],
                                className="health-head",
                            ),
                            body,
                        ]
                    ),
                    className="chart-card h-100",
                    id=f"health-{key}",
                ),
                lg=6,
                className="mb-3",
            )
        )
    return html.Div(
        [
            html.H1(t("health.title", lang), className="page-title"),
            html.P(t("health.lead", lang), className="lead-text"),
            dbc.Row(cards),
        ]
    )


dash.register_page(
    __name__, path="/data", name="Datakvalitet", title="Datakvalitet · RUS-dashboard", order=7, layout=layout
)

"""/rapport: the yearly report on anslag 1:1 in one click (ZIP with PDF, XLSX and PNGs)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from ..exports.report import build_report
from ..i18n import dropdown_labels, t
from ..state import current_engine, current_language, current_settings, vocabulary

YEAR = "report-year"
ZIP = "report-zip"
PDF = "report-pdf"
XLSX = "report-xlsx"
DOWNLOAD = "report-download"


def layout(**_query: str) -> html.Div:
    """Year and download buttons."""
    lang = current_language()
    years = list(vocabulary().years)
    reference = current_settings().reference_date.year
    default = max([y for y in years if y < reference] or years or [reference])
    return html.Div(
        [
            html.H1(t("report.title", lang), className="page-title"),
            html.P(t("report.lead", lang), className="lead-text"),
            dbc.Card(
                dbc.CardBody(
                    [
                        dbc.Row(
                            [
                                dbc.Col(
                                    [
                                        dbc.Label(t("report.year", lang), html_for=YEAR),
                                        dcc.Dropdown(
                                            labels=dropdown_labels(lang),
                                            id=YEAR,
                                            options=[{"label": str(y), "value": y} for y in years],
                                            value=default,
                                            clearable=False,
                                        ),
                                    ],
                                    md=2,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Button(
                                            [
                                                html.I(
                                                    className="bi bi-file-earmark-zip me-1", **{"aria-hidden": "true"}
                                                ),
                                                t("report.zip", lang),
                                            ],
                                            id=ZIP,
                                            color="primary",
                                            className="me-2",
                                        ),
                                        dbc.Button(
                                            t("report.pdf", lang),
                                            id=PDF,
                                            color="secondary",
                                            outline=True,
                                            className="me-2",
                                        ),
                                        dbc.Button(t("report.xlsx", lang), id=XLSX, color="secondary", outline=True),
                                    ],
                                    md=10,
                                    className="d-flex align-items-end",
                                ),
                            ],
                            className="g-3",
                        ),
                        dcc.Loading(dcc.Download(id=DOWNLOAD), type="dot"),
                    ]
                ),
                className="chart-card",
            ),
        ]
    )


dash.register_page(__name__, path="/rapport", name="Rapport", title="Rapport · RUS-dashboard", order=6, layout=layout)


@callback(
    Output(DOWNLOAD, "data"),
    Input(ZIP, "n_clicks"),
    Input(PDF, "n_clicks"),
    Input(XLSX, "n_clicks"),
    State(YEAR, "value"),
    prevent_initial_call=True,
)
def on_report(_zip: int | None, _pdf: int | None, _xlsx: int | None, year: int | None) -> dict:
    """Build the report for the chosen year and send it."""
    if year is None or ctx.triggered_id is None:
        raise PreventUpdate
    return report_download(str(ctx.triggered_id), int(year), current_language())


def report_download(kind: str, year: int, lang: str) -> dict:
    """The download for ``kind`` (report-zip / report-pdf / report-xlsx)."""
    pack = build_report(current_engine(), year, lang, with_charts=kind == ZIP or kind == PDF)
    if kind == PDF:
        return dcc.send_bytes(pack.pdf, f"rapport-anslag-1-1-{year}.pdf")
    if kind == XLSX:
        return dcc.send_bytes(pack.xlsx, f"rapport-anslag-1-1-{year}.xlsx")
    return dcc.send_bytes(pack.zip(), f"rapport-anslag-1-1-{year}.zip")

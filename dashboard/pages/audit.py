"""/logg: the audit log — who imported, edited or deleted what, when, before → after; exportable."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from ..auth import VALIDATION_USER, current_user, login_path, page_user
from ..components.projects import GRID_LOCALE_SV
from ..exports.tables import to_csv_bytes, to_xlsx_bytes
from ..i18n import format_number, t
from ..queries.audit import MAX_EVENTS, load_audit
from ..state import current_engine, current_language
from ..transforms import AUDIT_COLUMNS as COLUMNS
from ..transforms import audit_rows

GRID = "audit-grid"
SEARCH = "audit-search"
CSV = "audit-csv"
XLSX = "audit-xlsx"
DOWNLOAD = "audit-download"


def _headers(lang: str) -> dict[str, str]:
    return {key: t(f"audit.col.{key}", lang) for key in (*COLUMNS, "before_json", "after_json")}


def layout(**_query: str) -> html.Div:
    """The log in a searchable grid, with CSV/XLSX export of the full before/after values."""
    lang = current_language()
    user = page_user()
    if user is None:  # the grid stays (hidden, empty) for Dash's validation layout
        return html.Div(
            [
                html.H1(t("audit.title", lang), className="page-title"),
                dbc.Alert(
                    [t("audit.login_needed", lang), " ", dcc.Link(t("auth.login", lang), href=login_path("/logg"))],
                    color="warning",
                ),
                html.Div(_view(lang, audit_rows(pd.DataFrame())), hidden=True),
            ]
        )
    return _view(lang, audit_rows(pd.DataFrame() if user is VALIDATION_USER else load_audit(current_engine())))


def _view(lang: str, rows: pd.DataFrame) -> html.Div:
    headers = _headers(lang)
    column_defs = [
        {"field": "at", "headerName": headers["at"], "width": 170, "sort": "desc"},
        {"field": "actor", "headerName": headers["actor"], "width": 140},
        {"field": "action", "headerName": headers["action"], "width": 120},
        {"field": "entity", "headerName": headers["entity"], "width": 100},
        {"field": "entity_key", "headerName": headers["entity_key"], "width": 160},
        {"field": "changes", "headerName": headers["changes"], "flex": 1, "tooltipField": "changes"},
    ]
    return html.Div(
        [
            html.H1(t("audit.title", lang), className="page-title"),
            html.P(t("audit.lead", lang, n=format_number(MAX_EVENTS, lang)), className="lead-text"),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Input(
                            id=SEARCH, type="search", placeholder=t("audit.search", lang), debounce=True, value=""
                        ),
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Button("CSV", id=CSV, color="secondary", outline=True, size="sm", className="me-2"),
                            dbc.Button("Excel", id=XLSX, color="secondary", outline=True, size="sm"),
                            dcc.Download(id=DOWNLOAD),
                        ],
                        md=7,
                        className="text-md-end",
                    ),
                ],
                className="g-2 mb-2 align-items-center",
            ),
            dag.AgGrid(
                id=GRID,
                columnDefs=column_defs,
                rowData=rows[list(COLUMNS)].to_dict("records"),
                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                dashGridOptions=grid_options(lang),
                style={"height": "640px", "width": "100%"},
            ),
        ]
    )


dash.register_page(
    __name__, path="/logg", name="Ändringslogg", title="Ändringslogg · RUS-dashboard", order=21, layout=layout
)


@callback(Output(GRID, "dashGridOptions"), Input(SEARCH, "value"), prevent_initial_call=True)
def on_search(text: str | None) -> dict:
    """Quick search over every column."""
    return grid_options(current_language(), text or "")


def grid_options(lang: str, search: str = "") -> dict:
    """Paging, tooltips, the quick search and (in Swedish) the grid's own texts."""
    options = {"pagination": True, "paginationPageSize": 50, "tooltipShowDelay": 300, "quickFilterText": search}
    if lang == "sv":
        options["localeText"] = {**GRID_LOCALE_SV, "noRowsToShow": t("audit.empty", lang)}
    return options


@callback(Output(DOWNLOAD, "data"), Input(CSV, "n_clicks"), Input(XLSX, "n_clicks"), prevent_initial_call=True)
def on_export(_csv: int | None, _xlsx: int | None) -> dict:
    """The whole log (with the full before/after JSON) as CSV or XLSX."""
    if current_user() is None or ctx.triggered_id is None:
        raise PreventUpdate
    lang = current_language()
    rows = audit_rows(load_audit(current_engine()))
    headers = _headers(lang)
    name = "andringslogg" if lang == "sv" else "change-log"
    if ctx.triggered_id == XLSX:
        return dcc.send_bytes(to_xlsx_bytes({t("audit.title", lang)[:31]: (rows, headers)}), f"{name}.xlsx")
    return dcc.send_bytes(to_csv_bytes(rows, headers), f"{name}.csv")

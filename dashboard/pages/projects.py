"""Projekt: the project list behind every number, with details and exports."""

from __future__ import annotations

from urllib.parse import quote

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from ..auth import current_user
from ..components import ids
from ..components.projects import (
    EXPORT_COLUMNS,
    GRID_LOCALE_SV,
    column_headers,
    make_column_defs,
    make_project_detail,
)
from ..exports.tables import to_csv_bytes, to_xlsx_bytes
from ..filters import FilterState
from ..i18n import format_mnkr, format_number, status_label, t
from ..models import PROJECT_STATUSES
from ..queries.projects import MAX_ROWS, count_projects, load_project_detail, load_projects
from ..state import current_engine, current_language, filters_from_store, vocabulary
from ..transforms import compute_project_rows

OPEN_STORE = "projects-open"


def project_rows(
    f: FilterState, lang: str, *, limit: int | None = MAX_ROWS, references: list[str] | None = None
) -> pd.DataFrame:
    """Display rows for the grid and the exports (names, goals with shares, totals)."""
    engine = current_engine()
    vocab = vocabulary(engine)
    raw = load_projects(engine, f, limit=limit, references=references)
    return compute_project_rows(
        raw,
        goal_names=vocab.goal_labels(lang, short=True),
        theme_names=vocab.theme_labels(lang),
        municipality_names=vocab.municipality_labels(),
        status_names={s: status_label(s, lang) for s in PROJECT_STATUSES},
        whole_county=t("projects.whole_county", lang),
    )


def layout(project: str | None = None, **_query: str) -> html.Div:
    """Grid, quick search, exports and the detail dialog (``?project=REF`` opens it)."""
    lang = current_language()
    grid_options = {
        "pagination": True,
        "paginationPageSize": 50,
        "animateRows": False,
        "enableCellTextSelection": True,
        "tooltipShowDelay": 400,
    }
    if lang == "sv":
        grid_options["localeText"] = GRID_LOCALE_SV
    return html.Div(
        [
            html.H1(t("projects.title", lang), className="page-title"),
            html.P(t("projects.lead", lang), className="lead-text"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(
                                t("projects.search", lang), html_for=ids.PROJECTS_SEARCH, className="visually-hidden"
                            ),
                            dbc.Input(
                                id=ids.PROJECTS_SEARCH,
                                type="search",
                                placeholder=t("projects.search", lang),
                                debounce=False,
                            ),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        html.Div(id=ids.PROJECTS_COUNT, className="projects-count", **{"aria-live": "polite"}), md=4
                    ),
                    dbc.Col(
                        [
                            dbc.Button(
                                [
                                    html.I(className="bi bi-filetype-csv me-1", **{"aria-hidden": "true"}),
                                    t("projects.export_csv", lang),
                                ],
                                id=ids.PROJECTS_CSV,
                                color="secondary",
                                outline=True,
                                size="sm",
                                className="me-2",
                            ),
                            dbc.Button(
                                [
                                    html.I(className="bi bi-file-earmark-excel me-1", **{"aria-hidden": "true"}),
                                    t("projects.export_xlsx", lang),
                                ],
                                id=ids.PROJECTS_XLSX,
                                color="secondary",
                                outline=True,
                                size="sm",
                            ),
                            dcc.Download(id=ids.PROJECTS_DOWNLOAD),
                        ],
                        md=4,
                        className="text-md-end",
                    ),
                ],
                className="g-2 mb-2 align-items-center",
            ),
            dag.AgGrid(
                id=ids.PROJECTS_GRID,
                columnDefs=make_column_defs(lang),
                rowData=[],
                defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": False},
                dashGridOptions=grid_options,
                getRowId="params.data.reference",
                style={"height": "620px", "width": "100%"},
            ),
            html.P(id=ids.PROJECTS_TOTALS, className="footnote"),
            html.P(t("projects.year_note", lang), className="footnote"),
            dcc.Store(id=OPEN_STORE, data=project),
            dbc.Modal(
                [
                    dbc.ModalHeader(dbc.ModalTitle(id=ids.PROJECTS_DETAIL_TITLE)),
                    dbc.ModalBody(id=ids.PROJECTS_DETAIL_BODY),
                ],
                id=ids.PROJECTS_DETAIL,
                size="xl",
                scrollable=True,
                is_open=False,
            ),
        ]
    )


dash.register_page(__name__, path="/projekt", name="Projekt", title="Projekt · RUS-dashboard", order=2, layout=layout)


@callback(
    Output(ids.PROJECTS_GRID, "rowData"),
    Output(ids.PROJECTS_COUNT, "children"),
    Input(ids.FILTER_STORE, "data"),
)
def update_projects(query: str | None):  # noqa: ANN201
    """Filter → project rows for the grid and the count (capped at MAX_ROWS)."""
    f = filters_from_store(query)
    lang = current_language()
    rows = project_rows(f, lang)
    n = count_projects(current_engine(), f)
    if n > len(rows):
        text = t("projects.count_capped", lang, shown=format_number(len(rows), lang), n=format_number(n, lang))
    else:
        text = t("projects.count", lang, n=format_number(n, lang))
    columns = list(rows.columns)  # records from plain lists: to_dict over Arrow-backed columns is slow
    records = [
        dict(zip(columns, values, strict=True)) for values in zip(*(rows[c].tolist() for c in columns), strict=True)
    ]
    return records, text


@callback(
    Output(ids.PROJECTS_GRID, "dashGridOptions"),
    Input(ids.PROJECTS_SEARCH, "value"),
    State(ids.PROJECTS_GRID, "dashGridOptions"),
    prevent_initial_call=True,
)
def update_search(text: str | None, options: dict | None):  # noqa: ANN201
    """Quick search across all columns."""
    return {**(options or {}), "quickFilterText": text or ""}


@callback(Output(ids.PROJECTS_TOTALS, "children"), Input(ids.PROJECTS_GRID, "virtualRowData"))
def update_totals(rows: list[dict] | None):  # noqa: ANN201
    """Sums of the rows the grid shows (after search and column filters)."""
    if rows is None:
        return no_update
    lang = current_language()
    granted = sum(int(r.get("granted_sek") or 0) for r in rows)
    other = sum(int(r.get("other_sek") or 0) for r in rows)
    return t(
        "projects.totals",
        lang,
        granted=format_mnkr(granted, lang),
        other=format_mnkr(other, lang),
        total=format_mnkr(granted + other, lang),
    )


@callback(
    Output(ids.PROJECTS_DOWNLOAD, "data"),
    Input(ids.PROJECTS_CSV, "n_clicks"),
    Input(ids.PROJECTS_XLSX, "n_clicks"),
    State(ids.PROJECTS_GRID, "virtualRowData"),
    State(ids.FILTER_STORE, "data"),
    prevent_initial_call=True,
)
def on_export(_csv: int | None, _xlsx: int | None, visible: list[dict] | None, query: str | None):  # noqa: ANN201
    """Export exactly the rows the grid shows, in its order, with Swedish headers."""
    kind = "xlsx" if ctx.triggered_id == ids.PROJECTS_XLSX else "csv"
    return export_projects(kind, visible, query, current_language())


def export_projects(kind: str, visible: list[dict] | None, query: str | None, lang: str) -> dict:
    """The download for ``kind`` (csv/xlsx): the grid's visible rows (all
    filtered projects when the grid has not reported them)."""
    f = filters_from_store(query)
    refs = [r["reference"] for r in visible] if visible is not None else None
    rows = project_rows(f, lang, limit=None, references=refs)
    if refs is not None:
        order = {ref: i for i, ref in enumerate(refs)}
        rows = rows.sort_values("reference", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    headers = {c: column_headers(lang, with_units=True)[c] for c in EXPORT_COLUMNS}
    name = "projekt" if lang == "sv" else "projects"
    if kind == "xlsx":
        return dcc.send_bytes(to_xlsx_bytes({t("projects.sheet", lang): (rows, headers)}), f"{name}.xlsx")
    return dcc.send_bytes(to_csv_bytes(rows, headers), f"{name}.csv")


@callback(
    Output(ids.PROJECTS_DETAIL, "is_open"),
    Output(ids.PROJECTS_DETAIL_TITLE, "children"),
    Output(ids.PROJECTS_DETAIL_BODY, "children"),
    Input(ids.PROJECTS_GRID, "cellClicked"),
    Input(OPEN_STORE, "data"),
)
def on_open_detail(cell: dict | None, reference: str | None):  # noqa: ANN201
    """Open the detail dialog for a clicked row (or ``?project=REF``)."""
    if ctx.triggered_id == ids.PROJECTS_GRID and cell:
        reference = cell.get("rowId")
    if not reference:
        raise PreventUpdate
    return (True, *project_detail_view(reference, current_language()))


def project_detail_view(reference: str, lang: str) -> tuple[str, html.Div | html.P]:
    """Title and body of the detail dialog for ``reference``."""
    detail = load_project_detail(current_engine(), reference)
    if detail is None:
        return reference, html.P(t("detail.notfound", lang, ref=reference))
    body = make_project_detail(detail, lang)
    user = current_user()
    if user is not None and user.can_edit(detail.get("theme_code")):
        body = html.Div(
            [
                dcc.Link(
                    [html.I(className="bi bi-pencil me-1", **{"aria-hidden": "true"}), t("edit.button", lang)],
                    href=f"/redigera?project={quote(detail['reference'])}",
                    className="btn btn-sm btn-outline-primary mb-2",
                    id="project-edit-link",
                ),
                body,
            ]
        )
    return f"{detail['reference']} · {detail['title']}", body

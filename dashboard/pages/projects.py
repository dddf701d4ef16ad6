"""Projekt: the project list behind every number, with details and exports."""

from __future__ import annotations

from urllib.parse import quote

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
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
from ..filters import FilterState, parse_query, resolve
from ..i18n import format_mnkr, format_mnkr_units, format_number, mnkr_units, status_label, t
from ..limits import bounded_rows
from ..models import PROJECT_STATUSES
from ..queries.projects import (
    EXPORT_MAX_ROWS,
    ListQuery,
    list_goal_part,
    list_totals,
    load_project_detail,
    load_projects,
)
from ..state import current_engine, current_language, filters_from_store, vocabulary
from ..transforms import GOAL_PART_COLUMNS, compute_project_rows

OPEN_STORE = "projects-open"
REFRESH_STORE = "projects-refresh"
BLOCK_ROWS = 100
"""Rows per request: the grid fetches the list a block at a time (AG Grid's infinite row model)."""


def list_query(request: dict | None, search: str | None, lang: str) -> ListQuery:
    """The list's search, column filters and sort for ``lang`` (statuses sort by their label)."""
    order = tuple(sorted(PROJECT_STATUSES, key=lambda s: status_label(s, lang)))
    return ListQuery.from_grid(request, search, lang, order)


def project_rows(
    f: FilterState,
    lang: str,
    *,
    limit: int | None = None,
    offset: int = 0,
    lq: ListQuery | None = None,
    references: list[str] | None = None,
) -> pd.DataFrame:
    """Display rows for the grid and the exports (names, goals with shares, totals)."""
    engine = current_engine()
    vocab = vocabulary(engine)
    raw = load_projects(engine, f, limit=limit, offset=offset, lq=lq, references=references)
    return compute_project_rows(
        raw,
        goal_names=vocab.goal_labels(lang, short=True),
        theme_names=vocab.theme_labels(lang),
        municipality_names=vocab.municipality_labels(),
        status_names={s: status_label(s, lang) for s in PROJECT_STATUSES},
        whole_county=t("projects.whole_county", lang),
    )


def layout(project: str | None = None, **query: str) -> html.Div:
    """Grid, quick search, exports and the detail dialog (``?project=REF`` opens it)."""
    lang = current_language()
    by_goal = bool(resolve(parse_query(query), vocabulary().aliases()).goal)
    grid_options = {
        "pagination": True,
        "paginationPageSize": 50,
        "cacheBlockSize": BLOCK_ROWS,
        "maxBlocksInCache": 50,
        "infiniteInitialRowCount": 1,
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
                                debounce=300,
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
            html.Div(  # rows-open-dialog: Enter or Space on a row opens it, as a click does (assets/a11y.js)
                dag.AgGrid(
                    id=ids.PROJECTS_GRID,
                    columnDefs=make_column_defs(lang, goal_parts=by_goal),
                    rowModelType="infinite",
                    defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": False},
                    dashGridOptions=grid_options,
                    getRowId="params.data.reference",
                    style={"height": "620px", "width": "100%"},
                ),
                className="rows-open-dialog",
            ),
            html.P(id=ids.PROJECTS_TOTALS, className="footnote"),
            html.P(t("projects.year_note", lang), className="footnote"),
            dcc.Store(id=OPEN_STORE, data=project),
            dcc.Store(id=REFRESH_STORE),
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
    Output(ids.PROJECTS_GRID, "getRowsResponse"),
    Output(ids.PROJECTS_COUNT, "children"),
    Output(ids.PROJECTS_TOTALS, "children"),
    Input(ids.PROJECTS_GRID, "getRowsRequest"),
    State(ids.FILTER_STORE, "data"),
    State(ids.PROJECTS_SEARCH, "value"),
)
def serve_rows(request: dict | None, query: str | None, search: str | None):  # noqa: ANN201
    """One block of the list for the grid; with the first block, the count and the sums
    of every project in the list (filters, search and column filters)."""
    if not request:
        raise PreventUpdate
    f = filters_from_store(query)
    lang = current_language()
    lq = list_query(request, search, lang)
    start, end = bounded_rows(request.get("startRow"), request.get("endRow"), BLOCK_ROWS)
    rows = project_rows(f, lang, limit=end - start, offset=start, lq=lq)
    if start:
        return {"rowData": _records(rows)}, no_update, no_update
    n, granted, other = list_totals(current_engine(), f, lq)
    totals = list_totals_text(f, lq, granted, other, lang)
    return {"rowData": _records(rows), "rowCount": n}, t("projects.count", lang, n=format_number(n, lang)), totals


def list_totals_text(f: FilterState, lq: ListQuery, granted: int, other: int, lang: str) -> str | list:
    """The sums under the list; filtered by goal, also why they exceed the goal's money
    elsewhere: shared projects are listed whole, and the goal's own part is named."""
    granted_units, other_units = mnkr_units(granted), mnkr_units(other)
    sums = t(
        "projects.totals",
        lang,
        granted=format_mnkr_units(granted_units, lang),
        other=format_mnkr_units(other_units, lang),
        total=format_mnkr_units(granted_units + other_units, lang),  # the sum of the two labels
    )
    if not f.goal:
        return sums
    labels = vocabulary().goal_labels(lang, short=True)
    headers = column_headers(lang)
    return [
        sums,
        html.Br(),
        html.Span(
            t(
                "projects.goal_note",
                lang,
                goals=", ".join(labels.get(g, g) for g in f.goal),
                part=format_mnkr(list_goal_part(current_engine(), f, lq), lang),
                share=headers["goal_share"],
                part_col=headers["goal_granted_sek"],
            ),
            id=ids.PROJECTS_GOAL_NOTE,
            className="goal-note",
        ),
    ]


@callback(
    Output(ids.PROJECTS_GRID, "columnDefs"),
    Input(ids.FILTER_STORE, "data"),
    State(ids.PROJECTS_GRID, "columnDefs"),
)
def update_columns(query: str | None, current: list | None):  # noqa: ANN201
    """The goal's share and part columns while the list is filtered by goal."""
    f = filters_from_store(query)
    wanted = make_column_defs(current_language(), goal_parts=bool(f.goal))
    if current is not None and [c.get("field") for c in current] == [c.get("field") for c in wanted]:
        raise PreventUpdate
    return wanted


def _records(rows: pd.DataFrame) -> list[dict]:
    columns = list(rows.columns)  # records from plain lists: to_dict over Arrow-backed columns is slow
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*(rows[c].tolist() for c in columns), strict=True)
    ]


# A new filter or search: the grid drops its loaded blocks and asks again from the first row.
clientside_callback(
    f"""async function(query, search) {{
        const api = await window.dash_ag_grid.getApiAsync('{ids.PROJECTS_GRID}');
        api.purgeInfiniteCache();
        return window.dash_clientside.no_update;
    }}""",
    Output(REFRESH_STORE, "data"),
    Input(ids.FILTER_STORE, "data"),
    Input(ids.PROJECTS_SEARCH, "value"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.PROJECTS_DOWNLOAD, "data"),
    Input(ids.PROJECTS_CSV, "n_clicks"),
    Input(ids.PROJECTS_XLSX, "n_clicks"),
    State(ids.PROJECTS_GRID, "getRowsRequest"),
    State(ids.PROJECTS_SEARCH, "value"),
    State(ids.FILTER_STORE, "data"),
    prevent_initial_call=True,
)
def on_export(  # noqa: ANN201
    _csv: int | None, _xlsx: int | None, request: dict | None, search: str | None, query: str | None
):
    """Export the list as the grid shows it (filters, search, column filters, sort), with Swedish headers."""
    kind = "xlsx" if ctx.triggered_id == ids.PROJECTS_XLSX else "csv"
    lang = current_language()
    return export_projects(kind, query, lang, list_query(request, search, lang))


def export_projects(kind: str, query: str | None, lang: str, lq: ListQuery | None = None) -> dict:
    """The download for ``kind`` (csv/xlsx): every project of the list in its order
    (at most :data:`EXPORT_MAX_ROWS`)."""
    f = filters_from_store(query)
    rows = project_rows(f, lang, limit=EXPORT_MAX_ROWS, lq=lq or ListQuery(lang=lang))
    headers = {c: column_headers(lang, with_units=True)[c] for c in [*EXPORT_COLUMNS, *GOAL_PART_COLUMNS] if c in rows}
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

"""/import: upload a project list → preview (problems or what would change) → confirm.

Needs a login with the strategist or admin role; strategists can only import
projects of their own themes. Columns can be mapped by hand and the mapping
saved as a profile (usable from the CLI too: ``--mapping NAME``).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import SQLAlchemyError

from ..auth import VALIDATION_USER, CurrentUser, current_user, login_path, page_user
from ..components.cards import make_table
from ..i18n import dropdown_labels, format_number, t
from ..importers.indicators import ImportFailed, Problem
from ..importers.projects import (
    PROFILES,
    ProjectImportReport,
    import_projects,
    load_profile,
    write_rejected,
)
from ..importers.uploads import (
    MAPPABLE,
    file_header,
    mapping_profile,
    match_columns,
    save_profile,
    save_upload,
    saved_profiles,
    upload_path,
)
from ..state import clear_vocabulary_cache, current_engine, current_language, current_settings

PROFILE = "import-profile"
ONLY_REGION = "import-only-region"
SKIP_INVALID = "import-skip-invalid"
REJECTED = "import-rejected-download"
REJECTED_DOWNLOAD = "import-rejected-file"
UPLOAD = "import-upload"
STORE = "import-store"
MAP = "import-map"  # pattern-matching: {"type": MAP, "field": key}
MAPPING = "import-mapping"
PROFILE_NAME = "import-profile-name"
SAVE_PROFILE = "import-save-profile"
SAVE_RESULT = "import-save-result"
PREVIEW = "import-preview"
CONFIRM = "import-confirm"
RESULT = "import-result"
TEMPLATE = "import-template"
TEMPLATE_DOWNLOAD = "import-template-download"
MAX_SHOWN = 200


def _field_label(key: str, lang: str) -> str:
    if key.startswith("funding:"):
        from ..i18n import source_label

        return f"{t('import.funding', lang)}: {source_label(key.split(':', 1)[1], lang)}"
    return t(f"import.field.{key}", lang)


def _profile_options(lang: str) -> list[dict]:
    builtin = [{"label": t(f"import.profile.{name}", lang), "value": name} for name in PROFILES]
    try:
        saved = saved_profiles(current_engine())
    except SQLAlchemyError:  # the page still works with the builtin profiles
        saved = []
    return builtin + [{"label": f"{name} ({t('import.saved', lang)})", "value": name} for name in saved]


def _denied(lang: str, anonymous: bool) -> html.Div:
    body = (
        [t("import.login_needed", lang), " ", dcc.Link(t("auth.login", lang), href=login_path("/import"))]
        if anonymous
        else [t("import.role_needed", lang)]
    )
    return html.Div(
        [html.H1(t("import.title", lang), className="page-title"), dbc.Alert(body, color="warning", id="import-denied")]
    )


def layout(**_query: str) -> html.Div:
    """Step 1 choose a profile and upload; step 2 (optional) map columns; step 3 preview and confirm.
    Without the right, a message — and the form hidden, because Dash's validation layout
    (built from the first request, whoever sends it) must hold every callback component."""
    lang = current_language()
    user = page_user()
    if user is None or not user.can_import():
        return html.Div([_denied(lang, user is None), html.Div(_form(lang, VALIDATION_USER), hidden=True)])
    return _form(lang, user)


def _form(lang: str, user: CurrentUser) -> html.Div:
    scope = (
        t("import.scope_all", lang)
        if user.is_admin
        else t("import.scope_themes", lang, themes=", ".join(sorted(user.themes)) or "-")
    )
    mapping_rows = [
        dbc.Col(
            [
                dbc.Label(_field_label(key, lang), className="small mb-1"),
                dcc.Dropdown(
                    labels=dropdown_labels(lang),
                    id={"type": MAP, "field": key},
                    options=[],
                    value=None,
                    placeholder="–",
                ),
            ],
            md=4,
            lg=3,
            className="mb-2",
        )
        for key in MAPPABLE
    ]
    return html.Div(
        [
            html.H1(t("import.title", lang), className="page-title"),
            html.P([t("import.lead", lang), " ", html.Strong(scope)], className="lead-text"),
            dcc.Store(id=STORE),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(t("import.step1", lang), className="h5"),
                        dbc.Row(
                            [
                                dbc.Col(
                                    [
                                        dbc.Label(t("import.profile", lang), html_for=PROFILE),
                                        dcc.Dropdown(
                                            labels=dropdown_labels(lang),
                                            id=PROFILE,
                                            options=_profile_options(lang),
                                            value="mall",
                                            clearable=False,
                                        ),
                                        dbc.Checkbox(
                                            id=ONLY_REGION,
                                            label=t("import.only_region", lang),
                                            value=False,
                                            className="mt-2 small",
                                        ),
                                        dbc.Checkbox(
                                            id=SKIP_INVALID,
                                            label=t("import.skip_invalid", lang),
                                            value=False,
                                            className="small",
                                        ),
                                    ],
                                    md=4,
                                ),
                                dbc.Col(
                                    dcc.Upload(
                                        html.Div(
                                            [
                                                html.I(
                                                    className="bi bi-cloud-arrow-up me-2", **{"aria-hidden": "true"}
                                                ),
                                                t("import.drop", lang),
                                                html.Div(
                                                    t(
                                                        "import.drop_limit",
                                                        lang,
                                                        mb=format_number(
                                                            current_settings().max_upload_bytes / 1024 / 1024, lang
                                                        ),
                                                    ),
                                                    className="small text-muted",
                                                ),
                                            ],
                                            id="import-upload-text",  # names the file input (assets/a11y.js)
                                        ),
                                        id=UPLOAD,
                                        accept=".xlsx,.csv,.txt,.json,.xlsm",
                                        # a little above the limit, so a file somewhat too large reaches the
                                        # server and gets a clear message (the browser drops larger ones silently)
                                        max_size=int(current_settings().max_upload_bytes * 1.45),
                                        className="upload-area",
                                    ),
                                    md=5,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Button(
                                            [
                                                html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}),
                                                t("import.template", lang),
                                            ],
                                            id=TEMPLATE,
                                            color="secondary",
                                            outline=True,
                                        ),
                                        dcc.Download(id=TEMPLATE_DOWNLOAD),
                                    ],
                                    md=3,
                                    className="d-flex align-items-start",
                                ),
                            ],
                            className="g-3",
                        ),
                    ]
                ),
                className="chart-card mb-3",
            ),
            html.Details(
                [
                    html.Summary(t("import.step2", lang), className="h5"),
                    html.P(t("import.mapping_lead", lang), className="small text-muted"),
                    dbc.Row(mapping_rows, id=MAPPING),
                    dbc.Row(
                        [
                            dbc.Col(
                                dbc.Input(id=PROFILE_NAME, placeholder=t("import.profile_name", lang), maxLength=100),
                                md=4,
                            ),
                            dbc.Col(
                                dbc.Button(t("import.save_profile", lang), id=SAVE_PROFILE, color="secondary"), md=3
                            ),
                            dbc.Col(html.Div(id=SAVE_RESULT, role="status"), md=5),
                        ],
                        className="g-2 mt-1",
                    ),
                ],
                className="chart-card card card-body mb-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(t("import.step3", lang), className="h5"),
                        dcc.Loading(
                            html.Div(t("import.nothing_yet", lang), id=PREVIEW, role="status"),
                            custom_spinner=html.Div(
                                [dbc.Spinner(size="sm", spinner_class_name="me-2"), t("import.checking", lang)],
                                className="small text-muted",
                            ),
                        ),
                        dbc.Button(
                            [
                                html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}),
                                t("import.rejected_download", lang),
                            ],
                            id=REJECTED,
                            color="secondary",
                            outline=True,
                            className="mt-2 me-2",
                            style={"display": "none"},
                        ),
                        dcc.Download(id=REJECTED_DOWNLOAD),
                        dbc.Button(
                            t("import.confirm", lang), id=CONFIRM, color="primary", disabled=True, className="mt-2"
                        ),
                        dcc.Loading(html.Div(id=RESULT, role="status", className="mt-3")),
                    ]
                ),
                className="chart-card",
            ),
        ]
    )


dash.register_page(
    __name__, path="/import", name="Importera", title="Importera projekt · RUS-dashboard", order=20, layout=layout
)


def _require_importer() -> CurrentUser:
    user = current_user()
    if user is None or not user.can_import():
        raise PreventUpdate
    return user


def _problem_table(problems: list[Problem], lang: str) -> html.Div:
    rows = [[p.where(lang), p.field, p.text(lang)] for p in problems[:MAX_SHOWN]]
    more = (
        html.P(t("import.more", lang, n=format_number(len(problems) - MAX_SHOWN, lang)), className="small")
        if len(problems) > MAX_SHOWN
        else None
    )
    header = [t("import.col.where", lang), t("import.col.column", lang), t("import.col.problem", lang)]
    return html.Div([make_table(header, rows, caption=t("import.problems_caption", lang)), more])


def _file_line(name: str | None, lang: str) -> html.P | None:
    return html.P([t("import.file", lang), " ", html.Code(name)], className="small mb-2") if name else None


def render_failure(exc: ImportFailed, lang: str, written: bool = False, name: str | None = None) -> html.Div:
    """The problems of a rejected file (nothing was written)."""
    return html.Div(
        [
            _file_line(name, lang),
            dbc.Alert(
                [
                    html.Strong(t("import.rejected", lang, n=format_number(len(exc.problems), lang))),
                    " ",
                    t("import.nothing_written", lang),
                ],
                color="danger",
                id="import-rejected",
            ),
            _problem_table(exc.problems, lang),
        ]
    )


def render_report(report: ProjectImportReport, lang: str, *, done: bool, name: str | None = None) -> html.Div:
    """What an import would do (preview) or did (done), with warnings and the rows."""
    counts = t(
        "import.counts",
        lang,
        created=format_number(report.created, lang),
        updated=format_number(report.updated, lang),
        unchanged=format_number(report.unchanged, lang),
    )
    skipped = t("import.skipped", lang, n=format_number(report.skipped, lang)) if report.skipped else ""
    if report.rejected:
        skipped += t("import.left_out", lang, n=format_number(len(report.rejected), lang))
    head = dbc.Alert(
        [html.Strong(t("import.done" if done else "import.would", lang)), " ", counts, skipped]
        + ([" ", dcc.Link(t("import.to_overview", lang), href="/")] if done else []),
        color="success" if done else "info",
        id="import-done" if done else "import-ok",
    )
    warnings = (
        html.Details(
            [
                html.Summary(t("import.warnings", lang, n=format_number(len(report.warnings), lang))),
                html.Ul(
                    [html.Li(f"{w.where(lang)}: {w.field}: {w.text(lang)}") for w in report.warnings[:MAX_SHOWN]],
                    className="small",
                ),
            ],
            open=True,
        )
        if report.warnings
        else None
    )
    rows = [[ref, title, t(f"import.outcome.{outcome}", lang)] for ref, title, outcome in report.rows[:MAX_SHOWN]]
    table = html.Details(
        [
            html.Summary(t("import.rows", lang, n=format_number(len(report.rows), lang))),
            make_table(
                [t("col.reference", lang), t("col.title", lang), t("import.col.outcome", lang)],
                rows,
                caption=t("import.rows_caption", lang),
            ),
        ],
        className="table-alt",
    )
    rejected = None
    if report.rejected:
        rejected = html.Details(
            [
                html.Summary(t("import.left_out_rows", lang, n=format_number(len(report.rejected), lang))),
                _problem_table([p for r in report.rejected for p in r.problems], lang),
            ],
            open=True,
            className="table-alt",
        )
    return html.Div([_file_line(name, lang), head, rejected, warnings, table])


@callback(
    Output(STORE, "data"),
    Output({"type": MAP, "field": ALL}, "options"),
    Output({"type": MAP, "field": ALL}, "value"),
    Input(UPLOAD, "contents"),
    Input(PROFILE, "value"),
    State(UPLOAD, "filename"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def on_upload(contents: str | None, profile_name: str, filename: str | None, stored: dict | None) -> tuple:
    """Keep the uploaded file; match its columns to the chosen profile."""
    _require_importer()
    settings = current_settings()
    n = len(MAPPABLE)
    if ctx.triggered_id == UPLOAD or not stored:
        if not contents:
            raise PreventUpdate
        try:
            token, path = save_upload(contents, filename or "upload", settings.max_upload_bytes)
        except ImportFailed as exc:
            return {"error": [p.__dict__ for p in exc.problems], "filename": filename}, [[]] * n, [None] * n
        stored = {"token": token, "filename": path.name}
    path = upload_path(stored.get("token"), stored.get("filename"))
    if path is None:
        return stored, [[]] * n, [None] * n
    try:
        header = file_header(path, settings.max_upload_bytes)
        _, profile = load_profile(profile_name, current_engine(), files=False)
    except ImportFailed as exc:
        return {**stored, "error": [p.__dict__ for p in exc.problems]}, [[]] * n, [None] * n
    matched = match_columns(profile, header)
    options = [{"label": h, "value": h} for h in header]
    return {**stored, "error": None}, [options] * n, [matched[k] for k in MAPPABLE]


def _mapping(items: list[dict] | None, values: list[str | None]) -> dict[str, str | None]:
    """{field → column} from the pattern-matched dropdowns (``items``: the callback's
    ``ctx.inputs_list``/``ctx.states_list`` entry; all fields in order when absent)."""
    keys = [item["id"]["field"] for item in items] if items else list(MAPPABLE)
    return dict(zip(keys, values, strict=False))


def _run(
    stored: dict,
    mapping: dict[str, str | None],
    profile_name: str,
    only_region: bool,
    *,
    dry_run: bool,
    skip_invalid: bool = False,
) -> Any:
    user = _require_importer()
    path = upload_path(stored.get("token"), stored.get("filename"))
    if path is None:
        raise ImportFailed(stored.get("filename") or "-", [Problem.of("file", "-", "upload_expired")])
    _, base = load_profile(profile_name, current_engine(), files=False)
    profile = mapping_profile(mapping, base)
    settings = current_settings()
    return import_projects(
        current_engine(),
        path,
        mapping=profile,
        dry_run=dry_run,
        reference_date=settings.reference_date,
        max_bytes=settings.max_upload_bytes,
        actor=user.username,
        only_region=bool(only_region),
        allowed_themes=user.editable_themes(),
        skip_invalid=bool(skip_invalid),
        ceiling=settings.max_amount_sek,
    )


@callback(
    Output(PREVIEW, "children"),
    Output(CONFIRM, "disabled"),
    Output(RESULT, "children", allow_duplicate=True),
    Output(REJECTED, "style"),
    Input(STORE, "data"),
    Input({"type": MAP, "field": ALL}, "value"),
    Input(ONLY_REGION, "value"),
    Input(SKIP_INVALID, "value"),
    State(PROFILE, "value"),
    prevent_initial_call=True,
)
def on_preview(stored: dict | None, values: list, only_region: bool, skip_invalid: bool, profile_name: str) -> tuple:
    """Validate the whole file without writing: problems, or what would change (and, with
    "skip invalid rows", which rows would be left out, downloadable with their reasons)."""
    lang = current_language()
    hidden = {"display": "none"}
    if not stored:
        raise PreventUpdate
    name = stored.get("filename") or "-"
    if stored.get("error"):
        problems = [Problem(**p) for p in stored["error"]]
        return render_failure(ImportFailed(name, problems), lang, name=name), True, None, hidden
    try:
        items = ctx.inputs_list[1] if ctx.inputs_list else None
        report = _run(
            stored, _mapping(items, values), profile_name, only_region, dry_run=True, skip_invalid=skip_invalid
        )
    except ImportFailed as exc:
        return render_failure(exc, lang, name=name), True, None, hidden
    except SQLAlchemyError as exc:
        return _database_failure(exc, lang, name), True, None, hidden
    shown = {"display": "inline-block"} if report.rejected else hidden
    return render_report(report, lang, done=False, name=name), False, None, shown


def _database_failure(exc: SQLAlchemyError, lang: str, name: str | None = None) -> html.Div:
    """The page's answer when the database fails mid-way (nothing was written): what kind of
    fault it is (gone, read-only, disk full, locked, …) in the page's language."""
    from ..faults import classify, message

    text = [t("import.database_failed", lang), " ", message(classify(exc), lang)]
    return html.Div([_file_line(name, lang), dbc.Alert(text, color="danger", id="import-rejected")])


@callback(
    Output(RESULT, "children"),
    Output(CONFIRM, "disabled", allow_duplicate=True),
    Input(CONFIRM, "n_clicks"),
    State(STORE, "data"),
    State({"type": MAP, "field": ALL}, "value"),
    State(ONLY_REGION, "value"),
    State(SKIP_INVALID, "value"),
    State(PROFILE, "value"),
    prevent_initial_call=True,
)
def on_confirm(
    n: int | None, stored: dict | None, values: list, only_region: bool, skip_invalid: bool, profile_name: str
) -> tuple:
    """Import for real (one transaction, audited); the charts show the new totals at once."""
    if not n or not stored:
        raise PreventUpdate
    lang = current_language()
    items = ctx.states_list[1] if ctx.states_list else None
    try:
        report = _run(
            stored, _mapping(items, values), profile_name, only_region, dry_run=False, skip_invalid=skip_invalid
        )
    except ImportFailed as exc:
        return render_failure(exc, lang), True
    except SQLAlchemyError as exc:
        return _database_failure(exc, lang, stored.get("filename")), True
    clear_vocabulary_cache()
    return render_report(report, lang, done=True), True


@callback(
    Output(SAVE_RESULT, "children"),
    Output(PROFILE, "options"),
    Input(SAVE_PROFILE, "n_clicks"),
    State(PROFILE_NAME, "value"),
    State({"type": MAP, "field": ALL}, "value"),
    State(PROFILE, "value"),
    prevent_initial_call=True,
)
def on_save_profile(n: int | None, name: str | None, values: list, profile_name: str) -> tuple:
    """Save the current column mapping under a name."""
    user = _require_importer()
    if not n:
        raise PreventUpdate
    lang = current_language()
    items = ctx.states_list[1] if ctx.states_list else None
    try:
        _, base = load_profile(profile_name, current_engine(), files=False)
        save_profile(current_engine(), name or "", mapping_profile(_mapping(items, values), base), user.username)
    except ImportFailed as exc:
        return html.Span(exc.problems[0].text(lang), className="text-danger"), dash.no_update
    except ValueError as exc:
        return html.Span(str(exc), className="text-danger"), dash.no_update
    return html.Span(t("import.profile_saved", lang, name=name.strip()), className="text-success"), _profile_options(
        lang
    )


@callback(Output(TEMPLATE_DOWNLOAD, "data"), Input(TEMPLATE, "n_clicks"), prevent_initial_call=True)
def on_template(n: int | None) -> dict:
    """The import template with a sheet of allowed values."""
    from ..exports.template import template_workbook

    if not n:
        raise PreventUpdate
    return dcc.send_bytes(template_workbook(current_engine()), "rus-projektmall.xlsx")


@callback(
    Output(REJECTED_DOWNLOAD, "data"),
    Input(REJECTED, "n_clicks"),
    State(STORE, "data"),
    State({"type": MAP, "field": ALL}, "value"),
    State(ONLY_REGION, "value"),
    State(PROFILE, "value"),
    prevent_initial_call=True,
)
def on_rejected(n: int | None, stored: dict | None, values: list, only_region: bool, profile_name: str) -> dict:
    """The rows an import would leave out, as .xlsx with the file's own columns and a reason
    column: fix them and import the file again."""
    import tempfile
    from pathlib import Path

    if not n or not stored:
        raise PreventUpdate
    items = ctx.states_list[1] if ctx.states_list else None
    try:
        report = _run(stored, _mapping(items, values), profile_name, only_region, dry_run=True, skip_invalid=True)
    except (ImportFailed, SQLAlchemyError) as exc:
        raise PreventUpdate from exc
    lang = current_language()
    with tempfile.TemporaryDirectory() as folder:
        path = write_rejected(report, Path(folder) / "rejected.xlsx", lang)
        data = path.read_bytes()
    stem = Path(stored.get("filename") or "lista").stem
    return dcc.send_bytes(data, f"{stem}-{t('import.rejected_suffix', lang)}.xlsx")

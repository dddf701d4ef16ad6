"""The app shell layout and its callbacks: URL ⇄ filter bar, nav links, language."""

from __future__ import annotations

import re

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from sqlalchemy.exc import SQLAlchemyError

from .auth import csrf_token, current_user
from .components import ids
from .components.shell import make_demo_banner, make_filter_bar, make_filter_chips, make_nav_links, make_navbar
from .filters import FilterState, parse_query, resolve, to_query
from .i18n import t
from .state import current_language, vocabulary

FILTER_INPUTS = (
    ids.FILTER_YEAR_FROM,
    ids.FILTER_YEAR_TO,
    ids.FILTER_THEME,
    ids.FILTER_GOAL,
    ids.FILTER_MUNICIPALITY,
    ids.FILTER_STATUS,
    ids.FILTER_SOURCE,
)
CONTROL_OF = {
    "theme": ids.FILTER_THEME,
    "goal": ids.FILTER_GOAL,
    "municipality": ids.FILTER_MUNICIPALITY,
    "status": ids.FILTER_STATUS,
    "source": ids.FILTER_SOURCE,
}


def make_shell() -> html.Div:
    """The layout around every page (built per page load: language and vocabulary are read then)."""
    lang = current_language()
    try:
        vocab = vocabulary()
    except SQLAlchemyError as exc:
        return make_db_error(lang, exc)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.FILTER_STORE, data=None),
            html.Div(id=ids.URL_DUMMY, hidden=True),
            html.Div(id=ids.LANG_DUMMY, hidden=True),
            html.A("Hoppa till innehållet" if lang == "sv" else "Skip to content", href="#main", className="skip-link"),
            make_navbar(lang, vocab.strategy_name, current_user(), csrf_token() if current_user() else None),
            make_demo_banner(lang, vocab.has_demo),
            dbc.Container(make_filter_bar(vocab, lang), fluid=True, className="filter-container"),
            dbc.Container(
                html.Main(dash.page_container, id="main", tabIndex="-1"), fluid=True, className="page-container"
            ),
        ],
        lang=lang,
    )


def make_db_error(lang: str, exc: Exception) -> html.Div:
    """Shown instead of the shell when the database cannot be read."""
    return html.Div(
        dbc.Alert(
            [
                html.H1(t("error.title", lang), className="h4"),
                html.P(
                    "Databasen går inte att nå just nu. Försök igen om en stund."
                    if lang == "sv"
                    else "The database cannot be reached right now. Please try again shortly."
                ),
                html.Code(exc.__class__.__name__),
            ],
            color="danger",
        ),
        id=ids.DB_ERROR,
        className="container mt-4",
    )


def sync_filters(
    search: str | None,
    year_from: int | None,
    year_to: int | None,
    theme: list[str] | None,
    goal: list[str] | None,
    municipality: list[str] | None,
    status: list[str] | None,
    source: list[str] | None,
    _reset: int | None,
    trigger: str | None,
) -> tuple:
    """Two-way sync between the URL and the filter bar.

    Returns the seven control values (year from, year to, theme, goal,
    municipality, status, source) and the store query. From the URL: values
    are resolved against the vocabulary and written to the controls. From a
    control: the state is built from the controls. Reset clears all.
    """
    n = len(FILTER_INPUTS)
    if trigger == ids.FILTER_RESET:
        return None, None, [], [], [], [], [], ""
    if trigger in FILTER_INPUTS:
        state = FilterState().with_values(
            year_from=year_from,
            year_to=year_to,
            theme=theme or (),
            goal=goal or (),
            municipality=municipality or (),
            status=status or (),
            source=source or (),
        )
        if state.year_from is not None and state.year_to is not None and state.year_from > state.year_to:
            state = state.with_values(year_from=state.year_to, year_to=state.year_from)
        return (no_update,) * n + (to_query(state).lstrip("?"),)
    state = resolve(parse_query(search or ""), vocabulary().aliases())
    return (
        state.year_from,
        state.year_to,
        list(state.theme),
        list(state.goal),
        list(state.municipality),
        list(state.status),
        list(state.source),
        to_query(state).lstrip("?"),
    )


def clear_chip(key: str, value: str, current: dict[str, list[str] | None]) -> dict[str, object]:
    """New control values after the chip ``key``/``value`` is cleared
    (``year`` clears both year controls)."""
    if key == "year":
        return {ids.FILTER_YEAR_FROM: None, ids.FILTER_YEAR_TO: None}
    control = CONTROL_OF[key]
    return {control: [v for v in (current.get(control) or []) if v != value]}


def page_exists(path: str) -> bool:
    """Whether a registered page answers ``path``."""
    wanted = "/" + path.strip("/")
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template:
            pattern = "/" + re.sub(r"<[^>/]+>", "[^/]+", template.strip("/"))
            if re.fullmatch(pattern, wanted):
                return True
        elif wanted == "/" + page["path"].strip("/"):
            return True
    return False


INDEX_RULES = ("/", "/<path:path>")
"""Dash's routes that answer with the app's page (the index)."""
NOT_A_PAGE_BUT_KEPT = ("/favicon.ico",)
"""Paths that keep Dash's 200 answer though no page has them: browsers ask for /favicon.ico on
pages without an icon link (the login page), and a 404 there is a console error on every visit."""


def init_index(app: Dash) -> None:
    """The page Dash sends before the app has drawn: its ``lang`` and its loading text
    in the visitor's language (Dash writes "Loading..."), and the HTTP status 404 for
    a path that no page has (Dash answers 200 and draws the 404 page)."""
    from flask import request

    interpolate = app.interpolate_index

    def interpolate_index(**parts: str) -> str:
        lang = current_language()
        entry = parts.get("app_entry", "")
        parts["app_entry"] = entry.replace(
            '<div class="_dash-loading">', '<div class="_dash-loading" role="status">'
        ).replace("Loading...", t("app.loading", lang))
        return re.sub(r'<html lang="[a-z-]*">', f'<html lang="{lang}">', interpolate(**parts), count=1)

    app.interpolate_index = interpolate_index

    @app.server.after_request
    def _not_found_status(response):  # noqa: ANN001
        rule = request.url_rule
        if (
            request.method == "GET"
            and response.status_code == 200
            and rule is not None
            and rule.rule in INDEX_RULES
            and request.path not in NOT_A_PAGE_BUT_KEPT
            and not page_exists(request.path)
        ):
            response.status_code = 404
        return response


def register_shell_callbacks(app: Dash) -> None:
    """Wire the shell: filters ⇄ URL, navbar links, language switch; and the index page
    (language, loading text, 404 status: :func:`init_index`)."""
    init_index(app)

    @app.callback(
        *[Output(i, "value") for i in FILTER_INPUTS],
        Output(ids.FILTER_STORE, "data"),
        Input(ids.URL, "search"),
        *[Input(i, "value") for i in FILTER_INPUTS],
        Input(ids.FILTER_RESET, "n_clicks"),
    )
    def on_filter_change(search, year_from, year_to, theme, goal, municipality, status, source, reset):  # noqa: ANN001
        return sync_filters(
            search, year_from, year_to, theme, goal, municipality, status, source, reset, ctx.triggered_id
        )

    @app.callback(Output(ids.FILTER_CHIPS, "children"), Input(ids.FILTER_STORE, "data"))
    def update_chips(query: str | None):
        if query is None:
            return no_update
        vocab = vocabulary()
        return make_filter_chips(resolve(parse_query(query), vocab.aliases()), vocab, current_language())

    @app.callback(
        *[Output(i, "value", allow_duplicate=True) for i in FILTER_INPUTS],
        Input({"type": ids.CHIP_TYPE, "key": ALL, "value": ALL}, "n_clicks"),
        *[State(i, "value") for i in FILTER_INPUTS],
        prevent_initial_call=True,
    )
    def on_chip_clear(clicks, *values):  # noqa: ANN001
        trigger = ctx.triggered_id
        if not trigger or not any(clicks or []):
            return (no_update,) * len(FILTER_INPUTS)
        changes = clear_chip(trigger["key"], trigger["value"], dict(zip(FILTER_INPUTS, values, strict=True)))
        return tuple(changes.get(i, no_update) for i in FILTER_INPUTS)

    @app.callback(
        *[Output(i, "value", allow_duplicate=True) for i in FILTER_INPUTS],
        Input({"type": ids.FILTER_SET, "key": ALL, "value": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def on_filter_button(clicks):  # noqa: ANN001
        trigger = ctx.triggered_id
        if not trigger or not any(clicks or []):
            return (no_update,) * len(FILTER_INPUTS)
        vocab = vocabulary()
        directions = dict(zip(vocab.goals["code"], vocab.goals["direction"], strict=True))
        changes = click_changes(trigger["key"], trigger["value"], goal_directions=directions)
        return tuple(changes.get(i, no_update) for i in FILTER_INPUTS)

    @app.callback(Output(ids.NAV_LINKS, "children"), Input(ids.FILTER_STORE, "data"))
    def update_nav_links(query: str | None):
        return make_nav_links(current_language(), f"?{query}" if query else "")

    app.clientside_callback(
        ClientsideFunction(namespace="rus", function_name="writeQuery"),
        Output(ids.URL_DUMMY, "children"),
        Input(ids.FILTER_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="rus", function_name="switchLanguage"),
        Output(ids.LANG_DUMMY, "children"),
        Input(ids.LANG_SWITCH, "n_clicks"),
        State(ids.LANG_SWITCH, "value"),
        prevent_initial_call=True,
    )


def click_changes(dim: str, code: object, goal_directions: dict[str, str] | None = None) -> dict[str, object]:
    """Control values that a click on a chart point sets (click-to-filter).

    ``goal``/``theme``/``source`` replace that filter with the clicked value;
    ``year`` sets the year range to that year; ``direction`` selects the
    direction's goals. Unknown dimensions or empty codes change nothing.
    """
    if code is None or code == "" or code == "-":
        return {}
    if dim == "year":
        year = int(code)
        return {ids.FILTER_YEAR_FROM: year, ids.FILTER_YEAR_TO: year}
    if dim == "direction":
        goals = [g for g, d in (goal_directions or {}).items() if d == code]
        return {ids.FILTER_GOAL: goals} if goals else {}
    if dim in CONTROL_OF:
        return {CONTROL_OF[dim]: [str(code)]}
    return {}


def register_click_filter(graph_ids: list[str]) -> None:
    """Register (globally, for the page module calling it) a callback that turns
    clicks on the given graphs into filter changes."""
    from .figures.theme import clicked

    @dash.callback(
        *[Output(i, "value", allow_duplicate=True) for i in FILTER_INPUTS],
        *[Input(g, "clickData") for g in graph_ids],
        prevent_initial_call=True,
    )
    def on_chart_click(*click_datas):
        trigger = ctx.triggered_id
        if trigger not in graph_ids:
            return (no_update,) * len(FILTER_INPUTS)
        hits = clicked(click_datas[graph_ids.index(trigger)])
        if not hits:
            return (no_update,) * len(FILTER_INPUTS)
        vocab = vocabulary()
        directions = dict(zip(vocab.goals["code"], vocab.goals["direction"], strict=True))
        changes: dict[str, object] = {}
        for dim, code in hits:
            changes.update(click_changes(dim, code, goal_directions=directions))
        return tuple(changes.get(i, no_update) for i in FILTER_INPUTS)

"""/redigera?project=REF (or ?new=1): edit a project's fields, goals, places and funding.

Admins edit and delete everything; strategists edit projects of their own
themes. Saving validates like the importer and writes one audit event.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from ..amounts import format_sv
from ..auth import VALIDATION_USER, CurrentUser, current_user, login_path, page_user
from ..editing import PermissionDenied, delete_project, load_project_form, project_version, save_project
from ..i18n import dropdown_labels, source_label, status_label, t
from ..importers.indicators import Problem
from ..models import FUNDING_SOURCES, PROJECT_STATUSES
from ..queries.strategy import load_strategy_tree
from ..state import clear_vocabulary_cache, current_engine, current_language, current_settings, vocabulary

FIELD = "edit-field"  # pattern-matching: {"type": FIELD, "name": field}
GOAL = "edit-goal"  # {"type": GOAL, "code": goal}: share in %
MONEY = "edit-money"  # {"type": MONEY, "source": source}: kronor
MODE = "edit-mode"
SAVE = "edit-save"
DELETE = "edit-delete"
CONFIRM_DELETE = "edit-confirm-delete"
RESULT = "edit-result"
# Plain string ids: dbc's Checkbox/Checklist build their labels' ids from ``id``
# and fail (React error #31) with a pattern-matching dict id.
WHOLE_COUNTY = "edit-whole-county"
MUNICIPALITIES = "edit-municipalities"
PRIORITIES = "edit-priorities"
TEXT_FIELDS = ("reference", "title", "owner", "decision_date", "start_date", "end_date")


def _labelled(label: str, control: Any, **col: Any) -> dbc.Col:
    """A labelled control. Pattern-matching (dict) ids cannot be named in ``for=``,
    so those controls sit inside their <label>, which associates them just the same."""
    if isinstance(control.id, str):
        return dbc.Col([dbc.Label(label, html_for=control.id), control], **col)
    return dbc.Col(html.Label([html.Span(label, className="form-label d-block"), control], className="w-100"), **col)


def _field_id(name: str) -> dict:
    return {"type": FIELD, "name": name}


def layout(project: str | None = None, new: str | None = None, **_query: str) -> html.Div:
    """The edit form for ``project`` (or an empty one with ``new=1``). When the user
    may not edit, a message — with an empty form hidden, because Dash's validation
    layout (built from the first request, whoever sends it) needs every callback component."""
    lang = current_language()
    user = page_user()
    title = t("edit.title_new" if new else "edit.title", lang)
    hidden = html.Div(_form(lang, VALIDATION_USER, {}, new=True), hidden=True)
    if user is None:
        target = f"/redigera?project={project}" if project else "/redigera?new=1"
        message = [t("edit.login_needed", lang), " ", dcc.Link(t("auth.login", lang), href=login_path(target))]
        return html.Div([html.H1(title, className="page-title"), dbc.Alert(message, color="warning"), hidden])
    if user is VALIDATION_USER:
        return _form(lang, user, {}, new=True)
    form = None if new else load_project_form(current_engine(), project or "")
    if form is None and not new:
        return html.Div(
            [html.H1(title, className="page-title"), dbc.Alert(t("edit.not_found", lang), color="warning"), hidden]
        )
    form = form or {"status": "ide", "theme": next(iter(sorted(user.themes)), None)}
    if not user.can_edit(form.get("theme")) and not (new and user.editable_themes() != set()):
        mine = ", ".join(sorted(user.themes)) or "-"
        return html.Div(
            [
                html.H1(title, className="page-title"),
                dbc.Alert(t("edit.not_yours", lang, themes=mine), color="warning"),
                hidden,
            ]
        )
    return _form(lang, user, form, new=bool(new))


def _form(lang: str, user: CurrentUser, form: dict[str, Any], *, new: bool) -> html.Div:
    title = t("edit.title_new" if new else "edit.title", lang)
    vocab = vocabulary()
    allowed = user.editable_themes()
    themes = [
        {"label": label, "value": code}
        for code, label in vocab.theme_labels(lang).items()
        if allowed is None or code in allowed
    ]
    goals = vocab.goal_labels(lang)
    munis = vocab.municipality_labels()
    priorities = [
        {
            "label": f"{p['code']} · {p['name_en'] if lang == 'en' and p.get('name_en') else p['name_sv']}",
            "value": p["code"],
        }
        for d in ([] if user is VALIDATION_USER else load_strategy_tree(current_engine())["directions"])
        for g in d["goals"]
        for p in g["priorities"]
    ]

    def text(name: str, **kw: Any) -> dbc.Input:
        return dbc.Input(id=_field_id(name), value=form.get(name) or "", **kw)

    facts = dbc.Row(
        [
            _labelled(
                t("import.field.reference", lang),
                text("reference", disabled=not new, required=True, maxLength=64),
                md=3,
            ),
            _labelled(t("import.field.title", lang), text("title", required=True, maxLength=300), md=9),
            _labelled(t("import.field.owner", lang), text("owner", maxLength=200), md=5),
            _labelled(
                t("import.field.theme", lang),
                dcc.Dropdown(
                    labels=dropdown_labels(lang),
                    id=_field_id("theme"),
                    options=themes,
                    value=form.get("theme"),
                    clearable=allowed is None,
                ),
                md=4,
            ),
            _labelled(
                t("import.field.status", lang),
                dcc.Dropdown(
                    labels=dropdown_labels(lang),
                    id=_field_id("status"),
                    options=[{"label": status_label(s, lang), "value": s} for s in PROJECT_STATUSES],
                    value=form.get("status"),
                    clearable=False,
                ),
                md=3,
            ),
            _labelled(t("import.field.decision_date", lang), text("decision_date", type="date"), md=4),
            _labelled(t("import.field.start_date", lang), text("start_date", type="date"), md=4),
            _labelled(t("import.field.end_date", lang), text("end_date", type="date"), md=4),
            _labelled(
                t("import.field.description", lang),
                dbc.Textarea(id=_field_id("description"), value=form.get("description") or "", rows=3),
                md=6,
            ),
            _labelled(
                t("import.field.expected_results", lang),
                dbc.Textarea(id=_field_id("expected_results"), value=form.get("expected_results") or "", rows=3),
                md=6,
            ),
        ],
        className="g-3",
    )
    shares = form.get("goal_shares") or {}
    goal_inputs = dbc.Row(
        [
            _labelled(
                label,
                dbc.Input(
                    id={"type": GOAL, "code": code},
                    type="number",
                    min=0,
                    max=100,
                    step=0.01,
                    value=shares.get(code) or None,
                ),
                md=4,
                lg=2,
            )
            for code, label in goals.items()
        ],
        className="g-2",
    )
    funding = form.get("funding") or {}
    money_inputs = dbc.Row(
        [
            _labelled(
                f"{source_label(src, lang)} (kr)",
                dbc.Input(
                    id={"type": MONEY, "source": src},
                    type="text",
                    inputMode="decimal",
                    maxLength=60,
                    placeholder=t("edit.amount_placeholder", lang),
                    value=format_sv(funding[src]) if funding.get(src) else None,
                ),
                md=4,
                lg=3,
            )
            for src in FUNDING_SOURCES
        ],
        className="g-2",
    )
    places = dbc.Row(
        [
            dbc.Col(
                dbc.Checkbox(
                    id=WHOLE_COUNTY,
                    label=t("edit.whole_county", lang),
                    value=bool(form.get("whole_county")),
                ),
                md=3,
            ),
            dbc.Col(
                dbc.Checklist(
                    id=MUNICIPALITIES,
                    options=[{"label": name, "value": code} for code, name in munis.items()],
                    value=form.get("municipalities") or [],
                    inline=True,
                ),
                md=9,
            ),
            dbc.Col(
                [
                    dbc.Label(t("import.field.priorities", lang), html_for=PRIORITIES),
                    html.Div(
                        dbc.Checklist(id=PRIORITIES, options=priorities, value=form.get("priorities") or []),
                        className="priority-list",
                    ),
                ],
                md=12,
            ),
        ],
        className="g-2",
    )

    def section(key: str, body: Any) -> dbc.Card:
        parts = body if isinstance(body, list) else [body]  # a nested list is not a valid Dash child
        return dbc.Card(dbc.CardBody([html.H2(t(key, lang), className="h6"), *parts]), className="chart-card mb-3")

    delete = html.Span(
        [
            dbc.Button(
                t("edit.delete", lang),
                id=DELETE,
                color="danger",
                outline=True,
                className="" if user.can_delete() and not new else "d-none",
            ),
            dcc.ConfirmDialog(
                id=CONFIRM_DELETE, message=t("edit.delete_confirm", lang, ref=form.get("reference") or "")
            ),
        ]
    )
    return html.Div(
        [
            html.H1(title + (f": {form.get('reference')}" if not new else ""), className="page-title"),
            html.P(t("edit.lead", lang), className="lead-text"),
            dcc.Store(
                id=MODE, data={"new": bool(new), "reference": form.get("reference"), "version": form.get("version")}
            ),
            section("edit.facts", facts),
            section("edit.goals", [html.P(t("edit.goals_help", lang), className="small text-muted"), goal_inputs]),
            section("edit.places", places),
            section("edit.funding", money_inputs),
            html.Div(
                [
                    dbc.Button(t("edit.save", lang), id=SAVE, color="primary", className="me-2"),
                    dcc.Link(
                        t("edit.back", lang),
                        href=f"/projekt?project={form.get('reference')}" if not new else "/projekt",
                        className="btn btn-link",
                    ),
                    html.Span(delete, className="float-end"),
                ],
                className="mb-3",
            ),
            dcc.Loading(html.Div(id=RESULT, role="status")),
        ]
    )


dash.register_page(
    __name__, path="/redigera", name="Redigera", title="Redigera projekt · RUS-dashboard", order=22, layout=layout
)


def _problems(problems: list[Problem], lang: str) -> dbc.Alert:
    return dbc.Alert(
        [
            html.Strong(t("edit.not_saved", lang)),
            html.Ul(
                [
                    html.Li(f"{t(f'import.field.{p.field}', lang) if p.field in _FIELDS else p.field}: {p.text(lang)}")
                    for p in problems
                ]
            ),
        ],
        color="danger",
        id="edit-problems",
    )


_FIELDS = {"reference", "title", "owner", "theme", "status", "decision_date", "start_date", "end_date", "goals"}


@callback(
    Output(RESULT, "children"),
    Output(MODE, "data"),
    Input(SAVE, "n_clicks"),
    State({"type": FIELD, "name": ALL}, "value"),
    State({"type": GOAL, "code": ALL}, "value"),
    State({"type": MONEY, "source": ALL}, "value"),
    State(WHOLE_COUNTY, "value"),
    State(MUNICIPALITIES, "value"),
    State(PRIORITIES, "value"),
    State(MODE, "data"),
    prevent_initial_call=True,
)
def on_save(
    n: int | None,
    fields: list,
    goals: list,
    money: list,
    whole: bool,
    munis: list | None,
    priorities: list | None,
    mode: dict,
) -> tuple:
    """Validate and save the form (nothing is written when something is wrong)."""
    user = current_user()
    if not n or user is None:
        raise PreventUpdate
    lang = current_language()
    names = [item["id"]["name"] for item in ctx.states_list[0]]
    form: dict[str, Any] = dict(zip(names, fields, strict=True))
    form["goal_shares"] = {item["id"]["code"]: v for item, v in zip(ctx.states_list[1], goals, strict=True)}
    form["funding"] = {item["id"]["source"]: v for item, v in zip(ctx.states_list[2], money, strict=True)}
    form["whole_county"], form["municipalities"] = bool(whole), munis or []
    form["priorities"] = priorities or []
    new = bool(mode.get("new"))
    if not new:
        form["reference"] = mode.get("reference")
        form["version"] = mode.get("version")
    try:
        report, problems = save_project(
            current_engine(), form, user, new=new, ceiling=current_settings().max_amount_sek
        )
    except PermissionDenied as exc:
        return dbc.Alert(str(exc), color="danger", id="edit-problems"), dash.no_update
    if problems:
        return _problems(problems, lang), dash.no_update
    clear_vocabulary_cache()
    reference = form["reference"].strip()
    outcome = report.rows[0][2] if report.rows else "unchanged"
    body = [
        html.Strong(t(f"edit.saved.{outcome}", lang)),
        " ",
        dcc.Link(t("edit.show", lang), href=f"/projekt?project={reference}"),
    ]
    if report.warnings:
        body += [html.Br(), html.Small(report.warnings[0].text(lang))]
    mode = {"new": False, "reference": reference, "version": project_version(current_engine(), reference)}
    return dbc.Alert(body, color="success", id="edit-saved"), mode


@callback(Output(CONFIRM_DELETE, "displayed"), Input(DELETE, "n_clicks"), prevent_initial_call=True)
def on_ask_delete(n: int | None) -> bool:
    """Ask before deleting."""
    return bool(n)


@callback(
    Output(RESULT, "children", allow_duplicate=True),
    Input(CONFIRM_DELETE, "submit_n_clicks"),
    State(MODE, "data"),
    prevent_initial_call=True,
)
def on_delete(n: int | None, mode: dict) -> dbc.Alert:
    """Delete the project (admins only; recorded in the audit log)."""
    user = current_user()
    if not n or user is None or not mode or mode.get("new"):
        raise PreventUpdate
    lang = current_language()
    try:
        delete_project(current_engine(), mode["reference"], user)
    except PermissionDenied as exc:
        return dbc.Alert(str(exc), color="danger")
    clear_vocabulary_cache()
    return dbc.Alert(
        [t("edit.deleted", lang, ref=mode["reference"]), " ", dcc.Link(t("edit.back", lang), href="/projekt")],
        color="success",
        id="edit-deleted",
    )

"""The app shell: navbar, demo banner and the shared filter bar."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..auth import CurrentUser
from ..filters import FilterState
from ..i18n import dropdown_labels, format_period, source_label, status_label, t
from ..models import FUNDING_SOURCES, GRANT_SOURCE, PROJECT_STATUSES
from ..queries.common import Vocabulary
from . import ids

OTHER_SOURCES = [s for s in FUNDING_SOURCES if s != GRANT_SOURCE]

NAV_PAGES: list[tuple[str, str, str]] = [
    ("/", "nav.overview", "bi-pie-chart"),
    ("/kapital", "nav.capital", "bi-cash-stack"),
    ("/tema", "nav.themes", "bi-map"),
    ("/indikatorer", "nav.indicators", "bi-graph-up"),
    ("/projekt", "nav.projects", "bi-list-ul"),
    ("/strategi", "nav.strategy", "bi-diagram-3"),
    ("/rapport", "nav.report", "bi-file-earmark-text"),
    ("/data", "nav.data", "bi-clipboard-check"),
    ("/presentation", "nav.presentation", "bi-easel"),
]
"""(path, label key, icon) in navbar order."""


def nav_href(path: str, query: str) -> str:
    """Link to ``path`` keeping the current filter query."""
    return f"{path}{query}"


def make_nav_links(lang: str, query: str = "") -> list:
    """Navbar links that carry the filter query along."""
    return [
        dbc.NavItem(
            dbc.NavLink(
                [html.I(className=f"bi {icon} me-1", **{"aria-hidden": "true"}), t(key, lang)],
                href=nav_href(path, query),
                active="exact",
            )
        )
        for path, key, icon in NAV_PAGES
    ]


def make_user_menu(lang: str, user: CurrentUser | None, csrf: str | None) -> html.Div:
    """Login link for anonymous visitors; for a user, their name and role, the
    pages that need a login and a logout form (POST with the CSRF token)."""
    if user is None:
        return html.Div(
            dbc.NavLink(
                [html.I(className="bi bi-box-arrow-in-right me-1", **{"aria-hidden": "true"}), t("auth.login", lang)],
                href="/login",
                id=ids.LOGIN_LINK,
                className="text-white small",
            ),
            className="ms-2",
        )
    links = [dbc.DropdownMenuItem(f"{user.username} · {t(f'auth.role.{user.role}', lang)}", header=True)]
    if user.can_import():
        links.append(dbc.DropdownMenuItem(t("nav.import", lang), href="/import"))
        links.append(dbc.DropdownMenuItem(t("edit.new", lang), href="/redigera?new=1"))
    links.append(dbc.DropdownMenuItem(t("nav.audit", lang), href="/logg"))
    links.append(dbc.DropdownMenuItem(divider=True))
    links.append(
        html.Form(
            [
                dbc.Input(type="hidden", name="csrf_token", value=csrf or ""),
                html.Button(t("auth.logout", lang), type="submit", className="dropdown-item", id=ids.LOGOUT_BUTTON),
            ],
            action="/auth/logout",
            method="POST",
        )
    )
    return dbc.DropdownMenu(
        links,
        label=[html.I(className="bi bi-person-circle me-1", **{"aria-hidden": "true"}), user.username],
        toggle_class_name="btn-sm",
        color="light",
        align_end=True,
        className="ms-2",
        id=ids.USER_MENU,
    )


def make_navbar(lang: str, strategy_name: str, user: CurrentUser | None = None, csrf: str | None = None) -> dbc.Navbar:
    """Top bar with brand, page links, the language switch and the user menu."""
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [
                        html.Span(t("app.title", lang), className="fw-bold"),
                        html.Span(f" · {strategy_name}", className="d-none d-xxl-inline fw-normal small ms-1"),
                    ],
                    href="/",
                ),
                dbc.Nav(make_nav_links(lang), id=ids.NAV_LINKS, navbar=True, className="me-auto"),
                dbc.Button(
                    t("nav.language", lang),
                    id=ids.LANG_SWITCH,
                    color="light",
                    outline=True,
                    size="sm",
                    title=t("nav.language.title", lang),
                    value="en" if lang == "sv" else "sv",
                ),
                make_user_menu(lang, user, csrf),
            ],
            fluid=True,
        ),
        id=ids.NAVBAR,
        color="primary",
        dark=True,
        className="mb-0",
    )


def make_demo_banner(lang: str, visible: bool) -> html.Div:
    """A visible label that the data is fictional."""
    return html.Div(
        [html.I(className="bi bi-info-circle me-2", **{"aria-hidden": "true"}), t("demo.banner", lang)],
        id=ids.DEMO_BANNER,
        className="demo-banner" if visible else "d-none",
        role="note",
    )


def _options(frame, label_col: str) -> list[dict]:  # noqa: ANN001
    return [{"label": getattr(r, label_col) or r.code, "value": r.code} for r in frame.itertuples(index=False)]


def make_filter_bar(vocab: Vocabulary, lang: str, state: FilterState | None = None) -> html.Section:
    """The one filter bar shared by all pages (values are synced with the URL)."""
    state = state or FilterState()
    name = "name_sv" if lang == "sv" else "name_en"
    short = "short_sv" if lang == "sv" else "short_en"
    years = [{"label": str(y), "value": y} for y in vocab.years]
    goals = vocab.goals.assign(opt_label=vocab.goals[short].fillna(vocab.goals[name]).fillna(vocab.goals["name_sv"]))
    themes = vocab.themes.assign(opt_label=vocab.themes[name].fillna(vocab.themes["name_sv"]))

    def labelled(label_key: str, control, width: dict) -> dbc.Col:  # noqa: ANN001
        return dbc.Col(
            [dbc.Label(t(label_key, lang), html_for=control.id, className="form-label small mb-1"), control], **width
        )

    def dropdown(id_: str, options: list, value, multi: bool = True, **kw) -> dcc.Dropdown:  # noqa: ANN001
        return dcc.Dropdown(
            labels=dropdown_labels(lang),
            id=id_,
            options=options,
            value=value,
            multi=multi,
            placeholder=t("filter.all", lang),
            clearable=True,
            **kw,
        )

    row = dbc.Row(
        [
            labelled(
                "filter.year_from",
                dropdown(ids.FILTER_YEAR_FROM, years, state.year_from, multi=False, className="year-dropdown"),
                {"xs": 6, "md": "auto"},
            ),
            labelled(
                "filter.year_to",
                dropdown(ids.FILTER_YEAR_TO, years, state.year_to, multi=False, className="year-dropdown"),
                {"xs": 6, "md": "auto"},
            ),
            labelled(
                "filter.theme",
                dropdown(ids.FILTER_THEME, _options(themes, "opt_label"), list(state.theme)),
                {"xs": 12, "md": True},
            ),
            labelled(
                "filter.goal",
                dropdown(ids.FILTER_GOAL, _options(goals, "opt_label"), list(state.goal)),
                {"xs": 12, "md": True},
            ),
            labelled(
                "filter.municipality",
                dropdown(ids.FILTER_MUNICIPALITY, _options(vocab.municipalities, "name"), list(state.municipality)),
                {"xs": 6, "md": 3, "xl": 2},
            ),
            labelled(
                "filter.status",
                dropdown(
                    ids.FILTER_STATUS,
                    [{"label": status_label(s, lang), "value": s} for s in PROJECT_STATUSES],
                    list(state.status),
                ),
                {"xs": 6, "md": 3, "xl": 2},
            ),
            labelled(
                "filter.source",
                dropdown(
                    ids.FILTER_SOURCE,
                    [{"label": source_label(s, lang), "value": s} for s in OTHER_SOURCES],
                    list(state.source),
                ),
                {"xs": 6, "md": 3, "xl": 2},
            ),
            dbc.Col(
                dbc.Button(
                    [html.I(className="bi bi-x-circle me-1", **{"aria-hidden": "true"}), t("filter.reset", lang)],
                    id=ids.FILTER_RESET,
                    color="secondary",
                    outline=True,
                    size="sm",
                    title=t("filter.reset.title", lang),
                    className="w-100 reset-button",
                ),
                xs=12,
                md="auto",
                className="d-flex align-items-end",
            ),
        ],
        className="g-2 align-items-end",
    )
    chips = html.Div(id=ids.FILTER_CHIPS, className="filter-chips", **{"aria-live": "polite"})
    return html.Section([row, chips], className="filter-bar", **{"aria-label": t("filter.heading", lang)})


def make_filter_chips(state: FilterState, vocab: Vocabulary, lang: str) -> list:
    """One chip per active filter value, each with a clear button (pattern-matching id)."""
    name = "name_sv" if lang == "sv" else "name_en"
    short = "short_sv" if lang == "sv" else "short_en"
    goal_names = dict(zip(vocab.goals["code"], vocab.goals[short].fillna(vocab.goals["name_sv"]), strict=True))
    theme_names = dict(zip(vocab.themes["code"], vocab.themes[name].fillna(vocab.themes["name_sv"]), strict=True))
    mun_names = dict(zip(vocab.municipalities["code"], vocab.municipalities["name"], strict=True))
    labels = {
        "theme": lambda v: theme_names.get(v, v),
        "goal": lambda v: goal_names.get(v, v),
        "municipality": lambda v: mun_names.get(v, v),
        "status": lambda v: status_label(v, lang),
        "source": lambda v: source_label(v, lang),
    }
    chips: list = []
    if state.year_from is not None or state.year_to is not None:
        chips.append(
            _chip("year", "", t("filter.year", lang), format_period(state.year_from, state.year_to, lang), lang)
        )
    for key in ("goal", "theme", "municipality", "status", "source"):
        for value in getattr(state, key):
            chips.append(_chip(key, value, t(f"filter.{key}", lang), labels[key](value), lang))
    return chips


def _chip(key: str, value: str, dimension: str, label: str, lang: str) -> html.Span:
    return html.Span(
        [
            html.Span(f"{dimension}: ", className="chip-dim"),
            html.Span(label, className="chip-label"),
            html.Button(
                "×",
                id={"type": ids.CHIP_TYPE, "key": key, "value": value},
                className="chip-clear",
                title=t("filter.chip.clear", lang, label=label),
                **{"aria-label": t("filter.chip.clear", lang, label=label)},
            ),
        ],
        className="filter-chip",
    )

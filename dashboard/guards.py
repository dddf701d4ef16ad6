"""Who may call what: every Dash callback, and every route that takes a write, declares a guard.

The declarations are two tables, so that declaring never means editing a page file:

* :data:`CALLBACKS`: ``"<module>.<function name>"`` of every server-side callback → :class:`Guard`;
* :data:`ROUTES`: the rule of every Flask route that accepts POST (or PUT, PATCH, DELETE) → Guard.

A guard says whether the callback writes and which roles may call it: :func:`reads` (anyone
who may view the app, or the given roles), :func:`writes` (a login with one of the given
roles) or :func:`public_writes` (anyone; the callback checks the request itself, as the
survey does with its signed device tokens and per-address limit; the reason is stated).

:func:`init_guards` enforces the tables on every request, before a callback runs: a
callback or a write route that declares nothing is refused (403, fail closed), and so is
a call by a user without a declared role (403; nothing is written); a request for an
output that no server-side callback has is answered 404. :func:`guarded` repeats
the check inside a callback that writes or shows the room's notes, so a plain call outside
such a request is refused too. ``tests/security/test_writes.py`` enumerates the app's
registered callbacks and routes against the tables: a new callback or POST route fails the
tests until it is declared here.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from dash.exceptions import PreventUpdate

from .models import ROLES

if TYPE_CHECKING:
    from dash import Dash
    from flask import Response

    from .auth import CurrentUser

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

LOGGED_IN = frozenset(ROLES)
"""Any login (viewer, strategist, admin)."""
FACILITATORS = frozenset({"strategist", "admin"})
"""Who keeps the learning day's notes and sees and exports them with the answers."""
IMPORTERS = frozenset({"strategist", "admin"})
EDITORS = frozenset({"strategist", "admin"})
ADMINS = frozenset({"admin"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DISPATCH_RULE = "/_dash-update-component"


@dataclass(frozen=True)
class Guard:
    """Who may call a callback or route. ``roles`` None: anyone who may view the app."""

    writes: bool
    roles: frozenset[str] | None
    why: str = ""

    def allows(self, user: CurrentUser | None) -> bool:
        """True when ``user`` (None: anonymous) may call it."""
        return self.roles is None or (user is not None and user.role in self.roles)


def _roles(roles: Iterable[str]) -> frozenset[str]:
    out = frozenset(roles)
    unknown = out - set(ROLES)
    if not out or unknown:
        raise ValueError(f"roles must be some of {', '.join(ROLES)}: {sorted(unknown) or 'none given'}")
    return out


def reads(*, roles: Iterable[str] | None = None, why: str = "") -> Guard:
    """Writes nothing; anyone who may view the app may call it, or only ``roles``."""
    return Guard(False, None if roles is None else _roles(roles), why)


def writes(*, roles: Iterable[str], why: str = "") -> Guard:
    """Writes: only a logged-in user with one of ``roles`` may call it."""
    return Guard(True, _roles(roles), why)


def public_writes(why: str) -> Guard:
    """Writes for anyone (no login); ``why`` names the checks the callback makes itself."""
    if not why.strip():
        raise ValueError("a public write must say how it protects itself")
    return Guard(True, None, why)


PER_CALLBACK = Guard(True, None, "Dash's callback route: each callback declares its own guard in CALLBACKS")

_SHELL = "dashboard.shell."
_PAGES = "dashboard.pages."

CALLBACKS: Mapping[str, Guard] = MappingProxyType(
    {
        # Dash's own page router and the shell: URL and filter state in the browser.
        "dash.dash.update": reads(why="the page router (layout per path)"),
        _SHELL + "on_filter_change": reads(),
        _SHELL + "update_chips": reads(),
        _SHELL + "on_chip_clear": reads(),
        _SHELL + "on_filter_button": reads(),
        _SHELL + "update_nav_links": reads(),
        _SHELL + "on_chart_click": reads(),
        # Views and their downloads.
        _PAGES + "overview.update_overview": reads(),
        _PAGES + "overview.update_years": reads(),
        _PAGES + "overview.update_hierarchy": reads(),
        _PAGES + "overview.update_frame": reads(),
        _PAGES + "capital.update_sources": reads(),
        _PAGES + "capital.update_leverage": reads(),
        _PAGES + "themes.update_theme": reads(),
        _PAGES + "themes.on_white_spot_click": reads(),
        _PAGES + "themes.update_map": reads(),
        _PAGES + "themes.on_theme_export": reads(),
        _PAGES + "indicators.update_indicators": reads(),
        _PAGES + "indicators.on_export": reads(),
        _PAGES + "projects.serve_rows": reads(),
        _PAGES + "projects.update_columns": reads(),
        _PAGES + "projects.on_export": reads(),
        _PAGES + "projects.on_open_detail": reads(),
        _PAGES + "report.on_report": reads(),
        # The learning day.
        _PAGES + "presentation.on_export": reads(roles=FACILITATORS, why="the room's notes and answers"),
        _PAGES + "slides.on_save_note": writes(roles=FACILITATORS, why="the room's note for a slide and day"),
        _PAGES + "slides.on_clear_note": writes(roles=FACILITATORS, why="removes the note, asked for explicitly"),
        _PAGES + "slides.update_results": reads(why="the room's answers, aggregated, on the results slide"),
        _PAGES + "survey.on_send": public_writes(
            "participants answer without a login: a server-signed device token, answers checked against "
            "the deck, bounded texts, a per-address limit (workshop.SURVEY_LIMITS), audited as 'survey'"
        ),
        # Import, audit log and editing (the callbacks check themes and rows themselves).
        _PAGES + "importer.on_upload": writes(roles=IMPORTERS, why="keeps the uploaded file on the server"),
        _PAGES + "importer.on_preview": reads(roles=IMPORTERS, why="a dry run over the uploaded file"),
        _PAGES + "importer.on_confirm": writes(roles=IMPORTERS, why="imports (themes checked per row)"),
        _PAGES + "importer.on_save_profile": writes(roles=IMPORTERS, why="saves a column mapping"),
        _PAGES + "importer.on_template": reads(why="the empty import template"),
        _PAGES + "importer.on_rejected": reads(roles=IMPORTERS, why="the rows an import would leave out"),
        _PAGES + "audit.on_search": reads(why="the grid's quick search (no data)"),
        _PAGES + "audit.on_export": reads(roles=LOGGED_IN, why="the whole audit log"),
        _PAGES + "edit.on_save": writes(roles=EDITORS, why="saves a project (themes checked in editing)"),
        _PAGES + "edit.on_ask_delete": reads(why="opens the confirmation"),
        _PAGES + "edit.on_delete": writes(roles=ADMINS, why="deletes a project"),
    }
)
"""Every server-side callback's guard, keyed ``"<module>.<function name>"``."""

ROUTES: Mapping[str, Guard] = MappingProxyType(
    {
        DISPATCH_RULE: PER_CALLBACK,
        "/auth/login": public_writes("the login form: its CSRF token and the login limits (auth)"),
        "/auth/logout": public_writes("ends the session; its CSRF token (auth)"),
    }
)
"""Every route that takes POST, PUT, PATCH or DELETE, keyed by its rule."""


def callback_key(func: Callable[..., object]) -> str:
    """``"<module>.<function name>"`` of a callback (Dash's wrapper keeps both)."""
    return f"{func.__module__}.{func.__name__}"


def callback_guard(app: Dash, output: str) -> Guard | None:
    """The guard declared for the server-side callback of ``output`` (a key of
    ``app.callback_map``), or None when there is no such callback or it declares nothing."""
    spec = app.callback_map.get(output)
    func = spec.get("callback") if isinstance(spec, dict) else None
    return CALLBACKS.get(callback_key(func)) if func is not None else None


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Check the callback's declared guard inside it too (raises :class:`PreventUpdate`,
    so nothing is written, when the current user may not call it). Put it under ``@callback``."""
    from .auth import current_user

    key = callback_key(func)
    if key not in CALLBACKS:
        raise LookupError(f"{key} declares no guard; add it to dashboard.guards.CALLBACKS")

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        guard = CALLBACKS.get(key)
        if guard is None or not guard.allows(current_user()):
            log.warning("refused %s for %s", key, getattr(current_user(), "username", "anonymous"))
            raise PreventUpdate
        return func(*args, **kwargs)

    return wrapper


def init_guards(app: Dash) -> None:
    """Enforce :data:`ROUTES` and :data:`CALLBACKS` on every request to ``app``'s server,
    before any callback or route runs (after the login, CSRF and size checks)."""
    from flask import jsonify, make_response, request

    from .auth import current_user

    def refuse(status: int, reason: str) -> Response:
        user = current_user()
        log.warning("refused %s %s: %s (%s)", request.method, request.path, reason, user.username if user else "-")
        return make_response(jsonify(error=reason), status)

    @app.server.before_request
    def _guard_writes() -> Response | None:
        if request.method in SAFE_METHODS or request.url_rule is None:
            return None
        rule = request.url_rule.rule
        route = ROUTES.get(rule)
        if route is None:
            return refuse(403, f"{rule} declares no guard")
        if not route.allows(current_user()):
            return refuse(403, "not allowed")
        if route is not PER_CALLBACK:
            return None
        body = request.get_json(silent=True)
        output = body.get("output") if isinstance(body, dict) else None
        if not isinstance(output, str):
            return refuse(400, "not a callback request")
        spec = app.callback_map.get(output)
        if not isinstance(spec, dict) or spec.get("callback") is None:
            return refuse(404, "no such callback on the server")
        guard = callback_guard(app, output)
        if guard is None:
            return refuse(403, "the callback declares no guard")
        if not guard.allows(current_user()):
            return refuse(403, "not allowed")
        return None

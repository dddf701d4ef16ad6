"""Logins, roles, sessions and CSRF protection.

Viewing is open by default (``RUS_REQUIRE_LOGIN=1`` closes it); importing,
editing and the audit log need a login. Roles:

- ``viewer``: may log in and view (useful when viewing requires a login);
- ``strategist``: may import and edit projects of their own themes;
- ``admin``: may import, edit and delete everything.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure when
``RUS_SECURE_COOKIES=1``) holding the user's id, the user's session version and a
stamp of the password hash. Every request compares them with the database, so a
logout (which ends every session of the user), a password, role or theme change and
a deactivation end the user's sessions at once, copies of the cookie included.

Failed logins are counted in the ``login_failure`` table (shared by all worker
processes) per user name and per address; past the limits further attempts are
refused for a while, and every failure is answered a little slower. An unknown user
name costs the same password hashing as a known one.

Every POST from a logged-in session must carry the session's CSRF token: the
login/logout forms in a hidden field, Dash callbacks (uploads included) in the
``X-CSRFToken`` header that Dash's renderer copies from the readable
``_csrf_token`` cookie.

When viewing requires a login, only the routes listed in ``OPEN_RULES`` answer an
anonymous request (matched by route, never by path prefix); pages redirect to the
login page and Dash's ``/_…`` endpoints answer 401. Dash embeds a "validation
layout" (every page's layout) in each page it serves; ``public_validation_layout``
cuts it down to component types and ids, so nothing a layout read from the database
(note texts, profile names, the audit log of whoever sent the first request) reaches
the browser through it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from .db import session_scope
from .models import ROLES, LoginFailure, Theme, User, UserTheme
from .passwords import password_problem

if TYPE_CHECKING:
    from flask import Flask, Response
    from sqlalchemy import Connection, Row

    from .config import Settings

log = logging.getLogger(__name__)

CSRF_COOKIE = "_csrf_token"
CSRF_HEADER = "X-CSRFToken"
# Pages only a logged-in user may open (the server redirects anonymous requests to /login).
PROTECTED_PATHS = ("/import", "/redigera", "/logg")
# The routes (Flask URL rules, not path prefixes) that answer anonymous requests even when
# viewing requires a login: the login page and form, logout, and the static files the login
# page and Dash's renderer load. Any other path, including ones that only start like these
# (``/loginx``, ``/assets/``, ``/_dash-component-suites/x``, which fall through to Dash's
# catch-all page), needs a login then.
OPEN_RULES = frozenset(
    {
        "/login",
        "/auth/login",
        "/auth/logout",
        "/assets/<path:filename>",
        "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
        "/_favicon.ico",
    }
)
_AUTH_RULES = frozenset({"/auth/login", "/auth/logout"})

# Failed logins: at most MAX_USER_FAILURES for one user name and MAX_ADDRESS_FAILURES from one
# address within FAILURE_WINDOW; beyond that, attempts are refused (even with the right password)
# until enough failures have aged out of the window. Rows older than FAILURE_KEEP are pruned.
MAX_USER_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
FAILURE_WINDOW = timedelta(minutes=15)
FAILURE_KEEP = timedelta(hours=1)
# Each failed attempt is answered FAILURE_DELAY seconds later per earlier failure in the
# window (the first typo costs nothing), at most MAX_FAILURE_DELAY seconds.
FAILURE_DELAY = 0.5
MAX_FAILURE_DELAY = 3.0

# A hash, made the way ``generate_password_hash`` makes them (scrypt, same cost), of a random
# password nobody knows. An unknown user name is checked against it, so it takes the same
# hashing work as a known one and the answer time does not tell which names exist.
DUMMY_HASH = (
    "scrypt:32768:8:1$AwMq4df5GmIqLuH7$f22cd3d986b699cedaae8b41a1184761fc5123ed88b5c02665c1a848bbf402c1"
    "64b113644790ef6aaf04494ca9a9d8dddca5c971a6de69ae41c80abdf929177c"
)


def _pause(seconds: float) -> None:
    """Slow a failed login down (a seam: tests replace it to count instead of wait)."""
    if seconds > 0:
        time.sleep(seconds)


def _utcnow() -> datetime:
    """Now in UTC, without a time zone (as stored in ``login_failure.at``)."""
    return datetime.now(UTC).replace(tzinfo=None)


class AuthError(ValueError):
    """A user-management request that cannot be carried out (message is for the user)."""


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in user, as the pages and callbacks see it."""

    id: int
    username: str
    role: str
    themes: frozenset[str]
    session_version: int = 0
    """The user's session version when loaded (a session stays valid while it is unchanged)."""

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return self.role == "admin"

    def can_import(self) -> bool:
        """Strategists and admins may import project lists."""
        return self.role in ("strategist", "admin")

    def can_edit(self, theme: str | None) -> bool:
        """Admins edit everything; strategists the projects of their own themes."""
        return self.is_admin or (self.role == "strategist" and theme is not None and theme in self.themes)

    def can_delete(self) -> bool:
        """Only admins delete projects."""
        return self.is_admin

    def editable_themes(self) -> set[str] | None:
        """The themes this user may write (``None`` = all)."""
        return None if self.is_admin else set(self.themes) if self.role == "strategist" else set()


# --------------------------------------------------------------------------- user management


def _theme_ids(session, codes: list[str]) -> list[int]:  # noqa: ANN001
    known = dict(session.execute(select(Theme.code, Theme.id)).all())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise AuthError(f"unknown theme(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [known[c] for c in codes]


def _check_password(password: str, username: str) -> None:
    """Refuse short, common and simple passwords (see ``dashboard.passwords``)."""
    problem = password_problem(password, username)
    if problem:
        raise AuthError(problem)


def create_user(engine: Engine, username: str, password: str, role: str, themes: list[str] | None = None) -> None:
    """Add a user with a hashed password. Strategists should be given their themes."""
    username = username.strip()
    if not username:
        raise AuthError("the user name is empty")
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    _check_password(password, username)
    with session_scope(engine) as s:
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise AuthError(f"user {username!r} already exists")
        user = User(username=username, password_hash=generate_password_hash(password), role=role, active=True)
        user.themes = [UserTheme(theme_id=t) for t in _theme_ids(s, list(themes or []))]
        s.add(user)


def update_user(
    engine: Engine,
    username: str,
    *,
    password: str | None = None,
    role: str | None = None,
    themes: list[str] | None = None,
    active: bool | None = None,
) -> None:
    """Change a user's password, role, themes or active flag. Any change ends the user's
    sessions (the session version moves on): they log in again with what they may now do."""
    if password is not None:
        _check_password(password, username)
    if role is not None and role not in ROLES:
        raise AuthError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    with session_scope(engine) as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise AuthError(f"no user {username!r}")
        changed = False
        if password is not None:
            user.password_hash = generate_password_hash(password)
            changed = True
        if role is not None and role != user.role:
            user.role = role
            changed = True
        if themes is not None:
            wanted = _theme_ids(s, themes)
            if set(wanted) != {t.theme_id for t in user.themes}:
                user.themes = [UserTheme(theme_id=t) for t in wanted]
                changed = True
        if active is not None and active != user.active:
            user.active = active
            changed = True
        if changed:
            user.session_version = (user.session_version or 0) + 1


def end_sessions(engine: Engine, user_id: int) -> None:
    """End every session of the user (logout, "log out everywhere"): the session version moves on."""
    with engine.begin() as conn:
        conn.execute(
            update(User).where(User.id == user_id).values(session_version=func.coalesce(User.session_version, 0) + 1)
        )


def end_sessions_of(engine: Engine, username: str) -> None:
    """``end_sessions`` by user name (the CLI's ``users logout``)."""
    with engine.connect() as conn:
        user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
    if user_id is None:
        raise AuthError(f"no user {username!r}")
    end_sessions(engine, user_id)


def delete_user(engine: Engine, username: str) -> None:
    """Remove a user (the audit log keeps their name)."""
    with session_scope(engine) as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise AuthError(f"no user {username!r}")
        s.delete(user)


def list_users(engine: Engine) -> list[tuple[str, str, bool, list[str]]]:
    """(username, role, active, themes) for every user, by name."""
    with session_scope(engine) as s:
        users = s.scalars(select(User).options(selectinload(User.themes)).order_by(User.username)).all()
        codes = dict(s.execute(select(Theme.id, Theme.code)).all())
        return [(u.username, u.role, u.active, sorted(codes[t.theme_id] for t in u.themes)) for u in users]


def _user_row(conn: Connection, user_id: int) -> Row | None:
    return conn.execute(
        select(User.id, User.username, User.role, User.active, User.session_version, User.password_hash).where(
            User.id == user_id
        )
    ).first()


def _as_current(conn: Connection, row: Row) -> CurrentUser:
    themes = conn.execute(
        select(Theme.code).join(UserTheme, UserTheme.theme_id == Theme.id).where(UserTheme.user_id == row.id)
    ).scalars()
    return CurrentUser(row.id, row.username, row.role, frozenset(themes), row.session_version or 0)


def load_user(engine: Engine, user_id: int) -> CurrentUser | None:
    """The active user with this id, or None."""
    with engine.connect() as conn:
        row = _user_row(conn, user_id)
        if row is None or not row.active:
            return None
        return _as_current(conn, row)


def session_stamp(password_hash: str, secret: str | bytes) -> str:
    """What a session keeps of the password hash: an HMAC under the app's secret key, so a
    password change, or a user removed and created again under the same id, ends old
    sessions, and the cookie (readable, only signed) reveals nothing of the hash."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def session_user(
    engine: Engine, user_id: int, version: object, stamp: object, secret: str | bytes
) -> CurrentUser | None:
    """The user a session cookie stands for, or None when that session has ended: the user is
    gone or inactive, the session version moved on (logout, role/theme/password change) or
    the password hash is not the one the session was started with."""
    with engine.connect() as conn:
        row = _user_row(conn, user_id)
        if row is None or not row.active or not isinstance(version, int) or version != (row.session_version or 0):
            return None
        if not isinstance(stamp, str) or not hmac.compare_digest(stamp, session_stamp(row.password_hash, secret)):
            return None
        return _as_current(conn, row)


def _verify(engine: Engine, username: str, password: str) -> tuple[CurrentUser, str] | None:
    """The user and their password hash when the name and password match an active user.

    Exactly one password hash check whatever the outcome: an unknown name is checked
    against ``DUMMY_HASH``, an inactive user's password is checked too."""
    with engine.connect() as conn:
        row = conn.execute(
            select(User.id, User.password_hash, User.active).where(User.username == username.strip())
        ).first()
    matches = check_password_hash(row.password_hash if row is not None else DUMMY_HASH, password)
    if row is None or not matches or not row.active:
        return None
    user = load_user(engine, row.id)
    return None if user is None else (user, row.password_hash)


def authenticate(engine: Engine, username: str, password: str) -> CurrentUser | None:
    """The user if the name and password match an active user, else None (no rate limit:
    the login route checks ``login_blocked`` first)."""
    found = _verify(engine, username, password)
    return None if found is None else found[0]


# --------------------------------------------------------------------------- failed logins


def failure_keys(username: str, address: str | None) -> tuple[str, str]:
    """The ``login_failure`` keys of a user name and an address."""
    return ("user:" + username.strip().casefold())[:200], ("addr:" + (address or "unknown"))[:200]


def login_blocked(engine: Engine, username: str, address: str | None, now: datetime | None = None) -> timedelta | None:
    """How much longer logins for this user name or from this address are refused, or None
    when an attempt may be made."""
    now = now or _utcnow()
    since = now - FAILURE_WINDOW
    waits = []
    with engine.connect() as conn:
        for key, limit in zip(failure_keys(username, address), (MAX_USER_FAILURES, MAX_ADDRESS_FAILURES), strict=True):
            # the limit-th most recent failure in the window: the lock lifts when it ages out
            at = conn.execute(
                select(LoginFailure.at)
                .where(LoginFailure.key == key, LoginFailure.at > since)
                .order_by(LoginFailure.at.desc())
                .offset(limit - 1)
                .limit(1)
            ).scalar()
            if at is not None:
                waits.append(at + FAILURE_WINDOW - now)
    return max(waits) if waits else None


def record_failure(engine: Engine, username: str, address: str | None, now: datetime | None = None) -> int:
    """Count a failed login for the user name and for the address (and prune rows older than
    ``FAILURE_KEEP``); the larger of the two counts in the window, this one included."""
    now = now or _utcnow()
    keys = failure_keys(username, address)
    with engine.begin() as conn:
        conn.execute(delete(LoginFailure).where(LoginFailure.at < now - FAILURE_KEEP))
        conn.execute(insert(LoginFailure), [{"key": key, "at": now} for key in keys])
        counts = conn.execute(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.key.in_(keys), LoginFailure.at > now - FAILURE_WINDOW)
            .group_by(LoginFailure.key)
        ).scalars()
        return max(counts, default=1)


def clear_failures(engine: Engine, username: str) -> None:
    """Forget a user name's failures after a successful login (the address keeps its count)."""
    with engine.begin() as conn:
        conn.execute(delete(LoginFailure).where(LoginFailure.key == failure_keys(username, None)[0]))


def failure_delay(count: int) -> float:
    """Seconds to hold back the answer to a failed login that is the ``count``-th in the window."""
    return min(FAILURE_DELAY * max(count - 1, 0), MAX_FAILURE_DELAY)


# --------------------------------------------------------------------------- validation layout


def public_validation_layout(layout: Any) -> dict[str, Any]:
    """What Dash's renderer needs of the validation layout (to check that every callback's
    components exist and have the property): each component with an id, once, as its type,
    namespace and id and nothing else. ``layout`` is the layout as JSON (dicts and lists).

    Dash builds the validation layout once, from every page's layout, in the context of
    whichever request comes first, and embeds it in every page it serves; cut down like
    this, texts and options a layout read from the database never reach the browser
    that way, and the page does not grow with the data."""
    stubs: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "type" in node and "namespace" in node:
                cid = props.get("id")
                if cid is not None:
                    key = (str(node["namespace"]), str(node["type"]), json.dumps(cid, sort_keys=True, default=str))
                    if key not in seen:
                        seen.add(key)
                        stubs.append({"type": node["type"], "namespace": node["namespace"], "props": {"id": cid}})
                node = props
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(layout)
    return {"type": "Div", "namespace": "dash_html_components", "props": {"children": stubs}}


_CONFIG_SCRIPT = re.compile(r'(<script id="_dash-config" type="application/json">)(.*?)(</script>)', re.S)
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def publish_page(html: str) -> str:
    """A Dash page with its embedded validation layout cut down (``public_validation_layout``)."""
    match = _CONFIG_SCRIPT.search(html)
    if match is None:
        return html
    config = json.loads(match.group(2))
    if not isinstance(config, dict) or config.get("validation_layout") is None:
        return html
    config["validation_layout"] = public_validation_layout(config["validation_layout"])
    text = json.dumps(config, ensure_ascii=False, separators=(",", ":")).translate(_JSON_IN_HTML)
    return html[: match.start(2)] + text + html[match.end(2) :]


# --------------------------------------------------------------------------- Flask integration


def current_user() -> CurrentUser | None:
    """The logged-in user of the current request (None when anonymous, when the session has
    ended — see ``session_user`` — or outside a request)."""
    from flask import current_app, g, has_request_context, session

    if not has_request_context():
        return None
    if "rus_user" not in g.__dict__:
        uid = session.get("uid")
        user = None
        if uid is not None:
            from .state import current_engine

            try:
                user = session_user(
                    current_engine(), int(uid), session.get("sv"), session.get("stamp"), current_app.secret_key
                )
            except Exception:
                log.exception("could not load the session's user")
                user = None
        g.rus_user = user
    return g.rus_user


VALIDATION_USER = CurrentUser(0, "(validation)", "admin", frozenset())


def page_user() -> CurrentUser | None:
    """The user a page layout is built for. Outside a request this is a stand-in admin, so
    a layout built then holds every component the page's callbacks use. (Dash builds its
    validation layout inside the first request, for whoever sent it; pages therefore keep
    the components of the forms they deny, hidden, and what reaches the browser of that
    layout is cut down to ids by ``public_validation_layout``.)"""
    from flask import has_request_context

    return current_user() if has_request_context() else VALIDATION_USER


def csrf_token() -> str:
    """The session's CSRF token (created on first use)."""
    from flask import session

    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def _secret_key(settings: Settings) -> str:
    if settings.secret_key:
        return settings.secret_key
    from .config import DATA_DIR

    path = Path(DATA_DIR) / ".secret_key"
    try:
        if not path.exists():
            path.write_text(secrets.token_hex(32), encoding="ascii")
            path.chmod(0o600)
        return path.read_text(encoding="ascii").strip()
    except OSError:
        log.warning("no RUS_SECRET_KEY and data/ is not writable: sessions end when the process does")
        return secrets.token_hex(32)


def safe_next(target: str | None) -> str:
    """A local path to go to after login (never another site)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def login_path(next_path: str) -> str:
    """The login page URL that comes back to ``next_path``."""
    return f"/login?next={quote(safe_next(next_path), safe='/')}"


def _minutes(wait: timedelta) -> int:
    return min(max(math.ceil(wait.total_seconds() / 60), 1), 60)


def init_auth(server: Flask, settings: Settings) -> None:
    """Session cookies, the login/logout routes, page protection, login limits, CSRF checks
    and the cut-down validation layout in every page."""
    from flask import abort, jsonify, make_response, redirect, request, session

    server.secret_key = _secret_key(settings)
    server.config.update(
        SESSION_COOKIE_NAME="rus_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        MAX_CONTENT_LENGTH=settings.max_upload_bytes * 2,  # base64 upload in a JSON body
    )

    @server.before_request
    def _guard():
        path = request.path
        rule = request.url_rule.rule if request.url_rule is not None else None
        if request.method == "POST" and (session.get("uid") is not None or rule in _AUTH_RULES):
            sent = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token") or ""
            if not sent or not hmac.compare_digest(sent, session.get("csrf") or ""):
                log.warning("CSRF token missing or wrong on %s", path)
                if rule in _AUTH_RULES:
                    return redirect(login_path(request.form.get("next") or "/") + "&error=csrf", code=303)
                abort(403)
        if session.get("uid") is not None and current_user() is None:
            session.clear()  # that session has ended (logout, password/role change, deactivation)
        if rule in OPEN_RULES or current_user() is not None:
            return None
        if request.method == "GET" and path.startswith(PROTECTED_PATHS):
            return redirect(login_path(request.full_path.rstrip("?")), code=302)
        if settings.require_login:
            if path.startswith("/_"):  # Dash's endpoints (_dash-layout, _dash-update-component, …)
                return make_response(jsonify(error="login required"), 401)
            return redirect(login_path(request.full_path.rstrip("?")), code=302)
        return None

    @server.after_request
    def _after(response: Response) -> Response:
        if response.mimetype == "text/html" and not response.direct_passthrough:
            if not response.headers.get("Content-Encoding"):
                html = response.get_data(as_text=True)
                if "_dash-config" in html:
                    response.set_data(publish_page(html))
        token = session.get("csrf")
        if token and request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(
                CSRF_COOKIE, token, httponly=False, samesite="Strict", secure=settings.secure_cookies, path="/"
            )
        return response

    @server.get("/login")
    def _login_page():
        return _login_html(settings, request.args.get("next"), request.args.get("error"), request.args.get("wait"))

    @server.post("/auth/login")
    def _login():
        from .state import current_engine

        engine = current_engine()
        target = safe_next(request.form.get("next"))
        username = request.form.get("username", "")
        address = request.remote_addr

        def refused(wait: timedelta) -> Response:
            log.warning("login refused, too many failures: %r from %s", username[:100], address)
            return redirect(login_path(target) + f"&error=limited&wait={_minutes(wait)}", code=303)

        wait = login_blocked(engine, username, address)
        if wait is not None:
            return refused(wait)
        found = _verify(engine, username, request.form.get("password", ""))
        if found is None:
            _pause(failure_delay(record_failure(engine, username, address)))
            wait = login_blocked(engine, username, address)
            return refused(wait) if wait is not None else redirect(login_path(target) + "&error=1", code=303)
        user, password_hash = found
        clear_failures(engine, username)
        session.clear()  # a new session (and CSRF token) on login
        session.permanent = True
        session["uid"] = user.id
        session["sv"] = user.session_version
        session["stamp"] = session_stamp(password_hash, server.secret_key)
        csrf_token()
        log.info("login: %s", user.username)
        return redirect(target, code=303)

    @server.post("/auth/logout")
    def _logout():
        from .state import current_engine

        user = current_user()
        if user is not None:  # ends this session and every copy of its cookie (and the user's other sessions)
            end_sessions(current_engine(), user.id)
            log.info("logout: %s", user.username)
        session.clear()
        response = redirect("/", code=303)
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response


def _login_html(settings: Settings, next_path: str | None, error: str | None, wait: str | None = None) -> str:
    from flask import request

    from .i18n import lang_or_default
    from .i18n import t as translate

    lang = lang_or_default(request.cookies.get("rus_lang") or settings.language)

    def t(key: str) -> str:
        return translate(key, lang)

    message = ""
    if error == "csrf":
        message = t("auth.error_csrf")
    elif error == "limited":
        minutes = int(wait) if wait and wait.isdigit() else _minutes(FAILURE_WINDOW)
        message = translate("auth.error_limited", lang, minutes=min(max(minutes, 1), 60))
    elif error:
        message = t("auth.error")
    alert = f'<div class="alert alert-danger" role="alert">{escape(message)}</div>' if message else ""
    token = csrf_token()
    return f"""<!DOCTYPE html>
<html lang="{escape(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("auth.title"))} · RUS-dashboard</title>
<link rel="stylesheet" href="/assets/01-bootstrap-flatly.min.css">
<link rel="stylesheet" href="/assets/10-rus.css"></head>
<body class="bg-light"><main class="container" style="max-width: 26rem; margin-top: 10vh">
<h1 class="h3 mb-3">RUS-dashboard</h1>
<div class="card"><div class="card-body">
<h2 class="h5 card-title">{escape(t("auth.title"))}</h2>
{alert}
<form method="post" action="/auth/login">
<input type="hidden" name="csrf_token" value="{escape(token)}">
<input type="hidden" name="next" value="{escape(safe_next(next_path))}">
<div class="mb-3"><label class="form-label" for="username">{escape(t("auth.username"))}</label>
<input class="form-control" id="username" name="username" autocomplete="username" required autofocus></div>
<div class="mb-3"><label class="form-label" for="password">{escape(t("auth.password"))}</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required>
</div>
<button class="btn btn-primary w-100" type="submit">{escape(t("auth.submit"))}</button>
</form></div></div>
<p class="text-muted small mt-3">{escape(t("auth.hint_closed" if settings.require_login else "auth.hint"))}</p>
{"" if settings.require_login else f'<p><a href="/">{escape(t("auth.back"))}</a></p>'}
</main></body></html>"""

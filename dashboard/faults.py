"""Database faults as clear answers instead of tracebacks.

- A page request while the database cannot be used answers **503** with a short
  page that says what is wrong and reloads itself; callbacks answer 503 JSON.
- Each kind of fault has its own message: unreachable server, missing schema,
  corrupt or locked SQLite file, a query that ran past its time limit.
- Recovery needs nothing: the check runs again (at most every
  ``PING_SECONDS``), and PostgreSQL connections are pre-pinged.
"""

from __future__ import annotations

import logging
import threading
import time
from html import escape
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

if TYPE_CHECKING:
    from flask import Flask

    from .config import Settings

log = logging.getLogger(__name__)

PING_SECONDS = 2.0
_CHECKED: dict[str, tuple[float, Exception | None]] = {}
_LOCK = threading.Lock()
# Paths that never touch the database (static files, the login page's assets).
_STATIC = ("/assets/", "/_dash-component-suites/", "/_favicon", "/favicon", "/_reload-hash")

MESSAGES = {
    "unreachable": (
        "Databasen går inte att nå just nu. Sidan laddas om av sig själv när den är tillbaka.",
        "The database cannot be reached right now. The page reloads itself when it is back.",
    ),
    "schema": (
        "Databasen saknar tabeller. Kör `python -m dashboard init`.",
        "The database has no tables. Run `python -m dashboard init`.",
    ),
    "corrupt": (
        "Databasfilen är skadad eller är ingen SQLite-databas. Återställ den från en säkerhetskopia.",
        "The database file is damaged or is not an SQLite database. Restore it from a backup.",
    ),
    "locked": (
        "Databasen är låst av ett annat program. Försök igen om en stund.",
        "The database is locked by another program. Please try again shortly.",
    ),
    "readonly": (
        "Databasen är skrivskyddad: allt går att titta på, men inget kan sparas. Be den som sköter "
        "servern ge appen skrivrätt till databasfilen och dess mapp.",
        "The database is read-only: everything can be viewed, but nothing can be saved. Ask whoever runs "
        "the server to give the app write access to the database file and its folder.",
    ),
    "disk_full": (
        "Disken är full: ingenting sparades (ändringen är ogjord i sin helhet). Frigör utrymme och försök igen.",
        "The disk is full: nothing was saved (the change was undone as a whole). Free some space and try again.",
    ),
    "timeout": (
        "Frågan tog för lång tid och avbröts. Försök med ett snävare urval.",
        "The query took too long and was stopped. Try a narrower selection.",
    ),
    "preparing": (
        "Uppgifterna förbereds efter en ändring eller en omstart (vid mycket stora databaser tar det "
        "någon minut). Sidan försöker igen av sig själv.",
        "The data is being prepared after a change or a restart (with very large databases this takes "
        "a minute or so). The page tries again by itself.",
    ),
    "other": (
        "Databasen svarade med ett fel. Försök igen om en stund.",
        "The database answered with an error. Please try again shortly.",
    ),
}


def classify(exc: BaseException) -> str:
    """The kind of database fault: preparing, unreachable, schema, corrupt, locked, readonly,
    disk_full, timeout or other."""
    from .analytics import CopyNotReady

    if isinstance(exc, CopyNotReady):
        return "preparing"
    text_ = str(getattr(exc, "orig", None) or exc).lower()
    if "not a database" in text_ or "malformed" in text_ or "file is encrypted" in text_:
        return "corrupt"
    if "database is locked" in text_ or "database table is locked" in text_:
        return "locked"
    if "readonly database" in text_ or "read-only" in text_ or "read only" in text_:
        return "readonly"
    if "disk is full" in text_ or "disk full" in text_ or "no space left" in text_ or "diskfull" in text_:
        return "disk_full"
    if "interrupted" in text_ or "statement timeout" in text_ or "canceling statement" in text_:
        return "timeout"
    if "no such table" in text_ or ("relation" in text_ and "does not exist" in text_):
        return "schema"
    if (
        "unable to open database" in text_
        or "could not connect" in text_
        or "connection refused" in text_
        or "connection failed" in text_
        or "server closed the connection" in text_
        or "terminating connection" in text_
        or "timeout expired" in text_
        or "connection is closed" in text_
        or "consuming input failed" in text_
        or (isinstance(exc, DBAPIError) and exc.connection_invalidated)
    ):
        return "unreachable"
    return "other"


def message(kind: str, lang: str) -> str:
    """The user-facing message for a fault kind."""
    sv, en = MESSAGES.get(kind, MESSAGES["other"])
    return en if lang == "en" else sv


def check_database(engine: Engine, *, force: bool = False) -> Exception | None:
    """None when the database answers with its schema, else the error (cached ``PING_SECONDS``)."""
    key = engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    with _LOCK:
        cached = _CHECKED.get(key)
        if cached and not force and now - cached[0] < PING_SECONDS:
            return cached[1]
    error: Exception | None = None
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except SQLAlchemyError as exc:
        error = exc
        engine.dispose()  # drop pooled connections to a server that went away
    with _LOCK:
        _CHECKED[key] = (time.monotonic(), error)
    return error


def clear_checks() -> None:
    """Forget cached check results (tests; after a restore)."""
    with _LOCK:
        _CHECKED.clear()


def fault_page(kind: str, lang: str) -> str:
    """A small self-contained 503 page that reloads itself every 10 seconds."""
    title = "Tillfälligt fel" if lang != "en" else "Temporary problem"
    return f"""<!DOCTYPE html>
<html lang="{escape(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>{escape(title)} · RUS-dashboard</title>
<link rel="stylesheet" href="/assets/01-bootstrap-flatly.min.css"></head>
<body class="bg-light"><main class="container" style="max-width: 40rem; margin-top: 10vh">
<h1 class="h3">RUS-dashboard</h1>
<div class="alert alert-danger" role="alert" id="db-fault" data-kind="{escape(kind)}">
<h2 class="h5">{escape(title)}</h2><p class="mb-0">{escape(message(kind, lang))}</p></div>
</main></body></html>"""


def init_faults(server: Flask, settings: Settings) -> None:
    """Answer 503 (page or JSON) while the database cannot be used."""
    from flask import jsonify, make_response, request

    from .db import get_engine
    from .i18n import lang_or_default

    def lang() -> str:
        return lang_or_default(request.cookies.get("rus_lang") or settings.language)

    @server.before_request
    def _database_ready():
        path = request.path
        if path.startswith(_STATIC) or request.method != "GET" or path.startswith("/_dash-"):
            return None
        error = check_database(get_engine(settings.database_url))
        if error is None:
            return None
        kind = classify(error)
        log.error("database not usable (%s): %s", kind, error.__class__.__name__)
        response = make_response(fault_page(kind, lang()), 503)
        response.headers["Retry-After"] = "10"
        return response

    @server.errorhandler(SQLAlchemyError)
    def _database_error(exc: SQLAlchemyError):
        kind = classify(exc)
        log.error("database error in %s (%s): %s", request.path, kind, exc.__class__.__name__)
        clear_checks()
        if request.path.startswith("/_dash-") or request.method != "GET":
            response = make_response(jsonify(error=message(kind, lang()), kind=kind), 503)
        else:
            response = make_response(fault_page(kind, lang()), 503)
        response.headers["Retry-After"] = "10"
        return response

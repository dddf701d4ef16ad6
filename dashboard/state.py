"""Per-request access to the app's settings, engine, language and cached
vocabulary. The only module-level state is immutable: settings live on the
Flask app, engines are cached per URL."""

from __future__ import annotations

import threading
import time

import flask
from sqlalchemy import Engine

from .config import Settings
from .db import get_engine
from .filters import FilterState, parse_query, resolve
from .i18n import lang_or_default
from .queries.common import Vocabulary, load_vocabulary

SETTINGS_KEY = "RUS_SETTINGS"
LANG_COOKIE = "rus_lang"
_VOCAB_TTL_S = 30.0
_vocab_lock = threading.Lock()
_vocab_cache: dict[str, tuple[float, Vocabulary]] = {}


def current_settings() -> Settings:
    """Settings of the Flask app serving this request (environment outside a request)."""
    if flask.has_app_context() and SETTINGS_KEY in flask.current_app.config:
        return flask.current_app.config[SETTINGS_KEY]
    return Settings.from_env()


def current_engine() -> Engine:
    """The engine for the current settings."""
    return get_engine(current_settings().database_url)


def current_language() -> str:
    """Language from the ``rus_lang`` cookie, else the configured default."""
    if flask.has_request_context():
        cookie = flask.request.cookies.get(LANG_COOKIE)
        if cookie:
            return lang_or_default(cookie)
    return lang_or_default(current_settings().language)


def vocabulary(engine: Engine | None = None) -> Vocabulary:
    """Themes, goals, municipalities and years, cached for a short while."""
    engine = engine or current_engine()
    key = engine.url.render_as_string(hide_password=False)
    now = time.monotonic()
    with _vocab_lock:
        hit = _vocab_cache.get(key)
        if hit and now - hit[0] < _VOCAB_TTL_S:
            return hit[1]
    vocab = load_vocabulary(engine)
    with _vocab_lock:
        _vocab_cache[key] = (now, vocab)
    return vocab


def clear_vocabulary_cache() -> None:
    """Forget cached vocabularies (after imports or demo rebuilds)."""
    with _vocab_lock:
        _vocab_cache.clear()


def filters_from_store(query: str | None) -> FilterState:
    """The shared filter state from the filter store's query string (resolved
    against the vocabulary). ``None`` means the store is not filled yet: no update."""
    from dash.exceptions import PreventUpdate

    if query is None:
        raise PreventUpdate
    return resolve(parse_query(query), vocabulary().aliases())

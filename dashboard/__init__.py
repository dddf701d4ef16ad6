"""RUS-dashboard: follow-up of a Swedish region's regional development strategy.

``create_app(settings)`` builds the Dash app; importing the package has no
side effects.
"""

from __future__ import annotations

import importlib
import logging
import sys

from .config import PROJECT_ROOT, Settings

__all__ = ["create_app"]
log = logging.getLogger(__name__)

_INDEX = """<!DOCTYPE html>
<html lang="{lang}">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        <footer>
            {{%config%}}
            {{%scripts%}}
            {{%renderer%}}
        </footer>
    </body>
</html>"""


def create_app(settings: Settings | None = None):  # noqa: ANN201
    """Build the Dash app for ``settings`` (default: from the environment).

    With ``settings.auto_init`` the database is migrated and, when empty,
    filled with the strategy tree and demo data. A database that cannot be
    reached does not stop the app: pages show a clear error until it is back.
    """
    import dash
    from sqlalchemy.exc import SQLAlchemyError

    from .auth import init_auth
    from .bootstrap import init_database
    from .db import get_engine
    from .faults import init_faults
    from .guards import init_guards
    from .limits import init_limits
    from .pages import PAGE_MODULES
    from .shell import make_shell, register_shell_callbacks
    from .state import SETTINGS_KEY, clear_vocabulary_cache

    settings = settings or Settings.from_env()
    if settings.auto_init:
        try:
            init_database(get_engine(settings.database_url), settings)
        except SQLAlchemyError as exc:
            log.error("database not ready at start (%s); pages will show an error until it is", exc.__class__.__name__)
    clear_vocabulary_cache()

    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(PROJECT_ROOT / "assets"),
        title="RUS-dashboard",
        update_title=None,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = _INDEX.format(lang=settings.language)
    app.server.config[SETTINGS_KEY] = settings
    init_faults(app.server, settings)
    init_auth(app.server, settings)
    init_limits(app.server, settings)
    # Page modules register their page and callbacks at import; re-import them
    # so every app built in this process gets its own copy of the callbacks.
    for name in PAGE_MODULES:
        if name in sys.modules:
            importlib.reload(sys.modules[name])
        else:
            importlib.import_module(name)
    app.layout = make_shell
    register_shell_callbacks(app)
    init_guards(app)  # every callback and write route declares who may call it (dashboard/guards.py)
    # Bind the page callbacks (Dash's global list) to this app now, not on its first
    # request: otherwise another app built in the same process before that request
    # (tests, the benchmark) would take them.
    with app.server.test_request_context("/"):
        app._setup_server()
    return app

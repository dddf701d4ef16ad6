"""An open page when the database goes away: every callback that fails says so in one
banner (the server's message, as text), and the banner goes when answers come back.
The database is a PostgreSQL of the test's own behind a proxy that is cut and restored."""

from __future__ import annotations

import threading
from dataclasses import replace

from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from dashboard.components import ids
from dashboard.config import Settings
from dashboard.db import get_engine
from dashboard.faults import clear_checks

from ..unit.test_faults import TcpProxy, pg_faults_url  # noqa: F401  (the fixture)


def test_an_open_page_says_when_the_database_is_gone(page: Page, pg_faults_url: str) -> None:  # noqa: F811
    from dashboard import create_app

    real = get_engine(pg_faults_url).url
    proxy = TcpProxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.start()
    url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    app = create_app(replace(Settings(), database_url=url, auto_init=False))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        clear_checks()
        page.goto(f"http://127.0.0.1:{server.server_port}/projekt")
        expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_contain_text("projekt")
        banner = page.locator("#rus-fault-banner")
        expect(banner).to_have_count(0)

        proxy.stop()  # the database goes away while the list is open
        page.fill(f"#{ids.PROJECTS_SEARCH}", "sol")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Databasen går inte att nå just nu")
        assert banner.evaluate("el => el.getAttribute('role')") == "alert"

        proxy.start()  # … and comes back: the next answer hides the banner
        clear_checks()
        page.fill(f"#{ids.PROJECTS_SEARCH}", "")
        expect(banner).to_be_hidden()
        expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_contain_text("projekt")
    finally:
        server.shutdown()
        proxy.stop()

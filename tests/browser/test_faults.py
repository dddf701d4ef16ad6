"""An open page when the database goes away: every callback that fails says so in one
banner (the server's message, as text, with a reload button: a grid that lost an answer does
not always ask again by itself), and the banner goes when answers come back.
The database is a PostgreSQL server of the test's own, really stopped and started."""

from __future__ import annotations

import threading
from dataclasses import replace

from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from dashboard.components import ids
from dashboard.config import Settings
from dashboard.faults import clear_checks

from ..private_pg import PrivatePostgres
from ..security.test_outage import private_pg  # noqa: F401  (the fixture)


def test_an_open_page_says_when_the_database_is_gone(
    page: Page,
    private_pg: tuple[PrivatePostgres, str],  # noqa: F811
) -> None:
    from dashboard import create_app

    database, url = private_pg
    app = create_app(replace(Settings(), database_url=url, auto_init=False))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        clear_checks()
        page.goto(f"http://127.0.0.1:{server.server_port}/projekt")
        expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_contain_text("projekt")
        banner = page.locator("#rus-fault-banner")
        expect(banner).to_have_count(0)

        database.stop()  # the database server goes away while the list is open
        page.fill(f"#{ids.PROJECTS_SEARCH}", "sol")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Databasen går inte att nå just nu")
        assert banner.evaluate("el => el.getAttribute('role')") == "alert"

        database.start()  # … and comes back: the banner's reload button brings the page back
        clear_checks()
        page.click("#rus-fault-reload")
        expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_contain_text("projekt")
        expect(banner).to_have_count(0)
        page.fill(f"#{ids.PROJECTS_SEARCH}", "sol")  # and the next answers are good ones
        expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_contain_text("projekt")
        expect(banner).to_have_count(0)
    finally:
        server.shutdown()

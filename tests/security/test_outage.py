"""The database goes away and comes back, on a PostgreSQL server of the test's own that the
test really stops and starts: every page, and a callback of an open page, during and after
the outage."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace

import dash
import pytest
from sqlalchemy import create_engine, text

from dashboard.components import ids
from dashboard.config import Settings
from dashboard.faults import clear_checks

from ..conftest import writable_demo
from ..private_pg import PrivatePostgres
from .test_bounds import _payload


@pytest.fixture(scope="module")
def private_pg() -> Iterator[tuple[PrivatePostgres, str]]:
    try:
        server = PrivatePostgres()
        server.start()
    except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"no PostgreSQL server of our own ({exc})")
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE rus"))
    admin.dispose()
    url = server.url("rus")
    writable_demo(url, 20)
    yield server, url
    server.remove()


def _grid(app, client) -> object:
    """The project list's rows callback, as an open page sends it."""
    key = next(k for k in app.callback_map if "getRowsResponse" in k)
    body = _payload(
        key,
        [{"id": ids.PROJECTS_GRID, "property": "getRowsRequest", "value": {"startRow": 0, "endRow": 100}}],
        [
            {"id": ids.FILTER_STORE, "property": "data", "value": ""},
            {"id": ids.PROJECTS_SEARCH, "property": "value", "value": None},
        ],
    )
    return client.post("/_dash-update-component", json=body)


def test_every_page_during_and_after_an_outage(private_pg: tuple[PrivatePostgres, str]) -> None:
    from dashboard import create_app

    server, url = private_pg
    app = create_app(replace(Settings(), database_url=url, auto_init=False))
    client = app.server.test_client()
    pages = sorted(p["path"] for p in dash.page_registry.values() if "<" not in p["path"])
    assert "/" in pages and "/projekt" in pages
    clear_checks()
    for path in pages:
        assert client.get(path).status_code in (200, 302), path
    assert _grid(app, client).status_code == 200

    server.stop()  # the database server really goes away
    try:
        clear_checks()
        for path in pages:
            response = client.get(path)
            if response.status_code == 302:  # pages that need a login send anonymous users there first
                continue
            assert response.status_code == 503, path
            body = response.get_data(as_text=True)
            assert 'data-kind="unreachable"' in body and "Traceback" not in body, path
        answer = _grid(app, client)  # a callback of a page that was already open
        assert answer.status_code == 503
        assert answer.get_json()["error"].startswith("Databasen går inte att nå just nu")
    finally:
        server.start()  # … and comes back
    clear_checks()
    for path in pages:
        assert client.get(path).status_code in (200, 302), path
    assert _grid(app, client).status_code == 200

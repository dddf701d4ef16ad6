"""Import in the browser: login, upload with errors → nothing written, fix → import → new totals; editing."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from dashboard.auth import create_user
from dashboard.config import Settings
from dashboard.db import get_engine
from dashboard.models import Project

from ..unit.test_importer_projects import GOOD, _csv

PASSWORD = "ett-bra-lösenord"


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """A separate writable demo database with an admin, served on a loopback port."""
    from dashboard import create_app
    from dashboard.bootstrap import init_database

    url = f"sqlite:///{tmp_path_factory.mktemp('imp') / 'import.sqlite'}"
    settings = replace(Settings(), database_url=url, auto_init=False, demo_projects=60)
    engine = get_engine(url)
    init_database(engine, settings)
    create_user(engine, "admin", PASSWORD, "admin")
    create_user(engine, "kultur", PASSWORD, "strategist", ["kultur"])
    server = make_server("127.0.0.1", 0, create_app(settings).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", engine
    server.shutdown()


def _login(page: Page, base: str, user: str, target: str) -> None:
    page.goto(f"{base}{target}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(target.split("?")[0])))


def _mnkr(text: str) -> float:
    found = re.search(r"(\d[\d\u00a0]*,\d)\u00a0mnkr", text)
    assert found, f"no mnkr amount in {text!r}"
    number = found.group(1)
    return float(number.replace("\u00a0", "").replace(",", "."))


def test_anonymous_is_sent_to_login(page: Page, writable) -> None:
    base, _ = writable
    page.goto(f"{base}/import")
    expect(page).to_have_url(re.compile(r"/login\?next=/import"))
    expect(page.locator("form[action='/auth/login']")).to_be_visible()
    page.goto(f"{base}/")
    expect(page.locator("#shell-login")).to_be_visible()


def test_upload_errors_then_fix_then_import(page: Page, writable, tmp_path: Path, console_errors: list[str]) -> None:
    base, engine = writable
    page.goto(f"{base}/?year=2025")
    expect(page.locator("#kpi-granted")).to_contain_text("mnkr")
    before = _mnkr(page.locator("#kpi-granted").inner_text())
    with engine.connect() as conn:
        projects_before = conn.execute(select(func.count(Project.id))).scalar_one()

    _login(page, base, "admin", "/import")
    bad = list(GOOD)
    bad[0], bad[3], bad[12] = "UI-1", "Enrgi", "4OO 000"
    page.set_input_files("#import-upload input[type=file]", str(_csv(tmp_path, [bad], "fel.csv")))
    rejected = page.locator("#import-rejected")
    expect(rejected).to_contain_text("2 fel")
    expect(page.locator("#import-preview table")).to_contain_text("ERUF (kr)")
    expect(page.locator("#import-preview table")).to_contain_text("did you mean 'energi'")
    expect(page.locator("#import-confirm")).to_be_disabled()
    with engine.connect() as conn:
        assert conn.execute(select(func.count(Project.id))).scalar_one() == projects_before, "nothing written"

    good = list(GOOD)
    good[0], good[1] = "UI-1", "<script>window.__xss = 1</script>"
    page.set_input_files("#import-upload input[type=file]", str(_csv(tmp_path, [good], "rätt.csv")))
    expect(page.locator("#import-ok")).to_contain_text("1 nya, 0 ändrade")
    page.click("#import-confirm")
    expect(page.locator("#import-done")).to_contain_text("Importen är klar")

    page.goto(f"{base}/?year=2025")
    expect(page.locator("#kpi-granted")).to_contain_text("mnkr")
    after = _mnkr(page.locator("#kpi-granted").inner_text())
    assert round(after - before, 1) == 0.5, "the 500 000 kr grant shows in the overview"

    page.goto(f"{base}/projekt?project=UI-1")
    expect(page.locator(".modal-title")).to_have_text("UI-1 · <script>window.__xss = 1</script>")
    assert page.evaluate("window.__xss") is None, "a <script> title is shown as text, never run"

    page.goto(f"{base}/logg")
    expect(page.locator("#audit-grid")).to_contain_text("import-file")
    expect(page.locator("#audit-grid")).to_contain_text("UI-1")
    assert not [e for e in console_errors if "favicon" not in e and "ERR_ABORTED" not in e], console_errors

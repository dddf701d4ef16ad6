"""Import in the browser: login, upload with errors → nothing written, fix → import → new totals; editing."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from dashboard.models import AuditEvent, Project

from ..conftest import writable_demo
from ..unit.test_importer_projects import GOOD, _csv

PASSWORD = "ett-bra-lösenord"


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """A separate writable demo database with an admin, served on a loopback port."""
    from dashboard import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('imp') / 'import.sqlite'}"
    users = (("admin", PASSWORD, "admin", ()), ("kultur", PASSWORD, "strategist", ("kultur",)))
    settings, engine = writable_demo(url, 60, users)
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


def _kpi_mnkr(page: Page) -> float:
    """The granted-1:1 KPI in mnkr, read once the (re-rendering) card shows a number."""
    pattern = re.compile(r"(\d[\d\u00a0]*,\d)\u00a0mnkr")
    for _ in range(100):
        found = pattern.search(page.locator("#kpi-granted").inner_text())
        if found:
            return float(found.group(1).replace("\u00a0", "").replace(",", "."))
        page.wait_for_timeout(100)
    raise AssertionError("the KPI never showed an amount in mnkr")


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
    before = _kpi_mnkr(page)
    with engine.connect() as conn:
        projects_before = conn.execute(select(func.count(Project.id))).scalar_one()

    _login(page, base, "admin", "/import")
    bad = list(GOOD)
    bad[0], bad[3], bad[12] = "UI-1", "Enrgi", "4OO 000"
    page.set_input_files("#import-upload input[type=file]", str(_csv(tmp_path, [bad], "fel.csv")))
    rejected = page.locator("#import-rejected")
    expect(rejected).to_contain_text("2 fel")
    expect(page.locator("#import-preview")).to_contain_text("Fil: fel.csv")
    expect(page.locator("#import-preview table")).to_contain_text("ERUF (kr)")
    # the problems in the page's language: position, column and message
    expect(page.locator("#import-preview table")).to_contain_text(
        "okänt tematiskt område 'Enrgi' (menade du 'energi'?)"
    )
    expect(page.locator("#import-preview table")).to_contain_text("'4OO 000' är inget belopp")
    expect(page.locator("#import-preview table")).to_contain_text("rad 2")
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
    after = _kpi_mnkr(page)
    assert round(after - before, 1) == 0.5, "the 500 000 kr grant shows in the overview"

    page.goto(f"{base}/projekt?project=UI-1")
    expect(page.locator(".modal-title")).to_have_text("UI-1 · <script>window.__xss = 1</script>")
    assert page.evaluate("window.__xss") is None, "a <script> title is shown as text, never run"

    page.goto(f"{base}/logg")
    expect(page.locator("#audit-grid")).to_contain_text("import-file")
    expect(page.locator("#audit-grid")).to_contain_text("UI-1")
    assert not [e for e in console_errors if "favicon" not in e and "ERR_ABORTED" not in e], console_errors


def test_edit_and_role_rules(page: Page, writable, console_errors: list[str]) -> None:
    base, engine = writable
    with engine.connect() as conn:
        ref = conn.execute(select(Project.reference).where(Project.reference == "UI-1")).scalar()
    if ref is None:
        pytest.skip("needs the import test's project")
    _login(page, base, "kultur", "/redigera?project=UI-1")
    expect(page.get_by_text("Du kan bara redigera projekt inom dina teman (kultur)")).to_be_visible()
    page.click("#shell-user-menu")
    page.click("#shell-logout")
    expect(page.locator("#shell-login")).to_be_visible()

    _login(page, base, "admin", "/logg")
    page.goto(f"{base}/projekt?project=UI-1")
    page.click("#project-edit-link")
    expect(page).to_have_url(re.compile(r"/redigera\?project=UI-1"))
    expect(page.locator("h1")).to_have_text("Redigera projekt: UI-1")
    title = page.locator("input[maxlength='300']")
    title.fill("Solceller, ändrad")
    goal = page.get_by_label("Klimat", exact=False).first
    goal.fill("50")
    page.click("#edit-save")
    expect(page.locator("#edit-problems")).to_contain_text("målandelarna blir 90 %, de ska bli 100 %")
    goal.fill("60")
    page.click("#edit-save")
    expect(page.locator("#edit-saved")).to_contain_text("Ändringarna är sparade")
    with engine.connect() as conn:
        event = conn.execute(
            select(AuditEvent).where(AuditEvent.action == "edit", AuditEvent.entity_key == "UI-1")
        ).first()
    assert event is not None and event.actor == "admin" and "Solceller, ändrad" in event.after_json
    page.reload()
    expect(page.locator("input[maxlength='300']")).to_have_value("Solceller, ändrad")
    assert not [e for e in console_errors if "favicon" not in e and "ERR_ABORTED" not in e], console_errors


def test_skip_invalid_rows_in_the_browser(page: Page, writable, tmp_path: Path) -> None:
    """A file with one bad amount: the preview lists the row; with "skip invalid rows" the
    good row is imported and the bad one downloads with its reason."""
    base, engine = writable
    _login(page, base, "admin", "/import")
    good, bad = list(GOOD), list(GOOD)
    good[0], bad[0], bad[12] = "SK-1", "SK-2", "1,500"
    page.set_input_files("#import-upload input[type=file]", str(_csv(tmp_path, [good, bad], "blandad.csv")))
    expect(page.locator("#import-preview table")).to_contain_text("'1,500' lästes som 1,5 kr")
    expect(page.locator("#import-confirm")).to_be_disabled()
    page.locator("#import-skip-invalid").check()
    expect(page.locator("#import-ok")).to_contain_text("1 felaktiga rader lämnas utanför")
    with page.expect_download() as download:
        page.click("#import-rejected-download")
    from openpyxl import load_workbook

    saved = tmp_path / "avvisade.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Rad", "Fel") and rows[1][0] == "SK-2" and "1,500" in rows[1][-1]
    page.click("#import-confirm")
    expect(page.locator("#import-done")).to_contain_text("Importen är klar")
    with engine.connect() as conn:
        refs = set(conn.execute(select(Project.reference).where(Project.reference.like("SK-%"))).scalars())
    assert refs == {"SK-1"}

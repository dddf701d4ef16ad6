"""axe-core (WCAG 2.0/2.1 A and AA) in Chromium on every page and every deck's slides, at
1920×1080 and 1280×720, anonymous and logged in; the survey also at 390×844. Any serious or
critical violation fails. One browser context per size and login; each test walks all pages
and reports every violation it found at once.

axe-core is installed by ``.ci/run`` (npm, into the git-ignored ``.cache/axe-core``); without it
these tests skip with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ..unit.test_importer_projects import GOOD, _csv
from .a11y import (
    AXE_JS,
    AXE_MISSING,
    PHONE,
    SIZES,
    Site,
    describe,
    new_context,
    next_slide,
    open_page,
    run_axe,
    serve_site,
    settle,
    visit,
)

# Every page, and the states that show more than a first load does (a goal chosen, a theme's
# kartbild, the project dialog). {ref}: a project of the demo data.
PAGES = [
    "/",
    "/?year=2024&goal=konkurrenskraft",
    "/kapital",
    "/tema",
    "/tema?theme=energi",
    "/indikatorer",
    "/projekt",
    "/projekt?project={ref}",
    "/strategi",
    "/rapport",
    "/data",
    "/presentation",
    "/finns-inte",
]
ANONYMOUS_ONLY = ["/login"]
LOGGED_IN_ONLY = ["/import", "/logg", "/redigera?new=1", "/redigera?project={ref}"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.skip(AXE_MISSING)
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve_site(tmp_path_factory.mktemp("a11y"))


def _scan(page: Page, where: str, axe_source: str, found: list[str]) -> None:
    found += describe(where, run_axe(page, axe_source))


def _scan_decks(page: Page, site: Site, axe_source: str, found: list[str]) -> None:
    """Every slide of every deck, turned with the arrow key as in the room."""
    for deck, total in site.decks.items():
        visit(page, f"{site.base}/presentation/{deck}/1")
        _scan(page, f"/presentation/{deck}/1", axe_source, found)
        for number in range(2, total + 1):
            next_slide(page, number)
            _scan(page, f"/presentation/{deck}/{number}", axe_source, found)


def _scan_open_dropdown(page: Page, site: Site, axe_source: str, found: list[str]) -> None:
    """The filter bar with a multi-select open (its options, search and select-all)."""
    visit(page, f"{site.base}/")
    page.locator("#filter-theme").click()
    expect(page.get_by_role("checkbox", name="Energi")).to_be_visible()
    _scan(page, "/ (theme filter open)", axe_source, found)
    page.keyboard.press("Escape")


def _scan_import_preview(page: Page, site: Site, axe_source: str, found: list[str], tmp_path) -> None:
    """The import page with a checked file (the preview: #import-ok and the rows)."""
    visit(page, f"{site.base}/import")
    page.set_input_files("#import-upload input[type=file]", str(_csv(tmp_path, [GOOD], "projekt.csv")))
    expect(page.locator("#import-ok")).to_be_visible()
    settle(page)
    _scan(page, "/import (preview)", axe_source, found)


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
@pytest.mark.parametrize("size", list(SIZES))
def test_axe_every_page_and_slide(
    browser: Browser, site: Site, axe_source: str, size: str, logged_in: bool, tmp_path
) -> None:
    context = new_context(browser, SIZES[size], site=site if logged_in else None)
    page = context.new_page()
    found: list[str] = []
    try:
        for path in PAGES + (LOGGED_IN_ONLY if logged_in else ANONYMOUS_ONLY):
            path = path.format(ref=site.reference)
            visit(page, site.base + path)
            if "project=" in path and path.startswith("/projekt"):
                expect(page.locator("#projects-detail-body")).not_to_be_empty()
                settle(page)
            _scan(page, path, axe_source, found)
        _scan_open_dropdown(page, site, axe_source, found)
        if logged_in:
            _scan_import_preview(page, site, axe_source, found, tmp_path)
        _scan_decks(page, site, axe_source, found)
        for deck in site.decks:
            visit(page, f"{site.base}/enkat/{deck}")
            _scan(page, f"/enkat/{deck}", axe_source, found)
    finally:
        context.close()
    assert not found, f"{len(found)} serious or critical axe violations at {size}:\n" + "\n".join(found)


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_axe_survey_on_a_phone(browser: Browser, site: Site, axe_source: str, logged_in: bool) -> None:
    context = new_context(browser, PHONE, site=site if logged_in else None)
    page = context.new_page()
    found: list[str] = []
    try:
        for deck in site.decks:
            open_page(page, f"{site.base}/enkat/{deck}")
            _scan(page, f"/enkat/{deck} (390×844)", axe_source, found)
    finally:
        context.close()
    assert not found, f"{len(found)} serious or critical axe violations on a phone:\n" + "\n".join(found)

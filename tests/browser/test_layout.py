"""Nothing cut off or drawn over at 1280×720 (issue 17): on every main page (charts, tables,
the project list and dialog) and on every slide of every deck, each text node lies inside
its chart, cell, card or slide and inside the window, no chart text covers another, and no
axis repeats a tick label; on slides no text is set under 24 px of the 1080p stage.

``RUS_LAYOUT_SIZES=1280x720,1920x1080`` checks more sizes; ``RUS_SCREENSHOTS=DIR`` saves a
screenshot of every page and slide checked (to look at them)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .a11y import Site, layout_problems, new_context, next_slide, open_page, serve_site, settle, visit

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
]
PAGE_ROOTS = "#main, .modal.show .modal-content"
PAGE_CONTAINERS = ".card, .kpi-card, .modal-content"
SLIDE_ROOTS = ".slide-stage"
SLIDE_CONTAINERS = ".slide, .slide-footer"
SLIDE_MIN_FONT = 24
"""Smallest type on a slide, in pixels of the 1920×1080 stage (16 px on a 1280×720 projector)."""
SIZES = [tuple(int(x) for x in s.split("x")) for s in os.environ.get("RUS_LAYOUT_SIZES", "1280x720").split(",")]
SHOTS = os.environ.get("RUS_SCREENSHOTS")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve_site(tmp_path_factory.mktemp("layout"))


def _look(page: Page, size: tuple[int, int], where: str, *, full_page: bool) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "_", where.lower()).strip("_") or "oversikt"
        page.screenshot(path=f"{SHOTS}/{size[0]}_{name}.png", full_page=full_page)


ENGLISH_PAGES = ["/", "/kapital", "/tema?theme=energi", "/indikatorer", "/projekt"]
ENGLISH_DECK = "standard"


def _check_english(page: Page, site: Site, size: tuple[int, int], found: list[str]) -> None:
    """The English switch: its longer words ("SEK 53.7m", "Decision year") must fit as well."""
    page.context.add_cookies([{"name": "rus_lang", "value": "en", "url": site.base}])
    try:
        open_page(page, site.base + ENGLISH_PAGES[0])  # loaded: the shell takes the language at load
        for path in ENGLISH_PAGES:
            visit(page, site.base + path)
            found += [f"{path} (en): {p}" for p in layout_problems(page, PAGE_ROOTS, PAGE_CONTAINERS)]
        visit(page, f"{site.base}/presentation/{ENGLISH_DECK}/1")
        for number in range(1, site.decks[ENGLISH_DECK] + 1):
            if number > 1:
                next_slide(page, number, counter="Slide")
            where = f"/presentation/{ENGLISH_DECK}/{number} (en)"
            found += [
                f"{where}: {p}" for p in layout_problems(page, SLIDE_ROOTS, SLIDE_CONTAINERS, min_font=SLIDE_MIN_FONT)
            ]
    finally:
        page.context.clear_cookies(name="rus_lang")
        open_page(page, site.base + "/")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_nothing_is_cut_off_or_drawn_over(browser: Browser, site: Site, size: tuple[int, int]) -> None:
    context = new_context(browser, size)
    page = context.new_page()
    found: list[str] = []
    try:
        for path in PAGES:
            path = path.format(ref=site.reference)
            visit(page, site.base + path)
            if "project=" in path:
                expect(page.locator(".modal.show .modal-body table").first).to_be_visible()
                settle(page)
            _look(page, size, path, full_page=True)
            found += [f"{path}: {p}" for p in layout_problems(page, PAGE_ROOTS, PAGE_CONTAINERS)]
        _check_english(page, site, size, found)
        for deck, total in site.decks.items():
            visit(page, f"{site.base}/presentation/{deck}/1")
            for number in range(1, total + 1):
                if number > 1:
                    next_slide(page, number)
                where = f"/presentation/{deck}/{number}"
                _look(page, size, where, full_page=False)
                found += [
                    f"{where}: {p}"
                    for p in layout_problems(page, SLIDE_ROOTS, SLIDE_CONTAINERS, min_font=SLIDE_MIN_FONT)
                ]
    finally:
        context.close()
    assert not found, f"{len(found)} texts cut off or drawn over at {size[0]}x{size[1]}:\n" + "\n".join(found)

"""With the keyboard only: the filters, a chart's table alternative, the project list's grid →
dialog → back, and a deck. Focus must be visible wherever it lands (issue 17)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from dashboard.components import ids

from .a11y import open_page

FOCUS = """() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    return {
        tag: e.tagName, id: e.id, cls: String(e.className), text: (e.textContent || '').trim().slice(0, 60),
        outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
    };
}"""


def _focused(page: Page) -> dict:
    return page.evaluate(FOCUS)


def _tab_to(page: Page, test, limit: int = 60) -> dict:
    """Press Tab until ``test(focused)`` holds; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] == "BODY":  # past the last stop, the focus leaves the page for a moment
            continue
        assert focused["outline"] >= 3, f"focus is not visible on {focused}"
        if test(focused):
            return focused
    raise AssertionError("never reached by Tab")


def test_filters_with_the_keyboard_only(page: Page, base_url_live: str) -> None:
    open_page(page, base_url_live + "/?year=2024")
    # the navbar's links and every filter show where the focus is (checked in _tab_to)
    _tab_to(page, lambda f: f["id"] == ids.FILTER_THEME)
    # the control is named by its visible label, then its value (not only "Alla")
    theme = page.get_by_role("button", name=re.compile(r"^Tematiskt område"))
    expect(theme).to_be_focused()
    expect(page.get_by_role("button", name=re.compile(r"^Från år"))).to_have_count(1)
    for label in ("Till år", "Mål", "Kommun", "Status", "Finansiär (källa)"):
        expect(page.get_by_role("button", name=re.compile("^" + re.escape(label)))).to_have_count(1)
    page.keyboard.press("Enter")
    search = page.locator(".dash-dropdown-search")
    expect(search).to_be_focused()
    expect(search).to_have_attribute("placeholder", "Sök")
    expect(page.get_by_role("button", name="Välj alla")).to_be_visible()
    page.keyboard.press("ArrowDown")  # the first option: a checkbox named by its label
    expect(page.get_by_role("checkbox", name="Energi")).to_be_focused()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"theme=energi"))
    page.keyboard.press("Escape")
    expect(theme).to_be_focused()
    expect(theme).to_contain_text("Energi")
    # on to the goal filter and back with Shift+Tab: no hidden stop in between
    page.keyboard.press("Tab")
    expect(page.locator(f"#{ids.FILTER_GOAL}")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(theme).to_be_focused()
    # the reset button clears it
    _tab_to(page, lambda f: f["id"] == ids.FILTER_RESET)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"theme="))


def test_a_charts_table_alternative_with_the_keyboard(page: Page, base_url_live: str) -> None:
    open_page(page, base_url_live + "/?year=2024")
    _tab_to(page, lambda f: f["tag"] == "SUMMARY")
    table = page.locator(f"#{ids.OVERVIEW_TABLE} table")
    expect(table).to_be_hidden()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(table.locator("tfoot")).to_contain_text("24\u00a0300\u00a0000\u00a0kr")
    # the chart itself is a named figure, and its toolbar (PNG, SVG, reset) is reachable
    expect(page.locator(f"#{ids.OVERVIEW_DONUT_WRAP}")).to_have_attribute("role", "figure")


def test_project_grid_dialog_and_back_with_the_keyboard(page: Page, base_url_live: str) -> None:
    open_page(page, base_url_live + "/projekt")
    expect(page.locator(".ag-row").first).to_be_visible()
    _tab_to(page, lambda f: f["id"] == ids.PROJECTS_SEARCH)
    # into the grid: the first header cell, then down to the first row
    focused = _tab_to(page, lambda f: "ag-header-cell" in f["cls"] or "ag-cell" in f["cls"])
    if "ag-header-cell" in focused["cls"]:
        page.keyboard.press("ArrowDown")
    cell = page.locator(".ag-cell:focus")
    expect(cell).to_have_count(1)
    reference = page.evaluate("() => document.activeElement.closest('.ag-row').getAttribute('row-id')")
    assert reference
    page.keyboard.press("Enter")
    dialog = page.locator(f"#{ids.PROJECTS_DETAIL}")
    expect(dialog).to_be_visible()
    expect(page.locator(f"#{ids.PROJECTS_DETAIL_TITLE}")).to_contain_text(reference)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # back where we were: the same row's cell has the focus again
    expect(page.locator(f".ag-row[row-id='{reference}'] .ag-cell:focus")).to_have_count(1)
    # and Space opens it too
    page.keyboard.press("Space")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_a_deck_with_the_keyboard(page: Page, base_url_live: str) -> None:
    open_page(page, base_url_live + "/presentation")
    _tab_to(page, lambda f: f["id"] == "start-standard")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/presentation/standard/1$"))
    expect(page).to_have_title(re.compile(r"Bild 1 av \d+"))
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/presentation/standard/2$"))
    expect(page).to_have_title(re.compile(r"^Anslag 1:1 per mål 2024 · Bild 2 av \d+"))
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/presentation/standard/1$"))
    # the full-screen button is reached and pressed with Space, which does not turn the slide
    _tab_to(page, lambda f: f["id"] == "slide-fullscreen")
    page.keyboard.press("Space")
    page.wait_for_function("() => !!document.fullscreenElement")
    expect(page).to_have_url(re.compile(r"/presentation/standard/1$"))
    page.evaluate("() => document.exitFullscreen()")  # what the browser does with Esc in full screen
    page.wait_for_function("() => !document.fullscreenElement")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/presentation$"))

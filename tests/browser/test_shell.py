"""End to end in headless Chromium: pages load cleanly, filters live in the URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.components import ids
from dashboard.components.shell import NAV_PAGES

DONUT_TITLE = f"#{ids.OVERVIEW_TITLE}"


def _dropdown_text(page: Page, dropdown_id: str):
    return page.locator(f"#{dropdown_id}")


@pytest.mark.parametrize("path", [p for p, _, _ in NAV_PAGES])
def test_every_page_loads_without_console_errors(
    page: Page, base_url_live: str, console_errors: list[str], path: str
) -> None:
    page.goto(base_url_live + path)
    expect(page.locator("#main h1")).to_be_visible()
    if path == "/":
        expect(page.locator(f"#{ids.OVERVIEW_DONUT} .main-svg").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert console_errors == []


def test_overview_2024_shows_the_calibrated_total(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/?year=2024")
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2024")
    expect(page.locator(f"#{ids.OVERVIEW_DONUT}")).to_contain_text("24,3\u00a0mnkr")
    expect(page.locator("#kpi-granted")).to_contain_text("24,3\u00a0mnkr")
    # the table alternative opens and adds up
    page.locator("details", has=page.locator(f"#{ids.OVERVIEW_TABLE}")).locator("summary").click()
    expect(page.locator(f"#{ids.OVERVIEW_TABLE} tfoot")).to_contain_text("24\u00a0300\u00a0000\u00a0kr")


def test_reload_keeps_year_and_theme(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/?year=2023&theme=Energi")
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2023")
    expect(page.locator(f"#{ids.FILTER_THEME}")).to_contain_text("Energi")
    page.reload()
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2023")
    expect(page.locator(f"#{ids.FILTER_THEME}")).to_contain_text("Energi")
    expect(page.locator(f"#{ids.FILTER_YEAR_FROM}")).to_contain_text("2023")
    expect(page.locator(f"#{ids.FILTER_YEAR_TO}")).to_contain_text("2023")
    assert re.search(r"year=2023", page.url) and re.search(r"theme=energi", page.url, re.I)


def test_changing_a_filter_updates_url_and_chart_then_reset(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/?year=2024")
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2024")
    page.locator(f"#{ids.FILTER_YEAR_FROM}").click()
    page.locator(".dash-dropdown-content").get_by_text("2022", exact=True).click()
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2022–2024")
    expect(page).to_have_url(re.compile(r"year=2022-2024"))
    # the link reproduces the view
    page.goto(page.url)
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2022–2024")
    page.locator(f"#{ids.FILTER_RESET}").click()
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, alla år")
    expect(page).to_have_url(re.compile(r"/$"))


def test_navigation_keeps_filters(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/?year=2024&theme=energi")
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2024")
    page.get_by_role("link", name="Strategin").click()
    expect(page.locator("#main h1")).to_have_text("Strategin")
    expect(page).to_have_url(re.compile(r"/strategi\?year=2024&theme=energi"))
    page.get_by_role("link", name="Översikt").click()
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2024")
    expect(page.locator(f"#{ids.FILTER_THEME}")).to_contain_text("Energi")


def test_language_switch(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/?year=2024")
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2024")
    page.locator(f"#{ids.LANG_SWITCH}").click()
    expect(page.locator(DONUT_TITLE)).to_have_text("1:1 grants decided per goal, 2024")
    expect(page.locator(f"#{ids.OVERVIEW_DONUT}")).to_contain_text("SEK\u00a024.3m")
    page.locator(f"#{ids.LANG_SWITCH}").click()
    expect(page.locator(DONUT_TITLE)).to_have_text("Beviljat anslag 1:1 per mål, 2024")

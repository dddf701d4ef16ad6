"""End to end: the theme map (kartbild), white spots, the municipality map, the PDF export."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
from playwright.sync_api import Page, expect

from dashboard.components import ids
from dashboard.filters import FilterState
from dashboard.queries.projects import count_projects
from dashboard.services import theme_map


def test_choosing_energi_shows_the_four_panels(page: Page, base_url_live: str, demo_engine, demo_settings) -> None:
    page.goto(base_url_live + "/tema")
    expect(page.locator("#main h1")).to_have_text("Tematiska områden")
    expect(page.locator(f"#{ids.THEME_TABLE}")).to_contain_text("Energi")
    page.locator(".theme-pill", has_text="Energi").click()
    expect(page.locator("#main h1")).to_have_text("Kartbild: Energi")
    expect(page).to_have_url(re.compile(r"theme=energi"))
    for panel in (ids.THEME_TODAY, ids.THEME_COMING, ids.THEME_WHITESPOTS, ids.THEME_TIMELINE):
        expect(page.locator(f"#{panel}")).to_be_visible()
    tm = theme_map(demo_engine, FilterState(), "energi", demo_settings.reference_date)
    shown = page.locator(f"#{ids.THEME_TODAY} tbody a").all_inner_texts()
    assert shown and sorted(shown) == sorted(tm.today.rows["reference"].head(12)), "only Energi projects"
    coming = page.locator(f"#{ids.THEME_COMING} tbody a").all_inner_texts()
    assert coming and set(coming) <= set(tm.coming.rows["reference"])


def test_white_spot_row_opens_its_details(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/tema?theme=energi")
    row = page.get_by_role("button", name="Stödja företagens gröna omställning")
    expect(row).to_be_visible()
    expect(page.locator("tr.ws-white")).to_have_count(1)
    row.click()
    panel = page.locator(f"#{ids.THEME_WS_PANEL}")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Prioriteringen Stödja företagens gröna omställning")
    expect(panel).to_contain_text("Inget projekt har någonsin arbetat med den här prioriteringen.")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Främja omställning till ett hållbart energisystem").click()
    expect(panel).to_contain_text("Projekt som har arbetat med prioriteringen")


def test_map_click_filters_the_project_list(page: Page, base_url_live: str, demo_engine) -> None:
    page.goto(base_url_live + "/tema?theme=energi")
    shapes = page.locator(f"#{ids.THEME_MAP} path.choroplethlocation")
    expect(shapes).to_have_count(5)
    page.locator(f"#{ids.THEME_MAP}").scroll_into_view_if_needed()
    boxes = [shapes.nth(i).bounding_box() for i in range(5)]
    biggest = max(range(5), key=lambda i: boxes[i]["width"] * boxes[i]["height"])
    box = boxes[biggest]
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45)
    expect(page).to_have_url(re.compile(r"municipality=10\d\d"))
    code = re.search(r"municipality=(10\d\d)", page.url).group(1)
    expect(page.locator(f"#{ids.FILTER_CHIPS}")).to_contain_text("Kommun")
    page.get_by_role("link", name="Projekt").click()
    expected = count_projects(demo_engine, FilterState(theme=("energi",), municipality=(code,)))
    expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_have_text(f"{expected} projekt")


def test_pdf_export_downloads_one_page(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/tema?theme=energi")
    expect(page.locator("#main h1")).to_have_text("Kartbild: Energi")
    with page.expect_download(timeout=60_000) as info:
        page.locator(f"#{ids.THEME_PDF}").click()
    assert info.value.suggested_filename == "kartbild-energi.pdf"
    doc = pdfium.PdfDocument(info.value.path())
    assert len(doc) == 1
    assert "Kartbild: Energi" in doc[0].get_textpage().get_text_range()

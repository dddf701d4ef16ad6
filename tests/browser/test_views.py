"""End to end: linked charts, drill-down to the project list, exports, details."""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from dashboard.components import ids

GRID_ROWS_JS = """
() => {
  const api = window.dash_ag_grid.getApi('projects-grid');
  const rows = [];
  api.forEachNode(n => { if (n.data) rows.push(n.data); });
  return rows;
}
"""


def _click_center(page: Page, selector: str) -> None:
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    assert box, selector
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_clicking_a_goal_bar_filters_everything_and_drills_down(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/?year=2024")
    expect(page.locator(f"#{ids.OVERVIEW_TITLE}")).to_have_text("Beviljat anslag 1:1 per mål, 2024")
    page.get_by_label("Staplar").check()
    bars = f"#{ids.OVERVIEW_DONUT} .bars .point"
    expect(page.locator(bars)).to_have_count(6)
    _click_center(page, f"{bars} >> nth=5")  # sorted ascending: the last bar is the largest goal
    expect(page).to_have_url(re.compile(r"goal=konkurrenskraft"))
    expect(page.locator(f"#{ids.FILTER_CHIPS}")).to_contain_text("Konkurrenskraft")
    expect(page.locator("#kpi-granted")).to_contain_text("12,3\u00a0mnkr")
    # the other charts follow: the years chart now has one goal only
    expect(page.locator(f"#{ids.OVERVIEW_YEARS} .trace.bars")).to_have_count(1)
    link = page.locator(f"#{ids.OVERVIEW_SHOW}-link")
    expect(link).to_have_text(re.compile(r"Visa \d+ projekt"))
    n = int(re.search(r"Visa (\d+) projekt", link.text_content()).group(1))
    link.click()
    expect(page).to_have_url(re.compile(r"/projekt\?year=2024&goal=konkurrenskraft&status="))
    expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_have_text(f"{n} projekt")
    page.wait_for_function("() => window.dash_ag_grid && window.dash_ag_grid.getApi('projects-grid')")
    page.wait_for_function(f"() => window.dash_ag_grid.getApi('projects-grid').getDisplayedRowCount() === {n}")


def test_chip_clears_its_filter(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/?year=2024&goal=klimat")
    chip_clear = page.get_by_role("button", name="Ta bort filtret Miljö och klimat")
    expect(chip_clear).to_be_visible()
    expect(page.locator("#kpi-granted")).to_contain_text("3,1\u00a0mnkr")
    chip_clear.click()
    expect(page.locator("#kpi-granted")).to_contain_text("24,3\u00a0mnkr")
    expect(page).not_to_have_url(re.compile(r"goal="))


def test_capital_segment_click_sets_source_and_goal(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/kapital?year=2024")
    first_trace = page.locator(f"#{ids.CAPITAL_SOURCES} .trace.bars").first  # ERUF, the first source drawn
    expect(first_trace.locator(".point").first).to_be_attached()
    page.locator(f"#{ids.CAPITAL_SOURCES}").scroll_into_view_if_needed()
    points = first_trace.locator(".point")
    boxes = [points.nth(i).bounding_box() for i in range(points.count())]
    tallest = max(range(len(boxes)), key=lambda i: boxes[i]["height"] if boxes[i] else 0)
    box = boxes[tallest]
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"goal=[a-z]+"))
    expect(page).to_have_url(re.compile(r"source=eruf"))
    expect(page.locator(f"#{ids.FILTER_CHIPS}")).to_contain_text("ERUF/Regionalfonden")
    expect(page.locator(f"#{ids.FILTER_CHIPS}")).to_contain_text("Mål")


def test_exports_hold_the_grid_rows_and_totals(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/projekt?year=2024")
    expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_have_text("26 projekt")
    page.locator(f"#{ids.PROJECTS_SEARCH}").fill("Energi")
    expect(page.locator(f"#{ids.PROJECTS_COUNT}")).not_to_have_text("26 projekt")
    n = int(page.locator(f"#{ids.PROJECTS_COUNT}").text_content().split()[0])
    page.wait_for_function(f"() => window.dash_ag_grid.getApi('projects-grid').getDisplayedRowCount() === {n}")
    expect(page.locator(f"#{ids.PROJECTS_TOTALS}")).not_to_contain_text("24,3")
    grid = pd.DataFrame(page.evaluate(GRID_ROWS_JS))
    assert 0 < len(grid) == n < 26
    page.evaluate(  # sort by total budget, as a click on its header does
        "() => window.dash_ag_grid.getApi('projects-grid').applyColumnState("
        "{state: [{colId: 'total_sek', sort: 'asc'}], defaultState: {sort: null}})"
    )
    page.wait_for_function(
        "() => { const api = window.dash_ag_grid.getApi('projects-grid'); const r = [];"
        " api.forEachNode(x => x.data && r.push(x.data.total_sek));"
        " return r.length > 1 && r.every((v, i) => i === 0 || r[i - 1] <= v); }"
    )
    grid = pd.DataFrame(page.evaluate(GRID_ROWS_JS))
    assert len(grid) == n
    with page.expect_download() as csv_info:
        page.locator(f"#{ids.PROJECTS_CSV}").click()
    csv = pd.read_csv(csv_info.value.path(), sep=";", encoding="utf-8-sig")
    with page.expect_download() as xlsx_info:
        page.locator(f"#{ids.PROJECTS_XLSX}").click()
    ws = load_workbook(io.BytesIO(open(xlsx_info.value.path(), "rb").read()))["Projekt"]
    rows = list(ws.iter_rows(values_only=True))
    xlsx = pd.DataFrame(rows[1:], columns=rows[0])
    for exported in (csv, xlsx):
        assert exported["Referens"].tolist() == grid["reference"].tolist()
        assert int(exported["Anslag 1:1 (kr)"].sum()) == int(grid["granted_sek"].sum())
        assert int(exported["Annat kapital (kr)"].sum()) == int(grid["other_sek"].sum())
        assert int(exported["Total budget (kr)"].sum()) == int(grid["total_sek"].sum())


def test_row_click_opens_details(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/projekt?year=2024")
    expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_have_text("26 projekt")
    first = page.locator(".ag-center-cols-container .ag-row >> nth=0")
    page.locator(".ag-pinned-left-cols-container .ag-row >> nth=0").click()
    dialog = page.locator(f"#{ids.PROJECTS_DETAIL}")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Finansiering")
    expect(dialog).to_contain_text("Mål och andelar")
    assert first is not None


def test_project_link_opens_details(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/kapital?year=2024")
    link = page.locator(f"#{ids.CAPITAL_TOP} a >> nth=0")
    expect(link).to_have_text(re.compile(r"DEMO-\d{4}-\d+"))
    ref = link.text_content()
    link.click()
    dialog = page.locator(f"#{ids.PROJECTS_DETAIL}")
    expect(dialog).to_be_visible()
    expect(page.locator(f"#{ids.PROJECTS_DETAIL_TITLE}")).to_contain_text(ref)


def test_keyboard_twin_of_click_to_filter(page: Page, base_url_live: str) -> None:
    """The table alternative's filter buttons are reachable by keyboard and filter like a chart click."""
    page.goto(base_url_live + "/?year=2024")
    page.locator("details", has=page.locator(f"#{ids.OVERVIEW_TABLE}")).locator("summary").click()
    button = page.get_by_role("button", name="Filtrera på Minskad miljö- och klimatpåverkan")
    button.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"goal=klimat"))
    expect(page.locator("#kpi-granted")).to_contain_text("3,1\u00a0mnkr")


def test_column_filters_run_on_the_server(page: Page, base_url_live: str) -> None:
    """A column filter in the grid goes to the server: count, sums and rows follow it."""
    page.goto(base_url_live + "/projekt?year=2024")
    expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_have_text("26 projekt")
    totals_before = page.locator(f"#{ids.PROJECTS_TOTALS}").text_content()
    page.evaluate(
        "() => window.dash_ag_grid.getApi('projects-grid').setFilterModel("
        "{granted_sek: {filterType: 'number', type: 'greaterThan', filter: 1000000}})"
    )
    expect(page.locator(f"#{ids.PROJECTS_COUNT}")).not_to_have_text("26 projekt")
    n = int(page.locator(f"#{ids.PROJECTS_COUNT}").text_content().split()[0])
    page.wait_for_function(f"() => window.dash_ag_grid.getApi('projects-grid').getDisplayedRowCount() === {n}")
    grid = pd.DataFrame(page.evaluate(GRID_ROWS_JS))
    assert 0 < len(grid) == n < 26
    assert (grid["granted_sek"] > 1_000_000).all()
    expect(page.locator(f"#{ids.PROJECTS_TOTALS}")).not_to_have_text(totals_before)

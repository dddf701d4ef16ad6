"""End to end: the indicator report, its scorecard and the way from a goal to its projects."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from dashboard.components import ids
from dashboard.filters import FilterState
from dashboard.models import DECIDED_STATUSES
from dashboard.queries.projects import count_projects


def test_every_goal_with_its_indicators(page: Page, base_url_live: str, console_errors: list[str]) -> None:
    page.goto(base_url_live + "/indikatorer")
    expect(page.locator(".goal-section-head")).to_have_count(6)
    expect(page.locator(".indicator-card")).to_have_count(10)
    expect(page.locator("#ind-N00914")).to_contain_text("förvärvsarbetar")
    expect(page.locator(f"#{ids.IND_SCORECARD} .score-link")).to_have_count(10)
    assert console_errors == []


def test_scorecard_cell_opens_its_section(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/indikatorer")
    link = page.locator(f"#{ids.IND_SCORECARD} a[href='#ind-N01982']")
    link.click()
    expect(page).to_have_url(re.compile(r"#ind-N01982$"))
    expect(page.locator("#ind-N01982")).to_be_in_viewport()


def test_goal_to_projects(page: Page, base_url_live: str, demo_engine) -> None:
    page.goto(base_url_live + "/indikatorer")
    link = page.locator("#goal-projects-klimat")
    expect(link).to_have_text(re.compile(r"Visa \d+ projekt"))
    n = int(re.search(r"(\d+)", link.text_content()).group(1))
    link.click()
    expect(page).to_have_url(re.compile(r"/projekt\?goal=klimat&status="))
    assert n == count_projects(demo_engine, FilterState(goal=("klimat",), status=DECIDED_STATUSES))
    expect(page.locator(f"#{ids.PROJECTS_COUNT}")).to_have_text(f"{n} projekt")

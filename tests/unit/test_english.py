"""Every view also works in English (the language switch), without Swedish leaking into the chrome."""

from __future__ import annotations

import json

import plotly
import pytest


def text(component) -> str:
    """The component tree as JSON (Dash's own encoder), with non-ASCII kept."""
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


@pytest.fixture
def english(app):
    with app.server.test_request_context("/", headers={"Cookie": "rus_lang=en"}):
        yield app


def test_all_views_in_english(english) -> None:
    from dashboard.pages.capital import update_leverage, update_sources
    from dashboard.pages.indicators import update_indicators
    from dashboard.pages.overview import update_frame, update_hierarchy, update_overview, update_years
    from dashboard.pages.projects import serve_rows
    from dashboard.pages.slides import layout as slide_layout
    from dashboard.pages.themes import update_map, update_theme
    from dashboard.state import current_language

    assert current_language() == "en"
    overview = update_overview("year=2024", "bars")
    assert overview[1] == "1:1 grants decided per goal, 2024"
    assert "SEK\u00a024.3m" in text(overview[0])
    assert update_years("", "share")[0].data
    assert update_hierarchy("year=2024")[0].data
    assert update_frame("year=2024")[0] == "1:1 frame 2024: decided and remaining"
    assert "Other capital by source and theme" in update_sources("year=2024", "theme")[1]
    assert update_leverage("year=2024")[0].data
    header, _, _ = update_theme("theme=energi")
    assert "Theme map: Energy" in text(header)
    assert update_map("", "projects")[0].data
    scorecard, _ = update_indicators("goal=arbete", ["municipalities", "gender"])
    assert "On track" in text(scorecard) or "Off track" in text(scorecard)
    rows, count, totals = serve_rows({"startRow": 0, "endRow": 100}, "year=2024", None)
    assert count == "26 projects" and rows["rowData"] and "SEK" in totals
    assert "1:1 grants per goal 2024" in text(slide_layout(deck="standard", slide="2"))

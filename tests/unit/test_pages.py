"""Pages and shell callbacks called as plain functions, and the app over the Flask test client."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from dash import no_update

from dashboard.components import ids
from dashboard.shell import sync_filters


@pytest.fixture
def ctx(app):
    with app.server.test_request_context("/"):
        yield app


def _walk(component) -> list:
    """All components in a tree (for searching text without a browser)."""
    out = [component]
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            out += _walk(child)
    elif children is not None and not isinstance(children, (str, int, float)):
        out += _walk(children)
    return out


def _texts(component) -> str:
    parts: list[str] = []
    for c in _walk(component):
        children = getattr(c, "children", None)
        items = children if isinstance(children, (list, tuple)) else [children]
        parts += [str(x) for x in items if isinstance(x, (str, int))]
    return " ".join(parts)


def test_overview_2024_shows_calibrated_donut(ctx) -> None:
    from dashboard.pages.overview import update_overview

    kpis, title, fig, aria, summary, table, show = update_overview("year=2024")
    assert isinstance(fig, go.Figure)
    pie = fig.data[0]
    assert pie.type == "pie"
    assert sorted(int(v) for v in pie.values) == sorted([1_100_000, 3_100_000, 600_000, 7_100_000, 12_300_000, 100_000])
    assert "24,3\xa0mnkr" in fig.layout.annotations[0].text
    assert title == "Beviljat anslag 1:1 per mål, 2024"
    assert "24,3\xa0mnkr" in _texts(kpis)
    assert aria == summary and "Stärkt konkurrenskraft i näringslivet" in summary
    assert "24\xa0300\xa0000\xa0kr" in _texts(table), "the table's total row adds up"
    assert show.href.startswith("/projekt?year=2024&status=beviljat,pagaende,avslutat,avbrutet")
    assert "Visa 26 projekt" in _texts(show)


def test_overview_filters_by_theme_and_resolves_names(ctx) -> None:
    from dashboard.pages.overview import update_overview

    by_name = update_overview("year=2024&theme=Energi")[2]
    by_code = update_overview("year=2024&theme=energi")[2]
    assert list(by_name.data[0].values) == list(by_code.data[0].values)
    assert sum(by_name.data[0].values) < 24_300_000


def test_overview_empty_selection(ctx) -> None:
    from dashboard.pages.overview import update_overview

    _, _, fig, aria, _, _, _ = update_overview("year=2030")
    assert len(fig.data) == 0
    assert "Inga beviljade medel" in fig.layout.annotations[0].text
    assert "Inga beviljade medel" in aria


def test_sync_from_url_resolves_names(ctx) -> None:
    out = sync_filters("?year=2023&theme=Energi&source=eruf", None, None, [], [], [], [], [], None, ids.URL)
    assert out == (2023, 2023, ["energi"], [], [], [], ["eruf"], "year=2023&theme=energi&source=eruf")


def test_sync_from_controls_writes_query(ctx) -> None:
    out = sync_filters("", 2024, 2020, ["energi"], ["klimat"], ["1080"], None, None, None, ids.FILTER_YEAR_TO)
    assert out[:7] == (no_update,) * 7
    assert out[7] == "year=2020-2024&theme=energi&goal=klimat&municipality=1080"


def test_sync_reset_clears(ctx) -> None:
    assert sync_filters("?year=2024", 2024, 2024, ["energi"], [], [], [], [], 1, ids.FILTER_RESET) == (
        None,
        None,
        [],
        [],
        [],
        [],
        [],
        "",
    )


def test_chips_and_clearing_one(ctx) -> None:
    from dashboard.components.shell import make_filter_chips
    from dashboard.filters import FilterState
    from dashboard.shell import clear_chip
    from dashboard.state import vocabulary

    state = FilterState(year_from=2024, year_to=2024, goal=("klimat", "arbete"), source=("eruf",))
    chips = make_filter_chips(state, vocabulary(), "sv")
    text = _texts(chips[0]) + " | " + " | ".join(_texts(c) for c in chips[1:])
    assert text.startswith("År:  2024")
    assert "Mål:  Miljö och klimat" in text and "Finansiär (källa):  ERUF/Regionalfonden" in text
    assert len(chips) == 4
    assert clear_chip("goal", "klimat", {ids.FILTER_GOAL: ["klimat", "arbete"]}) == {ids.FILTER_GOAL: ["arbete"]}
    assert clear_chip("year", "", {}) == {ids.FILTER_YEAR_FROM: None, ids.FILTER_YEAR_TO: None}


def test_strategy_page_lists_the_tree(ctx) -> None:
    from dashboard.pages.strategy import layout

    text = _texts(layout())
    for goal in ("Stärkt attraktivitet särskilt för unga", "Ett växande näringsliv med fler arbetstillfällen"):
        assert goal in text
    assert "Främja omställning till ett hållbart energisystem" in text
    assert "illustrativt" in text


def test_http_pages_and_callback(app) -> None:
    client = app.server.test_client()
    for path in ("/", "/strategi", "/?year=2023&theme=Energi", "/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).status_code == 200, path
    body = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in body
    assert "cdn." not in body and "jsdelivr" not in body
    deps = client.get("/_dash-dependencies").get_json()
    overview = next(d for d in deps if f"{ids.OVERVIEW_DONUT}.figure" in d["output"])
    values = {ids.FILTER_STORE: "year=2024", ids.OVERVIEW_KIND: "bars"}
    payload = {
        "output": overview["output"],
        "outputs": [
            {"id": o.split(".")[0], "property": o.split(".")[1]} for o in overview["output"].strip(".").split("...")
        ],
        "inputs": [{**i, "value": values.get(i["id"])} for i in overview["inputs"]],
        "changedPropIds": [f"{ids.FILTER_STORE}.data"],
        "state": [],
    }
    resp = client.post("/_dash-update-component", json=payload)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert "Beviljat anslag 1:1 per mål, 2024" in json.dumps(resp.get_json(), ensure_ascii=False)


def test_english_via_cookie(app) -> None:
    client = app.server.test_client()
    client.set_cookie("rus_lang", "en")
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Overview" in layout and "Demo data" in layout

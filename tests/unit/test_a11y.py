"""Accessibility and data-leaving rules that need no browser (issue 17)."""

from __future__ import annotations

import json

from dashboard.figures.theme import SVG_BUTTON, graph_config
from dashboard.i18n import DROPDOWN_LABEL_KEYS, dropdown_labels


def test_chart_toolbar_sends_nothing_to_a_third_party() -> None:
    for lang in ("sv", "en"):
        config = graph_config(lang)
        assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False
        assert config["plotlyServerURL"] == "" and config["showLink"] is False and config["displaylogo"] is False
        removed = set(config["modeBarButtonsToRemove"])
        assert {"sendChartToCloud", "editInChartStudio", "downloadJson"} <= removed
        # the toolbar: PNG (Plotly's toImage), SVG (ours) and reset stay
        assert {"toImage", "resetScale2d", "resetGeo", "resetViews"}.isdisjoint(removed)
        assert config["toImageButtonOptions"]["format"] == "png"
        assert [b["name"] for b in config["modeBarButtonsToAdd"]] == [SVG_BUTTON]
        assert "plot.ly" not in json.dumps(config) and "chart-studio" not in json.dumps(config).lower()


def test_chart_toolbar_speaks_the_language() -> None:
    assert graph_config("sv")["locale"] == "sv"
    assert graph_config("sv")["modeBarButtonsToAdd"][0]["title"] == "Ladda ner diagram som SVG"
    assert graph_config("en")["modeBarButtonsToAdd"][0]["title"] == "Download plot as SVG"


def test_dropdown_labels_cover_every_text_dash_draws() -> None:
    sv, en = dropdown_labels("sv"), dropdown_labels("en")
    assert set(sv) == set(en) == set(DROPDOWN_LABEL_KEYS)
    assert sv["select_all"] == "Välj alla" and sv["deselect_all"] == "Avmarkera alla"
    assert sv["selected_count"].format(num_selected=4) == "4 valda"
    assert "{num_selected}" in en["selected_count"]


def test_filter_bar_dropdowns_carry_swedish_labels(app) -> None:
    from dash import dcc

    from dashboard.shell import make_shell

    with app.server.test_request_context("/"):
        shell = make_shell()
    dropdowns = []

    def walk(node: object) -> None:
        if isinstance(node, dcc.Dropdown):
            dropdowns.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children] if children is not None else []:
            walk(child)

    walk(shell)
    assert len(dropdowns) == 7
    assert all(d.labels == dropdown_labels("sv") for d in dropdowns)


def test_unknown_paths_answer_404_and_pages_200(app) -> None:
    client = app.server.test_client()
    assert client.get("/finns-inte").status_code == 404
    assert client.get("/projekt/extra").status_code == 404
    for path in ("/", "/projekt", "/tema?theme=energi", "/presentation", "/presentation/standard/2", "/enkat/standard"):
        assert client.get(path).status_code == 200, path
    assert client.get("/_dash-layout").status_code == 200


def test_the_page_before_the_app_draws_is_in_the_language(app) -> None:
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in page and "Laddar…" in page and "Loading..." not in page
    client.set_cookie("rus_lang", "en")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Loading…" in page

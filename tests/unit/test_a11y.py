"""Accessibility and data-leaving rules that need no browser (issue 17)."""

from __future__ import annotations

import json

import pandas as pd

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
    assert client.get("/favicon.ico").status_code == 200  # asked by browsers on the login page


def test_the_page_before_the_app_draws_is_in_the_language(app) -> None:
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in page and "Laddar…" in page and "Loading..." not in page
    client.set_cookie("rus_lang", "en")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Loading…" in page


# ---- charts that can be read (issue 17, items 6 and 7) ----


def test_donut_hover_is_written_out_and_its_labels_push_the_margins() -> None:
    from dashboard.figures.allocation import build_goal_donut

    from .test_figures import COLORS, GOALS, LABELS

    pie = build_goal_donut(GOALS, labels=LABELS, colors=COLORS, selected=("arbete",)).data[0]
    # plotly.js 4 does not index a pie's customdata in a hover template ("– (-) Projekt: -")
    assert "customdata" not in pie.hovertemplate and "%{hovertext}" in pie.hovertemplate
    assert pie.hovertext[1] == "7\xa0000\xa0kr (66,7\xa0%)<br>Projekt: 3"
    assert pie.automargin is True


def test_sunburst_rings_carry_wrapped_labels() -> None:
    from dashboard.figures.theme import wrap_label

    assert wrap_label("Expansivt näringsliv med god kompetensförsörjning", 12) == (
        "Expansivt<br>näringsliv<br>med god<br>kompetens-<br>försörjning"
    )
    assert wrap_label("Hälsa") == "Hälsa"


def test_timeline_rows_are_titles_and_stay_apart() -> None:
    from dashboard.figures.themes import timeline_labels

    labels = timeline_labels(["Solkraft 2.0", "Vätgas", "Solkraft 2.0", "x" * 40], ["A-1", "A-2", "A-3", "A-4"])
    assert labels == ["Solkraft 2.0 (A-1)", "Vätgas", "Solkraft 2.0 (A-3)", "x" * 31 + "…"]


def test_timeline_is_labelled_by_title() -> None:
    from dashboard.figures.themes import build_timeline

    projects = pd.DataFrame(
        {
            "reference": ["R-1", "R-2"],
            "title": ["Solkraft i skärgården", "Vätgas 2.0"],
            "status": ["pagaende", "beviljat"],
            "start_date": pd.to_datetime(["2025-01-01", "2026-01-01"]),
            "end_date": pd.to_datetime(["2027-01-01", "2028-06-30"]),
            "granted_sek": [100, 200],
            "other_sek": [0, 0],
        }
    )
    fig = build_timeline(projects, reference=pd.Timestamp("2026-06-01"))
    rows = [y for trace in fig.data for y in trace.y]
    assert sorted(rows) == ["Solkraft i skärgården", "Vätgas 2.0"]


def test_map_names_contrast_with_their_fill() -> None:
    from dashboard.figures.themes import build_municipality_map

    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    moved = {"type": "Polygon", "coordinates": [[[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]]]}
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": "1", "name": "Ljus"}, "geometry": square},
            {"type": "Feature", "properties": {"code": "2", "name": "Mörk"}, "geometry": moved},
        ],
    }
    split = pd.DataFrame(
        {
            "code": ["1", "2"],
            "name": ["Ljus", "Mörk"],
            "granted_sek": [1_000_000, 10_000_000],
            "projects": [1, 5],
            "whole_county": [False, False],
            "unplaced": [False, False],
        }
    )
    names = build_municipality_map(split, geojson).data[1]
    assert list(names.text) == ["Ljus", "Mörk"]
    assert list(names.textfont.color) == ["#1B2A38", "#FFFFFF"] and names.textfont.shadow == "auto"


def test_funding_sources_never_take_a_goal_colour() -> None:
    from dashboard.figures.theme import PALETTE, SOURCE_COLORS

    colours = [c.upper() for c in SOURCE_COLORS.values()]
    assert len(set(colours)) == len(colours)
    assert not set(colours) & {c.upper() for c in PALETTE}


def test_counts_against_riket_are_an_index_on_one_axis() -> None:
    from dashboard.figures.indicators import build_indicator_chart

    values = pd.DataFrame(
        {
            "area": ["0010"] * 3 + ["0000"] * 3,
            "year": [2020, 2021, 2022] * 2,
            "gender": ["T"] * 6,
            "value": [150_000, 151_500, 153_000, 10_000_000, 10_100_000, 10_200_000],
        }
    )
    fig = build_indicator_chart(
        values, region="0010", area_labels={"0010": "Region", "0000": "Riket"}, target=None, decimals=0
    )
    assert "yaxis2" not in fig.layout.to_plotly_json()
    region = next(tr for tr in fig.data if tr.name == "Region")
    assert [round(v, 1) for v in region.y] == [100.0, 101.0, 102.0] and list(region.customdata) == [
        150_000,
        151_500,
        153_000,
    ]
    assert fig.layout.yaxis.title.text == "Index, 2020 = 100"
    assert fig.layout.yaxis.dtick == 1 and fig.layout.yaxis.tickformat == ",.0f"


def test_axis_ticks_never_repeat_a_label() -> None:
    from dashboard.figures.theme import linear_ticks

    for lo, hi, decimals in [(9, 11, 0), (9.2, 10.4, 0), (58.2, 62.1, 1), (0.51, 0.58, 2), (152_000, 163_000, 0)]:
        axis = linear_ticks(lo, hi, decimals=decimals)
        digits = int(axis["tickformat"][-2])
        ticks = [axis["dtick"] * k for k in range(int(lo // axis["dtick"]) - 1, int(hi // axis["dtick"]) + 2)]
        shown = [f"{v:.{digits}f}" for v in ticks]
        assert len(set(shown)) == len(shown), (lo, hi, shown)
        assert axis["dtick"] >= 10**-decimals


def test_project_day_heatmap_says_what_its_colour_means() -> None:
    from dashboard.figures.slides import build_pipeline_matrix

    df = pd.DataFrame(
        {
            "goal": ["g1", "g1"],
            "theme": ["t1", "t2"],
            "granted_sek": [1_000_000, 200_000],
            "other_sek": [1_000_000, 0],
            "projects": [1, 3],
        }
    )
    heat = build_pipeline_matrix(
        df, goal_labels={}, theme_labels={}, goal_order=["g1"], theme_order=["t1", "t2"], lang="sv"
    ).data[0]
    assert [list(r) for r in heat.z] == [[2.0], [0.2]]  # themes down the side
    assert [list(r) for r in heat.text] == [["2,0\xa0mnkr<br>1 projekt"], ["0,2\xa0mnkr<br>3 projekt"]]


# ---- slides for a room (items 8 and 9) ----


def test_survey_link_warns_when_phones_cannot_reach_it() -> None:
    from dataclasses import replace

    from dashboard.components.slides import survey_link_warning
    from dashboard.config import Settings

    local = replace(Settings(), public_url="")
    for url in ("http://127.0.0.1:8050/enkat/x", "http://localhost:8050/enkat/x", "http://[::1]:8050/enkat/x"):
        warning = survey_link_warning(url, local, "sv")
        assert warning and "går inte att öppna från en mobil" in warning and "RUS_PUBLIC_URL" in warning
    unchecked = survey_link_warning("http://10.0.0.5:8050/enkat/x", local, "sv")
    assert unchecked and "RUS_PUBLIC_URL är inte satt" in unchecked and "10.0.0.5" in unchecked
    public = replace(Settings(), public_url="https://rus.example.se")
    assert survey_link_warning("https://rus.example.se/enkat/x", public, "sv") is None
    assert "cannot be opened from a phone" in survey_link_warning("http://127.0.0.1/enkat/x", local, "en")


def test_slide_lists_say_how_many_more_there_are() -> None:
    from dashboard.components.slides import _list

    shown, more = _list([f"p{i}" for i in range(6)], "sv", total=6)
    assert len(shown.children) == 5 and more.children == "+ 1 till"
    assert len(_list(["a", "b"], "sv")) == 1  # nothing more to say
    assert _list([], "sv")[0].children[0].children == "–"


def test_slide_figures_are_set_for_the_room() -> None:
    from dashboard.figures.allocation import build_goal_donut
    from dashboard.figures.slides import ROOM_SIZE, for_the_room

    from .test_figures import COLORS, GOALS, LABELS

    fig = for_the_room(build_goal_donut(GOALS, labels=LABELS, colors=COLORS, text_size=ROOM_SIZE))
    assert fig.layout.height is None and fig.layout.autosize  # fills the slide's free space
    assert fig.layout.font.size == ROOM_SIZE and fig.layout.legend.font.size == ROOM_SIZE
    centre = fig.layout.annotations[0]
    assert centre.font.size >= ROOM_SIZE and f"font-size:{round(ROOM_SIZE * 0.93)}px" in centre.text


def test_frame_slide_has_no_labels_for_nothing() -> None:
    from dashboard.figures.slides import build_frame_applied

    df = pd.DataFrame(
        {"label": ["Hälsa", "Fler i arbete"], "frame_sek": [1_100_000, 0], "decided_sek": [0, 0], "applied_sek": [0, 5]}
    )
    fig = build_frame_applied(df)
    assert all(tr.orientation == "h" for tr in fig.data)
    texts = {tr.name: list(tr.text) for tr in fig.data}
    assert texts["Beslutat"] == ["", ""] and texts["Ram"] == ["1,1\xa0mnkr", ""]

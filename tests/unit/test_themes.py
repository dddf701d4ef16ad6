"""Theme maps: the 1–3 year window, white spots, the municipality split, exports."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard.cli import main
from dashboard.filters import FilterState
from dashboard.queries.money import load_money
from dashboard.queries.themes import load_municipality_money
from dashboard.services import global_coverage, theme_map, theme_table
from dashboard.transforms import (
    apportion,
    classify_phase,
    compute_coverage,
    compute_municipality_split,
    count_white_spots,
    window_end,
)

REF = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("status", "start", "phase"),
    [
        ("pagaende", date(2025, 1, 1), "now"),
        ("ansokt", date(2026, 11, 28), "planned"),
        ("ide", date(2029, 11, 27), "planned"),  # exactly three years ahead: still in the window
        ("ide", date(2029, 11, 28), None),  # one day beyond
        ("beviljat", date(2027, 3, 1), "planned"),
        ("beviljat", date(2026, 11, 27), None),  # starts today: not "coming"
        ("ansokt", None, None),
        ("avslutat", date(2027, 1, 1), None),
        ("avslag", date(2027, 1, 1), None),
    ],
)
def test_planning_window(status: str, start: date | None, phase: str | None) -> None:
    assert classify_phase(status, start, REF) == phase


def test_window_end_handles_leap_day() -> None:
    assert window_end(date(2024, 2, 29)) == date(2027, 2, 28)


def test_white_spot_states_on_a_fixture() -> None:
    projects = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "phase": ["now", "planned", None, "now"],
            "granted_sek": [100, 50, 999, 10],
            "other_sek": [200, 50, 999, 0],
        }
    )
    links = pd.DataFrame({"project_id": [1, 4, 1, 2, 3], "priority": ["A", "A", "D", "B", "C"]})
    cov = compute_coverage(["A", "B", "C"], {"A": "g1", "B": "g1", "C": "g2"}, projects, links).set_index("priority")
    assert cov.loc["A", "state"] == "covered" and cov.loc["A", "now_projects"] == 2 and cov.loc["A", "now_sek"] == 310
    assert cov.loc["B", "state"] == "only_planned" and cov.loc["B", "planned_sek"] == 100
    assert cov.loc["C", "state"] == "white", "a finished project does not cover a priority"
    assert cov.loc["C", "now_projects"] == 0 and cov.loc["C", "planned_projects"] == 0
    priorities = pd.DataFrame({"priority": ["A", "B", "C"], "themes": [["t1"], ["t1", "t2"], ["t1", "t2"]]})
    assert count_white_spots(priorities, cov.reset_index()) == {"t1": 1, "t2": 1}


def test_apportion_adds_up() -> None:
    assert apportion(pd.Series([333_333, 333_333, 333_334])).tolist() == [33, 33, 34]
    assert apportion(pd.Series([15_000, 15_000])).tolist() == [2, 1]


def test_municipality_split_adds_up_on_a_fixture() -> None:
    per = pd.DataFrame(
        {
            "municipality": ["1080", "1081"],
            "granted_bp": [1_000 * 5_000 + 7 * 10_000, 1_000 * 5_000],
            "projects": [2, 1],
        }
    )
    split = compute_municipality_split(
        per, {"granted_sek": 400, "projects": 1}, {"1060": "Olofström", "1080": "Karlskrona", "1081": "Ronneby"}
    )
    assert split["granted_sek"].tolist() == [0, 507, 500, 400]
    assert split["whole_county"].tolist() == [False, False, False, True]


@pytest.mark.parametrize(
    "f",
    [
        FilterState(),
        FilterState(year_from=2024, year_to=2024),
        FilterState(theme=("energi",)),
        FilterState(goal=("klimat",)),
    ],
)
def test_municipalities_plus_whole_county_equal_the_total(demo_engine: Engine, f: FilterState) -> None:
    per, whole = load_municipality_money(demo_engine, f)
    codes = {"1060": "", "1080": "", "1081": "", "1082": "", "1083": ""}
    split = compute_municipality_split(per, whole, codes)
    total = load_money(demo_engine, f.with_values(goal=())).iloc[0]["granted_sek"] if not f.goal else None
    if total is not None:
        assert split["granted_sek"].sum() == total
    assert whole["projects"] > 0


def test_municipality_filter_excludes_whole_county(demo_engine: Engine) -> None:
    _, whole = load_municipality_money(demo_engine, FilterState(municipality=("1080",)))
    assert whole == {"granted_sek": 0, "projects": 0}


def test_theme_map_of_energi(demo_engine: Engine, demo_settings) -> None:
    tm = theme_map(demo_engine, FilterState(), "energi", demo_settings.reference_date)
    assert set(tm.projects["theme"]) == {"energi"}
    assert (tm.today["status"] == "pagaende").all() and len(tm.today) > 0
    assert set(tm.coming["status"]) <= {"ide", "ansokt", "beviljat"} and len(tm.coming) > 0
    assert tm.pipeline["projects"].sum() == len(tm.coming)
    states = dict(zip(tm.coverage["priority"], tm.coverage["state"], strict=True))
    assert states["konk-gron"] == "white" and states["klim-cirkular"] == "only_planned"
    assert "covered" in states.values()


def test_theme_table_adds_up(demo_engine: Engine, demo_settings) -> None:
    order = [
        "energi",
        "kompetens",
        "innovation",
        "digitalisering",
        "transport",
        "folkhalsa",
        "kultur",
        "besoksnaring",
        "attraktivitet",
        "naringsliv",
    ]
    table = theme_table(demo_engine, FilterState(), demo_settings.reference_date, order)
    total = load_money(demo_engine, FilterState()).iloc[0]
    assert table["granted_sek"].sum() == total["granted_sek"]
    assert table["projects"].sum() == total["projects"], "one theme per project"
    priorities, coverage = global_coverage(demo_engine, demo_settings.reference_date)
    assert table["white_spots"].sum() == sum(count_white_spots(priorities, coverage).values())
    assert table.set_index("theme").loc["energi", "white_spots"] == 1


def test_cli_summary_themes(monkeypatch: pytest.MonkeyPatch, demo_settings, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_settings.database_url)
    assert main(["summary", "themes", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["theme"] for r in rows} >= {"Energi", "Kompetensförsörjning"}
    assert list(rows[0]) == ["theme", "projects", "granted_sek", "other_capital_sek", "leverage", "white_spots"]
    assert main(["summary", "themes", "--year", "2024"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "theme,projects,granted_sek,other_capital_sek,leverage,white_spots"
    assert sum(int(line.split(",")[2]) for line in lines[1:]) == 24_300_000


def test_geometry_is_offline_and_complete() -> None:
    from dashboard.geo import municipality_geojson

    geo = municipality_geojson("10")
    assert sorted(f["properties"]["code"] for f in geo["features"]) == ["1060", "1080", "1081", "1082", "1083"]
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])


@pytest.fixture
def ctx(app):
    with app.server.test_request_context("/tema"):
        yield app


def test_theme_page_callbacks(ctx) -> None:
    from dashboard.pages.themes import update_map, update_theme, white_spot_detail

    header, body, style = update_theme("theme=energi")
    assert style == {} and "Kartbild: Energi" in repr(header)
    assert "theme-whitespots" in repr(body) and "Stödja företagens gröna omställning" in repr(body)
    header_all, _, style_all = update_theme("")
    assert style_all == {"display": "none"} and "Tematiska områden" in repr(header_all)
    detail = white_spot_detail("konk-gron", "sv")
    assert "Inget projekt har någonsin" in repr(detail)
    fig, aria, table, whole = update_map("year=2024", "money")
    assert fig.data[0].type == "choropleth" and len(fig.data[0].locations) == 5
    assert "Hela länet" in whole and "Karlskrona" in aria
    assert "Totalt" in repr(table)


def test_kartbild_pdf_is_one_page_and_png_renders(ctx) -> None:
    import base64

    import pypdfium2 as pdfium

    from dashboard.pages.themes import export_theme

    pdf = base64.b64decode(export_theme(FilterState(theme=("energi",)), "pdf", "sv")["content"])
    assert pdf.startswith(b"%PDF")
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == 1
    text = doc[0].get_textpage().get_text_range()
    assert "Kartbild: Energi" in text and "Vita fläckar" in text
    png = base64.b64decode(export_theme(FilterState(theme=("energi",)), "png", "sv")["content"])
    assert png.startswith(b"\x89PNG")


def test_add_phase_agrees_with_classify_phase_row_by_row() -> None:
    """The vectorised phase column equals the rule applied to each project, boundaries included."""
    import itertools

    from dashboard.transforms import add_phase, window_end

    starts = [
        None,
        REF,
        REF.replace(day=REF.day + 1),
        window_end(REF),
        window_end(REF).replace(day=28),
        date(2019, 1, 1),
    ]
    starts.append(window_end(REF).replace(month=12, day=31))
    statuses = ["ide", "ansokt", "beviljat", "pagaende", "avslutat", "avslag", "avbrutet"]
    rows = list(itertools.product(statuses, starts))
    frame = pd.DataFrame({"status": [s for s, _ in rows], "start_date": [d for _, d in rows]})
    expected = [classify_phase(s, d, REF) for s, d in rows]
    assert list(add_phase(frame, REF)["phase"]) == expected
    assert {"now", "planned", None} <= set(expected)
    leap = date(2024, 2, 29)
    frame = pd.DataFrame({"status": ["ide", "ide"], "start_date": [date(2027, 2, 28), date(2027, 3, 1)]})
    assert list(add_phase(frame, leap)["phase"]) == [classify_phase("ide", d, leap) for d in frame["start_date"]]

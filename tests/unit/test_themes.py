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
    counts = pd.DataFrame(
        {"priority": ["A", "B", "D"], "phase": ["now", "planned", "now"], "projects": [2, 1, 1], "sek": [310, 100, 300]}
    )
    cov = compute_coverage(["A", "B", "C"], {"A": "g1", "B": "g1", "C": "g2"}, counts).set_index("priority")
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
    assert whole == {"granted_sek": 0, "projects": 0, "unplaced_sek": 0, "unplaced_projects": 0}


def _reference_projects(engine: Engine, reference: date) -> pd.DataFrame:
    """Every project with its theme, phase (by the Python rule), whole budget and goal
    shares, computed in pandas from the raw tables: the reference for the SQL kartbild."""
    with engine.connect() as conn:
        projects = pd.read_sql(
            "SELECT p.id, p.reference, p.status, p.start_date, p.end_date, t.code AS theme FROM project p "
            "LEFT JOIN theme t ON t.id = p.theme_id",
            conn,
        )
        funding = pd.read_sql("SELECT project_id, source, amount_sek FROM funding", conn)
    projects["start_date"] = pd.to_datetime(projects["start_date"]).dt.date
    projects["phase"] = [
        classify_phase(s, None if pd.isna(d) else d, reference)
        for s, d in zip(projects["status"], projects["start_date"], strict=True)
    ]
    totals = funding.groupby("project_id")["amount_sek"].sum()
    projects["total"] = projects["id"].map(totals).fillna(0).astype("int64")
    return projects


def test_theme_map_of_energi(demo_engine: Engine, demo_settings) -> None:
    ref = demo_settings.reference_date
    tm = theme_map(demo_engine, FilterState(), "energi", ref)
    expected = _reference_projects(demo_engine, ref)
    energi = expected[expected["theme"] == "energi"]
    now = energi[energi["phase"] == "now"].sort_values(["start_date", "reference"])
    planned = energi[energi["phase"] == "planned"].sort_values(["start_date", "reference"])
    assert tm.today.count == len(now) > 0 and tm.today.total_sek == now["total"].sum()
    assert tm.coming.count == len(planned) > 0 and tm.coming.total_sek == planned["total"].sum()
    assert list(tm.today.rows["reference"]) == list(now["reference"].head(12)), "earliest start first"
    assert list(tm.coming.rows["reference"]) == list(planned["reference"].head(12))
    assert set(tm.today.rows["theme"]) == {"energi"}
    assert tm.pipeline["projects"].sum() == tm.coming.count
    assert tm.pipeline["total_sek"].sum() == tm.coming.total_sek
    stages = planned.groupby("status")["total"].sum()
    assert dict(zip(tm.pipeline["status"], tm.pipeline["total_sek"], strict=True)) == {
        s: int(stages.get(s, 0)) for s in ("ide", "ansokt", "beviljat")
    }
    timeline = energi[energi["status"].isin(["ide", "ansokt", "beviljat", "pagaende", "avslutat"])]
    timeline = timeline.dropna(subset=["start_date", "end_date"]).sort_values(
        ["start_date", "reference"], ascending=False
    )
    assert list(tm.timeline["reference"]) == list(timeline["reference"].head(40))
    states = dict(zip(tm.coverage["priority"], tm.coverage["state"], strict=True))
    assert states["konk-gron"] == "white" and states["klim-cirkular"] == "only_planned"
    assert "covered" in states.values()


def test_white_spots_and_portfolio_agree_with_pandas(demo_engine: Engine, demo_settings) -> None:
    """The SQL aggregates equal the same sums done project by project in pandas."""
    from dashboard.queries.themes import load_portfolio, load_priority_coverage
    from dashboard.transforms import compute_portfolio

    ref = demo_settings.reference_date
    expected = _reference_projects(demo_engine, ref)
    with demo_engine.connect() as conn:
        links = pd.read_sql(
            "SELECT pp.project_id, pr.code AS priority FROM project_priority pp "
            "JOIN priority pr ON pr.id = pp.priority_id",
            conn,
        )
        goals = pd.read_sql(
            "SELECT pg.project_id, g.code AS goal, pg.share_bp FROM project_goal pg JOIN goal g ON g.id = pg.goal_id",
            conn,
        )
    merged = links.merge(expected[expected["phase"].notna()], left_on="project_id", right_on="id")
    counts = merged.groupby(["priority", "phase"]).agg(projects=("id", "nunique"), sek=("total", "sum"))
    got = load_priority_coverage(demo_engine, ref).set_index(["priority", "phase"])
    assert len(got) == len(counts) > 10
    assert {k: (int(r.projects), int(r.sek)) for k, r in got.iterrows()} == {
        k: (int(r.projects), int(r.sek)) for k, r in counts.iterrows()
    }

    energi = expected[expected["theme"] == "energi"].merge(goals, left_on="id", right_on="project_id", how="left")
    energi["goal"] = energi["goal"].fillna("-")
    energi["bp"] = energi["total"] * energi["share_bp"].fillna(10_000).astype("int64")
    per = energi.groupby(["goal", "status"]).agg(bp=("bp", "sum"), projects=("id", "nunique"))
    portfolio = compute_portfolio(load_portfolio(demo_engine, FilterState(theme=("energi",)))).set_index(
        ["goal", "status"]
    )
    assert {k: (int(r.total_sek), int(r.projects)) for k, r in portfolio.iterrows()} == {
        k: (int(r.bp) // 10_000, int(r.projects)) for k, r in per.iterrows()
    }


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


def test_sql_phase_agrees_with_classify_phase_row_by_row(empty_engine: Engine) -> None:
    """The SQL phase condition equals the Python rule for each project, boundaries included."""
    import itertools

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from dashboard.models import Project
    from dashboard.queries.themes import phase_condition

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
    rows = [*itertools.product(statuses, starts), ("ide", date(2027, 2, 28)), ("ide", date(2027, 3, 1))]
    with Session(empty_engine) as session:
        session.add_all(Project(reference=f"P{i}", title="x", status=s, start_date=d) for i, (s, d) in enumerate(rows))
        session.commit()

    def phased(reference: date, phase: str) -> set[str]:
        with empty_engine.connect() as conn:
            return set(conn.scalars(select(Project.reference).where(phase_condition(reference, phase))))

    for reference in (REF, date(2024, 2, 29)):
        expected = {f"P{i}": classify_phase(s, d, reference) for i, (s, d) in enumerate(rows)}
        for phase in ("now", "planned"):
            assert phased(reference, phase) == {r for r, p in expected.items() if p == phase}, (reference, phase)
    assert {"now", "planned", None} <= {classify_phase(s, d, REF) for s, d in rows}

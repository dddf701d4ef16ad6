"""The project list: query, rows, callbacks, exports and details."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from dashboard.filters import FilterState
from dashboard.models import DECIDED_STATUSES
from dashboard.queries.money import load_money
from dashboard.queries.projects import count_projects, load_project_detail, load_projects
from dashboard.transforms import compute_project_rows


@pytest.fixture
def ctx(app):
    with app.server.test_request_context("/projekt"):
        yield app


def test_drill_down_matches_the_aggregate(demo_engine: Engine) -> None:
    """'Visa N projekt' for a goal lists exactly the N projects behind the goal's number."""
    for goal in ("klimat", "konkurrenskraft", "naringsliv"):
        agg = FilterState(year_from=2024, year_to=2024, goal=(goal,))
        n = int(load_money(demo_engine, agg).iloc[0]["projects"])
        listed = load_projects(demo_engine, agg.with_values(status=DECIDED_STATUSES))
        assert len(listed) == n == count_projects(demo_engine, agg.with_values(status=DECIDED_STATUSES)), goal


def test_whole_project_amounts_and_lists(demo_engine: Engine) -> None:
    df = load_projects(demo_engine, FilterState(year_from=2024, year_to=2024))
    assert len(df) == 26 and df["granted_sek"].sum() == 24_300_000
    multi = df[df["goals"].map(len) > 1]
    assert len(multi) == 2 and all(sum(s for _, s in g) == 10_000 for g in multi["goals"])
    assert df["reference"].is_unique


def test_rows_show_names_and_shares() -> None:
    raw = pd.DataFrame(
        {
            "id": [1],
            "reference": ["P-1"],
            "title": ["T"],
            "theme": ["energi"],
            "status": ["pagaende"],
            "decision_year": [2024],
            "decision_date": [None],
            "start_date": [pd.Timestamp("2024-05-01").date()],
            "end_date": [None],
            "owner": [None],
            "whole_county": [False],
            "granted_sek": [100],
            "other_sek": [250],
            "goals": [[("klimat", 6_000), ("arbete", 4_000)]],
            "municipalities": [["1080", "1081"]],
        }
    )
    rows = compute_project_rows(
        raw,
        goal_names={"klimat": "Miljö", "arbete": "Arbete"},
        theme_names={"energi": "Energi"},
        municipality_names={"1080": "Karlskrona", "1081": "Ronneby"},
        status_names={"pagaende": "Pågående"},
        whole_county="Hela länet",
    )
    row = rows.iloc[0]
    assert row["goals"] == "Miljö 60 %, Arbete 40 %"
    assert row["municipalities"] == "Karlskrona, Ronneby"
    assert row["total_sek"] == 350 and row["leverage"] == 2.5
    assert row["start_date"] == "2024-05-01" and row["end_date"] == "" and row["owner"] == ""


def test_update_projects_callback(ctx) -> None:
    from dashboard.pages.projects import update_projects

    rows, count = update_projects("year=2024&status=beviljat,pagaende,avslutat,avbrutet")
    assert count == "26 projekt"
    assert sum(r["granted_sek"] for r in rows) == 24_300_000
    all_rows, all_count = update_projects("")
    assert all_count == "250 projekt" and len(all_rows) == 250


def _decode(download: dict) -> bytes:
    return base64.b64decode(download["content"]) if download.get("base64") else download["content"].encode()


def test_exports_hold_the_visible_rows_and_totals(ctx) -> None:
    from dashboard.pages.projects import export_projects, update_projects

    rows, _ = update_projects("year=2024")
    visible = [r for r in rows if r["theme"] == "Energi"]  # as if the grid were searched for "Energi"
    csv = _decode(export_projects("csv", visible, "year=2024", "sv"))
    table = pd.read_csv(io.BytesIO(csv), sep=";", encoding="utf-8-sig")
    assert table["Referens"].tolist() == [r["reference"] for r in visible]
    assert table["Anslag 1:1 (kr)"].sum() == sum(r["granted_sek"] for r in visible)
    assert table["Annat kapital (kr)"].sum() == sum(r["other_sek"] for r in visible)
    xlsx = _decode(export_projects("xlsx", visible, "year=2024", "sv"))
    ws = load_workbook(io.BytesIO(xlsx))["Projekt"]
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "Referens" and [v[0] for v in values[1:]] == table["Referens"].tolist()
    everything = _decode(export_projects("csv", None, "year=2024", "sv"))
    assert pd.read_csv(io.BytesIO(everything), sep=";", encoding="utf-8-sig")["Anslag 1:1 (kr)"].sum() == 24_300_000


def test_detail_view(ctx, demo_engine: Engine) -> None:
    from dashboard.pages.projects import project_detail_view

    ref = load_projects(demo_engine, FilterState(year_from=2024, year_to=2024, goal=("klimat",))).iloc[0]["reference"]
    detail = load_project_detail(demo_engine, ref)
    assert detail["reference"] == ref and detail["funding"] and detail["goals"] and detail["results"]
    assert sum(g["share_bp"] for g in detail["goals"]) == 10_000
    title, body = project_detail_view(ref, "sv")
    assert title.startswith(ref) and "Finansiering" in repr(body)
    missing_title, missing_body = project_detail_view("FINNS-INTE", "sv")
    assert missing_title == "FINNS-INTE" and "finns inte" in missing_body.children


def test_every_filter_combines_on_every_query(demo_engine: Engine) -> None:
    """Statements that already join funding, goals or municipalities still filter on them
    (the filter subqueries use their own aliases)."""
    from dashboard.queries.capital import load_top_leverage
    from dashboard.queries.themes import load_municipality_money, load_theme_projects

    f = FilterState(municipality=("1080",), goal=("konkurrenskraft",), source=("eruf",), theme=("innovation", "energi"))
    listed = load_projects(demo_engine, f)
    assert len(listed) == count_projects(demo_engine, f) > 0
    assert all(any(g == "konkurrenskraft" for g, _ in goals) for goals in listed["goals"])
    assert all("1080" in m for m in listed["municipalities"])
    assert len(load_top_leverage(demo_engine, f)) > 0
    assert len(load_theme_projects(demo_engine, f)) >= len(listed[listed["status"].isin(DECIDED_STATUSES)])
    per, _ = load_municipality_money(demo_engine, f)
    assert per["municipality"].tolist() == ["1080"]

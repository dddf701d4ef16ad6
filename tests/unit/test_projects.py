"""The project list: query, rows, callbacks, exports and details."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest
from dash import no_update
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


def _request(start: int = 0, end: int = 100, sort: list | None = None, filters: dict | None = None) -> dict:
    return {"startRow": start, "endRow": end, "sortModel": sort or [], "filterModel": filters or {}}


def test_serve_rows_callback(ctx) -> None:
    from dashboard.pages.projects import serve_rows

    response, count, totals = serve_rows(_request(), "year=2024&status=beviljat,pagaende,avslutat,avbrutet", None)
    assert count == "26 projekt" and response["rowCount"] == 26
    assert sum(r["granted_sek"] for r in response["rowData"]) == 24_300_000
    assert "24,3 mnkr" in totals.replace("\u00a0", " ")


def test_blocks_page_through_the_whole_list_in_order(ctx, demo_engine: Engine) -> None:
    from dashboard.pages.projects import serve_rows

    first, count, _ = serve_rows(_request(0, 100), "", None)
    assert count == "250 projekt" and first["rowCount"] == 250 and len(first["rowData"]) == 100
    refs = [r["reference"] for r in first["rowData"]]
    for start in (100, 200):
        block, count_again, totals_again = serve_rows(_request(start, start + 100), "", None)
        assert "rowCount" not in block and count_again is no_update and totals_again is no_update
        refs += [r["reference"] for r in block["rowData"]]
    assert refs == load_projects(demo_engine, FilterState())["reference"].tolist(), "newest decision first"


def test_search_filters_and_sort_run_in_sql(ctx, demo_engine: Engine) -> None:
    """Quick search, column filters and sort give what the same done in pandas gives."""
    from dashboard.pages.projects import list_query, project_rows
    from dashboard.queries.projects import list_totals

    everything = project_rows(FilterState(), "sv")

    def listed(request: dict, search: str | None = None) -> pd.DataFrame:
        return project_rows(FilterState(), "sv", lq=list_query(request, search, "sv"))

    found = listed(_request(), "ENERGI")
    cols = ["reference", "title", "owner", "theme"]
    expected = everything[everything[cols].apply(lambda r: r.str.lower().str.contains("energi")).any(axis=1)]
    assert found["reference"].tolist() == expected["reference"].tolist() and len(found) > 0
    word = next(w for title in everything["title"] for w in title.split() if any(c in w for c in "åäö"))
    assert len(listed(_request(), word.upper())) == len(listed(_request(), word.lower())) > 0, word

    money = listed(_request(filters={"granted_sek": {"filterType": "number", "type": "greaterThan", "filter": 1e6}}))
    assert money["reference"].tolist() == everything[everything["granted_sek"] > 1_000_000]["reference"].tolist()
    n, granted, other = list_totals(
        demo_engine,
        FilterState(),
        list_query(
            _request(filters={"granted_sek": {"filterType": "number", "type": "greaterThan", "filter": 1e6}}),
            None,
            "sv",
        ),
    )
    assert (n, granted, other) == (len(money), money["granted_sek"].sum(), money["other_sek"].sum())

    either = {
        "filterType": "text",
        "operator": "OR",
        "conditions": [{"type": "startsWith", "filter": "demo-2024"}, {"type": "endsWith", "filter": "-1"}],
    }
    refs = listed(_request(filters={"reference": either}))["reference"]
    assert len(refs) > 0 and all(r.lower().startswith("demo-2024") or r.endswith("-1") for r in refs)

    by_total = listed(_request(sort=[{"colId": "total_sek", "sort": "desc"}]))
    assert by_total["total_sek"].tolist() == sorted(everything["total_sek"], reverse=True)
    by_status = listed(_request(sort=[{"colId": "status", "sort": "asc"}]))["status"].tolist()
    assert by_status == sorted(by_status) and len(set(by_status)) > 3, "statuses sort by their Swedish label"
    page = project_rows(
        FilterState(),
        "sv",
        limit=10,
        offset=20,
        lq=list_query(_request(sort=[{"colId": "title", "sort": "asc"}]), None, "sv"),
    )
    titles = listed(_request(sort=[{"colId": "title", "sort": "asc"}]))["reference"].tolist()
    assert page["reference"].tolist() == titles[20:30]


def _decode(download: dict) -> bytes:
    return base64.b64decode(download["content"]) if download.get("base64") else download["content"].encode()


def test_exports_hold_the_list_in_its_order_with_totals(ctx, demo_engine: Engine) -> None:
    from dashboard.pages.projects import export_projects, list_query, project_rows
    from dashboard.queries.projects import list_totals

    lq = list_query(_request(sort=[{"colId": "granted_sek", "sort": "desc"}]), "energi", "sv")
    shown = project_rows(FilterState(year_from=2024, year_to=2024), "sv", lq=lq)
    csv = _decode(export_projects("csv", "year=2024", "sv", lq))
    table = pd.read_csv(io.BytesIO(csv), sep=";", encoding="utf-8-sig")
    assert table["Referens"].tolist() == shown["reference"].tolist() and 0 < len(table) < 26
    n, granted, other = list_totals(demo_engine, FilterState(year_from=2024, year_to=2024), lq)
    assert (len(table), table["Anslag 1:1 (kr)"].sum(), table["Annat kapital (kr)"].sum()) == (n, granted, other)
    xlsx = _decode(export_projects("xlsx", "year=2024", "sv", lq))
    ws = load_workbook(io.BytesIO(xlsx))["Projekt"]
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "Referens" and [v[0] for v in values[1:]] == table["Referens"].tolist()
    everything = _decode(export_projects("csv", "year=2024", "sv"))
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

"""Development capital: queries, transforms, CLI and page callbacks."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from dashboard.cli import main
from dashboard.components import ids
from dashboard.filters import FilterState
from dashboard.models import FUNDING_SOURCES
from dashboard.queries.capital import load_top_leverage
from dashboard.queries.money import load_money
from dashboard.transforms import compute_frame_table, compute_source_flows, pick_frame_year


def test_all_groupings_add_up_to_the_same_totals(demo_engine: Engine) -> None:
    f = FilterState(year_from=2022, year_to=2025)
    total = load_money(demo_engine, f).iloc[0]
    for dims in (["goal"], ["theme"], ["year"], ["source"], ["goal", "source"], ["direction", "goal", "theme"]):
        df = load_money(demo_engine, f, dims)
        assert df["granted_sek"].sum() == total["granted_sek"], dims
        assert df["other_sek"].sum() == total["other_sek"], dims
    by_source = load_money(demo_engine, f, ["source"])
    assert set(by_source["source"]) <= set(FUNDING_SOURCES)
    assert by_source.loc[by_source["source"] == "anslag_1_1", "granted_sek"].item() == total["granted_sek"]


def test_source_filter_selects_projects_with_that_money(demo_engine: Engine) -> None:
    eruf = load_money(demo_engine, FilterState(source=("eruf",)), ["source"])
    assert set(eruf["source"]) == {"anslag_1_1", "eruf"}
    with demo_engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT COUNT(DISTINCT p.id) FROM project p JOIN funding f ON f.project_id = p.id "
                "WHERE f.source = 'eruf' AND f.amount_sek > 0 AND p.status IN ('beviljat','pagaende','avslutat','avbrutet')"
            )
        ).scalar_one()
    assert load_money(demo_engine, FilterState(source=("eruf",))).iloc[0]["projects"] == n


def test_split_project_is_counted_once_in_total_and_in_both_goals(demo_engine: Engine) -> None:
    # 2024 has a project split 50/50 between klimat and konkurrenskraft (600 000 kr of 1:1).
    f = FilterState(year_from=2024, year_to=2024)
    per_goal = load_money(demo_engine, f, ["goal"]).set_index("goal")
    total = load_money(demo_engine, f).iloc[0]
    assert per_goal["projects"].sum() > total["projects"], "the split projects appear under both goals"
    assert per_goal["granted_sek"].sum() == total["granted_sek"] == 24_300_000


def test_top_leverage_is_sorted(demo_engine: Engine) -> None:
    top = load_top_leverage(demo_engine, FilterState(), limit=10)
    assert len(top) == 10
    assert top["leverage"].is_monotonic_decreasing
    assert (top["other_sek"] / top["granted_sek"]).round(9).tolist() == top["leverage"].round(9).tolist()


def test_source_flows() -> None:
    money = pd.DataFrame(
        {
            "source": ["anslag_1_1", "eruf", "eruf"],
            "goal": ["klimat", "klimat", None],
            "granted_sek": [10, 0, 0],
            "other_sek": [0, 20, 0],
            "projects": [1, 1, 0],
        }
    )
    flows = compute_source_flows(money)
    assert flows.to_dict("records") == [
        {"source": "anslag_1_1", "goal": "klimat", "amount_sek": 10},
        {"source": "eruf", "goal": "klimat", "amount_sek": 20},
    ]


def test_frame_table_and_year_choice() -> None:
    frames = pd.DataFrame({"goal": [None, "klimat", "arbete"], "frame_sek": [100, 40, 60]})
    decided = pd.DataFrame({"goal": ["klimat", "arbete", None], "granted_sek": [45, 20, 5]})
    table = compute_frame_table(frames, decided, labels={"klimat": "Miljö"}, total_label="Hela ramen")
    assert table["label"].tolist() == ["Hela ramen", "Miljö", "arbete"]
    assert table["decided_sek"].tolist() == [70, 45, 20]
    assert table["remaining_sek"].tolist() == [30, -5, 40]
    only = compute_frame_table(frames, decided, labels={}, total_label="x", goals=("arbete",))
    assert only["goal"].tolist() == ["arbete"]
    years = [2024, 2025, 2026, 2027]
    assert pick_frame_year(years, 2024, 2024, 2026) == 2024
    assert pick_frame_year(years, None, None, 2026) == 2026
    assert pick_frame_year(years, 2019, 2023, 2026) == 2024
    assert pick_frame_year(years, 2030, None, 2026) == 2027
    assert pick_frame_year([], None, None, 2026) is None


def test_cli_summary_capital(monkeypatch: pytest.MonkeyPatch, demo_settings, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_settings.database_url)
    assert main(["summary", "capital", "--year", "2024", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"goals", "sources"}
    assert sum(g["granted_sek"] for g in out["goals"]) == 24_300_000
    sources = {s["source"]: s["amount_sek"] for s in out["sources"]}
    assert list(sources) == list(FUNDING_SOURCES)
    assert sources["anslag_1_1"] == 24_300_000
    other = sum(v for k, v in sources.items() if k != "anslag_1_1")
    assert other == sum(g["other_capital_sek"] for g in out["goals"])
    assert main(["summary", "capital", "--format", "csv"]) == 0
    text_out = capsys.readouterr().out
    assert text_out.startswith("goal,granted_sek,other_capital_sek,leverage\n")
    assert "\nsource,amount_sek\nanslag_1_1," in text_out


@pytest.fixture
def ctx(app):
    with app.server.test_request_context("/kapital"):
        yield app


def test_capital_callbacks(ctx) -> None:
    from dashboard.pages.capital import update_leverage, update_sources

    kpis, title, fig, aria, table, show = update_sources("year=2024", "theme")
    assert title == "Annat kapital per källa och tema, 2024"
    total_other = sum(round(v * 1_000_000) for tr in fig.data for v in tr.y)
    assert total_other == 53_652_000
    assert "Totalt 53,7\xa0mnkr annat kapital 2024" in aria
    assert "/projekt?year=2024&theme=energi&status=beviljat,pagaende,avslutat,avbrutet" in repr(table)
    by_year = update_sources("", "year")[4]
    assert "/projekt?year=2024&status=beviljat,pagaende,avslutat,avbrutet" in repr(by_year)
    years = update_sources("", "year")[2]
    assert all(tr.x[0] == "2019" for tr in years.data if len(tr.x))
    lev, lev_aria, _, sankey, _, _, top = update_leverage("year=2024")
    assert lev.layout.shapes[0].x0 == pytest.approx(53_652_000 / 24_300_000)
    assert sum(sankey.data[0].link.value) == 24_300_000 + 53_652_000
    assert "Hävstången är 2,2\xa0kr/kr totalt" in lev_aria
    assert show is not None and kpis is not None and table is not None and top is not None


def test_click_changes() -> None:
    from dashboard.shell import click_changes

    assert click_changes("goal", "klimat") == {ids.FILTER_GOAL: ["klimat"]}
    assert click_changes("year", 2023) == {ids.FILTER_YEAR_FROM: 2023, ids.FILTER_YEAR_TO: 2023}
    assert click_changes("source", "eruf") == {ids.FILTER_SOURCE: ["eruf"]}
    assert click_changes("direction", "d1", {"a": "d1", "b": "d2", "c": "d1"}) == {ids.FILTER_GOAL: ["a", "c"]}
    assert click_changes("goal", None) == {} and click_changes("unknown", "x") == {}


def test_source_table_rows_and_totals_add_up() -> None:

    import plotly

    from dashboard.components.capital import make_source_table

    money = pd.DataFrame(
        {
            "year": pd.array([2023, None, 2023, 2024], dtype="Int64"),
            "source": ["eruf", "eruf", "private", "anslag_1_1"],
            "granted_sek": [0, 0, 0, 5],
            "other_sek": [100, 50, 25, 0],
            "projects": [1, 1, 1, 1],
        }
    )
    table = make_source_table(money, dim="year", order=[2023, 2024], labels={2023: "2023"}, lang="sv", caption="x")
    cells = [
        c.replace("\u00a0", " ")
        for c in re.findall(
            r'"children": "([^"]*)"', json.dumps(table, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
        )
    ]
    start = cells.index("Totalt") + 1
    assert cells[start : start + 8] == [
        "2023",
        "100 kr",
        "25 kr",
        "125 kr",
        "(utan beslutsår)",
        "50 kr",
        "0 kr",
        "50 kr",
    ], "rows per key, and a row without a key is shown (named for the dimension), not dropped"
    assert cells[start + 8 : start + 12] == ["Totalt", "150 kr", "25 kr", "175 kr"], cells


@pytest.mark.parametrize("years", [(None, None), (2024, 2024), (2022, 2023)])
def test_grouping_by_goal_equals_filtering_each_goal(demo_engine: Engine, years: tuple) -> None:
    """The indicator page reads every goal's money from one grouped query: it must give
    exactly what the goal filter gives, goal by goal (sums and distinct projects)."""
    base = FilterState(year_from=years[0], year_to=years[1])
    grouped = load_money(demo_engine, base, ["goal"]).set_index("goal")
    assert len(grouped) == 6
    for goal, row in grouped.iterrows():
        alone = load_money(demo_engine, base.with_values(goal=(goal,))).iloc[0]
        assert (row["granted_sek"], row["other_sek"], row["projects"]) == (
            alone["granted_sek"],
            alone["other_sek"],
            alone["projects"],
        ), goal

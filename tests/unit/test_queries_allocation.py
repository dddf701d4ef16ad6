"""Allocation queries: exact sums that add up, checked against an independent pandas oracle."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from dashboard.filters import FilterState
from dashboard.models import DECIDED_STATUSES, SHARE_SCALE
from dashboard.queries.allocation import load_goal_allocation, load_totals, load_year_goal_allocation
from dashboard.transforms import compute_goal_allocation


@pytest.fixture(scope="module")
def raw(demo_engine: Engine) -> dict[str, pd.DataFrame]:
    with demo_engine.connect() as conn:
        read = lambda sql: pd.read_sql(text(sql), conn)  # noqa: E731
        return {
            "project": read(
                "SELECT p.id, p.status, p.decision_year, t.code AS theme FROM project p LEFT JOIN theme t ON t.id = p.theme_id"
            ),
            "funding": read("SELECT project_id, source, amount_sek FROM funding"),
            "goals": read(
                "SELECT pg.project_id, g.code AS goal, pg.share_bp FROM project_goal pg JOIN goal g ON g.id = pg.goal_id"
            ),
            "munis": read("SELECT project_id, municipality_code FROM project_municipality"),
        }


def oracle(raw: dict[str, pd.DataFrame], f: FilterState) -> dict[str, Fraction]:
    """Granted 1:1 per goal as exact fractions, computed in plain pandas/Python."""
    p = raw["project"]
    p = p[p["status"].isin(DECIDED_STATUSES)]
    if f.year_from:
        p = p[p["decision_year"] >= f.year_from]
    if f.year_to:
        p = p[p["decision_year"] <= f.year_to]
    if f.theme:
        p = p[p["theme"].isin(f.theme)]
    if f.municipality:
        keep = set(raw["munis"].loc[raw["munis"]["municipality_code"].isin(f.municipality), "project_id"])
        p = p[p["id"].isin(keep)]
    grants = raw["funding"][(raw["funding"]["source"] == "anslag_1_1") & raw["funding"]["project_id"].isin(p["id"])]
    per_project = grants.groupby("project_id")["amount_sek"].sum()
    out: dict[str, Fraction] = {}
    for row in raw["goals"][raw["goals"]["project_id"].isin(per_project.index)].itertuples():
        if f.goal and row.goal not in f.goal:
            continue
        out[row.goal] = out.get(row.goal, Fraction(0)) + Fraction(
            int(per_project[row.project_id]) * int(row.share_bp), SHARE_SCALE
        )
    return out


FILTERS = [
    FilterState(),
    FilterState(year_from=2024, year_to=2024),
    FilterState(year_from=2020, year_to=2023, theme=("energi", "innovation")),
    FilterState(municipality=("1080",)),
    FilterState(municipality=("1080", "1081"), year_from=2022),
    FilterState(goal=("klimat", "konkurrenskraft")),
    FilterState(theme=("kultur",), year_to=2021),
]


@pytest.mark.parametrize("f", FILTERS)
def test_goal_allocation_matches_oracle_and_adds_up(demo_engine: Engine, raw, f: FilterState) -> None:
    table = compute_goal_allocation(load_goal_allocation(demo_engine, f))
    expected = oracle(raw, f)
    got = dict(zip(table["goal"], table["granted_sek"], strict=True))
    assert {g for g, v in got.items() if v > 0} == {g for g, v in expected.items() if v > 0}
    n_projects = len(raw["goals"])
    for goal, exact in expected.items():
        # whole kronor: each multi-goal project's part is within one krona of its exact share
        assert abs(got.get(goal, 0) - exact) <= n_projects, goal
        assert abs(got.get(goal, 0) - exact) < 1 or exact.denominator != 1, goal
    if not f.goal:
        assert table["granted_sek"].sum() == sum(expected.values(), Fraction(0)), "no goal filter: the exact total"


@pytest.mark.parametrize("f", [f for f in FILTERS if not f.goal])
def test_goals_add_up_to_the_undivided_total(demo_engine: Engine, raw, f: FilterState) -> None:
    table = compute_goal_allocation(load_goal_allocation(demo_engine, f))
    totals = load_totals(demo_engine, f).iloc[0]
    assert table["granted_sek"].sum() == totals["granted_sek"]
    assert table["other_sek"].sum() == totals["other_sek"]
    # and the total equals the plain sum of the funding rows (no split involved)
    p = raw["project"]
    p = p[p["status"].isin(DECIDED_STATUSES)]
    if f.year_from:
        p = p[p["decision_year"] >= f.year_from]
    if f.year_to:
        p = p[p["decision_year"] <= f.year_to]
    if f.theme:
        p = p[p["theme"].isin(f.theme)]
    if f.municipality:
        p = p[p["id"].isin(set(raw["munis"].loc[raw["munis"]["municipality_code"].isin(f.municipality), "project_id"]))]
    fund = raw["funding"][raw["funding"]["project_id"].isin(p["id"])]
    assert totals["granted_sek"] == fund.loc[fund["source"] == "anslag_1_1", "amount_sek"].sum()
    assert totals["other_sek"] == fund.loc[fund["source"] != "anslag_1_1", "amount_sek"].sum()


def test_multi_municipality_projects_count_once(demo_engine: Engine, raw) -> None:
    both = FilterState(municipality=("1080", "1081"))
    one, two = FilterState(municipality=("1080",)), FilterState(municipality=("1081",))
    t_both = load_totals(demo_engine, both).iloc[0]
    t_one, t_two = load_totals(demo_engine, one).iloc[0], load_totals(demo_engine, two).iloc[0]
    shared = raw["munis"].groupby("project_id")["municipality_code"].apply(set)
    n_shared = sum(1 for s in shared if {"1080", "1081"} <= s)
    assert n_shared > 0, "the demo has projects in both municipalities"
    assert t_both["projects"] < t_one["projects"] + t_two["projects"]


def test_status_filter_narrows_to_decided(demo_engine: Engine) -> None:
    only_ideas = load_goal_allocation(demo_engine, FilterState(status=("ide",)))
    assert only_ideas.empty, "ideas have no decided grant"
    finished = compute_goal_allocation(load_goal_allocation(demo_engine, FilterState(status=("avslutat",))))
    all_decided = compute_goal_allocation(load_goal_allocation(demo_engine, FilterState()))
    assert 0 < finished["granted_sek"].sum() < all_decided["granted_sek"].sum()


def test_by_year_adds_up_to_the_total(demo_engine: Engine) -> None:
    by_year = load_year_goal_allocation(demo_engine, FilterState())
    total = load_totals(demo_engine, FilterState()).iloc[0]
    assert by_year["granted_sek"].sum() == total["granted_sek"]
    assert set(by_year["year"]) >= {2019, 2024}


def test_empty_selection_has_stable_columns(demo_engine: Engine) -> None:
    df = load_goal_allocation(demo_engine, FilterState(year_from=2099, year_to=2099))
    assert df.empty and list(df.columns) == ["goal", "granted_sek", "other_sek", "projects"]
    totals = load_totals(demo_engine, FilterState(year_from=2099, year_to=2099)).iloc[0]
    assert totals["granted_sek"] == 0 and totals["projects"] == 0

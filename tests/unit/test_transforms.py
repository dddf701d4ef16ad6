"""Pure allocation logic on literal frames."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.transforms import compute_goal_allocation, leverage, split_funding_by_goal


def test_split_adds_up_per_funding_row() -> None:
    funding = pd.DataFrame(
        {
            "funding_id": [1, 2, 3],
            "project_id": [10, 10, 11],
            "source": ["anslag_1_1", "eruf", "anslag_1_1"],
            "amount_sek": [100, 1_000_001, 500],
        }
    )
    # project 10: three goals of one third each (3334 + 3333 + 3333 bp); project 11: no goal
    goals = pd.DataFrame({"project_id": [10, 10, 10], "goal_id": [1, 2, 3], "share_bp": [3_334, 3_333, 3_333]})
    out = split_funding_by_goal(funding, goals)
    assert out.groupby("funding_id")["amount_sek"].sum().tolist() == [100, 1_000_001, 500]
    first = out[out["funding_id"] == 1].set_index("goal_id")["amount_sek"].to_dict()
    assert first == {1: 34, 2: 33, 3: 33}
    second = out[out["funding_id"] == 2].set_index("goal_id")["amount_sek"].to_dict()
    # exact parts 333 400,3334 / 333 300,3333 / 333 300,3333: the krona left goes to the largest remainder
    assert second == {1: 333_401, 2: 333_300, 3: 333_300}
    no_goal = out[out["funding_id"] == 3]
    assert len(no_goal) == 1 and pd.isna(no_goal["goal_id"].iloc[0]) and no_goal["amount_sek"].iloc[0] == 500


def test_split_of_nothing() -> None:
    empty = pd.DataFrame(columns=["funding_id", "project_id", "source", "amount_sek"])
    out = split_funding_by_goal(empty, pd.DataFrame(columns=["project_id", "goal_id", "share_bp"]))
    assert out.empty and list(out.columns) == ["funding_id", "project_id", "goal_id", "source", "amount_sek"]


def test_compute_goal_allocation_orders_and_fills() -> None:
    raw = pd.DataFrame(
        {
            "goal": ["klimat", None, "arbete"],
            "granted_sek": [15_000, 1_000, 10_000],
            "other_sek": [30_000, 0, 20_000],
            "projects": [2, 1, 1],
        }
    )
    out = compute_goal_allocation(raw, ["arbete", "halsa", "klimat"])
    assert out["goal"].tolist() == ["arbete", "halsa", "klimat", None]
    assert out["granted_sek"].tolist() == [10_000, 0, 15_000, 1_000]
    assert math.isnan(out.loc[out["goal"] == "halsa", "leverage"].item())
    assert out.loc[out["goal"] == "arbete", "leverage"].item() == 2.0
    assert out["share"].tolist() == [10_000 / 26_000, 0.0, 15_000 / 26_000, 1_000 / 26_000]


def test_no_goal_row_dropped_when_empty() -> None:
    raw = pd.DataFrame({"goal": ["klimat", None], "granted_sek": [1, 0], "other_sek": [0, 0], "projects": [1, 0]})
    out = compute_goal_allocation(raw)
    assert out["goal"].tolist() == ["klimat"]


def test_empty_frame_keeps_columns() -> None:
    raw = pd.DataFrame(columns=["goal", "granted_sek", "other_sek", "projects"])
    out = compute_goal_allocation(raw)
    assert out.empty
    assert list(out.columns) == ["goal", "granted_sek", "other_sek", "projects", "leverage", "share"]
    filled = compute_goal_allocation(raw, ["klimat"])
    assert filled["goal"].tolist() == ["klimat"] and filled["granted_sek"].tolist() == [0]


def test_leverage_scalar_and_series() -> None:
    assert leverage(100, 250) == 2.5
    assert math.isnan(leverage(0, 10))
    s = leverage(pd.Series([100, 0]), pd.Series([150, 5]))
    assert s.iloc[0] == 1.5 and math.isnan(s.iloc[1])

"""Pure allocation logic on literal frames."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.transforms import apportion, compute_goal_allocation, leverage


def test_apportion_adds_up_exactly() -> None:
    # 100 kr split in three equal shares of 3 333,33… bp-kronor each.
    nums = pd.Series([333_333, 333_333, 333_334])
    out = apportion(nums, scale=10_000)
    assert out.sum() == 100
    assert sorted(out.tolist()) == [33, 33, 34]


def test_apportion_is_exact_for_whole_amounts() -> None:
    nums = pd.Series([1_100_000 * 10_000, 0, 7_100_000 * 10_000])
    assert apportion(nums).tolist() == [1_100_000, 0, 7_100_000]


def test_apportion_empty() -> None:
    assert apportion(pd.Series([], dtype="int64")).tolist() == []


def test_compute_goal_allocation_orders_and_fills() -> None:
    raw = pd.DataFrame(
        {
            "goal": ["klimat", None, "arbete"],
            "granted_bp": [15_000 * 10_000 + 5_000, 1_000 * 10_000, 10_000 * 10_000 + 5_000],
            "other_bp": [30_000 * 10_000, 0, 20_000 * 10_000],
            "projects": [2, 1, 1],
        }
    )
    out = compute_goal_allocation(raw, ["arbete", "halsa", "klimat"])
    assert out["goal"].tolist() == ["arbete", "halsa", "klimat", None]
    # 15 000,5 + 1 000 + 10 000,5 = 26 001 exactly; the half kronor go to one goal.
    assert out["granted_sek"].sum() == 26_001
    assert out.loc[out["goal"] == "halsa", "granted_sek"].item() == 0
    assert math.isnan(out.loc[out["goal"] == "halsa", "leverage"].item())
    assert (
        out.loc[out["goal"] == "arbete", "leverage"].item()
        == 20_000 / out.loc[out["goal"] == "arbete", "granted_sek"].item()
    )
    assert abs(out["share"].sum() - 1.0) < 1e-12


def test_no_goal_row_dropped_when_empty() -> None:
    raw = pd.DataFrame({"goal": ["klimat", None], "granted_bp": [10_000, 0], "other_bp": [0, 0], "projects": [1, 0]})
    out = compute_goal_allocation(raw)
    assert out["goal"].tolist() == ["klimat"]


def test_empty_frame_keeps_columns() -> None:
    raw = pd.DataFrame(columns=["goal", "granted_bp", "other_bp", "projects"])
    out = compute_goal_allocation(raw)
    assert out.empty
    assert list(out.columns) == ["goal", "granted_sek", "other_sek", "projects", "leverage", "share"]


def test_leverage_scalar_and_series() -> None:
    assert leverage(100, 250) == 2.5
    assert math.isnan(leverage(0, 10))
    s = leverage(pd.Series([100, 0]), pd.Series([150, 5]))
    assert s.iloc[0] == 1.5 and math.isnan(s.iloc[1])

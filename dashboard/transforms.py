"""Pure DataFrame logic (no database, no styling)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .models import SHARE_SCALE

GOAL_TABLE_COLUMNS = ["goal", "granted_sek", "other_sek", "projects", "leverage", "share"]


def apportion(numerators: pd.Series, scale: int = SHARE_SCALE) -> pd.Series:
    """Turn exact integer numerators (kronor × ``scale``) into whole kronor
    whose sum equals the rounded total exactly (largest-remainder method;
    ties go to the earlier row, so the result is deterministic).

    >>> apportion(pd.Series([15_000, 15_000]), 10_000).tolist()
    [2, 1]
    """
    values = numerators.to_numpy(dtype="int64")
    if len(values) == 0:
        return pd.Series([], index=numerators.index, dtype="int64")
    total_num = int(values.sum())
    target = (total_num + scale // 2) // scale  # round half up on the exact total
    floors = values // scale
    remainders = values - floors * scale
    missing = target - int(floors.sum())
    order = np.argsort(-remainders, kind="stable")
    out = floors.copy()
    if missing > 0:
        out[order[:missing]] += 1
    elif missing < 0:  # only when the total rounds down below the floors (cannot happen for non-negatives)
        out[order[missing:]] -= 1
    return pd.Series(out, index=numerators.index, dtype="int64")


def leverage(granted: pd.Series | int, other: pd.Series | int) -> pd.Series | float:
    """Hävstång: other capital per krona of 1:1 (NaN where nothing was granted)."""
    if isinstance(granted, pd.Series):
        g = granted.astype("float64")
        return (pd.Series(other, index=granted.index).astype("float64") / g.where(g > 0)).astype("float64")
    return float(other) / granted if granted else float("nan")


def compute_goal_allocation(raw: pd.DataFrame, goal_order: list[str] | None = None) -> pd.DataFrame:
    """From ``load_goal_allocation`` rows to whole kronor per goal.

    Returns ``goal, granted_sek, other_sek, projects, leverage, share`` with the
    goals in ``goal_order`` first (missing goals get zero rows) and the
    no-goal row (goal ``None``) last, only when it has money. The columns
    ``granted_sek`` and ``other_sek`` add up to the totals exactly.
    """
    df = raw.copy()
    if goal_order:
        present = set(df["goal"].dropna())
        extra = [g for g in goal_order if g not in present]
        if extra:
            df = pd.concat(
                [df, pd.DataFrame({"goal": extra, "granted_bp": 0, "other_bp": 0, "projects": 0})], ignore_index=True
            )
        rank = {g: i for i, g in enumerate(goal_order)}
        df["_rank"] = df["goal"].map(lambda g: rank.get(g, len(rank)) if isinstance(g, str) else len(rank) + 1)
        df = df.sort_values("_rank", kind="stable").drop(columns="_rank")
    df = df.reset_index(drop=True)
    if df.empty:
        return pd.DataFrame(columns=GOAL_TABLE_COLUMNS).astype(
            {
                "granted_sek": "int64",
                "other_sek": "int64",
                "projects": "int64",
                "leverage": "float64",
                "share": "float64",
            }
        )
    out = pd.DataFrame(
        {
            "goal": df["goal"].astype(object).where(df["goal"].notna(), None),
            "granted_sek": apportion(df["granted_bp"].astype("int64")),
            "other_sek": apportion(df["other_bp"].astype("int64")),
            "projects": df["projects"].astype("int64"),
        }
    )
    no_goal = out["goal"].isna()
    out = out[~no_goal | (out["granted_sek"] > 0) | (out["other_sek"] > 0)].reset_index(drop=True)
    out["leverage"] = leverage(out["granted_sek"], out["other_sek"])
    total = int(out["granted_sek"].sum())
    out["share"] = out["granted_sek"] / total if total else 0.0
    return out

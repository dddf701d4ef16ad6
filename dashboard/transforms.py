"""Pure DataFrame logic (no database, no styling)."""

from __future__ import annotations

import pandas as pd

from .models import SHARE_SCALE

GOAL_TABLE_COLUMNS = ["goal", "granted_sek", "other_sek", "projects", "leverage", "share"]


def leverage(granted: pd.Series | int, other: pd.Series | int) -> pd.Series | float:
    """Hävstång: other capital per krona of 1:1 (NaN where nothing was granted)."""
    if isinstance(granted, pd.Series):
        g = granted.astype("float64")
        return (pd.Series(other, index=granted.index).astype("float64") / g.where(g > 0)).astype("float64")
    return float(other) / granted if granted else float("nan")


def compute_goal_allocation(raw: pd.DataFrame, goal_order: list[str] | None = None) -> pd.DataFrame:
    """From ``load_goal_allocation`` rows to the goal table.

    Returns ``goal, granted_sek, other_sek, projects, leverage, share`` with the
    goals in ``goal_order`` first (missing goals get zero rows) and the no-goal
    row (``goal`` None) last, only when it has money.
    """
    df = raw.copy()
    if goal_order:
        present = set(df["goal"].dropna())
        extra = [g for g in goal_order if g not in present]
        if extra:
            zeros = pd.DataFrame({"goal": extra, "granted_sek": 0, "other_sek": 0, "projects": 0})
            df = pd.concat([df, zeros], ignore_index=True) if not df.empty else zeros
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
            "granted_sek": df["granted_sek"].astype("int64"),
            "other_sek": df["other_sek"].astype("int64"),
            "projects": df["projects"].astype("int64"),
        }
    )
    no_goal = out["goal"].isna()
    out = out[~no_goal | (out["granted_sek"] > 0) | (out["other_sek"] > 0)].reset_index(drop=True)
    out["leverage"] = leverage(out["granted_sek"], out["other_sek"])
    total = int(out["granted_sek"].sum())
    out["share"] = out["granted_sek"] / total if total else 0.0
    return out


SPLIT_COLUMNS = ["funding_id", "project_id", "goal_id", "source", "amount_sek"]


def split_funding_by_goal(funding: pd.DataFrame, goals: pd.DataFrame, scale: int = SHARE_SCALE) -> pd.DataFrame:
    """Split each funding row over its project's goals in whole kronor.

    ``funding``: ``funding_id, project_id, source, amount_sek``;
    ``goals``: ``project_id, goal_id, share_bp`` (shares of a project sum to
    ``scale``). Each row's parts add up to its amount exactly: floors first,
    the remaining kronor to the largest remainders (ties to the lower goal id).
    Projects without goals keep one part with ``goal_id`` NA.
    """
    if funding.empty:
        return pd.DataFrame(columns=SPLIT_COLUMNS)
    merged = funding.merge(goals, on="project_id", how="left")
    no_goal = merged["goal_id"].isna()
    merged["share_bp"] = merged["share_bp"].fillna(scale).astype("int64")
    amount = merged["amount_sek"].astype("int64")
    numerator = amount * merged["share_bp"]
    merged["part"] = numerator // scale
    merged["rem"] = numerator - merged["part"] * scale
    missing = amount - merged.groupby("funding_id")["part"].transform("sum")
    merged["goal_sort"] = merged["goal_id"].fillna(-1)
    merged = merged.sort_values(["funding_id", "rem", "goal_sort"], ascending=[True, False, True], kind="stable")
    rank = merged.groupby("funding_id").cumcount()
    merged["part"] += (rank < missing.loc[merged.index]).astype("int64")
    merged.loc[no_goal.loc[merged.index], "goal_id"] = pd.NA
    out = merged.rename(columns={"part": "amount_sek_split"})[
        ["funding_id", "project_id", "goal_id", "source", "amount_sek_split"]
    ].rename(columns={"amount_sek_split": "amount_sek"})
    out["goal_id"] = out["goal_id"].astype("Int64")
    return out.sort_values(["funding_id", "goal_id"], kind="stable").reset_index(drop=True)

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


PROJECT_ROW_COLUMNS = [
    "reference",
    "title",
    "theme",
    "goals",
    "status",
    "decision_year",
    "start_date",
    "end_date",
    "owner",
    "municipalities",
    "granted_sek",
    "other_sek",
    "total_sek",
    "leverage",
]


def compute_project_rows(
    df: pd.DataFrame,
    *,
    goal_names: dict[str, str],
    theme_names: dict[str, str],
    municipality_names: dict[str, str],
    status_names: dict[str, str],
    whole_county: str,
) -> pd.DataFrame:
    """Project list rows for the grid and exports: names instead of codes,
    goals with their shares (``Miljö och klimat 60 %``), total and leverage."""
    if df.empty:
        return pd.DataFrame(columns=PROJECT_ROW_COLUMNS)

    def goals_text(goals: list[tuple[str, int]]) -> str:
        if len(goals) == 1:
            return goal_names.get(goals[0][0], goals[0][0])
        return ", ".join(f"{goal_names.get(g, g)} {share / 100:g} %" for g, share in goals)

    def munis_text(codes: list[str], whole: bool) -> str:
        return whole_county if whole else ", ".join(municipality_names.get(c, c) for c in codes)

    granted = df["granted_sek"].astype("int64")
    other = df["other_sek"].astype("int64")
    return pd.DataFrame(
        {
            "reference": df["reference"],
            "title": df["title"],
            "theme": df["theme"].map(lambda c: theme_names.get(c, c) if isinstance(c, str) else ""),
            "goals": df["goals"].map(goals_text),
            "status": df["status"].map(lambda s: status_names.get(s, s)),
            "decision_year": df["decision_year"].astype("Int64"),
            "start_date": df["start_date"].astype(str).where(df["start_date"].notna(), ""),
            "end_date": df["end_date"].astype(str).where(df["end_date"].notna(), ""),
            "owner": df["owner"].fillna(""),
            "municipalities": [
                munis_text(c, bool(w)) for c, w in zip(df["municipalities"], df["whole_county"], strict=True)
            ],
            "granted_sek": granted,
            "other_sek": other,
            "total_sek": granted + other,
            "leverage": leverage(granted, other).round(2),
        }
    )[PROJECT_ROW_COLUMNS]


FRAME_TABLE_COLUMNS = ["goal", "label", "frame_sek", "decided_sek", "remaining_sek"]


def compute_frame_table(
    frames: pd.DataFrame,
    decided: pd.DataFrame,
    *,
    labels: dict[str, str],
    total_label: str,
    goals: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Frame against decided 1:1 money for one year.

    ``frames``: ``goal, frame_sek`` (goal None = the total frame); ``decided``:
    ``goal, granted_sek``. Returns the total row first (when a total frame
    exists and no goal is chosen), then one row per goal with a frame.
    """
    decided_by_goal = {
        (g if isinstance(g, str) else None): int(v)
        for g, v in zip(decided["goal"], decided["granted_sek"], strict=True)
    }
    rows = []
    for row in frames.itertuples(index=False):
        goal = row.goal if isinstance(row.goal, str) else None
        if goal is None:
            if goals:
                continue
            done = sum(decided_by_goal.values())
            label = total_label
        else:
            if goals and goal not in goals:
                continue
            done = decided_by_goal.get(goal, 0)
            label = labels.get(goal, goal)
        rows.append(
            {
                "goal": goal,
                "label": label,
                "frame_sek": int(row.frame_sek),
                "decided_sek": done,
                "remaining_sek": int(row.frame_sek) - done,
            }
        )
    out = pd.DataFrame(rows, columns=FRAME_TABLE_COLUMNS)
    if not out.empty:
        out = pd.concat([out[out["goal"].isna()], out[out["goal"].notna()]], ignore_index=True)
    return out


def pick_frame_year(
    frame_years: list[int], year_from: int | None, year_to: int | None, reference_year: int
) -> int | None:
    """The year whose frame to show: within the selected range, the last
    selected year, else the reference year, else the latest; outside it, the
    frame year nearest to the selection."""
    if not frame_years:
        return None
    in_range = [y for y in frame_years if (year_from is None or y >= year_from) and (year_to is None or y <= year_to)]
    if in_range:
        if year_to in in_range:
            return year_to
        if reference_year in in_range:
            return reference_year
        return max(in_range)
    if year_from is not None and year_from > max(frame_years):
        return max(frame_years)
    return min(frame_years)


def compute_hierarchy(
    money: pd.DataFrame,
    *,
    direction_labels: dict[str, str],
    goal_labels: dict[str, str],
    theme_labels: dict[str, str],
    none_label: str,
) -> pd.DataFrame:
    """Add display labels to ``direction, goal, theme, granted_sek`` rows for the sunburst."""
    df = money.copy()
    df["direction"] = df["direction"].fillna("-")
    df["goal"] = df["goal"].fillna("-")
    df["theme"] = df["theme"].fillna("-")
    df["direction_label"] = df["direction"].map(lambda c: direction_labels.get(c, none_label))
    df["goal_label"] = df["goal"].map(lambda c: goal_labels.get(c, none_label))
    df["theme_label"] = df["theme"].map(lambda c: theme_labels.get(c, none_label))
    return df


def compute_source_flows(money: pd.DataFrame) -> pd.DataFrame:
    """``source, goal, granted_sek, other_sek`` rows → ``source, goal, amount_sek``
    (a row holds one source, so its amount is whichever column is non-zero)."""
    if money.empty:
        return pd.DataFrame(columns=["source", "goal", "amount_sek"])
    out = pd.DataFrame(
        {
            "source": money["source"],
            "goal": money["goal"].astype(object).where(money["goal"].notna(), None),
            "amount_sek": (money["granted_sek"] + money["other_sek"]).astype("int64"),
        }
    )
    return out[out["amount_sek"] > 0].reset_index(drop=True)

"""Pure DataFrame logic (no database, no styling)."""

from __future__ import annotations

from datetime import date

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


GOAL_PART_COLUMNS = ["goal_share", "goal_granted_sek"]
"""Columns the project list adds when it is filtered by goal."""


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
    goals with their shares (``Miljö och klimat 60 %``), total and leverage. With a goal
    filter (``goal_share_bp`` and ``goal_granted_sek`` in ``df``), also the chosen goals'
    share of each project (``goal_share``, percent) and their part of its 1:1 money."""
    with_goal = "goal_share_bp" in df.columns
    columns = [*PROJECT_ROW_COLUMNS, *GOAL_PART_COLUMNS] if with_goal else PROJECT_ROW_COLUMNS
    if df.empty:
        return pd.DataFrame(columns=columns)

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
            **(
                {
                    "goal_share": df["goal_share_bp"].astype("float64") / SHARE_SCALE * 100,
                    "goal_granted_sek": df["goal_granted_sek"].astype("int64"),
                }
                if with_goal
                else {}
            ),
        }
    )[columns]


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


# --------------------------------------------------------------------------- theme maps (kartbild)

PLANNING_YEARS = 3
PHASE_NOW = "now"
PHASE_PLANNED = "planned"
PIPELINE_STAGES = ("ide", "ansokt", "beviljat")


def window_end(reference: date) -> date:
    """Last day of the 'coming 1–3 years' window (three years after the reference date)."""
    try:
        return reference.replace(year=reference.year + PLANNING_YEARS)
    except ValueError:  # 29 February
        return reference.replace(year=reference.year + PLANNING_YEARS, day=28)


def classify_phase(status: str, start: date | None, reference: date) -> str | None:
    """``now`` for ongoing projects; ``planned`` for idé, ansökt or beviljat
    projects starting after the reference date and within three years of it;
    None otherwise (finished, rejected, cancelled, or planned further ahead)."""
    if status == "pagaende":
        return PHASE_NOW
    if status in PIPELINE_STAGES and start is not None and reference < start <= window_end(reference):
        return PHASE_PLANNED
    return None


COVERAGE_COLUMNS = [
    "priority",
    "goal",
    "now_projects",
    "now_sek",
    "planned_projects",
    "planned_sek",
    "state",
]


def compute_coverage(relevant: list[str], goal_of: dict[str, str], counts: pd.DataFrame) -> pd.DataFrame:
    """White-spot matrix: per relevant priority the projects (and total budgets)
    working on it now and planned in 1–3 years.

    ``counts``: ``priority, phase, projects, sek`` (from
    :func:`dashboard.queries.themes.load_priority_coverage`). ``state`` is ``white``
    (nothing now or planned), ``only_planned`` or ``covered``. A project serving
    two priorities counts in both rows (rows are not added up).
    """
    found = {
        (p, ph): (int(n), int(sek))
        for p, ph, n, sek in zip(counts["priority"], counts["phase"], counts["projects"], counts["sek"], strict=True)
    }
    rows = []
    for priority in relevant:
        n_now, now_sek = found.get((priority, PHASE_NOW), (0, 0))
        n_planned, planned_sek = found.get((priority, PHASE_PLANNED), (0, 0))
        state = "covered" if n_now else ("only_planned" if n_planned else "white")
        rows.append(
            {
                "priority": priority,
                "goal": goal_of.get(priority),
                "now_projects": n_now,
                "now_sek": now_sek,
                "planned_projects": n_planned,
                "planned_sek": planned_sek,
                "state": state,
            }
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def compute_pipeline(summary: pd.DataFrame) -> pd.DataFrame:
    """Planned projects per maturity stage: ``status, projects, granted_sek, total_sek``.
    ``summary``: the planned (or all phased) projects per status with ``projects,
    granted_sek, other_sek`` (see :func:`dashboard.queries.themes.load_phase_summary`)."""
    by_status = {r.status: r for r in summary.itertuples(index=False)}
    rows = []
    for stage in PIPELINE_STAGES:
        r = by_status.get(stage)
        granted = int(r.granted_sek) if r is not None else 0
        rows.append(
            {
                "status": stage,
                "projects": int(r.projects) if r is not None else 0,
                "granted_sek": granted,
                "total_sek": granted + (int(r.other_sek) if r is not None else 0),
            }
        )
    return pd.DataFrame(rows)


def compute_portfolio(raw: pd.DataFrame) -> pd.DataFrame:
    """Goal × status bubbles from :func:`dashboard.queries.themes.load_portfolio`:
    ``goal`` ('-' for projects without goals), ``status``, ``total_sek`` (whole kronor,
    rounded down), ``projects``."""
    df = pd.DataFrame(
        {
            "goal": [g if isinstance(g, str) else "-" for g in raw["goal"]],
            "status": raw["status"].astype(object),
            "total_sek": (raw["total_bp"].astype("int64") // SHARE_SCALE).astype("int64"),
            "projects": raw["projects"].astype("int64"),
        }
    )
    return df.groupby(["goal", "status"], as_index=False).agg(
        total_sek=("total_sek", "sum"), projects=("projects", "sum")
    )


def apportion(numerators: pd.Series, scale: int = SHARE_SCALE) -> pd.Series:
    """Whole kronor from exact numerators (kronor × ``scale``) that add up to
    the rounded total exactly (largest remainder, :func:`dashboard.i18n.largest_remainder`;
    ties to the earlier row)."""
    from .i18n import largest_remainder

    values = largest_remainder(numerators.to_numpy(dtype="int64").tolist(), scale)
    return pd.Series(values, index=numerators.index, dtype="int64")


def compute_municipality_split(
    per_municipality: pd.DataFrame, whole_county: dict[str, int], municipalities: dict[str, str]
) -> pd.DataFrame:
    """Money per municipality in whole kronor plus a whole-county row, and a row for
    the projects placed in no municipality (when there are any): ``code, name,
    granted_sek, projects, whole_county, unplaced``. The rows add up to the
    selection's total exactly; every known municipality gets a row."""
    df = pd.DataFrame({"code": list(municipalities)}).merge(
        per_municipality.rename(columns={"municipality": "code"}), on="code", how="left"
    )
    df["granted_bp"] = df["granted_bp"].fillna(0).astype("int64")
    df["projects"] = df["projects"].fillna(0).astype("int64")
    df["granted_sek"] = apportion(df["granted_bp"])
    df["name"] = df["code"].map(municipalities)
    df["whole_county"] = False
    df["unplaced"] = False
    rest = [
        {
            "code": "",
            "name": "",
            "granted_sek": int(whole_county["granted_sek"]),
            "projects": int(whole_county["projects"]),
            "whole_county": True,
            "unplaced": False,
        }
    ]
    if whole_county.get("unplaced_projects") or whole_county.get("unplaced_sek"):
        rest.append(
            {
                "code": "",
                "name": "",
                "granted_sek": int(whole_county.get("unplaced_sek", 0)),
                "projects": int(whole_county.get("unplaced_projects", 0)),
                "whole_county": False,
                "unplaced": True,
            }
        )
    columns = ["code", "name", "granted_sek", "projects", "whole_county", "unplaced"]
    return pd.concat([df[columns], pd.DataFrame(rest, columns=columns)], ignore_index=True)


THEME_TABLE_COLUMNS = ["theme", "projects", "granted_sek", "other_sek", "leverage", "white_spots"]


def compute_theme_table(money: pd.DataFrame, white_spots: dict[str, int], theme_order: list[str]) -> pd.DataFrame:
    """All themes side by side: ``theme, projects, granted_sek, other_sek, leverage, white_spots``
    (``money`` from ``load_money(…, ["theme"])``; themes without money get zeros). Projects
    without a theme get a last row (``theme`` None) when there are any, so the rows add up
    to the selection."""
    by_theme = {r.theme: r for r in money.itertuples(index=False) if isinstance(r.theme, str)}
    no_theme = [r for r in money.itertuples(index=False) if not isinstance(r.theme, str)]
    rows = []
    for code, r in [*((c, by_theme.get(c)) for c in theme_order), *((None, r) for r in no_theme)]:
        granted = int(r.granted_sek) if r is not None else 0
        other = int(r.other_sek) if r is not None else 0
        rows.append(
            {
                "theme": code,
                "projects": int(r.projects) if r is not None else 0,
                "granted_sek": granted,
                "other_sek": other,
                "leverage": other / granted if granted else float("nan"),
                "white_spots": int(white_spots.get(code, 0)) if code is not None else 0,
            }
        )
    return pd.DataFrame(rows, columns=THEME_TABLE_COLUMNS)


def count_white_spots(priorities: pd.DataFrame, coverage: pd.DataFrame) -> dict[str, int]:
    """Per theme, how many of its relevant priorities are white spots.

    ``priorities``: ``priority, themes`` (list); ``coverage``: :func:`compute_coverage` over all priorities.
    """
    white = set(coverage.loc[coverage["state"] == "white", "priority"])
    out: dict[str, int] = {}
    for row in priorities.itertuples(index=False):
        for theme in row.themes:
            out[theme] = out.get(theme, 0) + (1 if row.priority in white else 0)
    return out


# --------------------------------------------------------------------------- indicators

BASELINE_YEAR = 2022
"""The strategy started in 2022: changes are measured from there."""
TREND_YEARS = 5
"""The trend behind the status is the least-squares slope over the last five years with values."""
STATUS_ON_TRACK = "on_track"
STATUS_OFF_TRACK = "off_track"
STATUS_NO_TARGET = "no_target"
STATUS_NO_DATA = "no_data"


def compute_indicator_status(
    series: pd.DataFrame,
    *,
    target_value: float | None,
    target_year: int | None,
    higher_is_better: bool = True,
    baseline_year: int = BASELINE_YEAR,
) -> dict[str, object]:
    """Latest value, change since the baseline and the status of one series.

    ``series``: ``year, value`` (one area, one gender). The status compares the
    recent trend (least-squares slope over the last :data:`TREND_YEARS` years)
    with the yearly change needed to reach the target by the target year:
    on track when the trend, continued, reaches the target (or the target is
    already met); off track otherwise; no target when none is set.
    """
    data = series.dropna(subset=["value"]).sort_values("year")
    out: dict[str, object] = {
        "latest_year": None,
        "latest_value": None,
        "baseline_value": None,
        "change": None,
        "slope": None,
        "required_slope": None,
        "projected": None,
        "status": STATUS_NO_DATA,
    }
    if data.empty:
        return out
    latest = data.iloc[-1]
    out["latest_year"], out["latest_value"] = int(latest["year"]), float(latest["value"])
    base = data[data["year"] == baseline_year]
    if not base.empty:
        out["baseline_value"] = float(base["value"].iloc[0])
        out["change"] = out["latest_value"] - out["baseline_value"]
    recent = data[data["year"] > int(latest["year"]) - TREND_YEARS]
    if len(recent) >= 2:
        x = recent["year"].astype(float)
        y = recent["value"].astype(float)
        xm, ym = x.mean(), y.mean()
        out["slope"] = float(((x - xm) * (y - ym)).sum() / ((x - xm) ** 2).sum())
    if target_value is None or target_year is None:
        out["status"] = STATUS_NO_TARGET
        return out
    sign = 1 if higher_is_better else -1
    gap = (target_value - out["latest_value"]) * sign
    years_left = target_year - out["latest_year"]
    if gap <= 0:
        out["status"] = STATUS_ON_TRACK
        out["required_slope"] = 0.0
        out["projected"] = out["latest_value"]
        return out
    if years_left <= 0 or out["slope"] is None:
        out["status"] = STATUS_OFF_TRACK
        return out
    out["required_slope"] = (target_value - out["latest_value"]) / years_left
    out["projected"] = out["latest_value"] + out["slope"] * years_left
    reached = (out["projected"] - target_value) * sign >= 0
    out["status"] = STATUS_ON_TRACK if reached else STATUS_OFF_TRACK
    return out


def audit_changes(before_json: str | None, after_json: str | None, limit: int = 400) -> str:
    """A readable summary of what an audit event changed: ``field: old → new`` per
    changed field (all fields for a creation, the last values for a deletion)."""
    import json

    before = json.loads(before_json) if isinstance(before_json, str) and before_json else None
    after = json.loads(after_json) if isinstance(after_json, str) and after_json else None

    def show(value: object) -> str:
        if value in (None, "", []):
            return "–"
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
        return text if len(text) <= 80 else text[:79] + "…"

    if before is None and after is None:
        return ""
    if before is None or after is None:
        data = after if after is not None else before
        if not isinstance(data, dict):
            return show(data)
        parts = [f"{k}: {show(v)}" for k, v in data.items() if v not in (None, "", [])]
    else:
        keys = list(dict.fromkeys([*before, *after]))
        parts = [f"{k}: {show(before.get(k))} → {show(after.get(k))}" for k in keys if before.get(k) != after.get(k)]
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


AUDIT_COLUMNS = ("at", "actor", "action", "entity", "entity_key", "changes")


def audit_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The log as display rows: time as text, before/after as a change summary."""
    if frame.empty:
        return pd.DataFrame(columns=[*AUDIT_COLUMNS, "before_json", "after_json"])
    out = frame.copy()
    out["at"] = pd.to_datetime(out["at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    for col in ("before_json", "after_json"):  # pandas reads a missing text as NaN
        out[col] = [v if isinstance(v, str) else None for v in out[col]]
    out["changes"] = [audit_changes(b, a) for b, a in zip(out["before_json"], out["after_json"], strict=True)]
    return out[[*AUDIT_COLUMNS, "before_json", "after_json"]]


def latest_target(targets: pd.DataFrame, indicator: str, area: str) -> dict | None:
    """The last target of ``indicator`` for ``area`` as ``{value, year, illustrative}``
    (rows of :func:`dashboard.queries.indicators.load_targets`), or None."""
    tgt = targets[(targets["indicator"] == indicator) & (targets["area"] == area)]
    if tgt.empty:
        return None
    return {
        "value": float(tgt["value"].iloc[-1]),
        "year": int(tgt["year"].iloc[-1]),
        "illustrative": bool(tgt["illustrative"].iloc[-1]),
    }

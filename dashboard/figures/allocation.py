"""Allocation figures (pure: DataFrame in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import (
    format_mnkr,
    format_mnkr_units,
    format_number,
    format_percent_units,
    format_sek,
    largest_remainder,
    mnkr_part_units,
    mnkr_parts,
    mnkr_units,
    percent_part_units,
    percent_parts,
    t,
)
from .theme import (
    FADED_OPACITY,
    MNKR,
    NEUTRAL,
    PALETTE,
    click_payload,
    empty_figure,
    make_figure,
    money_axis_suffix,
    wrap_label,
)


def _goal_keys(df: pd.DataFrame) -> list[str]:
    return [g if isinstance(g, str) else "" for g in df["goal"]]


def _goal_names(keys: list[str], labels: dict[str, str], lang: str) -> list[str]:
    return [labels.get(k, t("goal.none", lang)) if k else t("goal.none", lang) for k in keys]


def _opacity(keys: list[str], selected: tuple[str, ...]) -> list[float]:
    return [1.0 if not selected or k in selected else FADED_OPACITY for k in keys]


def goal_label_units(table: pd.DataFrame) -> dict[object, int]:
    """Goal (None: no goal) → its label in the goal chart, in tenths of millions: the
    rows with money apportioned so that they add up to the label of their total."""
    shown = table[table["granted_sek"] > 0]
    keys = [g if isinstance(g, str) else None for g in shown["goal"]]
    return dict(zip(keys, mnkr_part_units([int(v) for v in shown["granted_sek"]]), strict=True))


def goal_labels_of(table: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """(money labels, percent labels) of the rows of a goal table, apportioned so that they
    add up to the total's label and to 100 % (the donut, the bars, the table and the summary
    show the same numbers)."""
    amounts = [int(v) for v in table["granted_sek"]]
    return mnkr_parts(amounts, lang), percent_parts(amounts, lang)


def build_goal_donut(
    table: pd.DataFrame,
    *,
    labels: dict[str, str],
    colors: dict[str, str],
    lang: str = "sv",
    selected: tuple[str, ...] = (),
    text_size: int = 14,
) -> go.Figure:
    """Donut of 1:1 granted per goal with the total in the middle (``text_size``: the type the
    labels are set in; the total and its caption follow it).

    ``table`` is :func:`dashboard.transforms.compute_goal_allocation` output;
    goals with nothing granted are left out; the no-goal row is grey;
    ``selected`` goals are highlighted (the others faded).
    """
    df = table[table["granted_sek"] > 0]
    if df.empty:
        return empty_figure(t("overview.empty", lang), lang)
    keys = _goal_keys(df)
    total = int(df["granted_sek"].sum())
    money, shares = goal_labels_of(df, lang)
    custom = [
        [*click_payload("goal", k or None), m, format_sek(v, lang), s, int(p)]
        for v, m, s, p, k in zip(df["granted_sek"], money, shares, df["projects"], keys, strict=True)
    ]
    marker_colors = [colors.get(k, NEUTRAL) for k in keys]
    if selected:
        marker_colors = [colors.get(k, NEUTRAL) if k in selected else "rgba(200,200,200,0.6)" for k in keys]
    pie = {
        "type": "pie",
        "labels": _goal_names(keys, labels, lang),
        "values": df["granted_sek"].tolist(),
        "customdata": custom,
        "hole": 0.58,
        "sort": False,
        "direction": "clockwise",
        "marker": {"colors": marker_colors, "line": {"color": "#fff", "width": 2}},
        "pull": [0.06 if selected and k in selected else 0 for k in keys],
        "opacity": 1.0,
        "texttemplate": "%{customdata[2]}",
        "textposition": "outside",
        "automargin": True,  # outside labels push the margins instead of being cut off
        # plotly.js 4 does not index a pie's customdata in hover texts ("– (-) Projekt: -"): written out
        "hovertext": [f"{c[3]} ({c[4]})<br>{t('col.projects', lang)}: {format_number(c[5], lang)}" for c in custom],
        "hovertemplate": "<b>%{label}</b><br>%{hovertext}<extra></extra>",
    }
    centre = {
        "text": f"<b>{format_mnkr(total, lang)}</b><br>"
        f"<span style='font-size:{round(text_size * 0.93)}px'>{t('overview.donut.center', lang)}</span>",
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": round(text_size * 1.7)},
    }
    # the legend under the ring: beside it, it covered the labels of the small slices at 1280 px
    layout = {
        "annotations": [centre],
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.06, "yanchor": "top"},
        "margin": {"l": 20, "r": 20, "t": 20, "b": 10},
        "uniformtext": {"minsize": 11, "mode": "hide"},
    }
    return make_figure([pie], lang, height=420, layout=layout)


def build_goal_bars(
    table: pd.DataFrame,
    *,
    labels: dict[str, str],
    colors: dict[str, str],
    lang: str = "sv",
    selected: tuple[str, ...] = (),
) -> go.Figure:
    """Horizontal bars of 1:1 granted per goal, largest on top (labels add up to the total)."""
    shown = table[table["granted_sek"] > 0]
    money, shares = goal_labels_of(shown, lang)
    df = shown.assign(money_label=money, share_label=shares).sort_values("granted_sek", ascending=True, kind="stable")
    if df.empty:
        return empty_figure(t("overview.empty", lang), lang)
    keys = _goal_keys(df)
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": _goal_names(keys, labels, lang),
        "x": df["granted_sek"].tolist(),
        "customdata": [
            [*click_payload("goal", k or None), m, s, int(p)]
            for k, m, s, p in zip(keys, df["money_label"], df["share_label"], df["projects"], strict=True)
        ],
        "marker": {"color": [colors.get(k, NEUTRAL) for k in keys], "opacity": _opacity(keys, selected)},
        "texttemplate": "%{customdata[2]} (%{customdata[3]})",
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "<b>%{y}</b><br>%{customdata[2]} (%{customdata[3]})<br>"
        + t("col.projects", lang)
        + ": %{customdata[4]}<extra></extra>",
    }
    layout = {
        "xaxis": {
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
            "range": [0, df["granted_sek"].max() * 1.35],
        },
        "yaxis": {"automargin": True, "ticksuffix": "  "},
        "showlegend": False,
        "margin": {"l": 10, "r": 20, "t": 10, "b": 10},
    }
    return make_figure([bars], lang, height=420, layout=layout)


def year_goal_units(
    df: pd.DataFrame, goal_order: list[str], total_units: int | None = None
) -> tuple[list, list[str], dict, dict, dict]:
    """The labels of the years chart in tenths of millions: ``(years, goal keys, (year, goal
    key) → kronor, year → units, (year, goal key) → units)``. The years add up to the total's label (the KPI above the
    chart; ``total_units`` when it is not the rounded total) and each year's goals to the
    year's label; ``None`` is the year of projects without a decision year, ``""`` the
    goal key of money tied to no goal."""
    data = df[df["granted_sek"] > 0]
    years = sorted(int(y) for y in data["year"].dropna().unique())
    if data["year"].isna().any():
        years.append(None)
    keys = [g for g in goal_order if g in set(data["goal"].dropna())]
    if data["goal"].isna().any():
        keys.append("")
    cell: dict[tuple, int] = {}
    for y, g, v in zip(data["year"].tolist(), data["goal"].tolist(), data["granted_sek"].tolist(), strict=True):
        k = (None if pd.isna(y) else int(y), g if isinstance(g, str) else "")
        cell[k] = cell.get(k, 0) + int(v)
    per_year = [sum(cell.get((y, g), 0) for g in keys) for y in years]
    year_units = dict(zip(years, mnkr_part_units(per_year, total_units=total_units), strict=True))
    units: dict[tuple, int] = {}
    for y in years:
        parts = mnkr_part_units([cell.get((y, g), 0) for g in keys], total_units=year_units[y])
        units |= {(y, g): u for g, u in zip(keys, parts, strict=True)}
    return years, keys, cell, year_units, units


def build_year_stacked(
    df: pd.DataFrame,
    *,
    labels: dict[str, str],
    colors: dict[str, str],
    goal_order: list[str],
    lang: str = "sv",
    share: bool = False,
    total_units: int | None = None,
) -> go.Figure:
    """1:1 granted per goal over the years as stacked bars (``share``: each year = 100 %).

    ``df``: ``year, goal, granted_sek`` (from ``load_year_goal_allocation``). Hover labels
    add up: a year's goals to the year's total, the years to the selection's total
    (projects without a decision year get a bar of their own)."""
    data = df[df["granted_sek"] > 0]
    if data.empty:
        return empty_figure(t("overview.empty", lang), lang)
    years, keys, cell, year_units, units = year_goal_units(data, goal_order, total_units)
    x = [str(y) if y is not None else t("year.none", lang) for y in years]
    shares = {y: dict(zip(keys, percent_part_units([cell.get((y, g), 0) for g in keys]), strict=True)) for y in years}
    per_year = {y: sum(cell.get((y, g), 0) for g in keys) for y in years}
    traces = []
    for i, key in enumerate(keys):
        values = [cell.get((y, key), 0) for y in years]
        shown = (
            [v / per_year[y] if per_year[y] else 0 for y, v in zip(years, values, strict=True)]
            if share
            else [v / MNKR for v in values]
        )
        name = labels.get(key, t("goal.none", lang)) if key else t("goal.none", lang)
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": [float(v) for v in shown],
                "name": name,
                "marker": {"color": colors.get(key, PALETTE[i % len(PALETTE)] if key else NEUTRAL)},
                "customdata": [
                    [
                        *(click_payload("year", y) if y is not None else ["", None]),
                        format_mnkr_units(units[(y, key)], lang),
                        format_percent_units(shares[y][key], lang),
                        key,
                        format_mnkr_units(year_units[y], lang),
                    ]
                    for y in years
                ],
                "hovertemplate": "<b>"
                + name
                + "</b> %{x}<br>%{customdata[2]} (%{customdata[3]})<br>"
                + t("chart.total_of", lang, label="%{x}", value="%{customdata[5]}")
                + "<extra></extra>",
            }
        )
    layout = {
        "barmode": "stack",
        "legend": {"orientation": "h", "y": -0.15, "x": 0},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "hovermode": "closest",
        "yaxis": {
            "tickformat": ".0%" if share else ",~f",
            "ticksuffix": "" if share else money_axis_suffix(lang),
            "automargin": True,
            "gridcolor": "#e5e8eb",
        },
        "xaxis": {"type": "category", "automargin": True},
    }
    return make_figure(traces, lang, height=380, layout=layout)


def hierarchy_units(
    df: pd.DataFrame, goal_order: list[str] | None = None, goal_units: dict | None = None
) -> dict[tuple, tuple[int, int]]:
    """The sunburst's labels as (tenths of millions, tenths of a percent) per node:
    ``("d", direction)``, ``("g", direction, goal)``, ``("t", direction, goal, theme)``.
    The goals are apportioned to the total as in the goal chart (in ``goal_order``), a
    direction is the sum of its goals' labels, and a goal's themes add up to the goal's.
    ``goal_units``: the goals' labels when the goal chart shows them otherwise (chosen goals
    highlighted among all)."""
    data = df[df["granted_sek"] > 0]
    rank = {g: i for i, g in enumerate(goal_order or [])}
    goal_totals = data.groupby("goal", sort=False)["granted_sek"].sum()
    seen = list(goal_totals.index)
    goals = sorted(seen, key=lambda g: (rank.get(g, len(rank)), seen.index(g)))
    amounts = [int(goal_totals[g]) for g in goals]
    whole = sum(amounts)
    g_money = dict(zip(goals, mnkr_part_units(amounts), strict=True))
    if goal_units:
        g_money |= {g: goal_units[g] for g in goals if g in goal_units}
    g_share = dict(zip(goals, percent_part_units(amounts), strict=True))
    out: dict[tuple, tuple[int, int]] = {}
    for d, d_rows in data.groupby("direction", sort=False, dropna=False):
        d_goals = list(dict.fromkeys(d_rows["goal"]))
        out[("d", d)] = (sum(g_money[g] for g in d_goals), sum(g_share[g] for g in d_goals))
        for g in d_goals:
            g_rows = d_rows[d_rows["goal"] == g]
            out[("g", d, g)] = (g_money[g], g_share[g])
            theme_amounts = [int(v) for v in g_rows["granted_sek"]]
            t_money = mnkr_part_units(theme_amounts, total_units=g_money[g])
            t_share = largest_remainder([v * 1000 for v in theme_amounts], whole, total=g_share[g])
            for theme, money, share in zip(g_rows["theme"], t_money, t_share, strict=True):
                out[("t", d, g, theme)] = (money, share)
    return out


def build_hierarchy(
    df: pd.DataFrame,
    *,
    colors: dict[str, str] | None = None,
    lang: str = "sv",
    goal_order: list[str] | None = None,
    goal_units: dict | None = None,
) -> go.Figure:
    """Sunburst direction → goal → theme of 1:1 granted.

    ``df``: ``direction, direction_label, goal, goal_label, theme, theme_label, granted_sek``.
    Every node's value is the sum of its children (``branchvalues='total'``), and so is
    every label (see :func:`hierarchy_units`).
    """
    data = df[df["granted_sek"] > 0]
    if data.empty:
        return empty_figure(t("overview.empty", lang), lang)
    colors = colors or {}
    units = hierarchy_units(data, goal_order, goal_units)
    ids, parents, names, values, custom, node_colors = [], [], [], [], [], []

    def node(node_id: str, parent: str, name: str, value: int, payload: list, key: tuple, color: str) -> None:
        money, share = units[key]
        ids.append(node_id), parents.append(parent), names.append(name), values.append(value)
        custom.append([*payload, format_mnkr_units(money, lang), format_percent_units(share, lang)])
        node_colors.append(color)

    for (d, d_label), d_rows in data.groupby(["direction", "direction_label"], sort=False, dropna=False):
        d_id = f"d/{d}"
        node(d_id, "", d_label, int(d_rows["granted_sek"].sum()), click_payload("direction", d), ("d", d), "#5A6B7B")
        for (g, g_label), g_rows in d_rows.groupby(["goal", "goal_label"], sort=False, dropna=False):
            g_id = f"{d_id}/g/{g}"
            total = int(g_rows["granted_sek"].sum())
            node(g_id, d_id, g_label, total, click_payload("goal", g), ("g", d, g), colors.get(g, NEUTRAL))
            for row in g_rows.itertuples(index=False):
                node(
                    f"{g_id}/t/{row.theme}",
                    g_id,
                    row.theme_label,
                    int(row.granted_sek),
                    click_payload("theme", row.theme),
                    ("t", d, g, row.theme),
                    _lighten(colors.get(g, NEUTRAL)),
                )
    sunburst = {
        "type": "sunburst",
        "ids": ids,
        "parents": parents,
        "labels": names,
        "values": values,
        "branchvalues": "total",
        "customdata": custom,
        # the inner rings' long names broken into lines, so they fit and are shown
        "text": [wrap_label(n, 12) for n in names],
        "texttemplate": "%{text}",
        "insidetextorientation": "auto",
        "hovertemplate": "<b>%{label}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>",
        "marker": {"colors": node_colors, "line": {"color": "#fff", "width": 1}},
        "maxdepth": 3,
    }
    layout = {"margin": {"l": 5, "r": 5, "t": 5, "b": 5}, "uniformtext": {"minsize": 10, "mode": "hide"}}
    return make_figure([sunburst], lang, height=460, layout=layout)


def frame_units(df: pd.DataFrame) -> tuple[list[int], list[int]]:
    """(decided, remaining) labels of a frame table's rows in tenths of millions.

    With a total row (goal None), the goals' decided labels are apportioned to the total's
    (money decided without a frame row of its own counts as one more, unshown, part);
    on every row decided + remaining = the frame's label."""
    decided = [int(v) for v in df["decided_sek"]]
    is_total = [not isinstance(g, str) for g in df["goal"]]
    units = [mnkr_units(v) for v in decided]
    if any(is_total):
        whole = decided[is_total.index(True)]
        goals = [i for i, total in enumerate(is_total) if not total]
        rest = whole - sum(decided[i] for i in goals)
        parts = mnkr_part_units([*(decided[i] for i in goals), rest], total_units=mnkr_units(whole))
        for i, u in zip(goals, parts, strict=False):
            units[i] = u
    remaining = [mnkr_units(int(f)) - u for f, u in zip(df["frame_sek"], units, strict=True)]
    return units, remaining


def build_frame_chart(df: pd.DataFrame, *, lang: str = "sv") -> go.Figure:
    """The board's frame against decided 1:1 money, per goal (and in all).

    ``df``: ``label, frame_sek, decided_sek, remaining_sek`` — one row per goal
    with a frame, plus a total row first.
    """
    if df.empty:
        return empty_figure(t("frame.none", lang), lang)
    decided_units, remaining_units = frame_units(df)
    data = df.assign(decided_units=decided_units, remaining_units=remaining_units).iloc[::-1]
    over = data["remaining_sek"] < 0
    labels = data["label"].tolist()
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": (data["decided_sek"] / MNKR).tolist(),
            "name": t("frame.decided", lang),
            "marker": {"color": "#1F4E79"},
            "customdata": [[format_mnkr_units(u, lang)] for u in data["decided_units"]],
            "texttemplate": "%{customdata[0]}",
            "textposition": "inside",
            "insidetextanchor": "start",
            "hovertemplate": "%{y}<br>" + t("frame.decided", lang) + ": %{customdata[0]}<extra></extra>",
        },
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": (data["remaining_sek"].clip(lower=0) / MNKR).tolist(),
            "name": t("frame.remaining", lang),
            "marker": {"color": "#CFE0F0", "line": {"color": "#1F4E79", "width": 1}},
            "customdata": [
                [format_mnkr_units(r, lang), format_mnkr(f, lang)]
                for r, f in zip(data["remaining_units"], data["frame_sek"], strict=True)
            ],
            "texttemplate": "%{customdata[0]}",
            "textposition": "inside",
            "hovertemplate": "%{y}<br>"
            + t("frame.remaining", lang)
            + ": %{customdata[0]}<br>"
            + t("frame.frame", lang)
            + ": %{customdata[1]}<extra></extra>",
        },
    ]
    if over.any():
        traces.append(
            {
                "type": "scatter",
                "x": (data.loc[over, "frame_sek"] / MNKR).tolist(),
                "y": data.loc[over, "label"].tolist(),
                "mode": "markers",
                "name": t("frame.over", lang),
                "marker": {"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": "#D55E00"}},
                "hovertemplate": "%{y}<br>" + t("frame.frame", lang) + "<extra></extra>",
            }
        )
    layout = {
        "barmode": "stack",
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "uniformtext": {"minsize": 11, "mode": "hide"},
        "xaxis": {
            "tickformat": ",~f",
            "ticksuffix": money_axis_suffix(lang),
            "gridcolor": "#e5e8eb",
            "automargin": True,
        },
        "yaxis": {"automargin": True, "ticksuffix": "  "},
    }
    return make_figure(traces, lang, height=max(220, 50 * len(data) + 80), layout=layout)


def _lighten(hex_color: str, amount: float = 0.45) -> str:
    """Mix a colour with white (theme rings are lighter than their goal)."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02X}" for c in mix)

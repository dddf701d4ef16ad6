"""Allocation figures (pure: DataFrame in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import format_mnkr, format_percent, format_sek, t
from .theme import FADED_OPACITY, MNKR, NEUTRAL, PALETTE, click_payload, empty_figure, make_figure, money_axis_suffix


def _goal_keys(df: pd.DataFrame) -> list[str]:
    return [g if isinstance(g, str) else "" for g in df["goal"]]


def _goal_names(keys: list[str], labels: dict[str, str], lang: str) -> list[str]:
    return [labels.get(k, t("goal.none", lang)) if k else t("goal.none", lang) for k in keys]


def _opacity(keys: list[str], selected: tuple[str, ...]) -> list[float]:
    return [1.0 if not selected or k in selected else FADED_OPACITY for k in keys]


def build_goal_donut(
    table: pd.DataFrame,
    *,
    labels: dict[str, str],
    colors: dict[str, str],
    lang: str = "sv",
    selected: tuple[str, ...] = (),
) -> go.Figure:
    """Donut of 1:1 granted per goal with the total in the middle.

    ``table`` is :func:`dashboard.transforms.compute_goal_allocation` output;
    goals with nothing granted are left out; the no-goal row is grey;
    ``selected`` goals are highlighted (the others faded).
    """
    df = table[table["granted_sek"] > 0]
    if df.empty:
        return empty_figure(t("overview.empty", lang), lang)
    keys = _goal_keys(df)
    total = int(df["granted_sek"].sum())
    custom = [
        [*click_payload("goal", k or None), format_mnkr(v, lang), format_sek(v, lang), format_percent(s, lang), int(p)]
        for v, s, p, k in zip(df["granted_sek"], df["share"], df["projects"], keys, strict=True)
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
        "hovertemplate": "<b>%{label}</b><br>%{customdata[3]} (%{customdata[4]})<br>"
        + t("col.projects", lang)
        + ": %{customdata[5]}<extra></extra>",
    }
    centre = {
        "text": f"<b>{format_mnkr(total, lang)}</b><br><span style='font-size:13px'>{t('overview.donut.center', lang)}</span>",
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": 24},
    }
    layout = {
        "annotations": [centre],
        "showlegend": True,
        "legend": {"orientation": "v", "x": 1.02, "y": 0.5, "yanchor": "middle"},
        "margin": {"l": 30, "r": 30, "t": 30, "b": 30},
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
    """Horizontal bars of 1:1 granted per goal, largest on top."""
    df = table[table["granted_sek"] > 0].sort_values("granted_sek", ascending=True, kind="stable")
    if df.empty:
        return empty_figure(t("overview.empty", lang), lang)
    keys = _goal_keys(df)
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": _goal_names(keys, labels, lang),
        "x": df["granted_sek"].tolist(),
        "customdata": [
            [*click_payload("goal", k or None), format_mnkr(v, lang), format_percent(s, lang), int(p)]
            for k, v, s, p in zip(keys, df["granted_sek"], df["share"], df["projects"], strict=True)
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


def build_year_stacked(
    df: pd.DataFrame,
    *,
    labels: dict[str, str],
    colors: dict[str, str],
    goal_order: list[str],
    lang: str = "sv",
    share: bool = False,
) -> go.Figure:
    """1:1 granted per goal over the years as stacked bars (``share``: each year = 100 %).

    ``df``: ``year, goal, granted_sek`` (from ``load_year_goal_allocation``).
    """
    data = df[(df["granted_sek"] > 0) & df["year"].notna()]
    if data.empty:
        return empty_figure(t("overview.empty", lang), lang)
    years = sorted(int(y) for y in data["year"].unique())
    per_year = data.groupby("year")["granted_sek"].sum()
    traces = []
    keys = [g for g in goal_order if g in set(data["goal"].dropna())]
    if data["goal"].isna().any():
        keys.append("")
    for i, key in enumerate(keys):
        rows = data[data["goal"].isna()] if key == "" else data[data["goal"] == key]
        values = rows.groupby("year")["granted_sek"].sum().reindex(years, fill_value=0)
        shown = (
            [v / per_year[y] if per_year[y] else 0 for y, v in values.items()] if share else [v / MNKR for v in values]
        )
        name = labels.get(key, t("goal.none", lang)) if key else t("goal.none", lang)
        traces.append(
            {
                "type": "bar",
                "x": [str(y) for y in years],
                "y": [float(v) for v in shown],
                "name": name,
                "marker": {"color": colors.get(key, PALETTE[i % len(PALETTE)] if key else NEUTRAL)},
                "customdata": [
                    [
                        *click_payload("year", y),
                        format_mnkr(v, lang),
                        format_percent(v / per_year[y] if per_year[y] else 0, lang),
                        key,
                    ]
                    for y, v in values.items()
                ],
                "hovertemplate": "<b>" + name + "</b> %{x}<br>%{customdata[2]} (%{customdata[3]})<extra></extra>",
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


def build_hierarchy(df: pd.DataFrame, *, colors: dict[str, str] | None = None, lang: str = "sv") -> go.Figure:
    """Sunburst direction → goal → theme of 1:1 granted.

    ``df``: ``direction, direction_label, goal, goal_label, theme, theme_label, granted_sek``.
    Every node's value is the sum of its children (``branchvalues='total'``).
    """
    data = df[df["granted_sek"] > 0]
    if data.empty:
        return empty_figure(t("overview.empty", lang), lang)
    colors = colors or {}
    ids, parents, names, values, custom, node_colors = [], [], [], [], [], []
    for (d, d_label), d_rows in data.groupby(["direction", "direction_label"], sort=False, dropna=False):
        d_id = f"d/{d}"
        ids.append(d_id), parents.append(""), names.append(d_label), values.append(int(d_rows["granted_sek"].sum()))
        custom.append([*click_payload("direction", d), format_mnkr(values[-1], lang)])
        node_colors.append("#5A6B7B")
        for (g, g_label), g_rows in d_rows.groupby(["goal", "goal_label"], sort=False, dropna=False):
            g_id = f"{d_id}/g/{g}"
            (
                ids.append(g_id),
                parents.append(d_id),
                names.append(g_label),
                values.append(int(g_rows["granted_sek"].sum())),
            )
            custom.append([*click_payload("goal", g), format_mnkr(values[-1], lang)])
            node_colors.append(colors.get(g, NEUTRAL))
            for row in g_rows.itertuples(index=False):
                ids.append(f"{g_id}/t/{row.theme}")
                parents.append(g_id)
                names.append(row.theme_label)
                values.append(int(row.granted_sek))
                custom.append([*click_payload("theme", row.theme), format_mnkr(int(row.granted_sek), lang)])
                node_colors.append(_lighten(colors.get(g, NEUTRAL)))
    sunburst = {
        "type": "sunburst",
        "ids": ids,
        "parents": parents,
        "labels": names,
        "values": values,
        "branchvalues": "total",
        "customdata": custom,
        "insidetextorientation": "radial",
        "hovertemplate": "<b>%{label}</b><br>%{customdata[2]}<br>%{percentRoot:.1%}<extra></extra>",
        "marker": {"colors": node_colors, "line": {"color": "#fff", "width": 1}},
        "maxdepth": 3,
    }
    layout = {"margin": {"l": 5, "r": 5, "t": 5, "b": 5}, "uniformtext": {"minsize": 10, "mode": "hide"}}
    return make_figure([sunburst], lang, height=460, layout=layout)


def build_frame_chart(df: pd.DataFrame, *, lang: str = "sv") -> go.Figure:
    """The board's frame against decided 1:1 money, per goal (and in all).

    ``df``: ``label, frame_sek, decided_sek, remaining_sek`` — one row per goal
    with a frame, plus a total row first.
    """
    if df.empty:
        return empty_figure(t("frame.none", lang), lang)
    data = df.iloc[::-1]
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
            "customdata": [[format_mnkr(v, lang)] for v in data["decided_sek"]],
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
                [format_mnkr(r, lang), format_mnkr(f, lang)]
                for r, f in zip(data["remaining_sek"], data["frame_sek"], strict=True)
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

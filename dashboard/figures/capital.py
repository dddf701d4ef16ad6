"""Development-capital figures (pure: DataFrame in, Figure out)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ..i18n import format_leverage, format_mnkr, source_label, t
from ..models import GRANT_SOURCE
from .theme import (
    FADED_OPACITY,
    MNKR,
    NEUTRAL,
    PALETTE,
    SOURCE_COLORS,
    click_payload,
    empty_figure,
    make_figure,
    money_axis_suffix,
    vline_parts,
)


def build_source_stacked(
    df: pd.DataFrame,
    *,
    dim: str,
    order: list[object],
    labels: dict[object, str],
    lang: str = "sv",
    selected_sources: tuple[str, ...] = (),
) -> go.Figure:
    """Other capital by source, stacked, per ``dim`` (goal, theme or year).

    ``df``: ``<dim>, source, other_sek`` (the 1:1 source is left out).
    Each bar segment carries [source, code] and [dim, key] for click-to-filter.
    """
    data = df[(df["source"] != GRANT_SOURCE) & (df["other_sek"] > 0)]
    if data.empty:
        return empty_figure(t("capital.empty", lang), lang)
    keys = [k for k in order if k in set(data[dim])]
    if data[dim].isna().any():
        keys.append(None)
    names = [labels.get(k, t("goal.none", lang)) if k is not None else t("goal.none", lang) for k in keys]
    sources = [s for s in SOURCE_COLORS if s in set(data["source"])]
    traces = []
    for source in sources:
        rows = data[data["source"] == source]
        by_key = {
            (None if pd.isna(k) else k): int(v) for k, v in rows.groupby(dim, dropna=False)["other_sek"].sum().items()
        }
        values = [by_key.get(k, 0) for k in keys]
        traces.append(
            {
                "type": "bar",
                "x": [str(n) for n in names],
                "y": [v / MNKR for v in values],
                "name": source_label(source, lang),
                "marker": {
                    "color": SOURCE_COLORS[source],
                    "opacity": 1.0 if not selected_sources or source in selected_sources else FADED_OPACITY,
                },
                "customdata": [
                    [*click_payload("source", source), dim, k, format_mnkr(v, lang)]
                    for k, v in zip(keys, values, strict=True)
                ],
                "hovertemplate": "<b>%{x}</b><br>" + source_label(source, lang) + ": %{customdata[4]}<extra></extra>",
            }
        )
    layout = {
        "barmode": "stack",
        "legend": {"orientation": "h", "y": -0.2, "x": 0},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "yaxis": {
            "tickformat": ",~f",
            "ticksuffix": money_axis_suffix(lang),
            "gridcolor": "#e5e8eb",
            "automargin": True,
        },
        "xaxis": {"type": "category", "automargin": True, "tickangle": 0 if dim == "year" else -20},
    }
    return make_figure(traces, lang, height=420, layout=layout)


def build_leverage_bars(
    table: pd.DataFrame, *, labels: dict[str, str], colors: dict[str, str], overall: float, lang: str = "sv"
) -> go.Figure:
    """Leverage per goal as bars with the overall level as a reference line.

    ``table``: ``goal, granted_sek, other_sek, leverage`` (goals without 1:1 money are left out).
    """
    df = table[table["granted_sek"] > 0]
    if df.empty:
        return empty_figure(t("capital.empty", lang), lang)
    df = df.sort_values("leverage", ascending=True, kind="stable")
    keys = [g if isinstance(g, str) else "" for g in df["goal"]]
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": [labels.get(k, t("goal.none", lang)) if k else t("goal.none", lang) for k in keys],
        "x": df["leverage"].tolist(),
        "marker": {"color": [colors.get(k, NEUTRAL) for k in keys]},
        "customdata": [
            [
                *click_payload("goal", k or None),
                format_leverage(lev, lang),
                format_mnkr(o, lang),
                format_mnkr(g, lang),
            ]
            for k, lev, o, g in zip(keys, df["leverage"], df["other_sek"], df["granted_sek"], strict=True)
        ],
        "texttemplate": "%{customdata[2]}",
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "<b>%{y}</b><br>%{customdata[2]}<br>"
        + t("col.other", lang)
        + ": %{customdata[3]}<br>"
        + t("col.granted", lang)
        + ": %{customdata[4]}<extra></extra>",
    }
    layout: dict = {
        "xaxis": {
            "range": [0, max(df["leverage"].max(), overall or 0) * 1.3],
            "gridcolor": "#e5e8eb",
            "automargin": True,
        },
        "yaxis": {"automargin": True, "ticksuffix": "  "},
        "showlegend": False,
        "margin": {"l": 10, "r": 20, "t": 30, "b": 10},
    }
    if overall and not math.isnan(overall):
        shape, notes = vline_parts(
            overall,
            {"color": "#D55E00", "dash": "dash", "width": 2},
            text=t("capital.overall", lang, value=format_leverage(overall, lang)),
            font={"color": "#A04000"},
        )
        layout |= {"shapes": [shape], "annotations": notes}
    return make_figure([bars], lang, height=380, layout=layout)


def build_sankey(
    df: pd.DataFrame, *, labels: dict[str, str], goal_order: list[str], colors: dict[str, str], lang: str = "sv"
) -> go.Figure:
    """Money flowing from funding sources (1:1 included) to goals.

    ``df``: ``source, goal, amount_sek``.
    """
    data = df[df["amount_sek"] > 0]
    if data.empty:
        return empty_figure(t("capital.empty", lang), lang)
    sources = [s for s in SOURCE_COLORS if s in set(data["source"])]
    goals = [g for g in goal_order if g in set(data["goal"].dropna())]
    if data["goal"].isna().any():
        goals.append(None)
    node_labels = [source_label(s, lang) for s in sources] + [
        labels.get(g, t("goal.none", lang)) if g else t("goal.none", lang) for g in goals
    ]
    node_colors = [SOURCE_COLORS[s] for s in sources] + [colors.get(g, NEUTRAL) if g else NEUTRAL for g in goals]
    src_index = {s: i for i, s in enumerate(sources)}
    goal_index = {g: len(sources) + i for i, g in enumerate(goals)}
    link_source, link_target, link_value, link_color, link_custom = [], [], [], [], []
    for row in data.itertuples(index=False):
        goal = None if pd.isna(row.goal) else row.goal
        link_source.append(src_index[row.source])
        link_target.append(goal_index[goal])
        link_value.append(int(row.amount_sek))
        link_color.append(_rgba(SOURCE_COLORS[row.source], 0.45))
        link_custom.append(format_mnkr(int(row.amount_sek), lang))
    node_totals = [0] * len(node_labels)
    for s, tg, v in zip(link_source, link_target, link_value, strict=True):
        node_totals[s] += v
        node_totals[tg] += v
    sankey = {
        "type": "sankey",
        "arrangement": "snap",
        "node": {
            "label": node_labels,
            "color": node_colors,
            "pad": 14,
            "thickness": 16,
            "customdata": [format_mnkr(v, lang) for v in node_totals],
            "hovertemplate": "<b>%{label}</b><br>%{customdata}<extra></extra>",
        },
        "link": {
            "source": link_source,
            "target": link_target,
            "value": link_value,
            "color": link_color,
            "customdata": link_custom,
            "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>",
        },
    }
    return make_figure([sankey], lang, height=480, layout={"margin": {"l": 10, "r": 10, "t": 10, "b": 10}})


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


__all__ = ["PALETTE", "build_leverage_bars", "build_sankey", "build_source_stacked"]

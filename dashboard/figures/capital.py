"""Development-capital figures (pure: DataFrame in, Figure out)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ..i18n import format_leverage, format_mnkr_units, mnkr_part_units, source_label, t
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


def none_label(dim: str, lang: str) -> str:
    """The name of the row of money with no goal, theme or decision year."""
    return t({"goal": "goal.none", "theme": "theme.none", "year": "year.none"}.get(dim, "goal.none"), lang)


def source_stack_units(df: pd.DataFrame, dim: str, order: list[object]) -> tuple[list, list[str], dict, dict]:
    """The labels of the stacked source chart in tenths of millions: ``(keys, sources,
    key → units, (key, source) → units)``. The bars (keys of ``dim`` in ``order``, then
    None) add up to the label of all other capital (the KPI), and a bar's sources to the bar's label."""
    data = df[(df["source"] != GRANT_SOURCE) & (df["other_sek"] > 0)]
    present = {None if pd.isna(k) else k for k in data[dim]}
    keys = [k for k in order if k in present]
    if None in present:
        keys.append(None)
    sources = [s for s in SOURCE_COLORS if s in set(data["source"])]
    cell: dict[tuple, int] = {}
    for k, src, v in zip(data[dim].tolist(), data["source"].tolist(), data["other_sek"].tolist(), strict=True):
        key = (None if pd.isna(k) else k, src)
        cell[key] = cell.get(key, 0) + int(v)
    bar_units = dict(zip(keys, mnkr_part_units([sum(cell.get((k, s), 0) for s in sources) for k in keys]), strict=True))
    units: dict[tuple, int] = {}
    for k in keys:
        parts = mnkr_part_units([cell.get((k, s), 0) for s in sources], total_units=bar_units[k])
        units |= {(k, s): u for s, u in zip(sources, parts, strict=True)}
    return keys, sources, bar_units, units


def build_source_stacked(
    df: pd.DataFrame,
    *,
    dim: str,
    order: list[object],
    labels: dict[object, str],
    lang: str = "sv",
    selected_sources: tuple[str, ...] = (),
    horizontal: bool = False,
) -> go.Figure:
    """Other capital by source, stacked, per ``dim`` (goal, theme or year); ``horizontal``: the
    keys down the side (long names in large type, as on a slide).

    ``df``: ``<dim>, source, other_sek`` (the 1:1 source is left out).
    Each bar segment carries [source, code] and [dim, key] for click-to-filter, its
    label and the bar's total (labels that add up: see :func:`source_stack_units`).
    """
    data = df[(df["source"] != GRANT_SOURCE) & (df["other_sek"] > 0)]
    if data.empty:
        return empty_figure(t("capital.empty", lang), lang)
    keys, sources, bar_units, units = source_stack_units(data, dim, order)
    names = [labels.get(k, none_label(dim, lang)) if k is not None else none_label(dim, lang) for k in keys]
    traces = []
    for source in sources:
        rows = data[data["source"] == source]
        by_key = {
            (None if pd.isna(k) else k): int(v) for k, v in rows.groupby(dim, dropna=False)["other_sek"].sum().items()
        }
        values = [by_key.get(k, 0) for k in keys]
        keys_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
        traces.append(
            {
                "type": "bar",
                "orientation": "h" if horizontal else "v",
                keys_axis: [str(n) for n in names],
                value_axis: [v / MNKR for v in values],
                "name": source_label(source, lang),
                "marker": {
                    "color": SOURCE_COLORS[source],
                    "opacity": 1.0 if not selected_sources or source in selected_sources else FADED_OPACITY,
                },
                "customdata": [
                    [
                        *click_payload("source", source),
                        dim,
                        k,
                        format_mnkr_units(units[(k, source)], lang),
                        format_mnkr_units(bar_units[k], lang),
                    ]
                    for k in keys
                ],
                "hovertemplate": f"<b>%{{{keys_axis}}}</b><br>"
                + source_label(source, lang)
                + ": %{customdata[4]}<br>"
                + t("chart.total_of", lang, label=f"%{{{keys_axis}}}", value="%{customdata[5]}")
                + "<extra></extra>",
            }
        )
    money_axis = {
        "tickformat": ",~f",
        "ticksuffix": money_axis_suffix(lang),
        "gridcolor": "#e5e8eb",
        "automargin": True,
    }
    key_axis = {"type": "category", "automargin": True, "tickangle": 0 if dim == "year" or horizontal else -20}
    if horizontal:
        key_axis["autorange"] = "reversed"  # the first key on top
    layout = {
        "barmode": "stack",
        "legend": {"orientation": "h", "y": -0.2, "x": 0},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "yaxis": key_axis if horizontal else money_axis,
        "xaxis": money_axis if horizontal else key_axis,
    }
    return make_figure(traces, lang, height=420, layout=layout)


def build_leverage_bars(
    table: pd.DataFrame, *, labels: dict[str, str], colors: dict[str, str], overall: float, lang: str = "sv"
) -> go.Figure:
    """Leverage per goal as bars with the overall level as a reference line.

    ``table``: ``goal, granted_sek, other_sek, leverage`` (goals without 1:1 money are left out).
    """
    # 1:1 and other capital labels per goal add up to the KPIs (apportioned over every row, as the goal chart)
    granted_units = mnkr_part_units([int(v) for v in table["granted_sek"]])
    other_units = mnkr_part_units([int(v) for v in table["other_sek"]])
    df = table.assign(granted_units=granted_units, other_units=other_units)
    df = df[df["granted_sek"] > 0]
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
                format_mnkr_units(o, lang),
                format_mnkr_units(g, lang),
            ]
            for k, lev, o, g in zip(keys, df["leverage"], df["other_units"], df["granted_units"], strict=True)
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
            # room for the labels beside the longest bar ("3.0 SEK/SEK" in English)
            "range": [0, max(df["leverage"].max(), overall or 0) * 1.5],
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


def sankey_units(df: pd.DataFrame, goal_order: list[str]) -> tuple[list[str], list, dict, dict, dict]:
    """The Sankey's labels in tenths of millions: ``(sources, goals, source → units,
    goal → units, (source, goal) → units)``, every node the sum of its links' labels.

    The 1:1 node shows what the 1:1 KPI shows and its links what the goal chart shows
    (apportioned in ``goal_order``); the other sources add up to the other-capital KPI;
    each source's links add up to the source; a goal node is the sum of its links."""
    data = df[df["amount_sek"] > 0]
    sources = [s for s in SOURCE_COLORS if s in set(data["source"])]
    goals: list = [g for g in goal_order if g in set(data["goal"].dropna())]
    if data["goal"].isna().any():
        goals.append(None)
    cell: dict[tuple, int] = {}
    for src, g, v in zip(data["source"].tolist(), data["goal"].tolist(), data["amount_sek"].tolist(), strict=True):
        key = (src, None if pd.isna(g) else g)
        cell[key] = cell.get(key, 0) + int(v)
    per_source = {s: sum(cell.get((s, g), 0) for g in goals) for s in sources}
    others = [s for s in sources if s != GRANT_SOURCE]
    source_units = dict(zip(others, mnkr_part_units([per_source[s] for s in others]), strict=True))
    if GRANT_SOURCE in per_source:
        source_units[GRANT_SOURCE] = mnkr_part_units([per_source[GRANT_SOURCE]])[0]
    links: dict[tuple, int] = {}
    for s in sources:
        parts = mnkr_part_units([cell.get((s, g), 0) for g in goals], total_units=source_units[s])
        links |= {(s, g): u for g, u in zip(goals, parts, strict=True) if (s, g) in cell}
    goal_units = {g: sum(u for (_, gg), u in links.items() if gg == g) for g in goals}
    return sources, goals, source_units, goal_units, links


def build_sankey(
    df: pd.DataFrame, *, labels: dict[str, str], goal_order: list[str], colors: dict[str, str], lang: str = "sv"
) -> go.Figure:
    """Money flowing from funding sources (1:1 included) to goals.

    ``df``: ``source, goal, amount_sek``. Node and link labels add up (:func:`sankey_units`).
    """
    data = df[df["amount_sek"] > 0]
    if data.empty:
        return empty_figure(t("capital.empty", lang), lang)
    sources, goals, source_units, goal_units, link_units = sankey_units(data, goal_order)
    node_labels = [source_label(s, lang) for s in sources] + [
        labels.get(g, t("goal.none", lang)) if g else t("goal.none", lang) for g in goals
    ]
    node_colors = [SOURCE_COLORS[s] for s in sources] + [colors.get(g, NEUTRAL) if g else NEUTRAL for g in goals]
    src_index = {s: i for i, s in enumerate(sources)}
    goal_index = {g: len(sources) + i for i, g in enumerate(goals)}
    kronor: dict[tuple, int] = {}  # (source, goal) → kronor, in one pass (a mask per link cost ~10 ms)
    for src, g, v in zip(data["source"].tolist(), data["goal"].tolist(), data["amount_sek"].tolist(), strict=True):
        key = (src, None if pd.isna(g) else g)
        kronor[key] = kronor.get(key, 0) + int(v)
    link_source, link_target, link_value, link_color, link_custom = [], [], [], [], []
    for (source, goal), units in link_units.items():
        link_source.append(src_index[source])
        link_target.append(goal_index[goal])
        link_value.append(kronor[(source, goal)])
        link_color.append(_rgba(SOURCE_COLORS[source], 0.45))
        link_custom.append(format_mnkr_units(units, lang))
    node_custom = [format_mnkr_units(source_units[s], lang) for s in sources] + [
        format_mnkr_units(goal_units[g], lang) for g in goals
    ]
    sankey = {
        "type": "sankey",
        "arrangement": "snap",
        "node": {
            "label": node_labels,
            "color": node_colors,
            "pad": 14,
            "thickness": 16,
            "customdata": node_custom,
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


__all__ = [
    "PALETTE",
    "build_leverage_bars",
    "build_sankey",
    "build_source_stacked",
    "none_label",
    "sankey_units",
    "source_stack_units",
]

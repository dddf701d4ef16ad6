"""Allocation figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import format_mnkr, format_percent, format_sek, t
from .theme import NEUTRAL, apply_layout, empty_figure


def build_goal_donut(
    table: pd.DataFrame, *, labels: dict[str, str], colors: dict[str, str], lang: str = "sv"
) -> go.Figure:
    """Donut of 1:1 granted per goal with the total in the middle.

    ``table`` is :func:`dashboard.transforms.compute_goal_allocation` output;
    goals with nothing granted are left out; the no-goal row (``goal`` None)
    is grey.
    """
    df = table[table["granted_sek"] > 0]
    if df.empty:
        return empty_figure(t("overview.empty", lang), lang)
    keys = [g if isinstance(g, str) else "" for g in df["goal"]]
    names = [labels.get(k, t("goal.none", lang)) if k else t("goal.none", lang) for k in keys]
    total = int(df["granted_sek"].sum())
    custom = [
        [format_mnkr(v, lang), format_sek(v, lang), format_percent(s, lang), int(p), k]
        for v, s, p, k in zip(df["granted_sek"], df["share"], df["projects"], keys, strict=True)
    ]
    fig = go.Figure(
        go.Pie(
            labels=names,
            values=df["granted_sek"].tolist(),
            customdata=custom,
            hole=0.58,
            sort=False,
            direction="clockwise",
            marker={"colors": [colors.get(k, NEUTRAL) for k in keys], "line": {"color": "#fff", "width": 2}},
            texttemplate="%{customdata[0]}",
            textposition="outside",
            hovertemplate="<b>%{label}</b><br>%{customdata[1]} (%{customdata[2]})<br>"
            + t("col.projects", lang)
            + ": %{customdata[3]}<extra></extra>",
        )
    )
    fig.add_annotation(
        text=f"<b>{format_mnkr(total, lang)}</b><br><span style='font-size:13px'>{t('overview.donut.center', lang)}</span>",
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 24},
    )
    apply_layout(fig, lang, height=420)
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "v", "x": 1.02, "y": 0.5, "yanchor": "middle"},
        margin={"l": 30, "r": 30, "t": 30, "b": 30},
        uniformtext={"minsize": 11, "mode": "hide"},
    )
    return fig

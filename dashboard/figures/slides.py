"""Figures for the project-day slides, and large type for every slide figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import format_mnkr, t
from .theme import MNKR, apply_layout, empty_figure, money_axis_suffix, wrap_label

ROOM_SIZE = 26
"""Type on a slide, in stage pixels (the 1920 x 1080 stage is scaled to the screen: 26 px at
1080p, 17 px at 720p)."""


def for_the_room(fig: go.Figure, *, height: int | None = None, size: int = ROOM_SIZE) -> go.Figure:
    """Type readable from the back of a room (a copy; the original is untouched): every label,
    tick, legend entry, axis title and note at least ``size``. Without ``height`` the figure
    fills its container (the slide's free space)."""
    big = go.Figure(fig)
    big.update_layout(
        height=height,
        autosize=True,
        font={"size": size},
        legend={"font": {"size": size}},
        hoverlabel={"font": {"size": size - 4}},
        uniformtext={"minsize": size - 2} if big.layout.uniformtext.mode else {},
    )
    for note in big.layout.annotations:
        if (note.font.size or 0) < size:
            note.font.size = size
    if any(trace.type in ("bar", "scatter", "heatmap") for trace in big.data):
        big.update_xaxes(automargin=True)
        big.update_yaxes(automargin=True)
    for name in big.layout.to_plotly_json():
        if name.startswith(("xaxis", "yaxis")) and big.layout[name].title.text:
            big.layout[name].title.font.size = size - 2
    for trace in big.data:
        if trace.type == "scatter" and trace.line.width:
            trace.line.width = trace.line.width * 1.5  # lines seen from the back of the room
        colorbar = getattr(trace, "colorbar", None)
        if colorbar is not None and getattr(trace, "showscale", True) is not False:
            colorbar.title.font.size = size - 2
            colorbar.tickfont.size = size - 2
    return big


def build_frame_applied(df: pd.DataFrame, *, lang: str = "sv") -> go.Figure:
    """Per goal: the year's frame, decided 1:1 and applied 1:1, as horizontal grouped bars with
    their amounts beside them (upright bars side by side had no room for their labels: "0,0 mnkr"
    over "0,0 mnkr"); an amount of nothing has no label.

    ``df``: ``label, frame_sek, decided_sek, applied_sek``.
    """
    if df.empty:
        return empty_figure(t("frame.none", lang), lang)
    fig = go.Figure()
    labels = [wrap_label(x, 16) for x in df["label"]]
    for col, key, color in (
        ("applied_sek", "slides.applied", "#E69F00"),
        ("decided_sek", "frame.decided", "#1F4E79"),
        ("frame_sek", "frame.frame", "#CFE0F0"),
    ):
        amounts = [format_mnkr(v, lang) if v else "" for v in df[col]]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=df[col] / MNKR,
                orientation="h",
                name=t(key, lang),
                marker={"color": color, "line": {"color": "#1F4E79", "width": 1}},
                text=amounts,
                texttemplate="%{text}",
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}<br>" + t(key, lang) + ": %{text}<extra></extra>",
            )
        )
    apply_layout(fig, lang, height=560)
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "reversed"},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    top = float(max(df[["frame_sek", "decided_sek", "applied_sek"]].max().max() / MNKR, 0.1))
    fig.update_xaxes(
        ticksuffix=money_axis_suffix(lang),
        tickformat=",~f",
        gridcolor="#e5e8eb",
        automargin=True,
        range=[0, top * 1.3],
    )
    fig.update_yaxes(automargin=True, autorange="reversed")
    return fig


def build_pipeline_matrix(
    df: pd.DataFrame,
    *,
    goal_labels: dict[str, str],
    theme_labels: dict[str, str],
    goal_order: list[str],
    theme_order: list[str],
    lang: str = "sv",
) -> go.Figure:
    """Ideas and applications per theme × goal: colour and label = money (total budget), with the
    number of projects under it (the label once gave the count over a colour of money).

    ``df``: ``goal, theme, granted_sek, other_sek, projects``.
    """
    data = df[df["projects"] > 0]
    if data.empty:
        return empty_figure(t("theme.pipeline.empty", lang), lang)
    goals = [g for g in goal_order if g in set(data["goal"])]
    themes = [x for x in theme_order if x in set(data["theme"])]
    # themes down the side (their names are long), goals across the top
    money = (
        data.assign(total=data["granted_sek"] + data["other_sek"])
        .pivot_table(index="theme", columns="goal", values="total", aggfunc="sum", fill_value=0)
        .reindex(index=themes, columns=goals, fill_value=0)
    )
    count = data.pivot_table(index="theme", columns="goal", values="projects", aggfunc="sum", fill_value=0).reindex(
        index=themes, columns=goals, fill_value=0
    )
    fig = go.Figure(
        go.Heatmap(
            z=(money / MNKR).values,
            x=[wrap_label(goal_labels.get(g, g), 12) for g in goals],
            y=[theme_labels.get(x, x) for x in themes],
            text=[
                [
                    f"{format_mnkr(m, lang)}<br>{t('theme.projects_short', lang, n=int(n))}" if n else ""
                    for m, n in zip(money_row, count_row, strict=True)
                ]
                for money_row, count_row in zip(money.values, count.values, strict=True)
            ],
            texttemplate="%{text}",
            colorscale=[[0, "#FFFFFF"], [1, "#1F4E79"]],
            colorbar={"title": {"text": "mnkr"}},
            hovertemplate="%{y} × %{x}<br>%{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    apply_layout(fig, lang, height=560)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    fig.update_xaxes(automargin=True, tickangle=0, side="top")
    fig.update_yaxes(automargin=True, autorange="reversed")
    return fig


def build_answers(summary: pd.DataFrame, *, kind: str, labels: dict[str, str], lang: str = "sv") -> go.Figure:
    """Aggregated answers: mean rating per target (with n), or answers per choice."""
    if summary.empty:
        return empty_figure(t("slides.no_answers", lang), lang)
    if kind == "rating":
        data = summary.groupby("target", as_index=False).agg(answers=("answers", "sum"), mean=("mean_rating", "mean"))
        fig = go.Figure(
            go.Bar(
                orientation="h",
                y=[labels.get(x, x) or t("slides.overall", lang) for x in data["target"]],
                x=data["mean"],
                text=[
                    f"{m:.1f} (n={n})".replace(".", ",") if lang == "sv" else f"{m:.1f} (n={n})"
                    for m, n in zip(data["mean"], data["answers"], strict=True)
                ],
                textposition="outside",
                cliponaxis=False,
                marker={"color": "#1F4E79"},
            )
        )
        fig.update_xaxes(range=[0, 5.6], dtick=1, gridcolor="#e5e8eb")
    else:
        col = "target" if summary["choice"].isna().all() else "choice"
        data = summary.groupby(col, as_index=False)["answers"].sum()
        fig = go.Figure(
            go.Bar(
                orientation="h",
                y=[labels.get(x, x) for x in data[col]],
                x=data["answers"],
                text=data["answers"],
                textposition="outside",
                cliponaxis=False,
                marker={"color": "#E69F00"},
            )
        )
        fig.update_xaxes(gridcolor="#e5e8eb", rangemode="tozero")
    apply_layout(fig, lang, height=560)
    fig.update_yaxes(automargin=True, autorange="reversed")
    fig.update_layout(margin={"l": 10, "r": 40, "t": 10, "b": 10})
    return fig

"""Figures for the project-day slides, and large type for every slide figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import format_mnkr, t
from .theme import MNKR, apply_layout, empty_figure, money_axis_suffix


def for_the_room(fig: go.Figure, *, height: int = 620, size: int = 22) -> go.Figure:
    """Type readable from the back of a room (a copy; the original is untouched)."""
    big = go.Figure(fig)
    big.update_layout(
        height=height, font={"size": size}, legend={"font": {"size": size - 2}}, hoverlabel={"font": {"size": size - 4}}
    )
    big.update_annotations(font_size=size + 6)
    if big.layout.xaxis is not None:
        big.update_xaxes(automargin=True)
        big.update_yaxes(automargin=True)
    return big


def build_frame_applied(df: pd.DataFrame, *, lang: str = "sv") -> go.Figure:
    """Per goal: the year's frame, decided 1:1 and applied 1:1 (grouped bars).

    ``df``: ``label, frame_sek, decided_sek, applied_sek``.
    """
    if df.empty:
        return empty_figure(t("frame.none", lang), lang)
    fig = go.Figure()
    for col, key, color in (
        ("frame_sek", "frame.frame", "#CFE0F0"),
        ("decided_sek", "frame.decided", "#1F4E79"),
        ("applied_sek", "slides.applied", "#E69F00"),
    ):
        fig.add_trace(
            go.Bar(
                x=df["label"],
                y=df[col] / MNKR,
                name=t(key, lang),
                marker={"color": color, "line": {"color": "#1F4E79", "width": 1}},
                customdata=[format_mnkr(v, lang) for v in df[col]],
                texttemplate="%{customdata}",
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{x}<br>" + t(key, lang) + ": %{customdata}<extra></extra>",
            )
        )
    apply_layout(fig, lang, height=560)
    fig.update_layout(
        barmode="group", legend={"orientation": "h", "y": 1.08, "x": 0}, margin={"l": 10, "r": 10, "t": 40, "b": 10}
    )
    fig.update_yaxes(ticksuffix=money_axis_suffix(lang), tickformat=",~f", gridcolor="#e5e8eb", automargin=True)
    fig.update_xaxes(automargin=True)
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
    """Ideas and applications per goal × theme: colour and label = money (total budget), with the
    number of projects under it (the label once gave the count over a colour of money).

    ``df``: ``goal, theme, granted_sek, other_sek, projects``.
    """
    data = df[df["projects"] > 0]
    if data.empty:
        return empty_figure(t("theme.pipeline.empty", lang), lang)
    goals = [g for g in goal_order if g in set(data["goal"])]
    themes = [x for x in theme_order if x in set(data["theme"])]
    money = (
        data.assign(total=data["granted_sek"] + data["other_sek"])
        .pivot_table(index="goal", columns="theme", values="total", aggfunc="sum", fill_value=0)
        .reindex(index=goals, columns=themes, fill_value=0)
    )
    count = data.pivot_table(index="goal", columns="theme", values="projects", aggfunc="sum", fill_value=0).reindex(
        index=goals, columns=themes, fill_value=0
    )
    fig = go.Figure(
        go.Heatmap(
            z=(money / MNKR).values,
            x=[theme_labels.get(x, x) for x in themes],
            y=[goal_labels.get(g, g) for g in goals],
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
    fig.update_xaxes(automargin=True, tickangle=-25)
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

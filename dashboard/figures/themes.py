"""Theme-map (kartbild) figures: pipeline, timeline, portfolio, municipality map."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..i18n import format_mnkr, format_number, mnkr_parts, status_label, t
from .theme import MNKR, NEUTRAL, click_payload, empty_figure, make_figure, money_axis_suffix, vline_parts

STATUS_COLORS = {
    "ide": "#CFE0F0",
    "ansokt": "#56B4E9",
    "beviljat": "#0072B2",
    "pagaende": "#009E73",
    "avslutat": "#999999",
    "avslag": "#D55E00",
    "avbrutet": "#CC79A7",
}


DARK_FILL = 0.65
"""Share of the map's colour scale above which white names contrast more than dark ones
(both about 3.8:1 there; a halo in the opposite colour carries the rest)."""


def build_pipeline(pipeline: pd.DataFrame, *, lang: str = "sv") -> go.Figure:
    """Planned projects per maturity stage (idé → ansökt → beviljat), bars of
    total budget with the number of projects; the bars' labels add up to the label
    of everything planned (the kartbild's KPI)."""
    if pipeline.empty or pipeline["projects"].sum() == 0:
        return empty_figure(t("theme.pipeline.empty", lang), lang)
    labels = [status_label(s, lang) for s in pipeline["status"]]
    money = mnkr_parts([int(v) for v in pipeline["total_sek"]], lang)
    bars = {
        "type": "bar",
        "x": labels,
        "y": (pipeline["total_sek"] / MNKR).tolist(),
        "marker": {"color": [STATUS_COLORS[s] for s in pipeline["status"]], "line": {"color": "#1F4E79", "width": 1}},
        "customdata": [
            [*click_payload("status", s), m, format_number(n, lang)]
            for s, m, n in zip(pipeline["status"], money, pipeline["projects"], strict=True)
        ],
        # a stage with nothing in it has no label ("0,0 mnkr / 0 projekt" said nothing and crowded its neighbours)
        "text": [
            f"{m}<br>{t('theme.projects_short', lang, n=format_number(n, lang))}" if n else ""
            for m, n in zip(money, pipeline["projects"], strict=True)
        ],
        "texttemplate": "%{text}",
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "<b>%{x}</b><br>%{customdata[2]}<br>"
        + t("col.projects", lang)
        + ": %{customdata[3]}<extra></extra>",
    }
    layout = {
        "yaxis": {
            "ticksuffix": money_axis_suffix(lang),
            "tickformat": ",~f",
            "gridcolor": "#e5e8eb",
            "automargin": True,
            "range": [0, max(pipeline["total_sek"].max() / MNKR * 1.3, 0.1)],
        },
        "margin": {"l": 10, "r": 10, "t": 20, "b": 10},
        "showlegend": False,
    }
    return make_figure([bars], lang, height=300, layout=layout)


def build_timeline(
    projects: pd.DataFrame, *, reference: pd.Timestamp, lang: str = "sv", max_rows: int = 40
) -> go.Figure:
    """Gantt-like timeline of the theme's projects (start → end), coloured by
    status, with today as a line. ``projects`` needs ``reference, title,
    status, start_date, end_date, granted_sek, other_sek``."""
    data = projects.dropna(subset=["start_date", "end_date"])
    data = data[data["status"].isin(["ide", "ansokt", "beviljat", "pagaende", "avslutat"])]
    if data.empty:
        return empty_figure(t("theme.empty", lang), lang)
    data = data.sort_values("start_date", ascending=False).head(max_rows).iloc[::-1]
    data = data.assign(row_label=timeline_labels(data["title"].tolist(), data["reference"].tolist()))
    traces = []
    for status in STATUS_COLORS:
        part = data[data["status"] == status]
        if part.empty:
            continue
        duration_ms = (part["end_date"] - part["start_date"]).dt.total_seconds() * 1000
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": part["row_label"].tolist(),
                "x": duration_ms.tolist(),
                "base": part["start_date"].dt.strftime("%Y-%m-%d").tolist(),
                "name": status_label(status, lang),
                "marker": {"color": STATUS_COLORS[status]},
                "customdata": [
                    [
                        f"{r.title} ({r.reference})",
                        r.start_date.strftime("%Y-%m-%d"),
                        r.end_date.strftime("%Y-%m-%d"),
                        format_mnkr(r.granted_sek + r.other_sek, lang),
                    ]
                    for r in part.itertuples(index=False)
                ],
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]} – %{customdata[2]}<br>"
                + t("col.total", lang)
                + ": %{customdata[3]}<extra></extra>",
            }
        )
    today = reference.strftime("%Y-%m-%d")
    shape, _ = vline_parts(today, {"color": "#D55E00", "dash": "dash"})
    label = {
        "x": today,
        "y": 1.02,
        "yref": "paper",
        "text": t("theme.today", lang),
        "showarrow": False,
        "font": {"color": "#A04000", "size": 12},
    }
    layout = {
        "shapes": [shape],
        "annotations": [label],
        "barmode": "overlay",
        "legend": {"orientation": "h", "y": -0.08, "x": 0},
        "margin": {"l": 10, "r": 10, "t": 25, "b": 10},
        "xaxis": {"type": "date", "gridcolor": "#e5e8eb"},
        "yaxis": {"automargin": True, "type": "category", "tickfont": {"size": 11}},
    }
    return make_figure(traces, lang, height=max(300, 22 * len(data) + 90), layout=layout)


def timeline_labels(titles: list[str], references: list[str], width: int = 32) -> list[str]:
    """The timeline's row names: the projects' titles (shortened to ``width`` characters);
    a title that two rows share gets its reference, so that every row keeps its own line."""
    short = [str(x) if len(str(x)) <= width else str(x)[: width - 1].rstrip() + "…" for x in titles]
    seen: dict[str, int] = {}
    for label in short:
        seen[label] = seen.get(label, 0) + 1
    return [f"{label} ({ref})" if seen[label] > 1 else label for label, ref in zip(short, references, strict=True)]


def build_portfolio(
    projects: pd.DataFrame, *, goal_labels: dict[str, str], goal_order: list[str], lang: str = "sv"
) -> go.Figure:
    """Portfolio by goal × status, bubbles sized by total budget.

    ``projects``: ``goal, status, total_sek, projects`` (one row per goal and status).
    """
    data = projects[projects["total_sek"] > 0]
    if data.empty:
        return empty_figure(t("theme.empty", lang), lang)
    statuses = [s for s in STATUS_COLORS if s in set(data["status"])]
    goals = [g for g in goal_order if g in set(data["goal"])]
    biggest = data["total_sek"].max()
    bubbles = {
        "type": "scatter",
        "x": [status_label(s, lang) for s in data["status"]],
        "y": [goal_labels.get(g, g) for g in data["goal"]],
        "mode": "markers+text",
        "marker": {
            "size": ((data["total_sek"] / biggest) ** 0.5 * 60 + 8).tolist(),
            "color": [STATUS_COLORS[s] for s in data["status"]],
            "line": {"color": "#1F4E79", "width": 1},
            "opacity": 0.85,
        },
        "text": [format_number(n, lang) for n in data["projects"]],
        "textfont": {"size": 11},
        "customdata": [
            [*click_payload("goal", g), format_mnkr(v, lang), format_number(n, lang)]
            for g, v, n in zip(data["goal"], data["total_sek"], data["projects"], strict=True)
        ],
        "hovertemplate": "<b>%{y}</b> · %{x}<br>%{customdata[2]} · "
        + t("col.projects", lang)
        + " %{customdata[3]}<extra></extra>",
    }
    layout = {
        "xaxis": {
            "categoryorder": "array",
            "categoryarray": [status_label(s, lang) for s in statuses],
            "showgrid": False,
            "automargin": True,
        },
        "yaxis": {
            "categoryorder": "array",
            "categoryarray": [goal_labels.get(g, g) for g in goals][::-1],
            "automargin": True,
            "gridcolor": "#eef1f4",
        },
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "showlegend": False,
    }
    return make_figure([bubbles], lang, height=340, layout=layout)


def municipality_labels(split: pd.DataFrame, lang: str = "sv") -> list[str]:
    """Money labels of every row of a municipality split (municipalities, the whole
    county, projects placed nowhere) that add up to the label of their total."""
    return mnkr_parts([int(v) for v in split["granted_sek"]], lang)


def build_municipality_map(
    split: pd.DataFrame,
    geojson: dict[str, Any],
    *,
    metric: str = "money",
    selected: tuple[str, ...] = (),
    lang: str = "sv",
) -> go.Figure:
    """Choropleth of the county's municipalities by 1:1 money or by projects
    (no tiles: the geometry is drawn on its own, so it works offline).
    The whole-county row (and the row of projects placed nowhere) is not drawn: it is
    shown beside the map. Money labels add up to the total with those rows
    (:func:`municipality_labels`)."""
    labels = municipality_labels(split, lang)
    data = split.assign(label=labels)
    data = data[~(data["whole_county"] | data.get("unplaced", False))]
    if data.empty or not geojson.get("features"):
        return empty_figure(t("theme.empty", lang), lang)
    values = (data["granted_sek"] / MNKR if metric == "money" else data["projects"]).tolist()
    shown = set(data["code"])
    features = [f for f in geojson["features"] if f["properties"]["code"] in shown]
    choropleth = {
        "type": "choropleth",
        "geojson": geojson,
        "featureidkey": "properties.code",
        "locations": data["code"].tolist(),
        "z": values,
        "colorscale": [[0, "#EEF4FA"], [1, "#1F4E79"]],
        "zmin": 0,
        "zmax": max(float(max(values)), 1.0),
        "marker": {
            "line": {
                "color": ["#D55E00" if c in selected else "#FFFFFF" for c in data["code"]],
                "width": [3 if c in selected else 1 for c in data["code"]],
            }
        },
        "colorbar": {
            "title": {"text": "mnkr" if metric == "money" else t("col.projects", lang)},
            "thickness": 12,
            "tickformat": ",~f",
        },
        "customdata": [
            [*click_payload("municipality", c), n, m, format_number(p, lang)]
            for c, n, m, p in zip(data["code"], data["name"], data["label"], data["projects"], strict=True)
        ],
        "hovertemplate": "<b>%{customdata[2]}</b><br>"
        + t("col.granted", lang)
        + ": %{customdata[3]}<br>"
        + t("col.projects", lang)
        + ": %{customdata[4]}<extra></extra>",
    }
    zmax = max(float(max(values)), 1.0)
    value_of = dict(zip(data["code"], values, strict=True))
    names = {
        "type": "scattergeo",
        "lon": [_centroid(f)[0] for f in features],
        "lat": [_centroid(f)[1] for f in features],
        "text": [f["properties"]["name"] for f in features],
        "mode": "text",
        # white on the darker half of the scale, dark on the lighter half (dark on dark could not be read)
        "textfont": {
            "size": 13,
            "weight": 600,
            "shadow": "auto",
            "color": [
                "#FFFFFF" if value_of.get(f["properties"]["code"], 0) / zmax > DARK_FILL else "#1B2A38"
                for f in features
            ],
        },
        "hoverinfo": "skip",
    }
    layout = {
        # the county's own box, not fitbounds: with fitbounds Plotly keeps a square frame and the
        # (wide) county filled a third of a wide card, its names running into each other
        "geo": {"visible": False, "projection": {"type": "mercator"}, **_geo_ranges(features)},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "showlegend": False,
    }
    return make_figure([choropleth, names], lang, height=380, layout=layout)


def _geo_ranges(features: list[dict[str, Any]], pad: float = 0.04) -> dict:
    """``lonaxis``/``lataxis`` ranges around ``features`` (a little padding on every side)."""
    import shapely

    west, south, east, north = shapely.GeometryCollection(
        [shapely.geometry.shape(f["geometry"]) for f in features]
    ).bounds
    dx, dy = (east - west) * pad or 0.01, (north - south) * pad or 0.01
    return {"lonaxis": {"range": [west - dx, east + dx]}, "lataxis": {"range": [south - dy, north + dy]}}


def _centroid(feature: dict[str, Any]) -> tuple[float, float]:
    import shapely

    point = shapely.geometry.shape(feature["geometry"]).representative_point()
    return point.x, point.y


__all__ = [
    "NEUTRAL",
    "STATUS_COLORS",
    "build_municipality_map",
    "build_pipeline",
    "build_portfolio",
    "build_timeline",
    "municipality_labels",
]

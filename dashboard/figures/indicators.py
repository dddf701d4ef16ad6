"""Indicator charts (pure: DataFrame in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import t
from .theme import PALETTE, empty_figure, make_figure

REGION_COLOR = "#1F4E79"
RIKET_COLOR = "#7F7F7F"
TARGET_COLOR = "#D55E00"
GENDER_COLORS = {"K": "#CC79A7", "M": "#009E73"}


def build_indicator_chart(
    values: pd.DataFrame,
    *,
    region: str,
    area_labels: dict[str, str],
    target: dict | None = None,
    municipalities: list[str] | None = None,
    genders: bool = False,
    decimals: int = 1,
    unit: str = "",
    lang: str = "sv",
) -> go.Figure:
    """One indicator over time: the region (bold), Riket (dashed grey), chosen
    municipalities (thin), women/men for the region (dotted) and the target
    (a dashed line to the target year, marked illustrative when it is).

    ``values``: ``area, year, gender, value`` of one indicator; ``unit`` follows the
    values in the hover (``%``, ``per 1 000``), as on the indicator's card.
    """
    if values.empty:
        return empty_figure(t("indicators.no_data", lang), lang)
    fmt = f",.{decimals}f"
    suffix = ("" if unit == "%" and lang != "sv" else "\u00a0") + unit if unit else ""
    traces: list[dict] = []

    def line(area: str, gender: str, name: str, style: dict, yaxis: str = "y") -> None:
        part = values[(values["area"] == area) & (values["gender"] == gender)].sort_values("year")
        if part.empty:
            return
        traces.append(
            {
                "type": "scatter",
                "x": part["year"].tolist(),
                "y": part["value"].tolist(),
                "name": name,
                "mode": "lines",
                "line": style,
                "yaxis": yaxis,
                "hovertemplate": f"{name} %{{x}}: %{{y:{fmt}}}{suffix}<extra></extra>",
            }
        )

    # Counts (e.g. population) differ in size between Sweden and a region: Riket gets its own axis.
    riket = values.loc[(values["area"] == "0000") & (values["gender"] == "T"), "value"]
    regional = values.loc[(values["area"] == region) & (values["gender"] == "T"), "value"]
    separate = not riket.empty and not regional.empty and riket.abs().max() > 10 * max(regional.abs().max(), 1e-9)
    riket_name = area_labels.get("0000", "Riket") + (f" ({t('indicators.right_axis', lang)})" if separate else "")
    line("0000", "T", riket_name, {"color": RIKET_COLOR, "dash": "dash", "width": 2}, "y2" if separate else "y")
    for i, code in enumerate(municipalities or []):
        line(code, "T", area_labels.get(code, code), {"color": PALETTE[(i + 3) % len(PALETTE)], "width": 1.2})
    if genders:
        for g in ("K", "M"):
            line(
                region,
                g,
                f"{area_labels.get(region, region)}, {t(f'gender.{g}', lang)}",
                {"color": GENDER_COLORS[g], "dash": "dot", "width": 2},
            )
    line(region, "T", area_labels.get(region, region), {"color": REGION_COLOR, "width": 3.5})
    if target and target.get("value") is not None:
        region_values = values[(values["area"] == region) & (values["gender"] == "T")].sort_values("year")
        start_year = int(region_values["year"].iloc[-1]) if not region_values.empty else int(target["year"]) - 1
        start_value = float(region_values["value"].iloc[-1]) if not region_values.empty else target["value"]
        label = t("indicators.target", lang, year=target["year"]) + (
            f" ({t('strategy.illustrative', lang)})" if target.get("illustrative") else ""
        )
        traces.append(
            {
                "type": "scatter",
                "x": [start_year, target["year"]],
                "y": [start_value, target["value"]],
                "mode": "lines+markers",
                "name": label,
                "line": {"color": TARGET_COLOR, "dash": "dash", "width": 2},
                "marker": {"size": [0, 11], "symbol": "star"},
                "hovertemplate": f"{label}: %{{y:{fmt}}}{suffix}<extra></extra>",
            }
        )
    layout: dict = {
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "hovermode": "x unified",
        "xaxis": {"dtick": 2, "gridcolor": "#eef1f4"},
        "yaxis": {"tickformat": f",.{min(decimals, 1)}f", "gridcolor": "#e5e8eb", "automargin": True},
    }
    if separate:
        layout["yaxis2"] = {
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "tickformat": ",.0f",
            "tickfont": {"color": RIKET_COLOR},
            "automargin": True,
        }
    return make_figure(traces, lang, height=300, layout=layout)

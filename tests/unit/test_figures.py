"""Figure builders: trace types, values, empty selections — on literal frames."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.allocation import (
    build_frame_chart,
    build_goal_bars,
    build_goal_donut,
    build_hierarchy,
    build_year_stacked,
)
from dashboard.figures.capital import build_leverage_bars, build_sankey, build_source_stacked
from dashboard.figures.theme import MNKR, clicked, color_map
from dashboard.transforms import compute_goal_allocation

LABELS = {"klimat": "Miljö och klimat", "arbete": "Fler i arbete"}
COLORS = color_map(["klimat", "arbete"])
GOALS = compute_goal_allocation(
    pd.DataFrame(
        {
            "goal": ["klimat", "arbete", None],
            "granted_sek": [3_000, 7_000, 500],
            "other_sek": [9_000, 7_000, 0],
            "projects": [2, 3, 1],
        }
    ),
    ["klimat", "arbete"],
)
EMPTY_GOALS = compute_goal_allocation(pd.DataFrame(columns=["goal", "granted_sek", "other_sek", "projects"]))


def _is_empty_message(fig: go.Figure) -> bool:
    return len(fig.data) == 0 and len(fig.layout.annotations) == 1


def test_donut_values_total_and_click_payload() -> None:
    fig = build_goal_donut(GOALS, labels=LABELS, colors=COLORS)
    pie = fig.data[0]
    assert pie.type == "pie" and pie.hole > 0
    assert list(pie.values) == [3_000, 7_000, 500]
    assert list(pie.labels) == ["Miljö och klimat", "Fler i arbete", "(utan mål)"]
    assert "0,0\xa0mnkr" in fig.layout.annotations[0].text  # 10 500 kr rounds to 0,0 mnkr
    assert [c[:2] for c in pie.customdata] == [["goal", "klimat"], ["goal", "arbete"], ["goal", None]]
    selected = build_goal_donut(GOALS, labels=LABELS, colors=COLORS, selected=("arbete",))
    assert selected.data[0].pull[1] > 0 and selected.data[0].pull[0] == 0
    assert _is_empty_message(build_goal_donut(EMPTY_GOALS, labels=LABELS, colors=COLORS))


def test_bars_sorted_with_largest_on_top() -> None:
    fig = build_goal_bars(GOALS, labels=LABELS, colors=COLORS, selected=("klimat",))
    bar = fig.data[0]
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.x) == [500, 3_000, 7_000]
    assert list(bar.marker.opacity) == [0.35, 1.0, 0.35]
    assert _is_empty_message(build_goal_bars(EMPTY_GOALS, labels=LABELS, colors=COLORS))


def test_years_stacked_and_share() -> None:
    df = pd.DataFrame(
        {
            "year": [2023, 2023, 2024],
            "goal": ["klimat", "arbete", "klimat"],
            "granted_sek": [100, 300, 50],
            "other_sek": [0, 0, 0],
            "projects": [1, 1, 1],
        }
    )
    fig = build_year_stacked(df, labels=LABELS, colors=COLORS, goal_order=["klimat", "arbete"])
    assert fig.layout.barmode == "stack" and [tr.name for tr in fig.data] == ["Miljö och klimat", "Fler i arbete"]
    # money axes are in millions; exact kronor stay in the hover text
    assert [round(v * MNKR) for v in fig.data[0].y] == [100, 50] and [round(v * MNKR) for v in fig.data[1].y] == [
        300,
        0,
    ]
    share = build_year_stacked(df, labels=LABELS, colors=COLORS, goal_order=["klimat", "arbete"], share=True)
    assert [share.data[0].y[i] + share.data[1].y[i] for i in range(2)] == [1.0, 1.0]
    assert share.data[0].customdata[0][:2] == ["year", 2023]
    assert _is_empty_message(build_year_stacked(df.iloc[0:0], labels=LABELS, colors=COLORS, goal_order=[]))


def test_hierarchy_nodes_add_up() -> None:
    df = pd.DataFrame(
        {
            "direction": ["d1", "d1", "d1"],
            "direction_label": ["Inriktning"] * 3,
            "goal": ["klimat", "klimat", "arbete"],
            "goal_label": ["Miljö", "Miljö", "Arbete"],
            "theme": ["energi", "transport", "kompetens"],
            "theme_label": ["Energi", "Transport", "Kompetens"],
            "granted_sek": [10, 20, 5],
        }
    )
    sb = build_hierarchy(df, colors=COLORS).data[0]
    assert sb.type == "sunburst" and sb.branchvalues == "total"
    values = dict(zip(sb.ids, sb.values, strict=True))
    assert values["d/d1"] == 35 and values["d/d1/g/klimat"] == 30 and values["d/d1/g/klimat/t/energi"] == 10
    assert _is_empty_message(build_hierarchy(df.iloc[0:0]))


def test_frame_chart_marks_overspending() -> None:
    table = pd.DataFrame(
        {
            "goal": [None, "klimat"],
            "label": ["Hela ramen", "Miljö"],
            "frame_sek": [100, 10],
            "decided_sek": [80, 15],
            "remaining_sek": [20, -5],
        }
    )
    fig = build_frame_chart(table)
    decided, remaining, over = fig.data
    assert [round(v * MNKR) for v in decided.x] == [15, 80] and [round(v * MNKR) for v in remaining.x] == [0, 20]
    assert over.type == "scatter" and [round(v * MNKR) for v in over.x] == [10]
    assert _is_empty_message(build_frame_chart(table.iloc[0:0]))


def test_source_stacked_and_two_dimensional_click() -> None:
    df = pd.DataFrame(
        {
            "goal": ["klimat", "klimat", "arbete", "arbete"],
            "source": ["anslag_1_1", "eruf", "eruf", "private"],
            "granted_sek": [5, 0, 0, 0],
            "other_sek": [0, 40, 10, 30],
            "projects": [1, 1, 1, 1],
        }
    )
    fig = build_source_stacked(df, dim="goal", order=["klimat", "arbete"], labels=LABELS)
    assert [tr.name for tr in fig.data] == ["ERUF/Regionalfonden", "Privat"], "1:1 is not other capital"
    assert [round(v * MNKR) for v in fig.data[0].y] == [40, 10] and [round(v * MNKR) for v in fig.data[1].y] == [0, 30]
    point = {"points": [{"customdata": list(fig.data[1].customdata[1])}]}
    assert clicked(point) == [("source", "private"), ("goal", "arbete")]
    assert _is_empty_message(build_source_stacked(df[df["source"] == "anslag_1_1"], dim="goal", order=[], labels={}))


def test_leverage_bars_with_reference_line() -> None:
    fig = build_leverage_bars(GOALS, labels=LABELS, colors=COLORS, overall=16_000 / 10_500)
    bar = fig.data[0]
    assert list(bar.x) == [0.0, 1.0, 3.0]  # sorted ascending; the no-goal row has no other capital
    assert fig.layout.shapes[0].x0 == 16_000 / 10_500
    assert _is_empty_message(build_leverage_bars(EMPTY_GOALS, labels=LABELS, colors=COLORS, overall=float("nan")))


def test_sankey_links_carry_all_money() -> None:
    flows = pd.DataFrame(
        {"source": ["anslag_1_1", "eruf", "eruf"], "goal": ["klimat", "klimat", None], "amount_sek": [10, 20, 5]}
    )
    sk = build_sankey(flows, labels=LABELS, goal_order=["klimat", "arbete"], colors=COLORS).data[0]
    assert sk.type == "sankey"
    assert sum(sk.link.value) == 35
    assert list(sk.node.label) == ["Anslag 1:1", "ERUF/Regionalfonden", "Miljö och klimat", "(utan mål)"]
    assert _is_empty_message(build_sankey(flows.iloc[0:0], labels=LABELS, goal_order=[], colors=COLORS))


def test_clicked_ignores_other_points() -> None:
    assert clicked(None) == []
    assert clicked({"points": [{"customdata": "x"}]}) == []
    assert clicked({"points": [{"customdata": ["goal", "klimat", "x"]}]}) == [("goal", "klimat")]


def _plain(value: object) -> object:
    """JSON-like value with arrays as lists (a checked figure holds numpy arrays and tuples)."""
    import numpy as np

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if isinstance(value, np.generic):
        return value.item()
    return value


def test_figures_built_unchecked_equal_the_checked_ones(monkeypatch) -> None:
    """The app skips Plotly's property checks (``theme.VALIDATE``): every figure must be
    the same as with the checks, which coerce values (e.g. the template name to its object)."""
    from dashboard.figures import theme

    flows = pd.DataFrame({"source": ["anslag_1_1", "eruf"], "goal": ["klimat", None], "amount_sek": [10, 20]})
    years = pd.DataFrame({"year": [2023, 2024, 2024], "goal": ["klimat", "klimat", "arbete"], "granted_sek": [1, 2, 3]})
    builders = [
        lambda: build_goal_donut(GOALS, labels=LABELS, colors=COLORS, selected=("arbete",)),
        lambda: build_goal_bars(GOALS, labels=LABELS, colors=COLORS),
        lambda: build_year_stacked(years, labels=LABELS, colors=COLORS, goal_order=["klimat", "arbete"], share=True),
        lambda: build_leverage_bars(GOALS, labels=LABELS, colors=COLORS, overall=1.5, lang="en"),
        lambda: build_sankey(flows, labels=LABELS, goal_order=["klimat"], colors=COLORS),
        lambda: build_goal_bars(EMPTY_GOALS, labels=LABELS, colors=COLORS),
    ]
    for build in builders:
        monkeypatch.setattr(theme, "VALIDATE", True)
        checked = _plain(build().to_plotly_json())
        monkeypatch.setattr(theme, "VALIDATE", False)
        unchecked = _plain(build().to_plotly_json())
        assert unchecked == checked

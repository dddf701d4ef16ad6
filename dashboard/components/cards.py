"""KPI cards and accessible tables."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def make_kpi_card(label: str, value: str, *, help_text: str | None = None, kpi_id: str | None = None) -> dbc.Col:
    """One KPI: a small label over a big number (help text as a tooltip title)."""
    body = [html.Div(label, className="kpi-label"), html.Div(value, className="kpi-value")]
    if help_text:
        body.append(html.Div(help_text, className="kpi-help"))
    return dbc.Col(
        html.Div(body, className="kpi-card", title=help_text or "", id=kpi_id or ""),
        xs=6,
        md=4,
        xl=True,
    )


def make_table(
    header: list[str],
    rows: list[list[str]],
    *,
    caption: str,
    numeric: set[int] | None = None,
    footer: list[str] | None = None,
    table_id: str | None = None,
) -> dbc.Table:
    """A plain, screen-reader friendly table; ``numeric`` column indexes are right-aligned."""
    numeric = numeric or set()

    def cell(tag, i, text):  # noqa: ANN001
        return tag(text, className="text-end" if i in numeric else None)

    children = [
        html.Caption(caption),
        html.Thead(html.Tr([cell(html.Th, i, h) for i, h in enumerate(header)])),
        html.Tbody([html.Tr([cell(html.Td, i, v) for i, v in enumerate(r)]) for r in rows]),
    ]
    if footer:
        children.append(html.Tfoot(html.Tr([cell(html.Th, i, v) for i, v in enumerate(footer)])))
    kwargs = {"id": table_id} if table_id else {}
    return dbc.Table(children, striped=True, hover=True, size="sm", responsive=True, className="data-table", **kwargs)

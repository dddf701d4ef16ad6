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


def make_chart_card(
    *,
    graph_id: str,
    wrap_id: str,
    lang: str,
    config: dict,
    height: int,
    title: str | None = None,
    title_id: str | None = None,
    table_id: str | None = None,
    summary_id: str | None = None,
    controls: object | None = None,
    footer: list | None = None,
) -> dbc.Card:
    """A chart card: title (static or filled by a callback), optional switch,
    the graph in a labelled ``role=figure`` wrapper, a table alternative in a
    disclosure, and footnotes."""
    from dash import dcc

    from ..i18n import t

    heading = (
        html.H2(title, id=title_id, className="card-title h5")
        if title_id
        else html.H2(title, className="card-title h5")
    )
    header = html.Div([heading, controls] if controls is not None else [heading], className="chart-header")
    body: list = [
        header,
        # role=figure, not img: the chart holds its toolbar's buttons (an img's content is not read)
        html.Div(dcc.Graph(id=graph_id, config=config, style={"height": f"{height}px"}), id=wrap_id, role="figure"),
    ]
    if summary_id:
        body.append(html.P(id=summary_id, className="visually-hidden"))
    if table_id:
        body.append(html.Details([html.Summary(t("table.show", lang)), html.Div(id=table_id)], className="table-alt"))
    body += footer or []
    return dbc.Card(dbc.CardBody(body), className="chart-card h-100")

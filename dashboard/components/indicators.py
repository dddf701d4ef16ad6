"""Components of the indicator report: scorecard, goal sections, indicator cards."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from ..i18n import NBSP, format_number, t
from .cards import make_table

STATUS_CLASS = {
    "on_track": "status-on",
    "off_track": "status-off",
    "no_target": "status-none",
    "no_data": "status-none",
}


def decimals_for(kind: str | None) -> int:
    """Counts (persons, companies) are shown whole; shares, rates and levels keep one
    decimal (``9,2 per 1 000``, not ``9``). Takes the indicator's kind
    (:data:`dashboard.models.INDICATOR_KINDS`); an old-style unit ``antal`` reads as a count."""
    return 0 if kind in ("count", "antal") else 1


def kind_of(row: dict) -> str:
    """The kind of an indicator row (stored, or from its unit and name for rows without one)."""
    from ..models import indicator_kind

    kind = row.get("kind")
    return kind if isinstance(kind, str) and kind else indicator_kind(row.get("unit"), row.get("name_sv"))


def unit_text(row: dict, lang: str) -> str:
    """The unit shown after a value: ``%`` for a share, ``per 1 000`` for a rate (from the
    unit, or the name when the unit only says ``antal``), nothing for a count, else the unit."""
    import re

    kind, unit = kind_of(row), (row.get("unit") or "").strip()
    if kind == "share":
        return "%"
    if kind == "rate":
        found = re.search(r"per\s+(\d[\d\s\u00a0]*)", f"{unit} {row.get('name_sv') or ''}", re.IGNORECASE)
        if not found:
            return unit
        per = int(re.sub(r"\D", "", found.group(1)))
        return f"per{NBSP}{format_number(per, lang)}"
    if kind == "count" or unit.lower() == "antal":
        return ""
    return unit


def format_indicator_value(value: object, row: dict, lang: str) -> str:
    """A value in the indicator's own terms: ``62,3 %``, ``9,2 per 1 000``, ``152 757``, ``5,1 ton/inv``."""
    if value is None or pd.isna(value):
        return "–"
    unit = unit_text(row, lang)
    number = format_number(value, lang, decimals_for(kind_of(row)))
    if not unit:
        return number
    if unit == "%":
        return f"{number}{NBSP}%" if lang == "sv" else f"{number}%"
    return f"{number}{NBSP}{unit}"


def format_indicator_change(change: object, row: dict, lang: str, decimals: int | None = None) -> str:
    """A change with its sign, in percentage points for a share (``+1,2 procentenheter`` /
    ``+1.2 p.p.``), otherwise in the value's unit (a count stays whole)."""
    if change is None or pd.isna(change):
        return "–"
    kind = kind_of(row)
    d = decimals_for(kind) if decimals is None else decimals
    number = ("+" if float(change) > 0 else "") + format_number(change, lang, d)
    if kind == "share":
        return f"{number}{NBSP}{t('unit.percentage_points', lang)}"
    unit = unit_text(row, lang)
    return f"{number}{NBSP}{unit}" if unit else number


def source_line(row: dict, lang: str) -> str:
    """Where the values come from and when they were last loaded: ``Källa: SCB · uppdaterad 2026-11-29``."""
    updated = row.get("updated_at")
    has_date = updated is not None and not pd.isna(updated)
    when = pd.Timestamp(updated).strftime("%Y-%m-%d") if has_date else t("indicators.updated_unknown", lang)
    source = row.get("source") if isinstance(row.get("source"), str) and row.get("source") else "–"
    return t("indicators.source_line", lang, source=source, updated=when)


def status_badge(status: str, lang: str) -> html.Span:
    """A coloured status label (text, not colour alone)."""
    icon = {"on_track": "bi-check-circle-fill", "off_track": "bi-exclamation-triangle-fill"}.get(
        status, "bi-dash-circle"
    )
    return html.Span(
        [html.I(className=f"bi {icon} me-1", **{"aria-hidden": "true"}), t(f"status.{status}", lang)],
        className=f"status-badge {STATUS_CLASS.get(status, 'status-none')}",
    )


def indicator_name(row: dict | object, lang: str) -> str:
    """Display name of an indicator row."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return (get("name_en") if lang == "en" else None) or get("name_sv")


def make_scorecard(report: pd.DataFrame, goals: pd.DataFrame, lang: str, area_name: str) -> dbc.Table:
    """Goals (grouped by direction) × their indicators with status; each cell links to its section."""
    name_col = "name_en" if lang == "en" else "name_sv"
    dir_col = "direction_en" if lang == "en" else "direction_sv"
    rows = []
    for g in goals.to_dict("records"):
        inds = report[report["goal"] == g["code"]]
        cells = [
            html.A(
                [status_badge(r.status, lang), html.Span(indicator_name(r, lang), className="ms-1")],
                href=f"#ind-{r.indicator}",
                className="score-link",
            )
            for r in inds.itertuples(index=False)
        ]
        rows.append(
            html.Tr(
                [
                    html.Td(g.get(dir_col) or g["direction_sv"], className="text-muted small"),
                    html.Td(html.A(g.get(name_col) or g["name_sv"], href=f"#goal-{g['code']}")),
                    html.Td(html.Div(cells, className="score-cells") if cells else "–"),
                ]
            )
        )
    head = html.Thead(
        html.Tr([html.Th(t("col.direction", lang)), html.Th(t("col.goal", lang)), html.Th(t("col.indicator", lang))])
    )
    return dbc.Table(
        [html.Caption(t("indicators.scorecard.caption", lang, area=area_name)), head, html.Tbody(rows)],
        size="sm",
        className="data-table scorecard",
        responsive=True,
        id="indicators-scorecard-table",
    )


def make_indicator_card(
    row: dict, chart: object, values: pd.DataFrame, region: str, area_labels: dict[str, str], lang: str
) -> dbc.Card:
    """One indicator: chart, latest value, change since 2022, target, status with its rule, table alternative."""

    def num(v: object) -> str:
        return format_indicator_value(v, row, lang)

    change_text = format_indicator_change(row.get("change"), row, lang)
    target = "–"
    if row.get("target_value") is not None and not pd.isna(row["target_value"]):
        target = f"{num(row['target_value'])} ({int(row['target_year'])})"
    facts = [
        html.Dt(t("indicators.latest", lang, year=row.get("latest_year") or "–")),
        html.Dd(num(row.get("latest_value"))),
        html.Dt(t("indicators.change", lang)),
        html.Dd(change_text),
        html.Dt(t("indicators.target_label", lang)),
        html.Dd(
            [
                target,
                html.Span(t("strategy.illustrative", lang), className="badge-illustrative ms-2")
                if row.get("target_illustrative")
                else None,
            ]
        ),
    ]
    trend = None
    if row.get("slope") is not None and row.get("required_slope") is not None and not pd.isna(row["required_slope"]):
        trend = html.P(
            t(
                "indicators.trend",
                lang,
                trend=format_indicator_change(row["slope"], row, lang, 2),
                required=format_indicator_change(row["required_slope"], row, lang, 2),
            ),
            className="small text-muted mb-1",
        )
    own = (
        values.pivot_table(index="year", columns="area", values="value", aggfunc="first") if not values.empty else None
    )
    table = None
    if own is not None:
        areas = [
            a for a in [region, "0000", *[c for c in own.columns if c not in (region, "0000")]] if a in own.columns
        ]
        rows = [
            [str(int(y)), *[num(own.at[y, a]) if not pd.isna(own.at[y, a]) else "–" for a in areas]] for y in own.index
        ]
        table = make_table(
            [t("col.year", lang), *[area_labels.get(a, a) for a in areas]],
            rows,
            caption=t("indicators.table.caption", lang, name=indicator_name(row, lang)),
            numeric=set(range(1, len(areas) + 1)),
        )
    summary = t(
        "indicators.summary",
        lang,
        name=indicator_name(row, lang),
        area=area_labels.get(region, region),
        value=num(row.get("latest_value")),
        year=row.get("latest_year") or "–",
        status=t(f"status.{row['status']}", lang),
    )
    kpi = f" · Kolada {row['kpi']}" if isinstance(row.get("kpi"), str) and row["kpi"] else ""
    unit = unit_text(row, lang) or t(f"indicators.kind.{kind_of(row)}", lang)
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [html.H4(indicator_name(row, lang), className="h6 mb-0"), status_badge(row["status"], lang)],
                    className="indicator-head",
                ),
                html.P(f"{unit}{kpi}", className="small text-muted mb-0"),
                html.P(source_line(row, lang), className="small text-muted mb-1 indicator-source"),
                dbc.Row(
                    [
                        dbc.Col(html.Div(chart, role="figure", **{"aria-label": summary}), lg=8),
                        dbc.Col([html.Dl(facts, className="detail-facts"), trend], lg=4),
                    ]
                ),
                html.Details([html.Summary(t("table.show", lang)), table], className="table-alt") if table else None,
            ]
        ),
        className="chart-card indicator-card mb-3",
        id=f"ind-{row['indicator']}",
    )


def make_goal_header(goal: dict, lang: str, n_projects: int, money: str, href: str) -> html.Div:
    """A goal's heading with the way from the goal to its projects and money."""
    name = (goal.get("name_en") if lang == "en" else None) or goal["name_sv"]
    link = (
        dcc.Link(
            t("link.show_projects", lang, n=format_number(n_projects, lang)),
            href=href,
            className="show-projects",
            id=f"goal-projects-{goal['code']}",
        )
        if n_projects
        else html.Span("0", className="text-muted")
    )
    return html.Div(
        [
            html.H3(name, className="h5 goal-title"),
            html.P([t("indicators.to_projects", lang), " ", link, " · ", money], className="small"),
        ],
        id=f"goal-{goal['code']}",
        className="goal-section-head",
    )

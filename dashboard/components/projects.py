"""Components of the project list: grid column definitions and the detail view."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from ..i18n import format_number, format_percent, format_sek, source_label, status_label, t
from ..models import SHARE_SCALE
from ..transforms import PROJECT_ROW_COLUMNS
from .cards import make_table

GRID_LOCALE_SV = {
    "page": "Sida",
    "of": "av",
    "to": "till",
    "more": "fler",
    "next": "Nästa",
    "previous": "Föregående",
    "first": "Första",
    "last": "Sista",
    "filterOoo": "Filtrera…",
    "contains": "Innehåller",
    "notContains": "Innehåller inte",
    "equals": "Lika med",
    "notEqual": "Inte lika med",
    "startsWith": "Börjar med",
    "endsWith": "Slutar med",
    "blank": "Tom",
    "notBlank": "Inte tom",
    "lessThan": "Mindre än",
    "greaterThan": "Större än",
    "lessThanOrEqual": "Mindre än eller lika med",
    "greaterThanOrEqual": "Större än eller lika med",
    "inRange": "Mellan",
    "andCondition": "OCH",
    "orCondition": "ELLER",
    "noRowsToShow": "Inga projekt att visa",
    "loadingOoo": "Laddar…",
    "applyFilter": "Använd",
    "resetFilter": "Återställ",
    "clearFilter": "Rensa",
    "pageSizeSelectorLabel": "Rader per sida:",
    "ariaRowSelect": "Välj rad",
    # what a screen reader says (AG Grid's aria texts are English unless given)
    "firstPage": "Första sidan",
    "previousPage": "Föregående sida",
    "nextPage": "Nästa sida",
    "lastPage": "Sista sidan",
    "pageLastRowUnknown": "?",
    "ariaPageSizeSelectorLabel": "Rader per sida",
    "ariaSortableColumn": "Tryck Enter för att sortera",
    "ariaFilterColumn": "Tryck Ctrl+Enter för att filtrera",
    "ariaMenuColumn": "Tryck Alt+Nedpil för att öppna kolumnmenyn",
    "ariaColumnFiltered": "Kolumnen är filtrerad",
    "ariaFilterInput": "Filtervärde",
    "ariaFilterValue": "Filtervärde",
    "ariaFilterFromValue": "Filtrera från värde",
    "ariaFilterToValue": "Filtrera till värde",
    "ariaFilteringOperator": "Filtervillkor",
    "ariaFilterMenuOpen": "Öppna filtermenyn",
    "ariaLabelColumnFilter": "Kolumnfilter",
    "ariaLabelColumnMenu": "Kolumnmeny",
    "ariaLabelSelectField": "Välj värde",
    "ariaDateFilterInput": "Datumfilter",
    "ariaSkeletonCellLoading": "Raden laddas",
    "ariaSkeletonCellLoadingFailed": "Raden kunde inte laddas",
    "ariaDeferSkeletonCellLoading": "Cellen laddas",
    "ariaChecked": "markerad",
    "ariaUnchecked": "inte markerad",
    "ariaIndeterminate": "delvis markerad",
    "ariaRowDeselect": "Tryck mellanslag för att avmarkera raden",
    "ariaRowSelectAll": "Tryck mellanslag för att markera alla rader",
    "ariaRowToggleSelection": "Tryck mellanslag för att markera raden",
    "noMatchingRows": "Inga projekt matchar",
    "invalidNumber": "Ogiltigt tal",
    "invalidDate": "Ogiltigt datum",
}

EXPORT_COLUMNS = PROJECT_ROW_COLUMNS
"""The grid and the exports show the same columns as the project rows."""
_HEADER_KEYS = {
    "reference": "col.reference",
    "title": "col.title",
    "theme": "col.theme",
    "goals": "col.goals",
    "status": "col.status",
    "decision_year": "col.decision_year",
    "start_date": "col.start",
    "end_date": "col.end",
    "owner": "col.owner",
    "municipalities": "col.municipalities",
    "granted_sek": "col.granted",
    "other_sek": "col.other",
    "total_sek": "col.total",
    "leverage": "col.leverage",
    "goal_share": "col.goal_share",
    "goal_granted_sek": "col.goal_granted",
}


def column_headers(lang: str, *, with_units: bool = False) -> dict[str, str]:
    """Column → display header (exports add the unit to money columns)."""
    out = {c: t(key, lang) for c, key in _HEADER_KEYS.items()}
    if with_units:
        unit = " (kr)" if lang == "sv" else " (SEK)"
        for c in ("granted_sek", "other_sek", "total_sek", "goal_granted_sek"):
            out[c] += unit
        out["goal_share"] += " (%)"
    return out


def make_column_defs(lang: str, *, goal_parts: bool = False) -> list[dict[str, Any]]:
    """AG Grid column definitions with Swedish (or English) headers and formatted money.
    ``goal_parts`` (the list is filtered by goal): after the goals, the chosen goals'
    share of each project and their part of its 1:1 money."""
    headers = column_headers(lang)
    money = {
        "type": "rightAligned",
        "filter": "agNumberColumnFilter",
        "valueFormatter": {"function": f"sek(params.value, '{lang}')"},
        "width": 130,
    }
    goal_columns = (
        [
            {
                "field": "goal_share",
                "headerName": headers["goal_share"],
                "headerTooltip": t("projects.goal_share.help", lang),
                "type": "rightAligned",
                "width": 120,
                "sortable": False,
                "filter": False,
                "valueFormatter": {"function": f"percent(params.value, '{lang}')"},
            },
            {
                "field": "goal_granted_sek",
                "headerName": headers["goal_granted_sek"],
                "headerTooltip": t("projects.goal_granted.help", lang),
                "type": "rightAligned",
                "width": 180,
                "sortable": False,
                "filter": False,
                "valueFormatter": {"function": f"sek(params.value, '{lang}')"},
            },
        ]
        if goal_parts
        else []
    )
    # The money comes right after the title, so that it is on the first screen at 1280 px
    # (the list is "the projects behind the numbers"); the exports keep their own order.
    return [
        {
            "field": "reference",
            "headerName": headers["reference"],
            "pinned": "left",
            "width": 165,
            "cellClass": "cell-link",
        },
        {"field": "title", "headerName": headers["title"], "flex": 2, "minWidth": 200, "tooltipField": "title"},
        {"field": "granted_sek", "headerName": headers["granted_sek"], **money},
        {"field": "other_sek", "headerName": headers["other_sek"], **money},
        {"field": "total_sek", "headerName": headers["total_sek"], **money},
        {
            "field": "leverage",
            "headerName": headers["leverage"],
            "type": "rightAligned",
            "width": 110,
            "filter": "agNumberColumnFilter",
            "valueFormatter": {"function": f"decimal(params.value, '{lang}', 1)"},
        },
        # goals, municipalities and status are filtered with the shared filter bar
        {
            "field": "goals",
            "headerName": headers["goals"],
            "width": 190,
            "tooltipField": "goals",
            "sortable": False,
            "filter": False,
        },
        *goal_columns,
        {"field": "theme", "headerName": headers["theme"], "width": 165},
        {"field": "status", "headerName": headers["status"], "width": 110, "filter": False},
        {
            "field": "decision_year",
            "headerName": headers["decision_year"],
            "width": 135,  # "Decision year" and its filter icon
            "filter": "agNumberColumnFilter",
        },
        {"field": "start_date", "headerName": headers["start_date"], "width": 110},
        {"field": "end_date", "headerName": headers["end_date"], "width": 110},
        {"field": "owner", "headerName": headers["owner"], "width": 165},
        {
            "field": "municipalities",
            "headerName": headers["municipalities"],
            "width": 150,
            "sortable": False,
            "filter": False,
        },
    ]


def make_project_detail(detail: dict[str, Any], lang: str) -> html.Div:
    """Everything about one project: facts, funding by source, goals with shares,
    priorities, municipalities and results."""
    theme = (detail.get("theme_en") if lang == "en" else None) or detail.get("theme_sv") or ""
    facts = [
        (t("col.reference", lang), detail["reference"]),
        (t("col.theme", lang), theme),
        (t("col.status", lang), status_label(detail["status"], lang)),
        (t("col.owner", lang), detail.get("owner") or ""),
        (t("detail.decision", lang), str(detail.get("decision_date") or "–")),
        (
            t("detail.period", lang),
            html.Span(
                [
                    html.Span(str(detail.get("start_date") or "–"), className="nowrap"),
                    " – ",
                    html.Span(str(detail.get("end_date") or "–"), className="nowrap"),
                ]
            ),
        ),
    ]
    funding = detail["funding"]
    total = sum(int(r["amount_sek"]) for r in funding)
    funding_table = make_table(
        [t("col.source", lang), t("detail.financier", lang), t("col.amount", lang), t("col.share", lang)],
        [
            [
                source_label(r["source"], lang),
                r.get("financier") or "",
                format_sek(r["amount_sek"], lang),
                format_percent(r["amount_sek"] / total if total else None, lang),
            ]
            for r in funding
        ],
        caption=t("detail.funding", lang),
        numeric={2, 3},
        footer=[
            "Totalt" if lang == "sv" else "Total",
            "",
            format_sek(total, lang),
            format_percent(1.0 if total else None, lang),
        ],
    )
    goals = html.Ul(
        [
            html.Li(
                f"{(g.get('name_en') if lang == 'en' else None) or g['name_sv']} – "
                f"{format_percent(g['share_bp'] / SHARE_SCALE, lang, 0)}"
            )
            for g in detail["goals"]
        ]
    )
    priorities = html.Ul(
        [html.Li((p.get("name_en") if lang == "en" else None) or p["name_sv"]) for p in detail["priorities"]]
    )
    if detail.get("whole_county"):
        munis: html.Component = html.P(t("projects.whole_county", lang))
    else:
        munis = html.Ul(
            [
                html.Li(f"{m['name']} ({format_percent(m['share_bp'] / SHARE_SCALE, lang, 0)})")
                for m in detail["municipalities"]
            ]
        )
    results = make_table(
        [t("detail.measure", lang), t("detail.planned", lang), t("detail.achieved", lang)],
        [
            [
                f"{r['measure']}" + (f" ({r['unit']})" if r.get("unit") else ""),
                format_number(r.get("planned"), lang),
                format_number(r.get("achieved"), lang),
            ]
            for r in detail["results"]
        ],
        caption=t("detail.results", lang),
        numeric={1, 2},
    )
    return html.Div(
        [
            html.Dl([item for k, v in facts for item in (html.Dt(k), html.Dd(v))], className="detail-facts"),
            html.H3(t("detail.description", lang), className="h6"),
            html.P(detail.get("description") or "–"),
            html.H3(t("detail.expected", lang), className="h6"),
            html.P(detail.get("expected_results") or "–"),
            funding_table,
            dbc.Row(
                [
                    dbc.Col([html.H3(t("detail.goals", lang), className="h6"), goals], md=4),
                    dbc.Col([html.H3(t("detail.priorities", lang), className="h6"), priorities], md=5),
                    dbc.Col([html.H3(t("detail.municipalities", lang), className="h6"), munis], md=3),
                ]
            ),
            results,
        ]
    )

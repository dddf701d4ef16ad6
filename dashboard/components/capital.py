"""Components of the development-capital view."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc

from ..figures.capital import none_label
from ..figures.theme import SOURCE_COLORS
from ..i18n import format_leverage, format_mnkr, format_sek, mnkr_parts, source_label, t
from ..models import GRANT_SOURCE
from .cards import make_table
from .links import make_show_projects


def _total_label(lang: str) -> str:
    return "Totalt" if lang == "sv" else "Total"


def describe_sources(money: pd.DataFrame, lang: str, period: str) -> str:
    """One sentence on other capital by source (for screen readers)."""
    other = money[money["source"] != GRANT_SOURCE].groupby("source")["other_sek"].sum()
    other = other[other > 0]
    if other.empty:
        return t("capital.empty", lang)
    order = [s for s in SOURCE_COLORS if s in other.index]  # as the Sankey's source nodes
    labels = dict(zip(order, mnkr_parts([int(other[s]) for s in order], lang), strict=True))
    top = other.idxmax()
    return t(
        "capital.sources.summary",
        lang,
        total=format_mnkr(int(other.sum()), lang),
        period=period,
        top=source_label(top, lang),
        value=labels[top],
    )


def make_source_table(
    money: pd.DataFrame,
    *,
    dim: str,
    order: list,
    labels: dict,
    lang: str,
    caption: str,
    drill: dict | None = None,
) -> dbc.Table:
    """Rows per goal/theme/year, columns per source, with row and column totals
    that add up; ``drill`` maps a row key to (projects, href) for 'Visa N projekt'."""
    data = money[(money["source"] != GRANT_SOURCE) & (money["other_sek"] > 0)]
    # one pass into {(row key, source): kronor}; pandas filtering per cell cost ~10 ms per table
    cells: dict[tuple, int] = {}
    for key, source, amount in zip(
        data[dim].tolist(), data["source"].tolist(), data["other_sek"].tolist(), strict=True
    ):
        key = None if pd.isna(key) else key  # NaN/NA → None (no goal)
        cells[(key, source)] = cells.get((key, source), 0) + int(amount)
    present = {k for k, _ in cells}
    sources = [s for s in SOURCE_COLORS if any(src == s for _, src in cells)]
    keys = [k for k in order if k in present]
    if None in present:
        keys.append(None)
    rows = []
    for key in keys:
        values = [cells.get((key, s), 0) for s in sources]
        name = labels.get(key, none_label(dim, lang)) if key is not None else none_label(dim, lang)
        row = [str(name), *[format_sek(v, lang) for v in values], format_sek(sum(values), lang)]
        if drill is not None:
            n, href = drill.get(key, (0, ""))
            row.append(make_show_projects(n, href, lang))
        rows.append(row)
    totals = [sum(v for (_, src), v in cells.items() if src == s) for s in sources]
    footer = [_total_label(lang), *[format_sek(v, lang) for v in totals], format_sek(sum(totals), lang)]
    header = [t(f"capital.dim.{dim}.label", lang), *[source_label(s, lang) for s in sources], _total_label(lang)]
    numeric = set(range(1, len(header)))
    if drill is not None:
        header.append(t("col.projects", lang))
        footer.append("")
    return make_table(header, rows, caption=caption, numeric=numeric, footer=footer)


def make_leverage_table(table: pd.DataFrame, labels: dict[str, str], lang: str, caption: str) -> dbc.Table:
    """Goal, 1:1, other capital and leverage, with the overall level as the total row."""
    rows = [
        [
            labels.get(r.goal, t("goal.none", lang)) if isinstance(r.goal, str) else t("goal.none", lang),
            format_sek(r.granted_sek, lang),
            format_sek(r.other_sek, lang),
            format_leverage(r.leverage, lang),
        ]
        for r in table.itertuples(index=False)
    ]
    granted, other = int(table["granted_sek"].sum()), int(table["other_sek"].sum())
    footer = [
        _total_label(lang),
        format_sek(granted, lang),
        format_sek(other, lang),
        format_leverage(other / granted if granted else None, lang),
    ]
    header = [t("col.goal", lang), t("col.granted", lang), t("col.other", lang), t("col.leverage", lang)]
    return make_table(header, rows, caption=caption, numeric={1, 2, 3}, footer=footer)


def make_sankey_table(flows: pd.DataFrame, labels: dict[str, str], lang: str, caption: str) -> dbc.Table:
    """Source, goal, amount — the Sankey's links as a table."""
    rows = [
        [
            source_label(r.source, lang),
            labels.get(r.goal, t("goal.none", lang)) if r.goal else t("goal.none", lang),
            format_sek(int(r.amount_sek), lang),
        ]
        for r in flows.itertuples(index=False)
    ]
    footer = [_total_label(lang), "", format_sek(int(flows["amount_sek"].sum()) if not flows.empty else 0, lang)]
    return make_table(
        [t("col.source", lang), t("col.goal", lang), t("col.amount", lang)],
        rows,
        caption=caption,
        numeric={2},
        footer=footer,
    )


def make_top_table(top: pd.DataFrame, theme_labels: dict[str, str], lang: str, caption: str) -> dbc.Table:
    """Top projects by leverage, each reference linking to the project's details."""
    rows = [
        [
            dcc.Link(r.reference, href=f"/projekt?project={r.reference}"),
            r.title,
            theme_labels.get(r.theme, r.theme or ""),
            format_sek(r.granted_sek, lang),
            format_sek(r.other_sek, lang),
            format_leverage(r.leverage, lang),
        ]
        for r in top.itertuples(index=False)
    ]
    header = [
        t("col.reference", lang),
        t("col.title", lang),
        t("col.theme", lang),
        t("col.granted", lang),
        t("col.other", lang),
        t("col.leverage", lang),
    ]
    return make_table(header, rows, caption=caption, numeric={3, 4, 5})

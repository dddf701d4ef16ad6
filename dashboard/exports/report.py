"""The yearly report on the use of anslag 1:1: PDF (reportlab), XLSX (one sheet
per table) and a PNG per chart (kaleido with the system Chromium)."""

from __future__ import annotations

import io
import logging
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import pandas as pd
from sqlalchemy import Engine

from ..figures.allocation import build_goal_donut
from ..figures.theme import SOURCE_COLORS, apply_layout, color_map
from ..filters import FilterState
from ..i18n import (
    format_leverage,
    format_number,
    format_percent,
    format_sek,
    mnkr_parts,
    percent_parts,
    source_label,
    t,
)
from ..models import DECIDED_STATUSES, FUNDING_SOURCES, GRANT_SOURCE
from ..queries.common import load_vocabulary
from ..queries.money import load_money
from ..queries.projects import load_projects
from ..transforms import compute_goal_allocation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportPack:
    """The report's files."""

    year: int
    pdf: bytes
    xlsx: bytes
    pngs: dict[str, bytes]
    tables: dict[str, pd.DataFrame]

    def zip(self) -> bytes:
        """All files in one ZIP."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"rapport-anslag-1-1-{self.year}.pdf", self.pdf)
            z.writestr(f"rapport-anslag-1-1-{self.year}.xlsx", self.xlsx)
            for name, png in self.pngs.items():
                z.writestr(f"{name}-{self.year}.png", png)
        return buf.getvalue()


def _png(fig, width: int = 1000, height: int = 560) -> bytes | None:  # noqa: ANN001
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fig.to_image(format="png", width=width, height=height, scale=2)
    except Exception as exc:
        log.warning("chart image skipped: %s", exc)
        return None


OTHER_SOURCES = tuple(s for s in FUNDING_SOURCES if s != GRANT_SOURCE)
"""Development capital: every source but the 1:1 grant (as the KPI "Utvecklingskapital")."""


def report_tables(engine: Engine, year: int, lang: str = "sv") -> dict[str, pd.DataFrame]:
    """The report's tables for one decision year (money in whole kronor). ``sources`` is the
    development capital by source: the other capital, without the 1:1 grant, so that it
    adds up to the goals' other capital (the KPI)."""
    vocab = load_vocabulary(engine)
    f = FilterState(year_from=year, year_to=year)
    codes = list(vocab.goals["code"])
    names = vocab.goal_labels(lang)
    goals = compute_goal_allocation(load_money(engine, f, ["goal"]), codes)
    goals = goals.assign(
        goal_name=[
            names.get(g, t("goal.none", lang)) if isinstance(g, str) else t("goal.none", lang) for g in goals["goal"]
        ]
    )
    by_source = load_money(engine, f, ["source"])
    amounts = dict(zip(by_source["source"], by_source["other_sek"], strict=True))
    sources = pd.DataFrame(
        {
            "source": list(OTHER_SOURCES),
            "source_name": [source_label(s, lang) for s in OTHER_SOURCES],
            "amount_sek": [int(amounts.get(s, 0)) for s in OTHER_SOURCES],
        }
    )
    projects = load_projects(engine, f.with_values(status=DECIDED_STATUSES), limit=None)
    theme_names = vocab.theme_labels(lang)
    projects = (
        projects.assign(
            theme_name=projects["theme"].map(lambda c: theme_names.get(c, c) if isinstance(c, str) else ""),
            total_sek=projects["granted_sek"] + projects["other_sek"],
            decision_date=projects["decision_date"].astype(str),
        )
        .sort_values(["decision_date", "reference"])
        .reset_index(drop=True)
    )
    themes = load_money(engine, f, ["theme"])
    themes = themes.assign(
        theme_name=themes["theme"].map(
            lambda c: theme_names.get(c, c) if isinstance(c, str) else t("theme.none", lang)
        ),
        leverage=(themes["other_sek"] / themes["granted_sek"].where(themes["granted_sek"] > 0)),
    )
    order = {c: i for i, c in enumerate(vocab.themes["code"])}
    themes = themes.sort_values("theme", key=lambda s: s.map(order)).reset_index(drop=True)
    return {"goals": goals, "sources": sources, "projects": projects, "themes": themes}


def _source_bar(sources: pd.DataFrame, lang: str):
    import plotly.graph_objects as go

    data = sources[(sources["source"] != GRANT_SOURCE) & (sources["amount_sek"] > 0)]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=data["source_name"],
            x=data["amount_sek"] / 1e6,
            marker={"color": [SOURCE_COLORS[s] for s in data["source"]]},
            # the bars' labels add up to the label of all development capital
            text=mnkr_parts([int(v) for v in data["amount_sek"]], lang),
            textposition="outside",
            cliponaxis=False,
        )
    )
    apply_layout(fig, lang, height=420)
    fig.update_layout(margin={"l": 10, "r": 60, "t": 10, "b": 10})
    fig.update_xaxes(ticksuffix="\u00a0mnkr", gridcolor="#e5e8eb")
    fig.update_yaxes(automargin=True, autorange="reversed", ticksuffix="  ")
    fig.update_xaxes(automargin=True)
    return fig


def build_report(
    engine: Engine, year: int, lang: str = "sv", *, today: date | None = None, with_charts: bool = True
) -> ReportPack:
    """Build the PDF, the workbook and the chart images for ``year``."""
    tables = report_tables(engine, year, lang)
    vocab = load_vocabulary(engine)
    codes = list(vocab.goals["code"])
    pngs: dict[str, bytes] = {}
    if with_charts:
        donut = build_goal_donut(
            tables["goals"], labels=vocab.goal_labels(lang, short=True), colors=color_map(codes), lang=lang
        )
        charts = (
            ("fordelning-per-mal", donut, 1000, 560),
            ("utvecklingskapital-per-kalla", _source_bar(tables["sources"], lang), 1000, 440),
        )
        for name, fig, width, height in charts:
            png = _png(fig, width, height)
            if png:
                pngs[name] = png
    return ReportPack(
        year=year,
        pdf=_pdf(tables, pngs, year, lang, today or date.today(), vocab.strategy_name),
        xlsx=_xlsx(tables, lang),
        pngs=pngs,
        tables=tables,
    )


def _xlsx(tables: dict[str, pd.DataFrame], lang: str) -> bytes:
    from .tables import to_xlsx_bytes

    sv = lang == "sv"
    kr = " (kr)" if sv else " (SEK)"
    return to_xlsx_bytes(
        {
            "Mål" if sv else "Goals": (
                tables["goals"],
                {
                    "goal_name": t("col.goal", lang),
                    "granted_sek": t("col.granted", lang) + kr,
                    "other_sek": t("col.other", lang) + kr,
                    "leverage": t("col.leverage", lang),
                    "projects": t("col.projects", lang),
                },
            ),
            "Källor" if sv else "Sources": (
                tables["sources"],
                {"source_name": t("col.source", lang), "amount_sek": t("col.amount", lang) + kr},
            ),
            "Projekt" if sv else "Projects": (
                tables["projects"],
                {
                    "reference": t("col.reference", lang),
                    "title": t("col.title", lang),
                    "theme_name": t("col.theme", lang),
                    "owner": t("col.owner", lang),
                    "decision_date": t("detail.decision", lang),
                    "granted_sek": t("col.granted", lang) + kr,
                    "total_sek": t("col.total", lang) + kr,
                },
            ),
            "Teman" if sv else "Themes": (
                tables["themes"],
                {
                    "theme_name": t("col.theme", lang),
                    "projects": t("col.projects", lang),
                    "granted_sek": t("col.granted", lang) + kr,
                    "other_sek": t("col.other", lang) + kr,
                    "leverage": t("col.leverage", lang),
                },
            ),
        }
    )


def _pdf(
    tables: dict[str, pd.DataFrame], pngs: dict[str, bytes], year: int, lang: str, today: date, strategy: str
) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    sv = lang == "sv"
    buf = io.BytesIO()
    title = f"Användningen av anslag 1:1 år {year}" if sv else f"The use of 1:1 grants in {year}"
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm, title=title
    )
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9)

    def p(text: object, style=small) -> Paragraph:  # noqa: ANN001
        return Paragraph(escape(str(text)), style)

    def table(
        header: list[str],
        rows: list[list],
        widths: list[float],
        footer: list | None = None,
        numeric: set[int] | None = None,
    ) -> Table:
        numeric = numeric or set()
        right = ParagraphStyle("right", parent=small, alignment=2)

        def cell(i: int, v: object) -> Paragraph:
            return p(v, right if i in numeric else small)

        data = [[cell(i, h) for i, h in enumerate(header)]] + [[cell(i, v) for i, v in enumerate(r)] for r in rows]
        if footer:
            data.append([cell(i, v) for i, v in enumerate(footer)])
        tbl = Table(data, colWidths=widths, repeatRows=1)
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E7F0F8")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1F4E79")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        if footer:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.HexColor("#1F4E79")))
        tbl.setStyle(TableStyle(style))
        return tbl

    goals, sources, projects, themes = tables["goals"], tables["sources"], tables["projects"], tables["themes"]
    granted, other = int(goals["granted_sek"].sum()), int(goals["other_sek"].sum())
    story: list = [
        Paragraph(escape(title), styles["Title"]),
        p(
            f"{strategy} · "
            + (
                f"Beslutsår {year}. Skapad {today.isoformat()} med RUS-dashboard."
                if sv
                else f"Decision year {year}. Made {today.isoformat()} with RUS dashboard."
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        p(
            (
                f"Under {year} beviljades {format_sek(granted, lang)} i anslag 1:1 till {format_number(len(projects), lang)} "
                f"projekt. Projekten drar in {format_sek(other, lang)} i annat kapital, en hävstång på "
                f"{format_leverage(other / granted if granted else None, lang)}."
            )
            if sv
            else (
                f"In {year}, {format_sek(granted, lang)} of 1:1 grants went to {format_number(len(projects), lang)} projects, "
                f"which bring {format_sek(other, lang)} of other capital, a leverage of "
                f"{format_leverage(other / granted if granted else None, lang)}."
            ),
            body,
        ),
        Paragraph("1. " + ("Fördelning per mål" if sv else "Allocation per goal"), styles["Heading2"]),
    ]
    if "fordelning-per-mal" in pngs:
        story.append(Image(io.BytesIO(pngs["fordelning-per-mal"]), width=170 * mm, height=170 * mm * 560 / 1000))
    story.append(
        table(
            [
                t("col.goal", lang),
                t("col.granted", lang),
                t("col.share", lang),
                t("col.other", lang),
                t("col.leverage", lang),
            ],
            [
                [
                    r.goal_name,
                    format_sek(r.granted_sek, lang),
                    share,
                    format_sek(r.other_sek, lang),
                    format_leverage(r.leverage, lang),
                ]
                for r, share in zip(
                    goals.itertuples(index=False),
                    percent_parts([int(v) for v in goals["granted_sek"]], lang),
                    strict=True,
                )
            ],
            [66 * mm, 28 * mm, 18 * mm, 28 * mm, 20 * mm],
            footer=[
                "Totalt" if sv else "Total",
                format_sek(granted, lang),
                format_percent(1.0 if granted else None, lang),
                format_sek(other, lang),
                format_leverage(other / granted if granted else None, lang),
            ],
            numeric={1, 2, 3, 4},
        )
    )
    story.append(
        p(
            "Ett projekt som bidrar till flera mål delas efter sina andelar; målen summerar exakt till totalen."
            if sv
            else "A project serving several goals is split by its shares; the goals add up to the total."
        )
    )
    story.append(
        Paragraph(
            "2. "
            + (
                "Utvecklingskapital per källa (annat kapital än anslag 1:1)"
                if sv
                else "Development capital by source (capital other than 1:1 grants)"
            ),
            styles["Heading2"],
        )
    )
    if "utvecklingskapital-per-kalla" in pngs:
        story.append(
            Image(io.BytesIO(pngs["utvecklingskapital-per-kalla"]), width=170 * mm, height=170 * mm * 440 / 1000)
        )
    total_sources = int(sources["amount_sek"].sum())
    story.append(
        table(
            [t("col.source", lang), t("col.amount", lang), t("col.share", lang)],
            [
                [r.source_name, format_sek(r.amount_sek, lang), share]
                for r, share in zip(
                    sources.itertuples(index=False),
                    percent_parts([int(v) for v in sources["amount_sek"]], lang),
                    strict=True,
                )
            ],
            [80 * mm, 40 * mm, 25 * mm],
            footer=[
                ("Totalt utvecklingskapital" if sv else "Total development capital"),
                format_sek(total_sources, lang),
                format_percent(1.0 if total_sources else None, lang),
            ],
            numeric={1, 2},
        )
    )
    story.append(
        p(
            f"Anslag 1:1 ({format_sek(granted, lang)}) räknas inte hit; med det är den totala projektbudgeten "
            f"{format_sek(granted + total_sources, lang)}."
            if sv
            else f"1:1 grants ({format_sek(granted, lang)}) are not included; with them the total project budgets "
            f"are {format_sek(granted + total_sources, lang)}."
        )
    )
    story.append(
        Paragraph("3. " + (f"Beslutade projekt {year}" if sv else f"Projects decided in {year}"), styles["Heading2"])
    )
    story.append(
        table(
            [
                t("col.reference", lang),
                t("col.title", lang),
                t("col.theme", lang),
                t("detail.decision", lang),
                t("col.granted", lang),
                t("col.total", lang),
            ],
            [
                [
                    r.reference,
                    r.title,
                    r.theme_name,
                    r.decision_date,
                    format_sek(r.granted_sek, lang),
                    format_sek(r.total_sek, lang),
                ]
                for r in projects.itertuples(index=False)
            ],
            [30 * mm, 44 * mm, 32 * mm, 20 * mm, 23 * mm, 23 * mm],
            footer=[
                "Totalt" if sv else "Total",
                f"{len(projects)} projekt" if sv else f"{len(projects)} projects",
                "",
                "",
                format_sek(int(projects["granted_sek"].sum()), lang),
                format_sek(int(projects["total_sek"].sum()), lang),
            ],
            numeric={4, 5},
        )
    )
    story.append(Paragraph("4. " + ("Sammanfattning per tema" if sv else "Summary per theme"), styles["Heading2"]))
    story.append(
        table(
            [
                t("col.theme", lang),
                t("col.projects", lang),
                t("col.granted", lang),
                t("col.other", lang),
                t("col.leverage", lang),
            ],
            [
                [
                    r.theme_name,
                    format_number(r.projects, lang),
                    format_sek(r.granted_sek, lang),
                    format_sek(r.other_sek, lang),
                    format_leverage(r.leverage, lang),
                ]
                for r in themes.itertuples(index=False)
            ],
            [60 * mm, 20 * mm, 32 * mm, 32 * mm, 22 * mm],
            footer=[
                "Totalt" if sv else "Total",
                format_number(int(themes["projects"].sum()), lang),  # each project has one theme (or none)
                format_sek(int(themes["granted_sek"].sum()), lang),
                format_sek(int(themes["other_sek"].sum()), lang),
                format_leverage(other / granted if granted else None, lang),
            ],
            numeric={1, 2, 3, 4},
        )
    )
    doc.build(story)
    return buf.getvalue()

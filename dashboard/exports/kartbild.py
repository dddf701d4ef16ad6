"""A theme's kartbild as a one-page PDF (reportlab) and as PNG (the PDF page
rendered with pdfium). The pipeline chart is drawn by kaleido with the system
Chromium; without a browser the PDF still builds, with a table instead."""

from __future__ import annotations

import io
import logging
import warnings
from datetime import date
from xml.sax.saxutils import escape

from ..figures.themes import build_pipeline
from ..i18n import format_mnkr, format_month, format_month_span, format_number, mnkr_parts, t

log = logging.getLogger(__name__)


def _chart_png(fig, width: int, height: int) -> bytes | None:  # noqa: ANN001
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fig.to_image(format="png", width=width, height=height, scale=2)
    except Exception as exc:
        log.warning("chart image skipped: %s", exc)
        return None


def kartbild_pdf(tm, *, theme_name: str, reference: date, goal_labels: dict[str, str], lang: str = "sv") -> bytes:  # noqa: ANN001
    """One A4 landscape page: key figures, today, the coming 1–3 years with the
    pipeline, and the white spots."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=t("theme.title", lang, theme=theme_name),
    )
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=7.5, leading=9)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontSize=16, spaceAfter=2)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=10.5, spaceBefore=4, spaceAfter=2)

    def p(text: str, style=small) -> Paragraph:  # noqa: ANN001
        return Paragraph(escape(str(text)), style)

    def table(rows: list[list], widths: list[float]) -> Table:
        tbl = Table(rows, colWidths=widths, repeatRows=1)
        tbl.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E7F0F8")),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.HexColor("#1F4E79")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return tbl

    n_white = int((tm.coverage["state"] == "white").sum())
    key = (
        f"{t('theme.kpi.today', lang)}: {tm.today.count} ({format_mnkr(tm.today.total_sek, lang)}) · "
        f"{t('theme.kpi.coming', lang)}: {tm.coming.count} ({format_mnkr(tm.coming.total_sek, lang)}) · "
        f"{t('theme.kpi.white', lang)}: {n_white} {t('theme.kpi.relevant', lang, n=len(tm.coverage))}"
    )
    today_rows = [[p(t("col.title", lang)), p(t("col.owner", lang)), p(t("col.period", lang)), p(t("col.total", lang))]]
    for r in tm.today.rows.head(9).itertuples(index=False):
        period = format_month_span(r.start_date, r.end_date)
        today_rows.append(
            [p(r.title), p(r.owner or ""), p(period), p(format_mnkr(int(r.granted_sek + r.other_sek), lang))]
        )
    coming_rows = [
        [p(t("col.title", lang)), p(t("col.status", lang)), p(t("col.start", lang)), p(t("col.total", lang))]
    ]
    for r in tm.coming.rows.head(6).itertuples(index=False):
        coming_rows.append(
            [
                p(r.title),
                p(t(f"status.{r.status}", lang)),
                p(format_month(r.start_date)),
                p(format_mnkr(int(r.granted_sek + r.other_sek), lang)),
            ]
        )
    info = {r["priority"]: r for r in tm.priorities.to_dict("records")}
    ws_rows = [
        [
            p(t("col.priority", lang)),
            p(t("col.goal", lang)),
            p(t("col.now", lang)),
            p(t("col.coming", lang)),
            p(t("col.state", lang)),
        ]
    ]
    for r in tm.coverage.itertuples(index=False):
        name = (info[r.priority].get("name_en") if lang == "en" else None) or info[r.priority]["name_sv"]
        ws_rows.append(
            [
                p(name),
                p(goal_labels.get(r.goal, r.goal or "")),
                p(format_number(r.now_projects, lang)),
                p(format_number(r.planned_projects, lang)),
                p(t(f"state.{r.state}", lang)),
            ]
        )
    ws_table = table(ws_rows, [95 * mm, 32 * mm, 12 * mm, 14 * mm, 22 * mm])
    for i, r in enumerate(tm.coverage.itertuples(index=False), start=1):
        if r.state == "white":
            ws_table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), colors.HexColor("#FCE4D6"))]))
        elif r.state == "only_planned":
            ws_table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), colors.HexColor("#FFF4D6"))]))

    png = _chart_png(build_pipeline(tm.pipeline, lang=lang), 520, 240)
    pipeline_part = (
        Image(io.BytesIO(png), width=88 * mm, height=40 * mm)
        if png
        else table(
            [[p(t("col.status", lang)), p(t("col.projects", lang)), p(t("col.total", lang))]]
            + [
                [p(t(f"status.{r.status}", lang)), p(r.projects), p(money)]
                # labels that add up to the headline's "planned 1–3 years"
                for r, money in zip(
                    tm.pipeline.itertuples(index=False),
                    mnkr_parts([int(v) for v in tm.pipeline["total_sek"]], lang),
                    strict=True,
                )
            ],
            [30 * mm, 20 * mm, 30 * mm],
        )
    )
    left = [
        p(t("theme.today.title", lang), h2),
        table(today_rows, [58 * mm, 40 * mm, 26 * mm, 18 * mm]),
        p(t("theme.whitespots.title", lang), h2),
        ws_table,
    ]
    right = [
        p(t("theme.coming.title", lang), h2),
        pipeline_part,
        table(coming_rows, [55 * mm, 18 * mm, 14 * mm, 18 * mm]),
    ]
    body = Table([[left, right]], colWidths=[178 * mm, 95 * mm])
    body.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story = [
        p(t("theme.title", lang, theme=theme_name), h1),
        p(t("theme.pdf.generated", lang, date=reference.isoformat()) + " " + t("theme.pdf.demo", lang)),
        Spacer(1, 2 * mm),
        p(key, ParagraphStyle("key", parent=small, fontSize=9, leading=11)),
        Spacer(1, 1 * mm),
        body,
    ]
    doc.build(story)
    return buf.getvalue()


def pdf_to_png(pdf: bytes, scale: float = 2.0) -> bytes:
    """Render the first page of a PDF as PNG."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        doc.close()

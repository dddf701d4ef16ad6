"""Slide contents for presentation mode, built from live data with large type."""

from __future__ import annotations

import io
from datetime import date
from html import escape as html_escape

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html
from sqlalchemy import Engine

from ..config import Settings
from ..decks import Deck, Question, Slide
from ..figures.allocation import build_goal_donut
from ..figures.capital import build_source_stacked
from ..figures.indicators import build_indicator_chart
from ..figures.slides import ROOM_SIZE, build_answers, build_frame_applied, build_pipeline_matrix, for_the_room
from ..figures.theme import color_map, graph_config, wrap_label
from ..figures.themes import build_pipeline
from ..filters import FilterState
from ..i18n import format_leverage, format_mnkr, format_number, t
from ..queries.allocation import load_frames
from ..queries.common import Vocabulary
from ..queries.indicators import load_targets, load_values
from ..queries.money import load_money
from ..services import RIKET, global_coverage, indicator_report, region_area, theme_map
from ..transforms import compute_goal_allocation, latest_target
from ..workshop import MAX_NOTE_CHARS, load_answer_summary, load_answer_texts, load_notes
from .indicators import decimals_for, kind_of, source_line, status_badge, unit_text

NOTE_ID = "slide-note"
NOTE_SAVE = "slide-note-save"
NOTE_CLEAR = "slide-note-clear"
NOTE_STATUS = "slide-note-status"
RESULTS_GRAPH = "slide-results-graph"
RESULTS_TEXTS = "slide-results-texts"
RESULTS_TICK = "slide-results-tick"


LIST_ITEMS = 5
"""Items a slide's list shows; more are summed up as "+ N till"."""


def _graph(fig, graph_id: str | None = None) -> html.Div:  # noqa: ANN001
    """A chart that fills the slide's free space (below the heading, beside the numbers) with
    type for the room (:func:`for_the_room`)."""
    kwargs = {"id": graph_id} if graph_id else {}
    graph = dcc.Graph(
        figure=for_the_room(fig),
        config={**graph_config("sv"), "displayModeBar": False},
        style={"position": "absolute", "inset": 0},
        **kwargs,
    )
    return html.Div(graph, className="slide-graph")


def _list(items: list[str], lang: str, *, total: int | None = None, limit: int = LIST_ITEMS, **kw: object) -> list:
    """At most ``limit`` items and, when there are more (``total`` in all), "+ N till"."""
    total = len(items) if total is None else total
    shown = [html.Li(x) for x in items[:limit]] or [html.Li("–")]
    more = total - min(limit, len(items))
    out: list = [html.Ul(shown, **kw)]
    if more > 0:
        out.append(html.P(t("slides.more", lang, n=format_number(more, lang)), className="slide-more"))
    return out


def _big_number(value: str, label: str) -> html.Div:
    return html.Div(
        [html.Div(value, className="slide-number"), html.Div(label, className="slide-number-label")],
        className="slide-kpi",
    )


def make_slide(
    deck: Deck,
    slide: Slide,
    *,
    engine: Engine,
    settings: Settings,
    vocab: Vocabulary,
    lang: str,
    base_url: str,
    today: date,
) -> html.Div:
    """The content of one slide."""
    builder = {
        "title": _title,
        "allocation": _allocation,
        "capital": _capital,
        "kartbild": _kartbild,
        "indicators": _indicators,
        "discussion": _discussion,
        "survey": _survey,
        "results": _results,
        "frame": _frame,
        "pipeline": _pipeline,
        "open_white_spots": _open_white_spots,
    }[slide.type]
    return builder(
        deck, slide, engine=engine, settings=settings, vocab=vocab, lang=lang, base_url=base_url, today=today
    )


def slide_heading(deck: Deck, slide: Slide, vocab: Vocabulary, lang: str) -> str:
    """What a slide is about, in words (its heading; the page title and the screen reader's name)."""
    kind = slide.type
    if kind == "title":
        return deck.title
    if kind in ("allocation", "capital", "frame"):
        return t(f"slides.{kind}", lang, year=deck.year)
    if kind == "kartbild":
        return t("slides.kartbild", lang, theme=vocab.theme_labels(lang).get(slide.theme or "", slide.theme or ""))
    if kind == "indicators":
        return t("slides.indicators", lang, goal=vocab.goal_labels(lang).get(slide.goal or "", slide.goal or ""))
    if kind == "discussion":
        return slide.question or ""
    if kind == "results":
        q = deck.question(slide.question_id or "")
        return f"{t('slides.results', lang)}: {q.text}" if q else t("slides.results", lang)
    return t(f"slides.{kind}", lang)


def _title(deck: Deck, _slide: Slide, *, vocab: Vocabulary, lang: str, today: date, **_: object) -> html.Div:
    return html.Div(
        [
            html.Div(vocab.strategy_name, className="slide-kicker"),
            html.H1(deck.title, className="slide-title-big"),
            html.P(deck.subtitle, className="slide-subtitle"),
            html.P(today.isoformat(), className="slide-date"),
            html.P(t("slides.keys", lang), className="slide-keys"),
        ],
        className="slide-title-page",
    )


def _allocation(deck: Deck, _slide: Slide, *, engine: Engine, vocab: Vocabulary, lang: str, **_: object) -> html.Div:
    f = FilterState(year_from=deck.year, year_to=deck.year)
    codes = vocab.goal_codes()
    table = compute_goal_allocation(load_money(engine, f, ["goal"]), codes)
    totals = load_money(engine, f).iloc[0]
    granted, other = int(totals["granted_sek"]), int(totals["other_sek"])
    fig = build_goal_donut(
        table, labels=vocab.goal_labels(lang, short=True), colors=color_map(codes), lang=lang, text_size=ROOM_SIZE
    )
    return html.Div(
        [
            html.H1(t("slides.allocation", lang, year=deck.year), className="slide-heading"),
            dbc.Row(
                [
                    dbc.Col(_graph(fig), width=8),
                    dbc.Col(
                        [
                            _big_number(format_mnkr(granted, lang), t("slides.kpi.granted", lang)),
                            _big_number(format_number(int(totals["projects"]), lang), t("slides.kpi.projects", lang)),
                            _big_number(
                                format_leverage(other / granted if granted else None, lang),
                                t("slides.kpi.leverage", lang),
                            ),
                        ],
                        width=4,
                        className="slide-kpis",
                    ),
                ]
            ),
        ]
    )


def _capital(deck: Deck, _slide: Slide, *, engine: Engine, vocab: Vocabulary, lang: str, **_: object) -> html.Div:
    f = FilterState(year_from=deck.year, year_to=deck.year)
    money = load_money(engine, f, ["goal", "source"])
    # goals down the side: their names in large type did not fit under upright bars
    labels = {code: wrap_label(name, 16) for code, name in vocab.goal_labels(lang, short=True).items()}
    fig = build_source_stacked(money, dim="goal", order=vocab.goal_codes(), labels=labels, lang=lang, horizontal=True)
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"})
    totals = load_money(engine, f).iloc[0]
    granted, other = int(totals["granted_sek"]), int(totals["other_sek"])
    return html.Div(
        [
            html.H1(t("slides.capital", lang, year=deck.year), className="slide-heading"),
            dbc.Row(
                [
                    dbc.Col(_graph(fig), width=8),
                    dbc.Col(
                        [
                            _big_number(format_mnkr(other, lang), t("kpi.other", lang).lower()),
                            _big_number(
                                format_leverage(other / granted if granted else None, lang),
                                t("slides.kpi.leverage", lang),
                            ),
                        ],
                        width=4,
                        className="slide-kpis",
                    ),
                ]
            ),
        ]
    )


def _kartbild(
    deck: Deck, slide: Slide, *, engine: Engine, settings: Settings, vocab: Vocabulary, lang: str, **_: object
) -> html.Div:
    theme = slide.theme or ""
    tm = theme_map(engine, FilterState(), theme, settings.reference_date)
    names = {
        r["priority"]: (r.get("name_en") if lang == "en" else None) or r["name_sv"]
        for r in tm.priorities.to_dict("records")
    }

    white = [names[p] for p in tm.coverage.loc[tm.coverage["state"] == "white", "priority"]]
    planned = [names[p] for p in tm.coverage.loc[tm.coverage["state"] == "only_planned", "priority"]]
    return html.Div(
        [
            html.H1(
                t("slides.kartbild", lang, theme=vocab.theme_labels(lang).get(theme, theme)), className="slide-heading"
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H2(t("theme.today.title", lang), className="slide-col-title"),
                            _big_number(
                                format_number(tm.today.count, lang),
                                f"{t('slides.kpi.projects', lang)} · {format_mnkr(tm.today.total_sek, lang)}",
                            ),
                            # "6 projekt" and five titles: the sixth is "+ 1 till"
                            *_list(
                                list(tm.today.rows["title"]), lang, total=int(tm.today.count), className="slide-list"
                            ),
                        ],
                        width=4,
                    ),
                    dbc.Col(
                        [
                            html.H2(t("theme.coming.title", lang), className="slide-col-title"),
                            # the amounts may be a little wider than their bars: shown whole
                            _graph(build_pipeline(tm.pipeline, lang=lang).update_traces(constraintext="none")),
                        ],
                        width=4,
                    ),
                    dbc.Col(
                        [
                            html.H2(t("theme.whitespots.title", lang), className="slide-col-title"),
                            html.H3(t("theme.whitespots.none", lang), className="slide-sub"),
                            *_list(white, lang, limit=3, className="slide-list white"),
                            html.H3(t("theme.whitespots.only_planned", lang), className="slide-sub"),
                            *_list(planned, lang, limit=3, className="slide-list planned"),
                        ],
                        width=4,
                    ),
                ]
            ),
        ]
    )


def _indicators(_deck: Deck, slide: Slide, *, engine: Engine, vocab: Vocabulary, lang: str, **_: object) -> html.Div:
    goal = slide.goal or ""
    county = str(vocab.municipalities["code"].iloc[0])[:2] if not vocab.municipalities.empty else "10"
    region = region_area(county)
    report = indicator_report(engine, region, (goal,))
    codes = list(report["indicator"])
    values = load_values(engine, codes, [RIKET, region])
    targets = load_targets(engine, codes)
    labels = {RIKET: "Riket" if lang == "sv" else "Sweden", region: vocab.region_name or region}
    cards = []
    for row in report.head(2).to_dict("records"):
        target = latest_target(targets, row["indicator"], region)
        fig = build_indicator_chart(
            values[values["indicator"] == row["indicator"]],
            region=region,
            area_labels=labels,
            target=target,
            decimals=decimals_for(kind_of(row)),
            unit=unit_text(row, lang),
            lang=lang,
        )
        # years upright, every fourth (rotated 90° they could not be read at 720p)
        fig.update_xaxes(dtick=4, tickangle=0)
        fig.update_layout(legend={"y": -0.12, "yanchor": "top"})
        name = (row.get("name_en") if lang == "en" else None) or row["name_sv"]
        cards.append(
            dbc.Col(
                [
                    html.H2([name, " ", status_badge(row["status"], lang)], className="slide-col-title"),
                    _graph(fig),
                    html.P(source_line(row, lang), className="slide-muted slide-source"),
                ],
                width=12 // max(1, min(2, len(report))),
            )
        )
    return html.Div(
        [
            html.H1(
                t("slides.indicators", lang, goal=vocab.goal_labels(lang).get(goal, goal)), className="slide-heading"
            ),
            dbc.Row(cards),
        ]
    )


def _discussion(deck: Deck, slide: Slide, *, engine: Engine, lang: str, today: date, **_: object) -> html.Div:
    mine = load_notes(engine, deck=deck.id, slide=slide.key, year=today.year)
    last = load_notes(engine, slide_suffix=slide.key, year=today.year - 1)
    last_list = [html.Li(f"{r.held_on}: {r.text}") for r in last.itertuples(index=False)]
    return html.Div(
        [
            html.H1(slide.question or "", className="slide-heading"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dcc.Textarea(
                                id=NOTE_ID,
                                value=mine["text"].iloc[0] if not mine.empty else "",
                                placeholder=t("slides.note.placeholder", lang),
                                className="slide-note",
                                maxLength=MAX_NOTE_CHARS,
                                style={"width": "100%", "height": "520px"},
                            ),
                            html.Div(
                                [
                                    dbc.Button(t("slides.note.save", lang), id=NOTE_SAVE, color="primary", size="lg"),
                                    dcc.ConfirmDialogProvider(
                                        dbc.Button(
                                            t("slides.note.clear", lang),
                                            color="secondary",
                                            outline=True,
                                            size="lg",
                                            className="ms-2",
                                        ),
                                        id=NOTE_CLEAR,
                                        message=t("slides.note.clear_confirm", lang),
                                    ),
                                    html.Span(id=NOTE_STATUS, className="ms-3 slide-note-status", role="status"),
                                ],
                                className="mt-2",
                            ),
                        ],
                        width=8,
                    ),
                    dbc.Col(
                        [
                            html.H2(t("slides.note.last_year", lang), className="slide-col-title"),
                            html.Ul(last_list[:LIST_ITEMS], className="slide-list")
                            if last_list
                            else html.P(t("slides.note.none_last_year", lang), className="slide-muted"),
                        ],
                        width=4,
                    ),
                ]
            ),
        ]
    )


def survey_url(base_url: str, deck: Deck) -> str:
    """The short link participants open."""
    return f"{base_url.rstrip('/')}/enkat/{deck.id}"


def qr_svg(url: str) -> str:
    """A QR code for ``url`` as an SVG data URI (drawn locally, no service)."""
    import base64

    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=20, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def survey_link_warning(url: str, settings: Settings, lang: str) -> str | None:
    """What the facilitator must know when phones may not reach the survey link: a link to this
    computer only (127.0.0.1, localhost: RUS_PUBLIC_URL unset and the screen opened locally)
    cannot be opened from a phone; without RUS_PUBLIC_URL the link is the address the screen
    uses, which may not be reachable either. None when a public address is configured."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        return t("slides.survey.unreachable", lang, host=host)
    if not settings.public_url:
        return t("slides.survey.unchecked", lang, host=host)
    return None


def _survey(deck: Deck, _slide: Slide, *, settings: Settings, lang: str, base_url: str, **_: object) -> html.Div:
    url = survey_url(base_url, deck)
    warning = survey_link_warning(url, settings, lang)
    return html.Div(
        [
            html.H1(t("slides.survey", lang), className="slide-heading"),
            dbc.Row(
                [
                    dbc.Col(html.Img(src=qr_svg(url), alt=url, className="slide-qr"), width=5, className="text-center"),
                    dbc.Col(
                        [
                            html.P(t("slides.survey.lead", lang), className="slide-subtitle"),
                            html.A(url, href=url, className="slide-link", target="_blank"),
                            html.P(warning, className="slide-warning", role="alert", id="slide-survey-warning")
                            if warning
                            else None,
                            html.Ol([html.Li(q.text) for q in deck.questions], className="slide-list mt-4"),
                        ],
                        width=7,
                    ),
                ]
            ),
        ]
    )


def _results(deck: Deck, slide: Slide, *, engine: Engine, vocab: Vocabulary, lang: str, **_: object) -> html.Div:
    q = deck.question(slide.question_id or "")
    figure, texts = results_view(engine, deck, slide.question_id or "", vocab, lang)
    return html.Div(
        [
            html.H1([t("slides.results", lang), ": ", q.text if q else ""], className="slide-heading"),
            html.Div(
                _graph(figure, RESULTS_GRAPH),
                hidden=q is not None and q.type == "text",
                className="slide-graph-wrap",
            ),
            html.Ul([html.Li(x) for x in texts], id=RESULTS_TEXTS, className="slide-list answers"),
            dcc.Interval(id=RESULTS_TICK, interval=3000),
        ]
    )


def answer_labels(q: Question | None, vocab: Vocabulary, lang: str) -> dict[str, str]:
    """Names of what a question's answers rate or choose: the goals' names for a question
    about goals, the themes' for one about themes, nothing for free choices. A code is
    only ever looked up among its own kind (a goal and a theme may share a code)."""
    if q is None:
        return {}
    if q.targets == "goals":
        return vocab.goal_labels(lang, short=True)
    if q.targets == "themes":
        return vocab.theme_labels(lang)
    return {}


def as_plain_label(value: object, limit: int = 200) -> object:
    """An answer's text as Plotly shows it literally: ``<``, ``>`` and ``&`` escaped (Plotly
    otherwise renders ``<a href>``, ``<b>`` … in labels), at most ``limit`` characters."""
    if not isinstance(value, str):
        return value
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return html_escape(text, quote=False)


def results_view(engine: Engine, deck: Deck, question_id: str, vocab: Vocabulary, lang: str) -> tuple:
    """(figure, free texts) of the aggregated answers to one question; what participants
    wrote is shown as plain text (never a link or markup)."""
    q = deck.question(question_id)
    labels = {as_plain_label(k): as_plain_label(v) for k, v in answer_labels(q, vocab, lang).items()}
    summary = load_answer_summary(engine, deck.id, question_id)
    summary = summary.assign(target=summary["target"].map(as_plain_label), choice=summary["choice"].map(as_plain_label))
    kind = q.type if q else "choice"
    fig = build_answers(summary, kind=kind, labels=labels, lang=lang)
    texts = load_answer_texts(engine, deck.id, question_id, limit=RESULT_TEXTS) if kind == "text" else []
    if kind == "text" and not texts:
        texts = [t("slides.no_answers", lang)]
    return for_the_room(fig), [_shortened(x) for x in texts]


RESULT_TEXTS = 6
"""Free-text answers a results slide shows (the newest), each at most :data:`RESULT_TEXT_CHARS`."""
RESULT_TEXT_CHARS = 160


def _shortened(text: object) -> object:
    if not isinstance(text, str) or len(text) <= RESULT_TEXT_CHARS:
        return text
    return text[: RESULT_TEXT_CHARS - 1].rstrip() + "…"


def _frame(deck: Deck, _slide: Slide, *, engine: Engine, vocab: Vocabulary, lang: str, **_: object) -> html.Div:
    frames = load_frames(engine, [deck.year])
    decided = load_money(engine, FilterState(year_from=deck.year, year_to=deck.year), ["goal"])
    applied = load_money(engine, FilterState(), ["goal"], statuses=("ansokt",))
    labels = vocab.goal_labels(lang, short=True)
    rows = []
    for code in vocab.goal_codes():
        frame = frames.loc[frames["goal"] == code, "frame_sek"]
        rows.append(
            {
                "label": labels.get(code, code),
                "frame_sek": int(frame.iloc[0]) if not frame.empty else 0,
                "decided_sek": int(decided.loc[decided["goal"] == code, "granted_sek"].sum()),
                "applied_sek": int(applied.loc[applied["goal"] == code, "granted_sek"].sum()),
            }
        )
    return html.Div(
        [
            html.H1(t("slides.frame", lang, year=deck.year), className="slide-heading"),
            _graph(build_frame_applied(pd.DataFrame(rows), lang=lang)),
        ]
    )


def _pipeline(_deck: Deck, _slide: Slide, *, engine: Engine, vocab: Vocabulary, lang: str, **_: object) -> html.Div:
    df = load_money(engine, FilterState(), ["goal", "theme"], statuses=("ide", "ansokt"))
    fig = build_pipeline_matrix(
        df,
        goal_labels=vocab.goal_labels(lang, short=True),
        theme_labels=vocab.theme_labels(lang),
        goal_order=vocab.goal_codes(),
        theme_order=list(vocab.themes["code"]),
        lang=lang,
    )
    return html.Div([html.H1(t("slides.pipeline", lang), className="slide-heading"), _graph(fig)])


def _open_white_spots(
    _deck: Deck, _slide: Slide, *, engine: Engine, settings: Settings, vocab: Vocabulary, lang: str, **_: object
) -> html.Div:
    priorities, coverage = global_coverage(engine, settings.reference_date)
    white = coverage[coverage["state"] == "white"].merge(priorities, on="priority", suffixes=("", "_p"))
    theme_names = vocab.theme_labels(lang)
    goal_names = vocab.goal_labels(lang, short=True)
    items = [
        html.Li(
            [
                html.Strong(r.name_en if lang == "en" and r.name_en else r.name_sv),
                html.Span(
                    f" – {goal_names.get(r.goal, r.goal)}; {', '.join(theme_names.get(x, x) for x in r.themes)}",
                    className="slide-muted",
                ),
            ]
        )
        for r in white.itertuples(index=False)
    ]
    more = len(items) - WHITE_SPOT_ITEMS
    return html.Div(
        [
            html.H1(t("slides.open_white_spots", lang), className="slide-heading"),
            html.Ul(items[:WHITE_SPOT_ITEMS], className="slide-list big")
            if items
            else html.P(t("slides.open_white_spots.none", lang), className="slide-subtitle"),
            html.P(t("slides.more", lang, n=format_number(more, lang)), className="slide-more") if more > 0 else None,
        ]
    )


WHITE_SPOT_ITEMS = 9
"""White spots the project-day slide lists (two lines each at most); more are "+ N till"."""

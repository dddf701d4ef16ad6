"""/presentation/<deck>/<slide>: one slide, full screen, keyboard-driven (assets/presentation.js).

A discussion slide's note is kept by a facilitator (strategist or admin, see
:data:`dashboard.guards.FACILITATORS`): others see the question and a login link, never
the notes. Saving an empty text removes nothing (the Clear button, confirmed, does);
a note is at most :data:`dashboard.workshop.MAX_NOTE_CHARS` characters; both are audited.
"""

from __future__ import annotations

from datetime import date, datetime

import dash
import flask
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from ..auth import current_user, login_path, page_user
from ..components.slides import (
    NOTE_CLEAR,
    NOTE_ID,
    NOTE_SAVE,
    NOTE_STATUS,
    RESULTS_GRAPH,
    RESULTS_TEXTS,
    RESULTS_TICK,
    make_slide,
    results_view,
    slide_heading,
)
from ..decks import Deck, DeckFileError, Slide, load_decks
from ..guards import FACILITATORS, guarded
from ..i18n import format_number, t
from ..state import current_engine, current_language, current_settings, vocabulary
from ..workshop import MAX_NOTE_CHARS, NoteRefused, clear_note, save_note

META = "slide-meta"
ROOT = "slide-root"


def _placeholders(slide_type: str | None) -> list:
    """Callback targets that a slide of another type does not show (kept hidden so every callback
    has its ids); ``slide_type`` "discussion" without the note editor counts as another type."""
    out: list = []
    if slide_type != "discussion":
        out += [
            dcc.Textarea(id=NOTE_ID),
            html.Button(id=NOTE_SAVE),
            dcc.ConfirmDialogProvider(html.Button(), id=NOTE_CLEAR),  # it renders its one child
            html.Span(id=NOTE_STATUS),
        ]
    if slide_type != "results":
        out += [dcc.Graph(id=RESULTS_GRAPH), html.Ul(id=RESULTS_TEXTS), dcc.Interval(id=RESULTS_TICK, disabled=True)]
    return [html.Div(out, hidden=True)] if out else []


def layout(deck: str | None = None, slide: str | None = None, **_query: str) -> html.Div:
    """The slide ``slide`` (1-based) of ``deck`` with progress, navigation data and a full-screen button."""
    lang = current_language()
    try:
        decks = load_decks()
    except DeckFileError as exc:
        return html.Div([html.P(str(exc)), dcc.Store(id=META), *_placeholders(None)], className="presentation-root")
    if deck is None:
        return html.Div([dcc.Store(id=META), *_placeholders(None)], className="presentation-root")
    if deck not in decks:
        return html.Div(
            [
                html.H1(t("slides.notfound", lang, deck=deck)),
                dcc.Link("←", href="/presentation"),
                dcc.Store(id=META),
                *_placeholders(None),
            ],
            className="presentation-root",
        )
    d = decks[deck]
    vocab = vocabulary()
    slides = d.slides(vocab.goal_codes())
    try:
        index = min(max(int(slide or 1), 1), len(slides)) - 1
    except ValueError:
        index = 0
    current = slides[index]
    # The survey link participants type: the public address when configured, else the one the screen uses.
    base = current_settings().public_url or (flask.request.host_url if flask.has_request_context() else "/")
    keeps_notes = current.type == "discussion" and is_facilitator()
    if current.type == "discussion" and not keeps_notes:
        content = _discussion_for_the_audience(current, f"/presentation/{deck}/{index + 1}", lang)
    else:
        content = make_slide(
            d,
            current,
            engine=current_engine(),
            settings=current_settings(),
            vocab=vocab,
            lang=lang,
            base_url=base,
            today=date.today(),
        )
    total = len(slides)
    nav = {
        "data-next": f"/presentation/{deck}/{index + 2}" if index + 1 < total else "",
        "data-prev": f"/presentation/{deck}/{index}" if index > 0 else "",
        "data-exit": "/presentation",
        "data-total": str(total),
    }
    stage = [
        html.Div(content, className=f"slide slide-{current.type}"),
        html.Div(
            [
                html.Div(className="slide-progress-bar", style={"width": f"{100 * (index + 1) / total:.1f}%"}),
            ],
            className="slide-progress",
            role="progressbar",
            **{
                "aria-label": t("slides.progress.label", lang),
                "aria-valuenow": str(index + 1),
                "aria-valuemin": "1",
                "aria-valuemax": str(total),
                "aria-valuetext": t("slides.progress", lang, n=index + 1, total=total),
            },
        ),
        html.Div(
            [
                html.Span(t("slides.progress", lang, n=index + 1, total=total), className="slide-counter"),
                html.Button(
                    t("slides.fullscreen", lang),
                    className="slide-fullscreen",
                    id="slide-fullscreen",
                    **{"data-action": "fullscreen"},
                ),
            ],
            className="slide-footer",
        ),
    ]
    return html.Div(
        [
            dcc.Store(id=META, data={"deck": deck, "slide": current.key}),
            # laid out on a 1920 x 1080 stage, scaled to the screen (assets/presentation.js)
            html.Div(stage, className="slide-stage"),
            *_placeholders(current.type if current.type != "discussion" or keeps_notes else None),
        ],
        id=ROOT,
        className="presentation-root",
        tabIndex="0",
        **nav,
    )


def page_title(deck: str | None = None, slide: str | None = None, **_query: str) -> str:
    """The browser tab's title (and what a screen reader says first): the slide's heading,
    its number and the deck, e.g. 'Anslag 1:1 per mål 2024 · Bild 2 av 8 · Lärandedag 2024'."""
    lang = current_language()
    try:
        d = load_decks().get(deck or "")
        slides = d.slides(vocabulary().goal_codes()) if d else []
        index = min(max(int(slide or 1), 1), len(slides)) - 1 if slides else -1
    except (DeckFileError, ValueError):
        return "Presentation · RUS-dashboard"
    if d is None or index < 0:
        return "Presentation · RUS-dashboard"
    heading = slide_heading(d, slides[index], vocabulary(), lang)
    return f"{heading} · {t('slides.progress', lang, n=index + 1, total=len(slides))} · {d.title}"


dash.register_page(__name__, path_template="/presentation/<deck>/<slide>", name="Bild", title=page_title, layout=layout)


def is_facilitator() -> bool:
    """True when the page is built for someone who keeps the room's notes (or for Dash's
    validation layout, which must hold every component)."""
    user = page_user()
    return user is not None and user.role in FACILITATORS


def _discussion_for_the_audience(slide: Slide, here: str, lang: str) -> html.Div:
    """A discussion slide for someone who does not keep the notes: the question and a login link."""
    return html.Div(
        [
            html.H1(slide.question or "", className="slide-heading"),
            html.P(
                [t("slides.note.login", lang), " ", dcc.Link(t("auth.login", lang), href=login_path(here))],
                className="slide-muted",
                id="slide-note-login",
            ),
        ]
    )


def discussion_slide(meta: object) -> tuple[Deck, Slide] | None:
    """The deck and discussion slide named by the page's ``meta`` store, when both exist."""
    if not isinstance(meta, dict) or not isinstance(meta.get("deck"), str) or not isinstance(meta.get("slide"), str):
        return None
    deck = load_decks().get(meta["deck"])
    if deck is None:
        return None
    slide = next((s for s in deck.slides([]) if s.type == "discussion" and s.key == meta["slide"]), None)
    return (deck, slide) if slide else None


def _actor() -> str:
    user = current_user()
    return user.username if user else "-"


@callback(
    Output(NOTE_STATUS, "children"),
    Input(NOTE_SAVE, "n_clicks"),
    State(NOTE_ID, "value"),
    State(META, "data"),
    prevent_initial_call=True,
)
@guarded
def on_save_note(clicks: int | None, text: str | None, meta: dict | None) -> str:
    """Save what the room concluded on this discussion slide (today's note for the slide).
    An empty text removes nothing (the Clear button does); a text over the limit is not saved."""
    if not clicks:
        raise PreventUpdate
    lang = current_language()
    found = discussion_slide(meta)
    if found is None:
        return t("slides.note.refused", lang)
    deck, slide = found
    try:
        save_note(
            current_engine(), deck.id, slide.key, date.today(), text if isinstance(text, str) else "", actor=_actor()
        )
    except NoteRefused as exc:
        if exc.reason == "empty":
            return t("slides.note.empty", lang)
        if exc.reason == "too_long":
            n = len(text) if isinstance(text, str) else 0
            return t("slides.note.too_long", lang, n=format_number(n, lang), max=format_number(MAX_NOTE_CHARS, lang))
        return t("slides.note.refused", lang)
    return t("slides.note.saved", lang, time=datetime.now().strftime("%H:%M"))


@callback(
    Output(NOTE_STATUS, "children", allow_duplicate=True),
    Output(NOTE_ID, "value"),
    Input(NOTE_CLEAR, "submit_n_clicks"),
    State(META, "data"),
    prevent_initial_call=True,
)
@guarded
def on_clear_note(confirmed: int | None, meta: dict | None) -> tuple[str, str]:
    """Remove today's note for the slide: only after the facilitator confirmed the Clear button."""
    if not confirmed:
        raise PreventUpdate
    lang = current_language()
    found = discussion_slide(meta)
    if found is None:
        return t("slides.note.refused", lang), dash.no_update
    deck, slide = found
    clear_note(current_engine(), deck.id, slide.key, date.today(), actor=_actor())
    return t("slides.note.cleared", lang, time=datetime.now().strftime("%H:%M")), ""


@callback(
    Output(RESULTS_GRAPH, "figure"),
    Output(RESULTS_TEXTS, "children"),
    Input(RESULTS_TICK, "n_intervals"),
    State(META, "data"),
    prevent_initial_call=True,
)
def update_results(_tick: int | None, meta: dict | None) -> tuple:
    """Refresh the aggregated answers while the results slide is shown (texts as plain text)."""
    if not isinstance(meta, dict) or not isinstance(meta.get("slide"), str) or not isinstance(meta.get("deck"), str):
        raise PreventUpdate
    if not meta["slide"].startswith("resultat-"):
        raise PreventUpdate
    deck = load_decks().get(meta["deck"])
    if deck is None:
        raise PreventUpdate
    fig, texts = results_view(
        current_engine(), deck, meta["slide"].removeprefix("resultat-"), vocabulary(), current_language()
    )
    return fig, [html.Li(str(x)) for x in texts]

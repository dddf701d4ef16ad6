"""/presentation/<deck>/<slide>: one slide, full screen, keyboard-driven (assets/presentation.js)."""

from __future__ import annotations

from datetime import date, datetime

import dash
import flask
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from ..components.slides import (
    NOTE_ID,
    NOTE_SAVE,
    NOTE_STATUS,
    RESULTS_GRAPH,
    RESULTS_TEXTS,
    RESULTS_TICK,
    make_slide,
    results_view,
)
from ..decks import DeckFileError, load_decks
from ..i18n import t
from ..state import current_engine, current_language, current_settings, vocabulary
from ..workshop import save_note

META = "slide-meta"
ROOT = "slide-root"


def _placeholders(slide_type: str | None) -> list:
    """Callback targets that a slide of another type does not show (kept hidden so every callback has its ids)."""
    out: list = []
    if slide_type != "discussion":
        out += [dcc.Textarea(id=NOTE_ID), html.Button(id=NOTE_SAVE), html.Span(id=NOTE_STATUS)]
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
    return html.Div(
        [
            dcc.Store(id=META, data={"deck": deck, "slide": current.key}),
            html.Div(content, className=f"slide slide-{current.type}"),
            html.Div(
                [
                    html.Div(className="slide-progress-bar", style={"width": f"{100 * (index + 1) / total:.1f}%"}),
                ],
                className="slide-progress",
                role="progressbar",
                **{"aria-valuenow": str(index + 1), "aria-valuemin": "1", "aria-valuemax": str(total)},
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
            *_placeholders(current.type),
        ],
        id=ROOT,
        className="presentation-root",
        tabIndex="0",
        **nav,
    )


dash.register_page(
    __name__, path_template="/presentation/<deck>/<slide>", name="Bild", title="Presentation", layout=layout
)


@callback(
    Output(NOTE_STATUS, "children"),
    Input(NOTE_SAVE, "n_clicks"),
    State(NOTE_ID, "value"),
    State(META, "data"),
    prevent_initial_call=True,
)
def on_save_note(clicks: int | None, text: str | None, meta: dict | None) -> str:
    """Save what the room concluded on this discussion slide (today's note for the slide)."""
    if not clicks or not meta:
        raise PreventUpdate
    save_note(current_engine(), meta["deck"], meta["slide"], date.today(), text or "")
    return t("slides.note.saved", current_language(), time=datetime.now().strftime("%H:%M"))


@callback(
    Output(RESULTS_GRAPH, "figure"),
    Output(RESULTS_TEXTS, "children"),
    Input(RESULTS_TICK, "n_intervals"),
    State(META, "data"),
    prevent_initial_call=True,
)
def update_results(_tick: int | None, meta: dict | None) -> tuple:
    """Refresh the aggregated answers while the results slide is shown."""
    if not meta or not meta.get("slide", "").startswith("resultat-"):
        raise PreventUpdate
    decks = load_decks()
    deck = decks.get(meta["deck"])
    if deck is None:
        raise PreventUpdate
    fig, texts = results_view(
        current_engine(), deck, meta["slide"].removeprefix("resultat-"), vocabulary(), current_language()
    )
    return fig, [html.Li(x) for x in texts]

"""/enkat/<deck>: the small mobile page where the room answers the deck's questions."""

from __future__ import annotations

import uuid

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from ..decks import DeckFileError, Question, load_decks
from ..i18n import t
from ..state import current_engine, current_language, vocabulary
from ..workshop import save_answers

DEVICE = "survey-device"
SEND = "survey-send"
RESULT = "survey-result"
DECK = "survey-deck"
FIELD = "survey-field"  # pattern-matching: {"type": FIELD, "q": question id, "target": code or ""}


def _targets(q: Question, deck_themes: tuple[str, ...], vocab, lang: str) -> list[tuple[str, str]]:  # noqa: ANN001
    if q.targets == "themes":
        labels = vocab.theme_labels(lang)
        return [(c, labels.get(c, c)) for c in (deck_themes or tuple(vocab.themes["code"]))]
    if q.targets == "goals":
        labels = vocab.goal_labels(lang, short=True)
        return [(c, labels.get(c, c)) for c in vocab.goal_codes()]
    return [("", "")]


def _field(q: Question, deck_themes: tuple[str, ...], vocab, lang: str) -> html.Fieldset:  # noqa: ANN001
    parts: list = [html.Legend(q.text, className="survey-question")]
    if q.type == "rating":
        parts.append(html.P(t("survey.rating_help", lang), className="small text-muted mb-1"))
        for code, label in _targets(q, deck_themes, vocab, lang):
            parts.append(
                html.Div(
                    [
                        html.Div(label, className="survey-target"),
                        dbc.RadioItems(
                            id={"type": FIELD, "q": q.id, "target": code},
                            inline=True,
                            className="survey-scale",
                            options=[{"label": str(i), "value": i} for i in range(1, 6)],
                            value=None,
                        ),
                    ],
                    className="mb-2",
                )
            )
    elif q.type == "choice":
        options = [{"label": c, "value": c} for c in q.choices] or [
            {"label": label, "value": code} for code, label in _targets(q, deck_themes, vocab, lang)
        ]
        parts.append(dbc.RadioItems(id={"type": FIELD, "q": q.id, "target": ""}, options=options, value=None))
    else:
        parts.append(dbc.Textarea(id={"type": FIELD, "q": q.id, "target": ""}, rows=3, maxLength=1000))
    return html.Fieldset(parts, className="survey-fieldset")


def layout(deck: str | None = None, **_query: str) -> html.Div:
    """The deck's questions as a simple form (no navbar; see the CSS for .survey-root)."""
    lang = current_language()
    # A random id for this browser, kept in localStorage (a stored id wins over this initial one);
    # only a per-deck hash of it reaches the database.
    base = [dcc.Store(id=DEVICE, storage_type="local", data=uuid.uuid4().hex), dcc.Store(id=DECK, data=deck)]
    try:
        decks = load_decks()
    except DeckFileError as exc:
        return html.Div([*base, html.P(str(exc)), html.Button(id=SEND), html.Div(id=RESULT)], className="survey-root")
    if deck not in decks:
        return html.Div(
            [
                *base,
                html.H1(t("slides.notfound", lang, deck=deck or "")),
                html.Button(id=SEND, hidden=True),
                html.Div(id=RESULT),
            ],
            className="survey-root",
        )
    d = decks[deck]
    vocab = vocabulary()
    return html.Div(
        [
            *base,
            html.H1(t("survey.title", lang, deck=d.title), className="survey-title"),
            html.P(t("survey.lead", lang), className="small text-muted"),
            *[_field(q, d.themes, vocab, lang) for q in d.questions],
            dbc.Button(t("survey.send", lang), id=SEND, color="primary", size="lg", className="w-100 mt-2"),
            html.Div(id=RESULT, className="mt-3", role="status"),
        ],
        className="survey-root",
    )


dash.register_page(__name__, path_template="/enkat/<deck>", name="Enkät", title="Enkät", layout=layout)


@callback(
    Output(RESULT, "children"),
    Input(SEND, "n_clicks"),
    State({"type": FIELD, "q": ALL, "target": ALL}, "value"),
    State({"type": FIELD, "q": ALL, "target": ALL}, "id"),
    State(DECK, "data"),
    State(DEVICE, "data"),
    prevent_initial_call=True,
)
def on_send(clicks: int | None, values: list, field_ids: list[dict], deck: str | None, device: str | None):  # noqa: ANN201
    """Store the answers (anonymously, one per device, question and target)."""
    if not clicks or not deck or not device:
        raise PreventUpdate
    lang = current_language()
    return dbc.Alert(submit_answers(deck, device, values, field_ids, lang), color="success")


def submit_answers(deck: str, device: str, values: list, field_ids: list[dict], lang: str) -> str:
    """Turn the form's values into answers and store them; returns the message for the person."""
    decks = load_decks()
    if deck not in decks:
        raise PreventUpdate
    kinds = {q.id: q.type for q in decks[deck].questions}
    answers = []
    for value, fid in zip(values, field_ids, strict=True):
        if value in (None, ""):
            continue
        kind = kinds.get(fid["q"])
        entry = {"question": fid["q"], "target": fid.get("target") or ""}
        if kind == "rating":
            entry["rating"] = int(value)
        elif kind == "choice":
            entry["choice"] = str(value)
        else:
            entry["text"] = str(value)[:1000]
        answers.append(entry)
    if not answers:
        return t("survey.nothing", lang)
    return t("survey.thanks", lang, n=save_answers(current_engine(), deck, device, answers))

"""/enkat/<deck>: the small mobile page where the room answers the deck's questions.

No login: the page carries a device token the server signed (kept in the phone's
localStorage), and an answer is only taken with such a token; the answers are checked
against the deck, texts are bounded, and one address may send only so many submissions
(:data:`dashboard.workshop.SURVEY_LIMITS`). See docs/security.md.
"""

from __future__ import annotations

import json
import logging

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from ..decks import Deck, DeckFileError, Question, load_decks
from ..guards import guarded
from ..i18n import format_number, t
from ..state import current_engine, current_language, vocabulary
from ..workshop import (
    MAX_TEXT_CHARS,
    AnswersRefused,
    address_key,
    device_from_token,
    issue_device_token,
    question_targets,
    save_answers,
)

log = logging.getLogger(__name__)

DEVICE = "survey-token"  # localStorage: the device token this phone answers with
FRESH = "survey-fresh-token"  # the token served with this page (replaces a stored one that is no longer valid)
SEND = "survey-send"
RESULT = "survey-result"
DECK = "survey-deck"
FIELD = "survey-field"  # pattern-matching: {"type": FIELD, "q": question id, "target": code or ""}


def _targets(q: Question, deck: Deck, vocab, lang: str) -> list[tuple[str, str]]:  # noqa: ANN001
    """(code, label) of what the question rates or offers (the same list the answers are checked against)."""
    codes = question_targets(q, deck, vocab.goal_codes(), list(vocab.themes["code"]))
    if q.targets == "themes":
        labels = vocab.theme_labels(lang)
    elif q.targets == "goals":
        labels = vocab.goal_labels(lang, short=True)
    else:
        labels = {}
    return [(c, labels.get(c, c)) for c in codes]


def field_dom_id(question: str, target: str = "") -> str:
    """The DOM id Dash gives the answer field ``{"type": FIELD, "q": …, "target": …}`` (keys sorted,
    compact JSON), for a ``<label for=…>``."""
    return json.dumps({"q": question, "target": target, "type": FIELD}, separators=(",", ":"), sort_keys=True)


def _field(q: Question, deck: Deck, vocab, lang: str) -> html.Fieldset | html.Div:  # noqa: ANN001
    question_id = f"survey-q-{q.id}"
    if q.type == "text":
        return html.Div(
            [
                dbc.Label(q.text, html_for=field_dom_id(q.id), className="survey-question", id=question_id),
                dbc.Textarea(id={"type": FIELD, "q": q.id, "target": ""}, rows=3, maxLength=MAX_TEXT_CHARS),
            ],
            className="survey-fieldset",
        )
    parts: list = [html.Legend(q.text, className="survey-question", id=question_id)]
    if q.type == "rating":
        parts.append(html.P(t("survey.rating_help", lang), className="small text-muted mb-1"))
        for n, (code, label) in enumerate(_targets(q, deck, vocab, lang)):
            target_id = f"{question_id}-t{n}"
            # each scale is a group named by the question and what it rates ("… målen i dag? Hälsa"),
            # so a screen reader does not read thirty buttons as "1" … "5"
            parts.append(
                html.Div(
                    [
                        html.Div(label, className="survey-target", id=target_id),
                        dbc.RadioItems(
                            id={"type": FIELD, "q": q.id, "target": code},
                            inline=True,
                            className="survey-scale",
                            options=[{"label": str(i), "value": i} for i in range(1, 6)],
                            value=None,
                        ),
                    ],
                    className="mb-2",
                    role="radiogroup",
                    **{"aria-labelledby": f"{target_id} {question_id}"},
                )
            )
    else:
        options = [{"label": c, "value": c} for c in q.choices] or [
            {"label": label, "value": code} for code, label in _targets(q, deck, vocab, lang) if code
        ]
        parts.append(dbc.RadioItems(id={"type": FIELD, "q": q.id, "target": ""}, options=options, value=None))
    return html.Fieldset(parts, className="survey-fieldset")


def layout(deck: str | None = None, **_query: str) -> html.Div:
    """The deck's questions as a simple form (no navbar; see the CSS for .survey-root)."""
    lang = current_language()
    # A device id the server signs, kept in localStorage (a stored token wins over this initial
    # one while it is valid); only a per-deck hash of the id reaches the database.
    token = _new_token()
    base = [
        dcc.Store(id=DEVICE, storage_type="local", data=token),
        dcc.Store(id=FRESH, data=token),
        dcc.Store(id=DECK, data=deck),
    ]
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
            *[_field(q, d, vocab, lang) for q in d.questions],
            dbc.Button(t("survey.send", lang), id=SEND, color="primary", size="lg", className="w-100 mt-2"),
            html.Div(id=RESULT, className="mt-3", role="status"),
        ],
        className="survey-root",
    )


def page_title(deck: str | None = None, **_query: str) -> str:
    """The tab's title: the deck's survey ('Lärandedag 2024: rummets svar')."""
    try:
        d = load_decks().get(deck or "")
    except DeckFileError:
        d = None
    return t("survey.title", current_language(), deck=d.title) if d else "Enkät"


dash.register_page(__name__, path_template="/enkat/<deck>", name="Enkät", title=page_title, layout=layout)


def _secret() -> str | bytes:
    return flask.current_app.secret_key if flask.has_app_context() else ""


def _new_token() -> str | None:
    """A new signed device token (None outside the app, where there is no key to sign with)."""
    secret = _secret()
    return issue_device_token(secret) if secret else None


@callback(
    Output(RESULT, "children"),
    Output(DEVICE, "data"),
    Input(SEND, "n_clicks"),
    State({"type": FIELD, "q": ALL, "target": ALL}, "value"),
    State({"type": FIELD, "q": ALL, "target": ALL}, "id"),
    State(DECK, "data"),
    State(DEVICE, "data"),
    State(FRESH, "data"),
    prevent_initial_call=True,
)
@guarded
def on_send(
    clicks: int | None, values: list, field_ids: list, deck: str | None, stored: str | None, fresh: str | None
) -> tuple:
    """Store the answers (anonymously, one per device, question and target). The device is the
    stored token's, or the fresh one's when the stored token is no longer valid; a made-up id is refused."""
    if not clicks or not isinstance(deck, str):
        raise PreventUpdate
    lang = current_language()
    secret = _secret()
    token = stored if device_from_token(secret, stored) else fresh
    device = device_from_token(secret, token)
    address = address_key(secret, flask.request.remote_addr if flask.has_request_context() else None)
    try:
        if device is None:
            raise AnswersRefused("token")
        message = submit_answers(deck, device, values, field_ids, lang, address=address)
    except AnswersRefused as exc:
        log.warning("survey answers refused for %s: %s", deck[:64], exc)
        return dbc.Alert(refusal_text(exc, lang), color="warning"), dash.no_update
    return dbc.Alert(message, color="success"), token if token != stored else dash.no_update


def refusal_text(exc: AnswersRefused, lang: str) -> str:
    """What the person on the phone is told when their answers are not taken."""
    if exc.reason == "too_long":
        return t("survey.refused.too_long", lang, max=format_number(MAX_TEXT_CHARS, lang))
    if exc.reason in ("token", "busy"):
        return t(f"survey.refused.{exc.reason}", lang)
    return t("survey.refused.invalid", lang)


def submit_answers(deck: str, device: str, values: list, field_ids: list, lang: str, *, address: str) -> str:
    """Turn the form's values into answers and store them (checked against the deck, see
    :func:`dashboard.workshop.check_answers`); returns the message for the person, or raises
    :class:`AnswersRefused` (nothing stored)."""
    decks = load_decks()
    if deck not in decks:
        raise PreventUpdate
    if not isinstance(values, list) or not isinstance(field_ids, list) or len(values) != len(field_ids):
        raise AnswersRefused("invalid", "values and fields do not match")
    d = decks[deck]
    kinds = {q.id: q.type for q in d.questions}
    answers = []
    for value, fid in zip(values, field_ids, strict=True):
        if not isinstance(fid, dict):
            raise AnswersRefused("invalid", "a field id is not an object")
        kind = kinds.get(fid.get("q"))  # an unknown question is refused by check_answers
        key = {"rating": "rating", "choice": "choice"}.get(kind or "", "text")
        answers.append({"question": fid.get("q"), "target": fid.get("target") or "", key: value})
    vocab = vocabulary()
    n = save_answers(
        current_engine(),
        d,
        device,
        answers,
        address=address,
        goals=vocab.goal_codes(),
        themes=list(vocab.themes["code"]),
    )
    return t("survey.thanks", lang, n=n) if n else t("survey.nothing", lang)

"""/presentation: choose a deck; the room's notes per year; export notes and answers.

The notes and their export (notes and survey answers) are for facilitators only
(:data:`dashboard.guards.FACILITATORS`), as is keeping the notes on a discussion slide.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import Input, Output, callback, dcc, html

from ..auth import login_path, page_user
from ..components.cards import make_table
from ..components.slides import survey_link_warning
from ..decks import DeckFileError, load_decks
from ..exports.tables import to_xlsx_bytes
from ..guards import FACILITATORS, guarded
from ..i18n import t
from ..state import current_engine, current_language, current_settings, vocabulary
from ..workshop import load_answers, load_notes

EXPORT = "presentation-export"
DOWNLOAD = "presentation-download"


def layout(**_query: str) -> html.Div:
    """Deck cards and the notes per year."""
    lang = current_language()
    try:
        decks = load_decks()
    except DeckFileError as exc:
        return html.Div(dbc.Alert(str(exc), color="danger"))
    goals = vocabulary().goal_codes()
    cards = [
        dbc.Col(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(d.title, className="h5"),
                        html.P(d.subtitle, className="text-muted"),
                        html.P(t("slides.start.slides", lang, n=len(d.slides(goals))), className="small"),
                        dcc.Link(
                            [
                                html.I(className="bi bi-play-fill me-1", **{"aria-hidden": "true"}),
                                t("slides.start.open", lang),
                            ],
                            href=f"/presentation/{d.id}/1",
                            className="btn btn-primary",
                            id=f"start-{d.id}",
                        ),
                    ]
                ),
                className="h-100 chart-card",
            ),
            md=6,
            xl=3,
            className="mb-3",
        )
        for d in decks.values()
    ]
    user = page_user()
    facilitator = user is not None and user.role in FACILITATORS
    notes_view = _notes_view(lang) if facilitator else _notes_for_the_audience(lang)
    export = html.Span(
        dbc.Button(t("slides.notes.export", lang), id=EXPORT, color="secondary", outline=True, size="sm"),
        hidden=not facilitator,
    )
    return html.Div(
        [
            html.H1(t("slides.start.title", lang), className="page-title"),
            html.P(t("slides.start.lead", lang), className="lead-text"),
            html.P(t("slides.keys", lang), className="small text-muted"),
            _survey_link_alert(lang),
            dbc.Row(cards, className="g-3"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.Div(
                            [
                                html.H2(t("slides.notes.title", lang), className="card-title h5"),
                                export,
                                dcc.Download(id=DOWNLOAD),
                            ],
                            className="chart-header",
                        ),
                        notes_view,
                    ]
                ),
                className="chart-card",
            ),
        ]
    )


def _survey_link_alert(lang: str) -> dbc.Alert | None:
    """Before the day: whether phones can open the survey link the slides will show
    (``RUS_PUBLIC_URL``, or the address this screen uses)."""
    settings = current_settings()
    base = settings.public_url or (flask.request.host_url if flask.has_request_context() else "/")
    warning = survey_link_warning(f"{base.rstrip('/')}/enkat/", settings, lang)
    if warning is None:
        return None
    return dbc.Alert(
        [html.I(className="bi bi-exclamation-triangle me-2", **{"aria-hidden": "true"}), warning],
        color="warning",
        id="presentation-survey-warning",
    )


def _notes_for_the_audience(lang: str) -> html.P:
    """What someone who does not keep the notes sees instead of them."""
    return html.P(
        [t("slides.notes.login", lang), " ", dcc.Link(t("auth.login", lang), href=login_path("/presentation"))],
        className="text-muted",
        id="presentation-notes-login",
    )


def _notes_view(lang: str) -> html.Div | html.P:
    """The room's notes per year (for facilitators)."""
    notes = load_notes(current_engine())
    if notes.empty:
        return html.P(t("slides.notes.none", lang), className="text-muted")
    notes = notes.assign(year=pd.to_datetime(notes["held_on"]).dt.year)
    return html.Div(
        [
            make_table(
                [
                    t("col.year", lang),
                    "Bildspel" if lang == "sv" else "Deck",
                    "Bild" if lang == "sv" else "Slide",
                    "Datum" if lang == "sv" else "Date",
                    "Anteckning" if lang == "sv" else "Note",
                ],
                [[str(r.year), r.deck, r.slide, str(r.held_on), r.text] for r in notes.itertuples(index=False)],
                caption=t("slides.notes.caption", lang),
            )
        ]
    )


dash.register_page(
    __name__, path="/presentation", name="Presentera", title="Presentera · RUS-dashboard", order=5, layout=layout
)


@callback(Output(DOWNLOAD, "data"), Input(EXPORT, "n_clicks"), prevent_initial_call=True)
@guarded
def on_export(_clicks: int | None) -> dict:
    """Notes and survey answers as an XLSX workbook (facilitators only)."""
    return dcc.send_bytes(notes_workbook(current_language()), "larandedag.xlsx")


def notes_workbook(lang: str) -> bytes:
    """Two sheets: notes and answers."""
    engine = current_engine()
    notes = load_notes(engine).astype({"held_on": str, "created_at": str})
    answers = load_answers(engine).astype({"created_at": str})
    sv = lang == "sv"
    return to_xlsx_bytes(
        {
            "Anteckningar" if sv else "Notes": (
                notes,
                {
                    "deck": "Bildspel" if sv else "Deck",
                    "slide": "Bild" if sv else "Slide",
                    "held_on": "Datum" if sv else "Date",
                    "text": "Anteckning" if sv else "Note",
                },
            ),
            "Svar" if sv else "Answers": (
                answers,
                {
                    "deck": "Bildspel" if sv else "Deck",
                    "question": "Fråga" if sv else "Question",
                    "target": "Mål/tema" if sv else "Goal/theme",
                    "rating": "Betyg" if sv else "Rating",
                    "choice": "Val" if sv else "Choice",
                    "text": "Text",
                    "created_at": "Tid" if sv else "Time",
                },
            ),
        }
    )

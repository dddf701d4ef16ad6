"""The room's notes and answers: saving and reading them (one transaction each)."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, delete, func, insert, select, update

from .models import SurveyAnswer, WorkshopNote
from .queries.common import read_frame

NOTE_COLUMNS = ["deck", "slide", "held_on", "text", "created_at"]


def save_note(engine: Engine, deck: str, slide: str, held_on: date, text: str) -> None:
    """Save (replace) the note of a slide for a day; an empty text removes it."""
    text = (text or "").strip()
    where = and_(WorkshopNote.deck == deck, WorkshopNote.slide == slide, WorkshopNote.held_on == held_on)
    with engine.begin() as conn:
        existing = conn.execute(select(WorkshopNote.id).where(where)).scalar()
        if not text:
            conn.execute(delete(WorkshopNote).where(where))
        elif existing is None:
            conn.execute(insert(WorkshopNote).values(deck=deck, slide=slide, held_on=held_on, text=text))
        else:
            conn.execute(update(WorkshopNote).where(WorkshopNote.id == existing).values(text=text))


def load_notes(
    engine: Engine,
    *,
    deck: str | None = None,
    slide: str | None = None,
    year: int | None = None,
    slide_suffix: str | None = None,
) -> pd.DataFrame:
    """Notes, newest first; ``slide_suffix`` matches the same discussion in other decks."""
    stmt = select(
        WorkshopNote.deck, WorkshopNote.slide, WorkshopNote.held_on, WorkshopNote.text, WorkshopNote.created_at
    )
    if deck:
        stmt = stmt.where(WorkshopNote.deck == deck)
    if slide:
        stmt = stmt.where(WorkshopNote.slide == slide)
    if slide_suffix:
        stmt = stmt.where(WorkshopNote.slide == slide_suffix)
    if year:
        stmt = stmt.where(WorkshopNote.held_on >= date(year, 1, 1), WorkshopNote.held_on <= date(year, 12, 31))
    return read_frame(engine, stmt.order_by(WorkshopNote.held_on.desc(), WorkshopNote.id.desc()), NOTE_COLUMNS)


def device_hash(deck: str, device: str) -> str:
    """An anonymous, per-deck device key (the raw id never reaches the database)."""
    return hashlib.sha256(f"{deck}:{device}".encode()).hexdigest()[:40]


def save_answers(engine: Engine, deck: str, device: str, answers: list[dict]) -> int:
    """Store a device's answers (one per question and target; a new answer
    replaces the earlier one). ``answers``: dicts with question, target,
    rating | choice | text. Returns how many were stored."""
    key = device_hash(deck, device)
    stored = 0
    with engine.begin() as conn:
        for a in answers:
            rating, choice, text = a.get("rating"), a.get("choice"), (a.get("text") or "").strip() or None
            if rating is None and not choice and not text:
                continue
            if rating is not None and not 1 <= int(rating) <= 5:
                raise ValueError("a rating is 1–5")
            target = a.get("target") or ""
            conn.execute(
                delete(SurveyAnswer).where(
                    SurveyAnswer.deck == deck,
                    SurveyAnswer.question == a["question"],
                    SurveyAnswer.target == target,
                    SurveyAnswer.device == key,
                )
            )
            conn.execute(
                insert(SurveyAnswer).values(
                    deck=deck,
                    question=a["question"],
                    target=target,
                    device=key,
                    rating=int(rating) if rating is not None else None,
                    choice=choice,
                    text=text,
                )
            )
            stored += 1
    return stored


def load_answer_summary(engine: Engine, deck: str, question: str) -> pd.DataFrame:
    """Per target and choice: ``target, choice, answers, mean_rating``."""
    stmt = (
        select(SurveyAnswer.target, SurveyAnswer.choice, func.count(SurveyAnswer.id), func.avg(SurveyAnswer.rating))
        .where(SurveyAnswer.deck == deck, SurveyAnswer.question == question)
        .group_by(SurveyAnswer.target, SurveyAnswer.choice)
        .order_by(SurveyAnswer.target, SurveyAnswer.choice)
    )
    return read_frame(engine, stmt, ["target", "choice", "answers", "mean_rating"])


def load_answer_texts(engine: Engine, deck: str, question: str) -> list[str]:
    """Free-text answers, newest first."""
    with engine.connect() as conn:
        return [
            t
            for (t,) in conn.execute(
                select(SurveyAnswer.text)
                .where(SurveyAnswer.deck == deck, SurveyAnswer.question == question, SurveyAnswer.text.is_not(None))
                .order_by(SurveyAnswer.id.desc())
            )
        ]


def load_answers(engine: Engine, deck: str | None = None) -> pd.DataFrame:
    """All answers (for the export): ``deck, question, target, rating, choice, text, created_at``."""
    stmt = select(
        SurveyAnswer.deck,
        SurveyAnswer.question,
        SurveyAnswer.target,
        SurveyAnswer.rating,
        SurveyAnswer.choice,
        SurveyAnswer.text,
        SurveyAnswer.created_at,
    )
    if deck:
        stmt = stmt.where(SurveyAnswer.deck == deck)
    return read_frame(
        engine,
        stmt.order_by(SurveyAnswer.deck, SurveyAnswer.question, SurveyAnswer.id),
        ["deck", "question", "target", "rating", "choice", "text", "created_at"],
    )

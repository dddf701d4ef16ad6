"""The room's notes and answers: saving and reading them (one transaction each).

Writes here are bounded and audited (docs/security.md, "Writes, notes and the survey"):

* a note is at most :data:`MAX_NOTE_CHARS` characters; an empty text is refused (only
  :func:`clear_note` removes a note); every save and clear writes an ``AuditEvent`` with
  the facilitator's name;
* survey answers are checked against the deck (:func:`check_answers`: known questions and
  targets, ratings 1–5, choices among the question's options, free text at most
  :data:`MAX_TEXT_CHARS` characters), come from a device id the server issued and signed
  (:func:`issue_device_token`), are limited per sender address (:data:`SURVEY_LIMITS`,
  counted in the ``survey_submission`` table so every worker process shares the count) and
  are audited with the actor ``survey``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update

from .decks import Deck, Question
from .models import AuditEvent, SurveyAnswer, SurveySubmission, WorkshopNote
from .queries.common import read_frame

NOTE_COLUMNS = ["deck", "slide", "held_on", "text", "created_at"]

MAX_NOTE_CHARS = 10_000
"""The longest note a facilitator may save for a slide and day."""
MAX_TEXT_CHARS = 2_000
"""The longest free-text survey answer."""
MAX_KEY_CHARS = 64
"""Deck, slide, question and target keys (the columns' width)."""
MAX_FIELDS = 200
"""More answers than this in one submission are refused before they are looked at."""
MAX_TOKEN_CHARS = 200
DEVICE_TOKEN_MAX_AGE = timedelta(days=30)
"""A device token older than this is replaced by the one the page was served with."""
SURVEY_LIMITS: tuple[tuple[timedelta, int], ...] = ((timedelta(minutes=1), 30), (timedelta(hours=1), 300))
"""(window, most accepted submissions from one address in it): a room behind one network
address can answer (30 phones a minute), one client cannot flood the results."""
SURVEY_ACTOR = "survey"
_TOKEN_SALT = "rus-survey-device"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NoteRefused(ValueError):
    """A note that is not saved; ``reason`` is ``empty``, ``too_long`` or ``bad_key``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"note refused: {reason}{f' ({detail})' if detail else ''}")
        self.reason = reason


class AnswersRefused(ValueError):
    """Survey answers that are not stored; ``reason`` is ``token``, ``invalid``, ``too_long`` or ``busy``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"answers refused: {reason}{f' ({detail})' if detail else ''}")
        self.reason = reason


def utcnow() -> datetime:
    """Now in UTC, without time zone (as the tables store it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def plain(text: str) -> str:
    """``text`` without control characters (tabs and line breaks stay), stripped.
    PostgreSQL refuses NUL in text, and nothing invisible should reach the room's screen."""
    return _CONTROL.sub("", text.replace("\r\n", "\n")).strip()


# --------------------------------------------------------------------------- notes


def _note_key(deck: str, slide: str, held_on: date) -> str:
    return f"{deck}/{slide}/{held_on.isoformat()}"[:100]


def _audit(conn: Connection, actor: str, action: str, entity: str, key: str, before: object, after: object) -> None:
    conn.execute(
        insert(AuditEvent).values(
            actor=actor[:100],
            action=action,
            entity=entity,
            entity_key=key[:100],
            before_json=None if before is None else json.dumps(before, ensure_ascii=False),
            after_json=None if after is None else json.dumps(after, ensure_ascii=False),
        )
    )


def _check_keys(*keys: str) -> None:
    for key in keys:
        if not isinstance(key, str) or not key or len(key) > MAX_KEY_CHARS:
            raise NoteRefused("bad_key", repr(key)[:80])


def save_note(engine: Engine, deck: str, slide: str, held_on: date, text: str, *, actor: str) -> None:
    """Save (replace) the note of a slide for a day, audited as ``actor``.

    An empty text is refused (:class:`NoteRefused` ``empty``): removing a note takes
    :func:`clear_note`. A text over :data:`MAX_NOTE_CHARS` is refused (``too_long``)."""
    _check_keys(deck, slide)
    text = plain(text or "")
    if not text:
        raise NoteRefused("empty")
    if len(text) > MAX_NOTE_CHARS:
        raise NoteRefused("too_long", f"{len(text)} characters")
    where = and_(WorkshopNote.deck == deck, WorkshopNote.slide == slide, WorkshopNote.held_on == held_on)
    with engine.begin() as conn:
        existing = conn.execute(select(WorkshopNote.id, WorkshopNote.text).where(where)).first()
        if existing is None:
            conn.execute(insert(WorkshopNote).values(deck=deck, slide=slide, held_on=held_on, text=text))
        elif existing.text == text:
            return
        else:
            conn.execute(update(WorkshopNote).where(WorkshopNote.id == existing.id).values(text=text))
        before = None if existing is None else {"text": existing.text}
        _audit(conn, actor, "note-save", "workshop_note", _note_key(deck, slide, held_on), before, {"text": text})


def clear_note(engine: Engine, deck: str, slide: str, held_on: date, *, actor: str) -> bool:
    """Remove the note of a slide for a day (the facilitator asked for it explicitly),
    audited as ``actor`` with the removed text. Returns whether there was a note."""
    _check_keys(deck, slide)
    where = and_(WorkshopNote.deck == deck, WorkshopNote.slide == slide, WorkshopNote.held_on == held_on)
    with engine.begin() as conn:
        existing = conn.execute(select(WorkshopNote.text).where(where)).scalar()
        if existing is None:
            return False
        conn.execute(delete(WorkshopNote).where(where))
        _audit(conn, actor, "note-clear", "workshop_note", _note_key(deck, slide, held_on), {"text": existing}, None)
    return True


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


# --------------------------------------------------------------------------- devices and addresses


def _serializer(secret: str | bytes) -> URLSafeTimedSerializer:
    if not secret:
        raise ValueError("no secret key to sign survey device tokens with")
    return URLSafeTimedSerializer(secret, salt=_TOKEN_SALT)


def issue_device_token(secret: str | bytes) -> str:
    """A new device id, signed with the app's secret: the survey page carries it, and an
    answer is only taken with a token the server issued."""
    return _serializer(secret).dumps({"d": secrets.token_hex(16)})


def device_from_token(secret: str | bytes, token: object, max_age: timedelta = DEVICE_TOKEN_MAX_AGE) -> str | None:
    """The device id in a token this server issued (and not older than ``max_age``), else None."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        payload = _serializer(secret).loads(token, max_age=int(max_age.total_seconds()))
    except BadSignature:
        return None
    device = payload.get("d") if isinstance(payload, dict) else None
    return device if isinstance(device, str) and re.fullmatch(r"[0-9a-f]{32}", device) else None


def device_hash(deck: str, device: str) -> str:
    """An anonymous, per-deck device key (the raw id never reaches the database)."""
    return hashlib.sha256(f"{deck}:{device}".encode()).hexdigest()[:40]


def address_key(secret: str | bytes, address: str | None) -> str:
    """The sender address as a keyed hash (the address itself is never stored)."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"survey:{address or '-'}".encode(), hashlib.sha256).hexdigest()[:40]


# --------------------------------------------------------------------------- answers


def question_targets(q: Question, deck: Deck, goals: Sequence[str], themes: Sequence[str]) -> tuple[str, ...]:
    """What a question rates or offers: the deck's themes (all themes when the deck names
    none), the goals, or nothing (``("",)``: one answer to the question as a whole)."""
    if q.targets == "themes":
        return tuple(deck.themes or themes)
    if q.targets == "goals":
        return tuple(goals)
    return ("",)


def question_options(q: Question, deck: Deck, goals: Sequence[str], themes: Sequence[str]) -> tuple[str, ...]:
    """The values a choice question accepts: its ``choices``, else the codes of its targets."""
    if q.choices:
        return q.choices
    return tuple(x for x in question_targets(q, deck, goals, themes) if x)


def check_answers(
    deck: Deck, answers: Sequence[Mapping[str, object]], *, goals: Sequence[str], themes: Sequence[str]
) -> list[dict[str, object]]:
    """The answers as they will be stored, or :class:`AnswersRefused` for the whole submission.

    Each answer names a question of ``deck`` and, for a rating, one of the question's
    targets; a rating is a whole number 1–5, a choice one of the question's options, a
    free text at most :data:`MAX_TEXT_CHARS` characters (plain text; control characters
    dropped). A question (and target) answered twice, or more than :data:`MAX_FIELDS`
    answers, is refused. Unanswered fields (None or empty) are left out."""
    if not isinstance(answers, Sequence) or len(answers) > MAX_FIELDS:
        raise AnswersRefused("invalid", "too many answers")
    questions = {q.id: q for q in deck.questions}
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, object]] = []
    for a in answers:
        if not isinstance(a, Mapping):
            raise AnswersRefused("invalid", "an answer is not an object")
        qid, target = a.get("question"), a.get("target") or ""
        q = questions.get(qid) if isinstance(qid, str) else None
        if q is None or not isinstance(target, str):
            raise AnswersRefused("invalid", f"no question {str(qid)[:40]!r} in {deck.id}")
        allowed = question_targets(q, deck, goals, themes) if q.type == "rating" else ("",)
        if target not in allowed:
            raise AnswersRefused("invalid", f"{q.id}: no target {target[:40]!r}")
        if (q.id, target) in seen:
            raise AnswersRefused("invalid", f"{q.id}/{target} answered twice")
        seen.add((q.id, target))
        value = a.get({"rating": "rating", "choice": "choice"}.get(q.type, "text"))
        if value is None or value == "":
            continue
        entry: dict[str, object] = {"question": q.id, "target": target}
        if q.type == "rating":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise AnswersRefused("invalid", f"{q.id}: a rating is a whole number 1–5")
            entry["rating"] = value
        elif q.type == "choice":
            if not isinstance(value, str) or value not in question_options(q, deck, goals, themes):
                raise AnswersRefused("invalid", f"{q.id}: not one of the options")
            entry["choice"] = value
        else:
            if not isinstance(value, str):
                raise AnswersRefused("invalid", f"{q.id}: a text answer is text")
            if len(value) > MAX_TEXT_CHARS:
                raise AnswersRefused("too_long", f"{q.id}: {len(value)} characters")
            text = plain(value)
            if not text:
                continue
            entry["text"] = text
        out.append(entry)
    return out


def _check_rate(conn: Connection, address: str, now: datetime) -> None:
    longest = max(window for window, _ in SURVEY_LIMITS)
    conn.execute(delete(SurveySubmission).where(SurveySubmission.at < now - longest))
    for window, limit in SURVEY_LIMITS:
        recent = conn.execute(
            select(func.count())
            .select_from(SurveySubmission)
            .where(SurveySubmission.address == address, SurveySubmission.at >= now - window)
        ).scalar_one()
        if recent >= limit:
            raise AnswersRefused("busy", f"{recent} submissions in {window}")


def save_answers(
    engine: Engine,
    deck: Deck,
    device: str,
    answers: Sequence[Mapping[str, object]],
    *,
    address: str,
    goals: Sequence[str],
    themes: Sequence[str],
    now: datetime | None = None,
) -> int:
    """Check (:func:`check_answers`) and store a device's answers: one per question and
    target, a new answer replacing the earlier one. ``device`` is the id from a verified
    token, ``address`` the keyed hash of the sender (:func:`address_key`). Refused
    (:class:`AnswersRefused` ``busy``, nothing written) when the address has sent
    :data:`SURVEY_LIMITS` submissions already. One audit event per submission (actor
    ``survey``). Returns how many answers were stored."""
    checked = check_answers(deck, answers, goals=goals, themes=themes)
    if not checked:
        return 0
    key = device_hash(deck.id, device)
    now = now or utcnow()
    with engine.begin() as conn:
        _check_rate(conn, address, now)
        conn.execute(insert(SurveySubmission).values(address=address, at=now))
        for a in checked:
            conn.execute(
                delete(SurveyAnswer).where(
                    SurveyAnswer.deck == deck.id,
                    SurveyAnswer.question == a["question"],
                    SurveyAnswer.target == a["target"],
                    SurveyAnswer.device == key,
                )
            )
            conn.execute(
                insert(SurveyAnswer).values(
                    deck=deck.id,
                    question=a["question"],
                    target=a["target"],
                    device=key,
                    rating=a.get("rating"),
                    choice=a.get("choice"),
                    text=a.get("text"),
                )
            )
        _audit(
            conn,
            SURVEY_ACTOR,
            "survey-answer",
            "survey_answer",
            deck.id,
            None,
            {"device": key[:12], "answers": checked},
        )
    return len(checked)


def load_answer_summary(engine: Engine, deck: str, question: str) -> pd.DataFrame:
    """Per target and choice: ``target, choice, answers, mean_rating``."""
    stmt = (
        select(SurveyAnswer.target, SurveyAnswer.choice, func.count(SurveyAnswer.id), func.avg(SurveyAnswer.rating))
        .where(SurveyAnswer.deck == deck, SurveyAnswer.question == question)
        .group_by(SurveyAnswer.target, SurveyAnswer.choice)
        .order_by(SurveyAnswer.target, SurveyAnswer.choice)
    )
    return read_frame(engine, stmt, ["target", "choice", "answers", "mean_rating"])


def load_answer_texts(engine: Engine, deck: str, question: str, limit: int | None = None) -> list[str]:
    """Free-text answers, newest first (at most ``limit``)."""
    stmt = (
        select(SurveyAnswer.text)
        .where(SurveyAnswer.deck == deck, SurveyAnswer.question == question, SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [t for (t,) in conn.execute(stmt)]


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

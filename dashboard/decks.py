"""Slide decks defined in ``data/decks.yaml``: load, validate and expand into slides."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import DATA_DIR

DECKS_FILE = DATA_DIR / "decks.yaml"
SLIDE_TYPES = (
    "title",
    "allocation",
    "capital",
    "kartbild",
    "indicators",
    "discussion",
    "survey",
    "results",
    "frame",
    "pipeline",
    "open_white_spots",
)
QUESTION_TYPES = ("rating", "text", "choice")


class DeckFileError(ValueError):
    """The deck file is malformed; the message names the place."""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    targets: str | None = None  # "themes" or "goals" (ratings and choices)
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slide:
    """One concrete slide: ``key`` is stable within the deck (used for notes and URLs)."""

    type: str
    key: str
    theme: str | None = None
    goal: str | None = None
    question: str | None = None  # discussion text
    question_id: str | None = None  # results slide


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    subtitle: str
    kind: str
    year: int
    themes: tuple[str, ...]
    questions: tuple[Question, ...]
    entries: tuple[Any, ...] = field(default_factory=tuple)

    def slides(self, goals: list[str]) -> list[Slide]:
        """The deck's slides in order; kartbild/indicators/results expand per theme/goal/question."""
        out: list[Slide] = []
        for entry in self.entries:
            spec = {"type": entry} if isinstance(entry, str) else dict(entry)
            kind = spec["type"]
            if kind == "kartbild":
                out += [Slide("kartbild", f"kartbild-{t}", theme=t) for t in spec.get("themes", self.themes)]
            elif kind == "indicators":
                out += [Slide("indicators", f"indikatorer-{g}", goal=g) for g in spec.get("goals", goals)]
            elif kind == "results":
                out += [Slide("results", f"resultat-{q.id}", question_id=q.id) for q in self.questions]
            elif kind == "discussion":
                out.append(Slide("discussion", f"diskussion-{spec['key']}", question=spec["question"]))
            else:
                out.append(Slide(kind, kind))
        return out

    def question(self, qid: str) -> Question | None:
        """The question with id ``qid``."""
        return next((q for q in self.questions if q.id == qid), None)


def load_decks(path: Path = DECKS_FILE) -> dict[str, Deck]:
    """Read and validate the deck file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DeckFileError(f"{path}: cannot read the deck file: {exc}") from exc
    decks: dict[str, Deck] = {}
    for i, d in enumerate((data or {}).get("decks") or [], 1):
        where = f"{path}: decks[{i}]"
        for key in ("id", "title", "year", "slides"):
            if key not in d:
                raise DeckFileError(f"{where}: missing '{key}'")
        questions = []
        for j, q in enumerate(d.get("questions") or [], 1):
            if q.get("type") not in QUESTION_TYPES:
                raise DeckFileError(f"{where}.questions[{j}]: type must be one of {', '.join(QUESTION_TYPES)}")
            questions.append(
                Question(
                    str(q["id"]),
                    q["type"],
                    str(q["text"]),
                    q.get("targets"),
                    tuple(str(c) for c in q.get("choices") or ()),
                )
            )
        for j, s in enumerate(d["slides"], 1):
            kind = s if isinstance(s, str) else (s or {}).get("type")
            if kind not in SLIDE_TYPES:
                raise DeckFileError(f"{where}.slides[{j}]: unknown slide type {kind!r}")
            if kind == "discussion" and not (isinstance(s, dict) and s.get("key") and s.get("question")):
                raise DeckFileError(f"{where}.slides[{j}]: a discussion slide needs 'key' and 'question'")
        if d["id"] in decks:
            raise DeckFileError(f"{where}: deck id {d['id']!r} is used twice")
        decks[d["id"]] = Deck(
            str(d["id"]),
            str(d["title"]),
            str(d.get("subtitle") or ""),
            str(d.get("kind") or "learning"),
            int(d["year"]),
            tuple(d.get("themes") or ()),
            tuple(questions),
            tuple(d["slides"]),
        )
    if not decks:
        raise DeckFileError(f"{path}: no decks")
    return decks

"""Decks, slides, the room's notes and answers, and the yearly report."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine

from dashboard.cli import main
from dashboard.decks import DeckFileError, load_decks
from dashboard.workshop import (
    AnswersRefused,
    NoteRefused,
    address_key,
    clear_note,
    device_from_token,
    device_hash,
    issue_device_token,
    load_answer_summary,
    load_answer_texts,
    load_answers,
    load_notes,
    save_answers,
    save_note,
)

GOALS = ["attraktivitet", "klimat", "halsa", "arbete", "konkurrenskraft", "naringsliv"]
THEMES = ["energi", "kompetens", "innovation", "digitalisering", "attraktivitet", "naringsliv"]
SECRET = "unit-test-secret"
ADDRESS = address_key(SECRET, "192.0.2.1")


def _save(engine: Engine, deck, device: str, answers: list[dict]) -> int:
    """Store answers as the survey page does (checked against ``deck``, one test address)."""
    deck = load_decks()[deck] if isinstance(deck, str) else deck
    return save_answers(engine, deck, device, answers, address=ADDRESS, goals=GOALS, themes=THEMES)


def test_decks_file_and_expansion() -> None:
    decks = load_decks()
    assert {"standard", "larandedag-2024", "larandedag-2025", "projektdag-2027"} <= set(decks)
    slides = decks["standard"].slides(GOALS)
    keys = [s.key for s in slides]
    assert keys[:3] == ["title", "allocation", "capital"]
    assert [s.theme for s in slides if s.type == "kartbild"] == ["energi", "kompetens"]
    assert [s.goal for s in slides if s.type == "indicators"] == GOALS
    assert [s.question_id for s in slides if s.type == "results"] == ["betyg-mal", "vit-flack"]
    assert len(set(keys)) == len(keys), "slide keys are unique within a deck"
    assert decks["larandedag-2024"].subtitle == "Hur ser din projektportfölj ut?"
    assert decks["larandedag-2025"].subtitle == "Vad har de tematiska portföljerna resulterat i?"
    assert {s.type for s in decks["projektdag-2027"].slides(GOALS)} >= {"frame", "pipeline", "open_white_spots"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("decks: []", "no decks"),
        ("decks:\n  - {id: x, title: X, year: 2024, slides: [nonsense]}", "unknown slide type 'nonsense'"),
        ("decks:\n  - {id: x, title: X, year: 2024, slides: [{type: discussion}]}", "needs 'key' and 'question'"),
        ("decks:\n  - {id: x, title: X, slides: [title]}", "missing 'year'"),
    ],
)
def test_bad_deck_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "decks.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeckFileError, match=message):
        load_decks(path)


@pytest.fixture
def ctx(app):
    with app.server.test_request_context("/presentation"):
        yield app


def test_every_slide_of_every_deck_renders(ctx) -> None:
    from dashboard.pages.slides import layout

    for deck_id, deck in load_decks().items():
        slides = deck.slides(GOALS)
        for n in range(1, len(slides) + 1):
            root = layout(deck=deck_id, slide=str(n))
            assert root.id == "slide-root"
            assert root.to_plotly_json()["props"]["data-exit"] == "/presentation"
        last = layout(deck=deck_id, slide=str(len(slides))).to_plotly_json()["props"]
        assert last["data-next"] == "" and last["data-prev"] == f"/presentation/{deck_id}/{len(slides) - 1}"
    assert "finns inte" in repr(layout(deck="okänd", slide="1"))


def test_notes_are_kept_per_slide_and_day(empty_engine: Engine) -> None:
    from dashboard.queries.audit import load_audit

    day = date(2026, 5, 20)
    slide = "diskussion-slutsatser"
    save_note(empty_engine, "standard", slide, day, "Fler projekt inom hälsa", actor="anna")
    save_note(empty_engine, "standard", slide, day, "Fler projekt inom hälsa och kultur", actor="anna")
    save_note(empty_engine, "larandedag-2025", slide, date(2025, 5, 20), "Förra årets slutsats", actor="bo")
    notes = load_notes(empty_engine, deck="standard", year=2026)
    assert notes["text"].tolist() == ["Fler projekt inom hälsa och kultur"]
    assert load_notes(empty_engine, slide_suffix=slide, year=2025)["text"].tolist() == ["Förra årets slutsats"]
    with pytest.raises(NoteRefused) as refused:
        save_note(empty_engine, "standard", slide, day, "  ", actor="anna")
    assert refused.value.reason == "empty"
    assert len(load_notes(empty_engine, deck="standard")) == 1, "an empty text removes nothing"
    assert clear_note(empty_engine, "standard", slide, day, actor="anna") is True
    assert load_notes(empty_engine, deck="standard").empty
    assert clear_note(empty_engine, "standard", slide, day, actor="anna") is False
    audit = load_audit(empty_engine)
    assert audit[["actor", "action"]].values.tolist() == [
        ["anna", "note-clear"],
        ["bo", "note-save"],
        ["anna", "note-save"],
        ["anna", "note-save"],
    ]
    assert "Fler projekt inom hälsa och kultur" in audit["before_json"].iloc[0]


def test_answers_one_per_device_question_and_target(empty_engine: Engine) -> None:
    _save(empty_engine, "standard", "device-a", [{"question": "betyg-mal", "target": "klimat", "rating": 2}])
    _save(
        empty_engine,
        "standard",
        "device-a",
        [
            {"question": "betyg-mal", "target": "klimat", "rating": 4},
            {"question": "betyg-mal", "target": "arbete", "rating": 5},
        ],
    )
    _save(
        empty_engine,
        "standard",
        "device-b",
        [{"question": "betyg-mal", "target": "klimat", "rating": 3}, {"question": "vit-flack", "text": "Hamnarna"}],
    )
    summary = load_answer_summary(empty_engine, "standard", "betyg-mal").set_index("target")
    assert summary.loc["klimat", "answers"] == 2 and summary.loc["klimat", "mean_rating"] == pytest.approx(3.5)
    assert summary.loc["arbete", "answers"] == 1
    assert load_answer_texts(empty_engine, "standard", "vit-flack") == ["Hamnarna"]
    stored = load_answers(empty_engine)
    assert "device-a" not in stored.to_string(), "the raw device id is never stored"
    assert device_hash("standard", "device-a") != device_hash("other", "device-a")
    with pytest.raises(AnswersRefused, match="1–5"):
        _save(empty_engine, "standard", "device-c", [{"question": "betyg-mal", "target": "klimat", "rating": 9}])


def test_device_tokens_are_the_servers_own() -> None:
    token = issue_device_token(SECRET)
    device = device_from_token(SECRET, token)
    assert device and len(device) == 32 and device != issue_device_token(SECRET)
    assert device_from_token("another-secret", token) is None
    for made_up in ("4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e", token[:-2] + "xx", "", None, 12, "x" * 5000):
        assert device_from_token(SECRET, made_up) is None
    assert address_key(SECRET, "192.0.2.1") != address_key(SECRET, "192.0.2.2")
    assert "192.0.2.1" not in address_key(SECRET, "192.0.2.1")


def test_survey_form_submission(ctx) -> None:
    from dashboard.pages.survey import submit_answers

    ids_ = [
        {"type": "survey-field", "q": "betyg-mal", "target": "klimat"},
        {"type": "survey-field", "q": "betyg-mal", "target": "arbete"},
        {"type": "survey-field", "q": "vit-flack", "target": ""},
    ]
    device = device_from_token(SECRET, issue_device_token(SECRET))
    assert (
        submit_answers("standard", device, [4, None, "Biologisk mångfald"], ids_, "sv", address=ADDRESS)
        == "Tack! 2 svar sparade."
    )
    assert submit_answers("standard", device, [None, None, ""], ids_, "sv", address=ADDRESS) == "Inga svar att skicka."


# --------------------------------------------------------------------------- report


def _cli_allocation(monkeypatch: pytest.MonkeyPatch, settings, capsys, year: int) -> int:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert main(["summary", "allocation", "--year", str(year), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()[1:]
    return sum(int(line.rsplit(",", 3)[1]) for line in lines)


def test_report_pdf_and_xlsx_match_the_summary(
    monkeypatch: pytest.MonkeyPatch, demo_settings, tmp_path: Path, capsys
) -> None:
    total = _cli_allocation(monkeypatch, demo_settings, capsys, 2024)
    out = tmp_path / "rapport.pdf"
    assert main(["report", "--year", "2024", "-o", str(out)]) == 0
    capsys.readouterr()
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    for section in (
        "1. Fördelning per mål",
        "2. Utvecklingskapital per källa",
        "3. Beslutade projekt 2024",
        "4. Sammanfattning per tema",
    ):
        assert section in text
    formatted = f"{total:,}".replace(",", " ") + " kr"
    assert formatted == "24 300 000 kr"
    assert text.replace("\xa0", " ").count(formatted) >= 3, "intro, goal total, project total and theme total"
    wb = load_workbook(out.with_suffix(".xlsx"))
    assert wb.sheetnames == ["Mål", "Källor", "Projekt", "Teman"]

    def column_sum(sheet: str, header: str) -> int:
        rows = list(wb[sheet].iter_rows(values_only=True))
        i = rows[0].index(header)
        return sum(r[i] for r in rows[1:])

    assert column_sum("Mål", "Anslag 1:1 (kr)") == total
    assert column_sum("Projekt", "Anslag 1:1 (kr)") == total
    assert column_sum("Teman", "Anslag 1:1 (kr)") == total
    sources = {r[0]: r[1] for r in list(wb["Källor"].iter_rows(values_only=True))[1:]}
    # development capital by source leaves the 1:1 grant out, as the KPI does, and adds up to it
    assert "Anslag 1:1" not in sources
    assert sum(sources.values()) == column_sum("Mål", "Annat kapital (kr)") == column_sum("Teman", "Annat kapital (kr)")
    assert "2. Utvecklingskapital per källa (annat kapital än anslag 1:1)" in text
    assert "Totalt utvecklingskapital" in text
    pngs = sorted(p.name for p in tmp_path.glob("rapport-*.png"))
    import shutil

    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        assert pngs == ["rapport-fordelning-per-mal.png", "rapport-utvecklingskapital-per-kalla.png"]
        assert len(PdfReader(out).pages[0].images) >= 1, "the allocation chart is in the PDF"


def test_report_download_and_notes_workbook(ctx) -> None:
    import base64
    import zipfile

    from dashboard.pages.presentation import notes_workbook
    from dashboard.pages.report import XLSX, ZIP, report_download

    xlsx = base64.b64decode(report_download(XLSX, 2024, "sv")["content"])
    assert load_workbook(io.BytesIO(xlsx)).sheetnames == ["Mål", "Källor", "Projekt", "Teman"]
    z = zipfile.ZipFile(io.BytesIO(base64.b64decode(report_download(ZIP, 2024, "sv")["content"])))
    assert {"rapport-anslag-1-1-2024.pdf", "rapport-anslag-1-1-2024.xlsx"} <= set(z.namelist())
    wb = load_workbook(io.BytesIO(notes_workbook("sv")))
    assert wb.sheetnames == ["Anteckningar", "Svar"]
    assert isinstance(pd.DataFrame(wb["Svar"].values), pd.DataFrame)


def test_results_slide_names_what_was_rated_in_its_own_kind(empty_engine: Engine) -> None:
    """Two goal codes are also theme codes (attraktivitet, naringsliv): a question about goals
    shows the goals' names, one about themes the themes', and a code is never read as the other kind."""
    from dashboard.components.slides import answer_labels, results_view
    from dashboard.decks import Deck, Question
    from dashboard.queries.common import load_vocabulary

    vocab = load_vocabulary(empty_engine)
    shared = set(vocab.goal_codes()) & set(vocab.themes["code"])
    assert {"attraktivitet", "naringsliv"} <= shared
    goals, themes = vocab.goal_labels("sv", short=True), vocab.theme_labels("sv")
    assert all(goals[c] != themes[c] for c in shared), "the same code names different things"
    questions = (
        Question("om-mal", "rating", "Mål?", "goals"),
        Question("om-tema", "rating", "Tema?", "themes"),
        Question("val", "choice", "Vilket mål?", "goals"),
        Question("fritt", "choice", "Vilket?", None, ("Ja", "Nej")),
    )
    deck = Deck("test-etiketter", "Test", "", "learning", 2026, (), questions)
    assert answer_labels(questions[0], vocab, "sv") == goals
    assert answer_labels(questions[1], vocab, "sv") == themes
    assert answer_labels(questions[3], vocab, "sv") == {}
    _save(
        empty_engine,
        deck,
        "enhet-1",
        [
            {"question": "om-mal", "target": "attraktivitet", "rating": 4},
            {"question": "om-tema", "target": "attraktivitet", "rating": 2},
            {"question": "val", "choice": "naringsliv"},
            {"question": "fritt", "choice": "Ja"},
        ],
    )
    shown = {q.id: list(results_view(empty_engine, deck, q.id, vocab, "sv")[0].data[0].y) for q in questions}
    assert shown == {
        "om-mal": [goals["attraktivitet"]],
        "om-tema": [themes["attraktivitet"]],
        "val": [goals["naringsliv"]],
        "fritt": ["Ja"],
    }

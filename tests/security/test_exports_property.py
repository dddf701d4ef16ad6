"""Every export works for every state the data may be in. The kartbild PDF answered 500
when an ongoing project had no end date; here generated project lists (any status, dates
missing or not, no money, no goal, no place, several goals and places) go through every
export: the kartbild as PDF and PNG for every theme, the yearly report for every year,
the project list as CSV and XLSX, the CLI summaries and the change log."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from dashboard.cli import main
from dashboard.demo import clear_data
from dashboard.exports import kartbild
from dashboard.exports.report import build_report
from dashboard.filters import FilterState
from dashboard.importers.projects import import_projects
from dashboard.models import Theme
from dashboard.services import theme_map

from ..unit.test_importer_projects import HEADER, REF

STATUSES = ["idé", "ansökt", "beviljat", "pågående", "avslutat", "avslag", "avbrutet"]
GOALS = ["", "klimat", "arbete 100", "klimat 60; konkurrenskraft 40", "attraktivitet; halsa; naringsliv"]
PLACES = ["", "Karlskrona", "Karlskrona, Ronneby", "Hela länet"]
AMOUNTS = ["", "0", "1", "250 000", "1,5 mnkr"]
THEMES = ["", "Energi", "Kultur", "Kompetensförsörjning"]


def _day(n: int | None) -> str:
    return "" if n is None else (date(2020, 1, 1) + timedelta(days=n)).isoformat()


@st.composite
def projects(draw: st.DrawFn) -> list[list[str]]:
    rows = []
    for i in range(draw(st.integers(min_value=1, max_value=5))):
        start = draw(st.one_of(st.none(), st.integers(0, 3_000)))
        end = None if start is None else draw(st.one_of(st.none(), st.integers(start, start + 1_500)))
        if start is None:
            end = draw(st.one_of(st.none(), st.integers(0, 3_000)))
        decided = draw(st.one_of(st.none(), st.integers(0, 2_500)))
        rows.append(
            [
                f"P-{i}",
                f"Projekt {i}",
                draw(st.sampled_from(["", "Karlskrona kommun", "BTH"])),
                draw(st.sampled_from(THEMES)),
                draw(st.sampled_from(STATUSES)),
                _day(decided),
                _day(start),
                _day(end),
                draw(st.sampled_from(GOALS)),
                draw(st.sampled_from(PLACES)),
                "",
                draw(st.sampled_from(AMOUNTS)),
                draw(st.sampled_from(AMOUNTS)),
                draw(st.sampled_from(AMOUNTS)),
            ]
        )
    return rows


@pytest.fixture
def no_chart_images(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kartbild's chart is built (so a bad figure still fails) but not drawn by Chromium."""
    monkeypatch.setattr(kartbild, "_chart_png", lambda *_a, **_k: None)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=projects())
def test_every_export_works_for_generated_projects(
    rows: list[list[str]], empty_engine: Engine, tmp_path: Path, no_chart_images: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with empty_engine.begin() as conn:
        clear_data(conn)
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows([HEADER, *rows])
    path = tmp_path / "gen.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    import_projects(empty_engine, path, reference_date=REF)

    with empty_engine.connect() as conn:
        themes = list(conn.execute(select(Theme.code)).scalars())
    for code in themes:
        tm = theme_map(empty_engine, FilterState(theme=(code,)), code, REF)
        pdf = kartbild.kartbild_pdf(tm, theme_name=code, reference=REF, goal_labels={}, lang="sv")
        assert pdf.startswith(b"%PDF")
        assert kartbild.pdf_to_png(pdf).startswith(b"\x89PNG")
    for year in {int(r[5][:4]) for r in rows if r[5]} | {2024}:
        pack = build_report(empty_engine, year, "sv", today=REF, with_charts=False)
        assert pack.pdf.startswith(b"%PDF") and pack.xlsx[:2] == b"PK"

    monkeypatch.setenv("DATABASE_URL", str(empty_engine.url))
    for output in ("lista.csv", "lista.xlsx"):
        assert main(["export", "projects", "-o", str(tmp_path / output)]) == 0
    for kind in ("allocation", "capital", "themes"):
        assert main(["summary", kind, "--format", "json"]) == 0

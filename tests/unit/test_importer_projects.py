"""Project-list import: profiles, real formats, per-cell messages, all-or-nothing, hostile files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, select

from dashboard.cli import main
from dashboard.exports.template import template_workbook
from dashboard.importers.indicators import ImportFailed, Problem
from dashboard.importers.projects import import_projects, parse_date
from dashboard.models import Funding, Project, ProjectGoal, ProjectMunicipality

from ..conftest import SHARED

REF = date(2026, 11, 27)
HEADER = [
    "Referens",
    "Titel",
    "Projektägare",
    "Tematiskt område",
    "Status",
    "Beslutsdatum",
    "Startdatum",
    "Slutdatum",
    "Mål",
    "Kommuner",
    "Prioriteringar",
    "Anslag 1:1 (kr)",
    "ERUF (kr)",
    "Privat (kr)",
]
GOOD = [
    "R-1",
    "Solceller",
    "Karlskrona kommun",
    "Energi",
    "beviljat",
    "2025-03-01",
    "2025-04-01",
    "2027-03-31",
    "klimat 60; konkurrenskraft 40",
    "Karlskrona, Ronneby",
    "klim-energisystem",
    "500 000",
    "400 000",
    "350 000",
]


def _csv(tmp_path: Path, rows: list[list], name: str = "projekt.csv", sep: str = ";") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep).writerows([HEADER, *rows])
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _snapshot(engine: Engine) -> tuple[str, bytes]:
    """The database's logical content and its files' bytes."""
    db = engine.url.database
    con = sqlite3.connect(db)
    dump = "\n".join(con.iterdump())
    con.close()
    raw = b"".join(Path(p).read_bytes() for p in (db, db + "-wal") if Path(p).exists())
    return dump, raw


def test_dates() -> None:
    assert parse_date("2024-03-01 00:00:00") == (date(2024, 3, 1), None)
    assert parse_date(45352) == (date(2024, 3, 1), None)
    assert parse_date("2024-02-30")[1] == ("impossible_date", {"value": "'2024-02-30'"})
    problem = Problem.of("row 4", "Start", *parse_date("2024-02-30")[1])
    assert problem.message == "'2024-02-30' is an impossible date"
    assert (problem.where("sv"), problem.text("sv")) == ("rad 4", "'2024-02-30' är ett datum som inte finns")


def test_good_csv_and_reimport(empty_engine: Engine, tmp_path: Path) -> None:
    path = _csv(tmp_path, [GOOD])
    first = import_projects(empty_engine, path, reference_date=REF)
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    with empty_engine.connect() as conn:
        p = conn.execute(select(Project).where(Project.reference == "R-1")).one()
        assert p.status == "beviljat" and p.decision_year == 2025 and not p.whole_county
        shares = dict(conn.execute(select(ProjectGoal.goal_id, ProjectGoal.share_bp)).all())
        assert sorted(shares.values()) == [4_000, 6_000]
        munis = conn.execute(select(ProjectMunicipality.municipality_code, ProjectMunicipality.share_bp)).all()
        assert sorted(munis) == [("1080", 5_000), ("1081", 5_000)]
        assert sorted(conn.execute(select(Funding.source, Funding.amount_sek)).all()) == [
            ("anslag_1_1", 500_000),
            ("eruf", 400_000),
            ("private", 350_000),
        ]
    assert import_projects(empty_engine, path, reference_date=REF).unchanged == 1
    changed = list(GOOD)
    changed[11] = "550 000"
    second = import_projects(empty_engine, _csv(tmp_path, [changed]), reference_date=REF)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 0)
    with empty_engine.connect() as conn:
        assert conn.execute(select(Funding.amount_sek).where(Funding.source == "anslag_1_1")).scalar_one() == 550_000


def test_template_round_trip(empty_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "mall.xlsx"
    path.write_bytes(template_workbook(empty_engine))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Projekt", "Tillåtna värden"]
    assert "Energi" in [c.value for c in wb["Tillåtna värden"]["B"]]
    report = import_projects(empty_engine, path, reference_date=REF)
    assert report.created == 1


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({1: ""}, "Titel", "required, but empty"),
        ({9: "Karlskorna"}, "Kommuner", "unknown municipality 'Karlskorna' (did you mean 'karlskrona'?)"),
        ({3: "Energii"}, "Tematiskt område", "unknown theme 'Energii' (did you mean 'energi'?)"),
        ({8: "klimat 60; arbete 30"}, "Mål", "goal shares add up to 90 %, expected 100 %"),
        ({8: "klimatt"}, "Mål", "unknown goal 'klimatt'"),
        ({12: "-400 000"}, "ERUF (kr)", "negative amount -400000"),
        ({12: "fyra"}, "ERUF (kr)", "'fyra' is not an amount"),
        ({6: "2027-01-01", 7: "2026-01-01"}, "Slutdatum", "ends 2026-01-01 before it starts 2027-01-01"),
        ({6: "2025-02-30"}, "Startdatum", "'2025-02-30' is an impossible date"),
        ({4: "kanske"}, "Status", "unknown status 'kanske'"),
        ({12: "=1+1"}, "ERUF (kr)", "'=1+1' is a formula, not an amount"),
    ],
)
def test_bad_cells_name_row_and_column_and_write_nothing(
    empty_engine: Engine, tmp_path: Path, cells: dict, column: str, message: str
) -> None:
    import_projects(empty_engine, _csv(tmp_path, [GOOD], "first.csv"), reference_date=REF)
    before = _snapshot(empty_engine)
    bad = list(GOOD)
    bad[0] = "R-2"
    for i, v in cells.items():
        bad[i] = v
    path = _csv(tmp_path, [["R-3", *GOOD[1:]], bad])
    with pytest.raises(ImportFailed) as info:
        import_projects(empty_engine, path, reference_date=REF)
    rendered = str(info.value)
    assert f"{path}: row 3: {column}: {message}" in rendered, rendered
    assert _snapshot(empty_engine) == before, "a rejected import leaves the database as it was"


def test_duplicate_reference_and_grant_warning(empty_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"row 3: Referens: duplicate reference 'R-1' \(also at row 2\)"):
        import_projects(empty_engine, _csv(tmp_path, [GOOD, GOOD]), reference_date=REF)
    heavy = list(GOOD)
    heavy[11] = "2 000 000"
    report = import_projects(empty_engine, _csv(tmp_path, [heavy]), reference_date=REF)
    assert report.created == 1
    assert any(
        w.message.startswith("Rows where the 1:1 grant is more than 50 % of the budget (1;")
        and "row 2 (73 %)" in w.message
        and "rad 2 (73 %)" in w.text("sv")
        for w in report.warnings
    )


def test_hostile_files(empty_engine: Engine, tmp_path: Path) -> None:
    before = _snapshot(empty_engine)
    cases: list[tuple[str, bytes, str]] = [
        ("empty.csv", b"", "the file is empty"),
        ("utf16.csv", ";".join(HEADER).encode("utf-16"), "not a text file"),
        ("corrupt.xlsx", b"PK\x03\x04 this is not a workbook", "not a valid Excel file"),
        ("macro.xlsm", b"whatever", ".xlsm files are not accepted"),
        ("data.pdf", b"%PDF-1.4", "unknown file type"),
        ("data.json", b"{}", "must be a list of flat objects"),
        ("data.json", b"[{", "not valid JSON"),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/vbaProject.bin", b"\x00")
    cases.append(("sneaky.xlsx", buf.getvalue(), "contains macros"))
    for name, content, message in cases:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ImportFailed, match=message):
            import_projects(empty_engine, path, reference_date=REF)
    big = _csv(tmp_path, [GOOD] * 5, "big.csv")
    with pytest.raises(ImportFailed, match="the limit is 100"):
        import_projects(empty_engine, big, reference_date=REF, max_bytes=100)
    assert _snapshot(empty_engine) == before


def test_formulas_and_scripts_are_stored_as_text(empty_engine: Engine, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    row = list(GOOD)
    row[1] = '=HYPERLINK("http://example.com","klicka")'
    row[3] = "Energi"
    ws.append(row)
    ws.append(["R-2", "<script>alert(1)</script>", *GOOD[2:]])
    path = tmp_path / "formler.xlsx"
    wb.save(path)
    assert import_projects(empty_engine, path, reference_date=REF).created == 2
    with empty_engine.connect() as conn:
        titles = dict(conn.execute(select(Project.reference, Project.title)).all())
    assert titles == {"R-1": '=HYPERLINK("http://example.com","klicka")', "R-2": "<script>alert(1)</script>"}


def test_case_system_export_with_units(empty_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "arende.csv"
    path.write_text(
        "Diarienummer;Projektnamn;Sökande;Tema;Status;Beslutsdatum;Projektstart;Projektslut;RUS-mål;Kommun;"
        "Beviljat 1:1 (tkr);ERUF (tkr);Privat medfinansiering (tkr)\n"
        "RB 2025/17;Vätgasnod;Demo AB;Energi;Beviljad;2025-05-02;2025-06-01;2027-05-31;Miljö och klimat;Hela länet;"
        "1 200;900;1 500,5\n",
        encoding="utf-8",
    )
    report = import_projects(empty_engine, path, mapping="arende", reference_date=REF)
    assert report.created == 1
    with empty_engine.connect() as conn:
        p = conn.execute(select(Project).where(Project.reference == "RB 2025/17")).one()
        assert p.whole_county and p.status == "beviljat"
        amounts = dict(conn.execute(select(Funding.source, Funding.amount_sek)).all())
    assert amounts == {"anslag_1_1": 1_200_000, "eruf": 900_000, "private": 1_500_500}


def test_real_projektbanken_file(empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """The whole national list: 374 projects, ERUF 4 354 438 151 kr, each project once in every total."""
    path = SHARED / "data" / "real" / "se_erdf_2014-2020_projektbanken_2016-10.csv"
    if not path.exists():
        pytest.skip("../shared/data/real is not available")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected = sum(int(r["beviljat_belopp_sek"]) for r in rows)
    assert expected == 4_354_438_151
    monkeypatch.setenv("DATABASE_URL", str(empty_engine.url))
    monkeypatch.setenv("RUS_REFERENCE_DATE", REF.isoformat())
    assert main(["import", "projects", str(path), "--mapping", "projektbanken"]) == 0
    assert "374 created" in capsys.readouterr().out
    assert main(["summary", "capital", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    sources = {s["source"]: s["amount_sek"] for s in summary["sources"]}
    assert sources["eruf"] == expected and sum(sources.values()) == expected
    assert sum(g["granted_sek"] + g["other_capital_sek"] for g in summary["goals"]) == expected
    with empty_engine.connect() as conn:
        assert conn.execute(select(func.count(Project.id))).scalar_one() == 374
        national = conn.execute(select(Project.whole_county).where(Project.reference == "PB-20201075")).scalar_one()
        places = conn.execute(
            select(Project.reference, func.count(ProjectMunicipality.municipality_code))
            .outerjoin(ProjectMunicipality)
            .group_by(Project.reference)
        ).all()
    assert national, "a project listing the whole county (or the whole country) is whole-county, not five times"
    assert all(n <= 5 for _, n in places), "only the region's own municipalities are linked"
    # by municipality: the split adds up to at most the total (projects elsewhere have no place here)
    assert main(["summary", "capital", "--format", "json", "--municipality", "1082"]) == 0
    karlshamn = json.loads(capsys.readouterr().out)
    assert 0 < sum(s["amount_sek"] for s in karlshamn["sources"]) < expected
    again = import_projects(empty_engine, path, mapping="projektbanken", reference_date=REF)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 374)


def test_projektbanken_only_region(empty_engine: Engine) -> None:
    path = SHARED / "data" / "real" / "se_erdf_2014-2020_projektbanken_2016-10.csv"
    if not path.exists():
        pytest.skip("../shared/data/real is not available")
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if "blekinge" in r["län"].lower()]
    report = import_projects(empty_engine, path, mapping="projektbanken", reference_date=REF, only_region=True)
    assert report.created == len(rows) == 38
    assert report.skipped == 374 - 38
    with empty_engine.connect() as conn:
        total = conn.execute(select(Funding.amount_sek)).scalars().all()
    assert sum(total) == sum(int(r["beviljat_belopp_sek"]) for r in rows), "each project counted once, not per place"


def test_cli_import_projects(monkeypatch: pytest.MonkeyPatch, empty_engine: Engine, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", str(empty_engine.url))
    monkeypatch.setenv("RUS_REFERENCE_DATE", REF.isoformat())
    bad = list(GOOD)
    bad[12] = "x"
    assert main(["import", "projects", str(_csv(tmp_path, [bad], "bad.csv"))]) == 1
    assert "row 2: ERUF (kr): 'x' is not an amount" in capsys.readouterr().err
    good = _csv(tmp_path, [GOOD], "good.csv")
    assert main(["import", "projects", str(good), "--dry-run"]) == 0
    assert "would import" in capsys.readouterr().out
    assert main(["import", "projects", str(good)]) == 0
    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    out = tmp_path / "export.xlsx"
    assert main(["export", "projects", "-o", str(out)]) == 0
    assert load_workbook(out)["Projekt"]["A2"].value == "R-1"


def test_imports_are_audited(empty_engine: Engine, tmp_path: Path) -> None:
    import json

    from dashboard.models import AuditEvent

    import_projects(empty_engine, _csv(tmp_path, [GOOD], "a.csv"), reference_date=REF, actor="test:anna")
    changed = list(GOOD)
    changed[1] = "Solceller 2.0"
    import_projects(empty_engine, _csv(tmp_path, [changed], "b.csv"), reference_date=REF, actor="test:anna")
    import_projects(empty_engine, _csv(tmp_path, [changed], "c.csv"), reference_date=REF, actor="test:anna")
    with empty_engine.connect() as conn:
        events = conn.execute(
            select(
                AuditEvent.actor,
                AuditEvent.action,
                AuditEvent.entity_key,
                AuditEvent.before_json,
                AuditEvent.after_json,
            ).order_by(AuditEvent.id)
        ).all()
    project_events = [e for e in events if e.action == "import"]
    assert [e.entity_key for e in project_events] == ["R-1", "R-1"], "unchanged rows are not logged"
    assert project_events[0].before_json is None
    assert json.loads(project_events[1].before_json)["title"] == "Solceller"
    assert json.loads(project_events[1].after_json)["title"] == "Solceller 2.0"
    files = [e for e in events if e.action == "import-file"]
    assert [json.loads(e.after_json)["unchanged"] for e in files] == [0, 0, 1]
    assert {e.actor for e in events} == {"test:anna"}

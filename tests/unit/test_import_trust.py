"""Numbers you can trust on the way in: Swedish amounts, bounds, dates, counted defaults,
validated profiles, JSON, --skip-invalid, and demo data kept apart from real data.
Every file is made in the test; each test runs on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func, select

from dashboard.cli import main
from dashboard.importers.indicators import ImportFailed
from dashboard.importers.projects import import_projects, load_profile, validate_profile
from dashboard.models import AuditEvent, Funding, Project

from .test_importer_projects import GOOD, HEADER, REF


def _write(tmp_path: Path, header: list[str], rows: list[list], name: str = "lista.csv") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows([header, *rows])
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _row(ref: str, **changes: str) -> list:
    row = list(GOOD)
    row[0] = ref
    for column, value in changes.items():
        row[HEADER.index(column)] = value
    return row


def _funding(engine: Engine) -> dict[tuple[str, str], int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Project.reference, Funding.source, Funding.amount_sek).join(
                Funding, Funding.project_id == Project.id
            )
        ).all()
    return {(r, s): a for r, s, a in rows}


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Project)).scalar_one()


def _failure(engine: Engine, path: Path, **kw: object) -> str:
    with pytest.raises(ImportFailed) as info:
        import_projects(engine, path, reference_date=REF, **kw)
    assert _count(engine) == 0, "a rejected import writes nothing"
    return str(info.value)


# --------------------------------------------------------------------------- amounts


def test_swedish_amounts_in_a_file(any_engine: Engine, tmp_path: Path) -> None:
    header = [*HEADER[:11], "Anslag 1:1 (tkr)", "ERUF (kr)", "Privat (kr)"]
    rows = [
        _row("A", **{"ERUF (kr)": "2,750 mnkr", "Privat (kr)": "1 234,50"}),
        [*_row("B")[:11], "1,5", "1.234.567", "500:-"],
    ]
    rows[0][11] = "250"
    import_projects(any_engine, _write(tmp_path, header, rows), reference_date=REF)
    assert _funding(any_engine) == {
        ("A", "anslag_1_1"): 250_000,  # the header's unit
        ("A", "eruf"): 2_750_000,  # comma = decimal mark, the cell's unit wins
        ("A", "private"): 1_235,  # öre rounded half up
        ("B", "anslag_1_1"): 1_500,  # 1,5 tkr
        ("B", "eruf"): 1_234_567,
        ("B", "private"): 500,
    }


def test_an_ambiguous_amount_names_row_column_and_how_it_was_read(any_engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, [_row("A"), _row("B", **{"ERUF (kr)": "1,500"})])
    text = _failure(any_engine, path)
    assert "row 3: ERUF (kr): '1,500' was read as 1,5 kr (the comma is the decimal mark)" in text
    assert "if you mean 1 500 kr, write 1 500" in text


def test_english_files_are_read_by_an_explicit_profile_choice(any_engine: Engine, tmp_path: Path) -> None:
    _, mall = load_profile("mall")
    path = _write(tmp_path, HEADER, [_row("A", **{"ERUF (kr)": "1,234,567.50", "Privat (kr)": "2.5 mnkr"})])
    import_projects(any_engine, path, reference_date=REF, mapping={**mall, "number_format": "en"})
    assert _funding(any_engine)[("A", "eruf")] == 1_234_568
    assert _funding(any_engine)[("A", "private")] == 2_500_000


def test_bounds_per_amount_and_per_row(any_engine: Engine, tmp_path: Path) -> None:
    huge = "99 000 000 000"
    ok = _write(tmp_path, HEADER, [_row("A", **{"ERUF (kr)": huge}), _row("B", **{"ERUF (kr)": huge})], "ok.csv")
    import_projects(any_engine, ok, reference_date=REF)
    with any_engine.connect() as conn:
        total = conn.execute(select(func.sum(Funding.amount_sek))).scalar_one()
    assert total == 2 * 99_000_000_000 + 2 * (500_000 + 350_000), "two huge rows sum exactly, never negative"
    too_big = _write(tmp_path, HEADER, [_row("C", **{"ERUF (kr)": "100 000 000 001"})], "big.csv")
    with pytest.raises(ImportFailed, match="row 2: ERUF \\(kr\\): '100 000 000 001' is 100 000 000 001 kr, more than"):
        import_projects(any_engine, too_big, reference_date=REF)
    row_total = _write(tmp_path, HEADER, [_row("D", **{"ERUF (kr)": "60 000 000 000", "Privat (kr)": "60 mnkr"})])
    import_projects(any_engine, row_total, reference_date=REF)  # 60,06 bn in all: under the ceiling
    over = _write(tmp_path, HEADER, [_row("E", **{"ERUF (kr)": "60 000 000 000", "Privat (kr)": "60 000 mnkr"})])
    with pytest.raises(ImportFailed, match="row 2: -: the row's amounts add up to 120 000 500 000 kr"):
        import_projects(any_engine, over, reference_date=REF)
    lower = _write(tmp_path, HEADER, [_row("F")], "lower.csv")
    with pytest.raises(ImportFailed, match="more than the ceiling of 400 000 kr"):
        import_projects(any_engine, lower, reference_date=REF, ceiling=400_000)


def test_text_lengths_are_checked_before_the_database(any_engine: Engine, tmp_path: Path) -> None:
    """SQLite would store a 301-character title, PostgreSQL refuses it: both now get the same message."""
    rows = [_row("A", Titel="x" * 301), _row("B" * 65), _row("C", Projektägare="y" * 201)]
    text = _failure(any_engine, _write(tmp_path, HEADER, rows))
    assert "row 2: Titel: the text has 301 characters; at most 300 fit" in text
    assert "row 3: Referens: the text has 65 characters; at most 64 fit" in text
    assert "row 4: Projektägare: the text has 201 characters; at most 200 fit" in text


def test_cli_never_shows_a_traceback_for_a_20_digit_amount(
    monkeypatch: pytest.MonkeyPatch, empty_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", str(empty_engine.url))
    path = _write(tmp_path, HEADER, [_row("A", **{"ERUF (kr)": "12345678901234567890"})])
    assert main(["import", "projects", str(path), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "row 2: ERUF (kr): '12345678901234567890' is 12 345 678 901 234 567 890 kr, more than the ceiling" in err
    assert "Traceback" not in err
    monkeypatch.setenv("RUS_MAX_AMOUNT_SEK", "1 000")
    ok = _write(tmp_path, HEADER, [_row("B")], "b.csv")
    assert main(["import", "projects", str(ok)]) == 1
    assert "more than the ceiling of 1 000 kr" in capsys.readouterr().err


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("0024-03-01", "'0024-03-01' lies outside the years 1980–2100"),
        ("9999-12-31", "'9999-12-31' lies outside the years 1980–2100"),
        ("01.03.2025", "'01.03.2025' has the day first; set date_format: dmy in the mapping"),
        ("2025/03/01", "'2025/03/01' is not a date (expected YYYY-MM-DD)"),
    ],
)
def test_bad_dates(any_engine: Engine, tmp_path: Path, cell: str, message: str) -> None:
    text = _failure(any_engine, _write(tmp_path, HEADER, [_row("A", Startdatum=cell)]))
    assert f"row 2: Startdatum: {message}" in text


def test_day_first_dates_when_the_profile_says_so(any_engine: Engine, tmp_path: Path) -> None:
    _, mall = load_profile("mall")
    rows = [_row("A", Beslutsdatum="01.03.2025", Startdatum="1/4/2025", Slutdatum="31-03-2027"), _row("B")]
    rows[1][HEADER.index("Startdatum")] = "45748"  # an Excel serial: 2025-04-01
    import_projects(
        any_engine, _write(tmp_path, HEADER, rows), reference_date=REF, mapping={**mall, "date_format": "dmy"}
    )
    with any_engine.connect() as conn:
        got = dict(conn.execute(select(Project.reference, Project.start_date)).all())
        decided = conn.execute(select(Project.decision_date).where(Project.reference == "A")).scalar_one()
    assert {k: v.isoformat() for k, v in got.items()} == {"A": "2025-04-01", "B": "2025-04-01"}
    assert decided.isoformat() == "2025-03-01"
    with pytest.raises(ImportFailed, match=r"'13\.13\.2025' is an impossible date"):
        import_projects(
            any_engine,
            _write(tmp_path, HEADER, [_row("C", Startdatum="13.13.2025")], "c.csv"),
            reference_date=REF,
            mapping={**mall, "date_format": "dmy"},
        )


# --------------------------------------------------------------------------- defaults


def test_defaults_that_change_what_a_row_counts_as_are_counted_warnings(
    any_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    rows = [_row(f"N{i}", Status="", Beslutsdatum="") for i in range(7)]
    rows += [_row("G", Status=""), _row("S", Mål="klimat; arbete"), _row("Z")]
    for column in ("Anslag 1:1 (kr)", "ERUF (kr)", "Privat (kr)"):
        rows[-1][HEADER.index(column)] = ""
    path = _write(tmp_path, HEADER, rows)
    report = import_projects(any_engine, path, reference_date=REF, dry_run=True)
    text = {w.key: w.message for w in report.warnings}
    assert text["default_status_idea"] == (
        "Rows with neither status nor decision date (7): read as idé — they count in no decided total "
        "(row 2; row 3; row 4; row 5; row 6; …)"
    )
    assert text["default_status_granted"] == (
        "Rows with no status but a decision date (1): read as beviljat (granted) (row 9)"
    )
    assert text["default_goal_shares"].endswith("split equally between the goals (row 10)")
    assert text["default_no_amounts"] == "Rows without amounts (1): they count as 0 kr (row 11)"
    sv = {w.key: w.text("sv") for w in report.warnings}
    assert sv["default_status_idea"].startswith("Rader utan både status och beslutsdatum (7 st): lästa som idé")
    assert sv["default_status_idea"].endswith("(rad 2; rad 3; rad 4; rad 5; rad 6; …)")
    monkeypatch.setenv("DATABASE_URL", any_engine.url.render_as_string(hide_password=False))
    assert main(["import", "projects", str(path), "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {path}: file: Status: Rows with neither status nor decision date (7)" in err


def test_a_missing_funding_column_is_a_warning(any_engine: Engine, tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "Privat (kr)"]
    row = [c for h, c in zip(HEADER, GOOD, strict=True) if h != "Privat (kr)"]
    report = import_projects(any_engine, _write(tmp_path, header, [row]), reference_date=REF, dry_run=True)
    assert any(w.key == "missing_funding_column" and w.params["source"] == "private" for w in report.warnings)


# --------------------------------------------------------------------------- profiles


def test_profile_problems_name_the_key(tmp_path: Path) -> None:
    bad = {
        "columns": {"reference": "Ref", "titel": ["Titel"], "owner": 5},
        "funding": {"anslag_1_1": ["1:1"], "eu": ["EU"]},
        "number_fromat": "sv",
        "date_format": "ymd",
        "national": "yes",
    }
    with pytest.raises(ImportFailed) as info:
        validate_profile(bad, "p.yaml")
    text = str(info.value)
    assert "mapping: number_fromat: unknown key 'number_fromat' (number_format?) in the mapping" in text
    assert "mapping: columns.titel: unknown field 'titel'" in text
    assert "mapping: columns.owner: columns.owner must be a column name or a list of column names" in text
    assert "mapping: funding.eu: unknown field 'eu'" in text
    assert "mapping: date_format: date_format must be iso (2024-03-01; the default) or dmy" in text
    assert "mapping: national: national must be true or false" in text
    ok = validate_profile({"columns": {"reference": "Ref", "title": ["Titel", "Namn"]}}, "p")
    assert ok["columns"] == {"reference": ["Ref"], "title": ["Titel", "Namn"]}, "a string is one name, not letters"
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(ImportFailed, match="unknown key 'number_fromat'"):
        load_profile(str(path))


def test_builtin_profiles_are_valid() -> None:
    from dashboard.importers.projects import PROFILES

    for name in PROFILES:
        assert load_profile(name)[1]["columns"]


def test_only_region_is_refused_where_it_cannot_work(any_engine: Engine, tmp_path: Path) -> None:
    text = _failure(any_engine, _write(tmp_path, HEADER, [_row("A")]), only_region=True)
    assert "--only-region works only with a mapping for a national list" in text


def test_json_input(any_engine: Engine, tmp_path: Path) -> None:
    records = [dict(zip(HEADER, _row("J1"), strict=True)), dict(zip(HEADER, _row("J2"), strict=True))]
    records[1]["ERUF (kr)"] = 400000  # numbers as JSON numbers
    records[1]["Privat (kr)"] = None
    path = tmp_path / "lista.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    report = import_projects(any_engine, path, reference_date=REF)
    assert report.created == 2
    assert _funding(any_engine)[("J2", "eruf")] == 400_000 and ("J2", "private") not in _funding(any_engine)
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps([{"Referens": "X", "Titel": ["a"]}]), encoding="utf-8")
    with pytest.raises(ImportFailed, match="row 2: Titel: the value is a list or an object"):
        import_projects(any_engine, nested, reference_date=REF)


# --------------------------------------------------------------------------- skip invalid


def test_skip_invalid_imports_the_good_rows_and_returns_the_rest_fixable(
    any_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    rows = [_row("A"), _row("B", **{"ERUF (kr)": "1,500"}), _row("C"), _row("D", Kommuner="Karlskorna")]
    path = _write(tmp_path, HEADER, rows)
    with pytest.raises(ImportFailed):
        import_projects(any_engine, path, reference_date=REF)  # all-or-nothing stays the default
    assert _count(any_engine) == 0
    monkeypatch.setenv("DATABASE_URL", any_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RUS_LANGUAGE", "en")
    out = tmp_path / "rejected.csv"
    assert main(["import", "projects", str(path), "--skip-invalid", "--rejected", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 created" in printed and "2 invalid rows left out" in printed
    with any_engine.connect() as conn:
        assert sorted(conn.execute(select(Project.reference)).scalars()) == ["A", "C"]
        event = conn.execute(select(AuditEvent.after_json).where(AuditEvent.action == "import-file")).scalar_one()
    logged = json.loads(event)
    assert logged["created"] == 2 and logged["rejected_count"] == 2
    assert [r["row"] for r in logged["rejected"]] == ["row 3", "row 5"]
    back = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert back[0] == [*HEADER, "Row", "Problem"]
    assert [r[0] for r in back[1:]] == ["B", "D"] and back[1][-2] == "row 3"
    assert "'1,500' was read as 1,5 kr" in back[1][-1] and "unknown municipality 'Karlskorna'" in back[2][-1]
    back[1][HEADER.index("ERUF (kr)")] = "1 500"
    back[2][HEADER.index("Kommuner")] = "Karlskrona"
    fixed = _write(tmp_path, back[0], back[1:], "fixed.csv")  # the same file, fixed, with its extra columns
    assert import_projects(any_engine, fixed, reference_date=REF).created == 2
    assert _funding(any_engine)[("B", "eruf")] == 1_500


def test_skip_invalid_still_stops_on_problems_of_the_whole_file(any_engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path, [h for h in HEADER if h != "Titel"], [[c for c in GOOD if c != "Solceller"]])
    with pytest.raises(ImportFailed, match="Titel: required column is missing"):
        import_projects(any_engine, path, reference_date=REF, skip_invalid=True)
    everything_bad = _write(tmp_path, HEADER, [_row("A", **{"ERUF (kr)": "x"})], "bad.csv")
    with pytest.raises(ImportFailed, match="no row could be imported \\(1 rejected\\)"):
        import_projects(any_engine, everything_bad, reference_date=REF, skip_invalid=True)


# --------------------------------------------------------------------------- demo and real data apart


def _cli(monkeypatch: pytest.MonkeyPatch, engine: Engine, *argv: str) -> int:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return main(list(argv))


def test_demo_refuses_to_delete_imported_projects_and_remove_keeps_them(
    any_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from dashboard.models import BudgetFrame, Indicator, IndicatorValue

    assert _cli(monkeypatch, any_engine, "demo", "--projects", "40") == 0
    with any_engine.connect() as conn:
        demo_n = conn.execute(select(func.count()).select_from(Project)).scalar_one()
    import_projects(any_engine, _write(tmp_path, HEADER, [_row("R-1"), _row("R-2")]), reference_date=REF)
    capsys.readouterr()
    assert _cli(monkeypatch, any_engine, "demo", "--projects", "1") == 1
    err = capsys.readouterr().err
    assert "the database holds 2 projects that are not demo data (e.g. R-1, R-2)" in err
    assert _count(any_engine) == demo_n + 2, "nothing was deleted"
    assert _cli(monkeypatch, any_engine, "demo", "--remove") == 0
    assert f"demo data removed: {demo_n} projects" in capsys.readouterr().out
    with any_engine.connect() as conn:
        assert sorted(conn.execute(select(Project.reference)).scalars()) == ["R-1", "R-2"]
        assert conn.execute(select(func.count()).select_from(IndicatorValue)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(BudgetFrame)).scalar_one() == 0
        kept = conn.execute(select(Indicator.source, Indicator.is_demo)).all()
    assert kept and all(not demo and "demo" not in (source or "") for source, demo in kept)
    assert _funding(any_engine)[("R-1", "eruf")] == 400_000, "imported money untouched"


def test_an_empty_start_never_gets_demo_data_by_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from dataclasses import replace

    from dashboard.bootstrap import init_database
    from dashboard.config import Settings
    from dashboard.db import get_engine

    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["init", "--empty"]) == 0
    assert "started empty" in capsys.readouterr().out
    engine = get_engine(url)
    settings = replace(Settings(), database_url=url, demo_projects=40)
    assert init_database(engine, settings).demo_projects == 0, "the app's auto-init leaves it empty"
    assert _count(engine) == 0
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert init_database(get_engine(fresh), replace(settings, database_url=fresh)).demo_projects == 40

"""Editing projects: role rules, validation with nothing written, audit events, delete, the log page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dashboard.auth import CurrentUser
from dashboard.editing import PermissionDenied, delete_project, load_project_form, save_project
from dashboard.importers.projects import import_projects
from dashboard.models import AuditEvent, Funding, Organisation, Project
from dashboard.transforms import audit_changes, audit_rows

from .test_importer_projects import GOOD, REF, _csv, _snapshot

ADMIN = CurrentUser(1, "admin", "admin", frozenset())
ENERGI = CurrentUser(2, "eva", "strategist", frozenset({"energi"}))
KULTUR = CurrentUser(3, "kurt", "strategist", frozenset({"kultur"}))
VIEWER = CurrentUser(4, "vera", "viewer", frozenset())


@pytest.fixture
def engine(empty_engine: Engine, tmp_path: Path) -> Engine:
    import_projects(empty_engine, _csv(tmp_path, [GOOD]), reference_date=REF)
    return empty_engine


def _events(engine: Engine, action: str) -> list[AuditEvent]:
    with engine.connect() as conn:
        return conn.execute(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_form_round_trip(engine: Engine) -> None:
    form = load_project_form(engine, "R-1")
    assert form["goal_shares"] == {"klimat": 60.0, "konkurrenskraft": 40.0}
    assert form["funding"] == {"anslag_1_1": 500_000, "eruf": 400_000, "private": 350_000}
    report, problems = save_project(engine, form, ENERGI)
    assert problems == [] and report.unchanged == 1, "saving an unchanged form changes nothing"
    assert _events(engine, "edit") == []


def test_strategist_edits_own_theme_with_audit(engine: Engine) -> None:
    form = load_project_form(engine, "R-1")
    form["title"] = "Solceller på skolor"
    form["funding"]["eruf"] = 450_000
    form["goal_shares"] = {"klimat": 100}
    report, problems = save_project(engine, form, ENERGI)
    assert problems == [] and report.updated == 1
    after = load_project_form(engine, "R-1")
    assert after["title"] == "Solceller på skolor" and after["goal_shares"] == {"klimat": 100.0}
    assert sum(after["funding"].values()) == 500_000 + 450_000 + 350_000
    (event,) = _events(engine, "edit")
    assert event.actor == "eva" and event.entity_key == "R-1"
    assert json.loads(event.before_json)["title"] == "Solceller"
    assert json.loads(event.after_json)["title"] == "Solceller på skolor"
    changes = audit_changes(event.before_json, event.after_json)
    assert "title: Solceller → Solceller på skolor" in changes and "status" not in changes


def test_role_rules_on_edit_and_delete(engine: Engine) -> None:
    form = load_project_form(engine, "R-1")
    with pytest.raises(PermissionDenied):
        save_project(engine, form, KULTUR)
    with pytest.raises(PermissionDenied):
        save_project(engine, form, VIEWER)
    moved = {**form, "theme": "kultur"}
    with pytest.raises(PermissionDenied):
        save_project(engine, moved, ENERGI)  # may not move a project out of their themes
    report, _ = save_project(engine, moved, ADMIN)
    assert report.updated == 1
    with pytest.raises(PermissionDenied):
        delete_project(engine, "R-1", KULTUR)
    delete_project(engine, "R-1", ADMIN)
    with engine.connect() as conn:
        assert conn.execute(select(Project.id)).first() is None
    (event,) = _events(engine, "delete")
    assert event.actor == "admin" and json.loads(event.before_json)["theme"] == "kultur"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"goal_shares": {"klimat": 60, "konkurrenskraft": 30}}, "goals", "add up to 90 %"),
        ({"end_date": "2024-01-01"}, "end_date", "before it starts"),
        ({"title": "  "}, "title", "required"),
        ({"decision_date": "2025-02-30"}, "decision_date", "impossible date"),
        ({"decision_date": "0024-03-01"}, "decision_date", "outside the years 1980–2100"),
        ({"funding": {"eruf": "1,500"}}, "eruf", "read as 1,5 kr"),
        ({"funding": {"eruf": "2e11"}}, "eruf", "not an amount"),
        ({"funding": {"eruf": 2e11}}, "eruf", "more than the ceiling"),
        ({"title": "x" * 301}, "title", "at most 300 fit"),
        ({"funding": {"eruf": -5}}, "eruf", "negative amount"),
        ({"status": "klar"}, "status", "unknown status"),
    ],
)
def test_invalid_edits_write_nothing(engine: Engine, change: dict, field: str, message: str) -> None:
    before = _snapshot(engine)
    form = {**load_project_form(engine, "R-1"), **change}
    _report, problems = save_project(engine, form, ADMIN)
    assert [p.field for p in problems] == [field] and message in problems[0].message
    assert _snapshot(engine) == before


def test_new_project_and_duplicate_reference(engine: Engine) -> None:
    form = {
        "reference": "R-2",
        "title": "<script>alert(1)</script>",
        "theme": "energi",
        "status": "ide",
        "goal_shares": {"klimat": 100},
        "funding": {"anslag_1_1": 100_000, "private": 50_000},
    }
    report, problems = save_project(engine, form, ENERGI, new=True)
    assert problems == [] and report.created == 1
    assert report.warnings and "67 %" in report.warnings[0].message, "1:1 above half of the budget is a warning"
    assert load_project_form(engine, "R-2")["title"] == "<script>alert(1)</script>", "stored as text"
    assert _events(engine, "create")[0].actor == "eva"
    _, problems = save_project(engine, form, ENERGI, new=True)
    assert "already exists" in problems[0].message


def test_edit_keeps_financiers_of_unchanged_sources(engine: Engine) -> None:
    with engine.begin() as conn:
        org = conn.execute(Organisation.__table__.insert().values(name="Energimyndigheten", org_type="other"))
        conn.execute(
            Funding.__table__.update().where(Funding.source == "eruf").values(financier_id=org.inserted_primary_key[0])
        )
    form = load_project_form(engine, "R-1")
    form["title"] = "Nytt namn"
    form["funding"]["private"] = 360_000
    save_project(engine, form, ADMIN)
    with engine.connect() as conn:
        financiers = dict(conn.execute(select(Funding.source, Funding.financier_id)).all())
    assert financiers["eruf"] is not None, "the financier of an unchanged source is kept"
    assert financiers["private"] is None


def test_audit_changes_summaries() -> None:
    assert audit_changes(None, json.dumps({"title": "A", "theme": None})) == "title: A"
    assert audit_changes(json.dumps({"a": 1, "b": [1]}), json.dumps({"a": 2, "b": [1]})) == "a: 1 → 2"
    assert audit_changes(None, None) == ""


def test_change_log_export(engine: Engine) -> None:
    """The log page's export has every event with its full before/after values."""
    import io

    import pandas as pd

    from dashboard.exports.tables import to_csv_bytes
    from dashboard.queries.audit import load_audit

    form = load_project_form(engine, "R-1")
    save_project(engine, {**form, "title": "Ny titel"}, ENERGI)
    delete_project(engine, "R-1", ADMIN)
    rows = audit_rows(load_audit(engine))
    assert list(rows["action"]) == ["delete", "edit", "import-file", "import"], "newest first"
    assert rows.loc[rows["action"] == "edit", "changes"].item() == "title: Solceller → Ny titel"
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(rows, {c: c for c in rows.columns})), sep=";", encoding="utf-8-sig")
    assert len(csv) == 4 and json.loads(csv.loc[0, "before_json"])["title"] == "Ny titel"


def test_cached_sums_follow_the_data(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Money sums are cached per data version: an edit here shows at once, a write
    by another process as soon as the version is read again."""
    from sqlalchemy import text

    from dashboard import cache
    from dashboard.filters import FilterState
    from dashboard.queries.money import load_money
    from dashboard.splits import refresh_funding_splits

    total = int(load_money(engine, FilterState())["granted_sek"].sum())
    assert total == 500_000
    assert load_money(engine, FilterState()) is not load_money(engine, FilterState()), "callers get copies"
    form = load_project_form(engine, "R-1")
    form["funding"]["anslag_1_1"] = 600_000
    save_project(engine, form, ADMIN)
    assert int(load_money(engine, FilterState())["granted_sek"].sum()) == 600_000, "this process sees its edit at once"
    monkeypatch.setattr(cache, "VERSION_SECONDS", 0.0)
    with engine.begin() as conn:  # another program writes (no audit event, but a new funding row)
        pid = conn.execute(text("SELECT id FROM project")).scalar()
        conn.execute(
            text("INSERT INTO funding (project_id, source, amount_sek) VALUES (:p, 'anslag_1_1', 1000)"), {"p": pid}
        )
        refresh_funding_splits(conn, [pid])
    assert int(load_money(engine, FilterState())["granted_sek"].sum()) == 601_000


@pytest.mark.parametrize(
    ("written", "expected"),
    [("1234,5", 1_235), ("1 234,49", 1_234), ("2,5 tkr", 2_500), (1234.5, 1_235), ("1.234.567", 1_234_567)],
)
def test_the_form_reads_amounts_like_the_import(engine: Engine, tmp_path: Path, written, expected: int) -> None:
    """One parser and one rounding rule (half up) for the form and the import."""
    form = load_project_form(engine, "R-1")
    form["funding"] = {**form["funding"], "private": written}
    _report, problems = save_project(engine, form, ADMIN)
    assert problems == []
    row = list(GOOD)
    row[0], row[13] = "R-2", str(written).replace(".", ",") if isinstance(written, float) else written
    import_projects(engine, _csv(tmp_path, [row], "same.csv"), reference_date=REF)
    with engine.connect() as conn:
        got = dict(
            conn.execute(
                select(Project.reference, Funding.amount_sek)
                .join(Funding, Funding.project_id == Project.id)
                .where(Funding.source == "private")
            ).all()
        )
    assert got == {"R-1": expected, "R-2": expected}

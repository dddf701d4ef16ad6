"""Lost updates, written as the attack: an edit form opened before an import was saved
after it and silently reverted the import's values. Now every project has a version; a
stale form is refused with who changed it and when, and nothing is written."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from dashboard.auth import CurrentUser
from dashboard.editing import load_project_form, project_version, save_project
from dashboard.importers.projects import import_projects
from dashboard.models import Funding, Project

from ..unit.test_import_trust import _row, _write
from ..unit.test_importer_projects import HEADER, REF

ADMIN = CurrentUser(1, "admin", "admin", frozenset())


def _eruf(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(Funding.amount_sek)
            .join(Project, Project.id == Funding.project_id)
            .where(Project.reference == "L-1", Funding.source == "eruf")
        ).scalar_one()


def test_a_form_opened_before_an_import_cannot_revert_it(any_engine: Engine, tmp_path: Path) -> None:
    import_projects(any_engine, _write(tmp_path, HEADER, [_row("L-1")], "a.csv"), reference_date=REF, actor="anna")
    assert project_version(any_engine, "L-1") == 1
    form = load_project_form(any_engine, "L-1")  # the editor opens the form …
    assert form is not None and form["version"] == 1
    changed = _write(tmp_path, HEADER, [_row("L-1", **{"ERUF (kr)": "900 000"})], "b.csv")
    import_projects(any_engine, changed, reference_date=REF, actor="bertil")  # … an import changes the project …
    assert project_version(any_engine, "L-1") == 2 and _eruf(any_engine) == 900_000
    form["title"] = "Ändrad titel"  # … and the old form is saved
    _report, problems = save_project(any_engine, form, ADMIN)
    assert [p.key for p in problems] == ["stale_form"]
    assert problems[0].message.startswith("the project was changed by bertil at ")
    assert _eruf(any_engine) == 900_000, "the import's value stands"
    assert project_version(any_engine, "L-1") == 2, "nothing was written"
    fresh = load_project_form(any_engine, "L-1")
    fresh["title"] = "Ändrad titel"
    _report, problems = save_project(any_engine, fresh, ADMIN)
    assert problems == [] and project_version(any_engine, "L-1") == 3
    with any_engine.connect() as conn:
        title = conn.execute(select(Project.title).where(Project.reference == "L-1")).scalar_one()
    assert title == "Ändrad titel" and _eruf(any_engine) == 900_000


def test_an_unchanged_reimport_does_not_move_the_version(any_engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, [_row("L-1")], "a.csv")
    import_projects(any_engine, path, reference_date=REF)
    import_projects(any_engine, path, reference_date=REF)
    assert project_version(any_engine, "L-1") == 1

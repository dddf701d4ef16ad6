"""The data version moves with the data, not with notes, survey answers or logins: a
learning day's answers must not invalidate every cached figure (or the analytics copy)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, insert

from dashboard import cache
from dashboard.importers.projects import import_projects
from dashboard.models import AuditEvent

from .test_importer_projects import GOOD, REF, _csv


def _version(engine: Engine) -> tuple:
    cache.clear()
    return cache.data_version(engine)


def test_only_data_changes_move_the_version(empty_engine: Engine, tmp_path: Path) -> None:
    import_projects(empty_engine, _csv(tmp_path, [GOOD]), reference_date=REF)
    before = _version(empty_engine)
    with empty_engine.begin() as conn:
        for entity, action in (("workshop_note", "note-save"), ("survey", "survey-answer"), ("user", "login")):
            conn.execute(insert(AuditEvent).values(actor="x", action=action, entity=entity, entity_key="k"))
    assert _version(empty_engine) == before, "notes, answers and logins leave the cached figures alone"
    changed = list(GOOD)
    changed[11] = "600 000"
    import_projects(empty_engine, _csv(tmp_path, [changed], "b.csv"), reference_date=REF)
    assert _version(empty_engine) != before, "an import that changes a project moves the version"

"""Editing one project from the UI: load it as form values, validate, save, delete.

Saving goes through the importer's writer, so an edit obeys the same rules
(share invariant, whole kronor, audit event with before/after) as an import.
Role rules: admins edit and delete everything; strategists edit the projects
of their own themes (and may not move a project to, or from, another theme).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from .amounts import DEFAULT_CEILING_SEK, parse_amount
from .auth import CurrentUser
from .db import session_scope
from .importers.indicators import Problem
from .importers.projects import LIMITS, ProjectImportReport, StaleEdit, _audit_view, _write, parse_date
from .models import (
    FUNDING_SOURCES,
    GRANT_SOURCE,
    PROJECT_STATUSES,
    SHARE_SCALE,
    AuditEvent,
    Goal,
    Municipality,
    Priority,
    Project,
    Theme,
)


class PermissionDenied(Exception):
    """The user may not make this change (message is for the user)."""


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def project_version(engine: Engine, reference: str) -> int | None:
    """The project's current version (see :attr:`dashboard.models.Project.version`)."""
    with engine.connect() as conn:
        return conn.execute(select(Project.version).where(Project.reference == reference)).scalar()


def load_project_form(engine: Engine, reference: str) -> dict[str, Any] | None:
    """The project's current values in the shape of the edit form (None if unknown)."""
    with session_scope(engine) as s:
        p = s.scalar(
            select(Project)
            .where(Project.reference == reference)
            .options(
                selectinload(Project.goals),
                selectinload(Project.municipalities),
                selectinload(Project.priorities),
                selectinload(Project.funding),
            )
        )
        if p is None:
            return None
        goal_codes = dict(s.execute(select(Goal.id, Goal.code)).all())
        prio_codes = dict(s.execute(select(Priority.id, Priority.code)).all())
        return {
            "reference": p.reference,
            "title": p.title,
            "owner": p.owner.name if p.owner else "",
            "theme": p.theme.code if p.theme else None,
            "status": p.status,
            "decision_date": _iso(p.decision_date),
            "start_date": _iso(p.start_date),
            "end_date": _iso(p.end_date),
            "description": p.description or "",
            "expected_results": p.expected_results or "",
            "goal_shares": {goal_codes[g.goal_id]: g.share_bp / 100 for g in p.goals},
            "whole_county": bool(p.whole_county),
            "municipalities": sorted(m.municipality_code for m in p.municipalities),
            "priorities": sorted(prio_codes[x.priority_id] for x in p.priorities),
            "funding": {f.source: f.amount_sek for f in p.funding},
            "version": p.version,
        }


def _date(value: Any, label: str, problems: list[Problem]) -> date | None:
    """A form date (ISO from the date picker), checked like an imported one (the same window)."""
    d, err = parse_date(str(value)[:10] if value not in (None, "") else None)
    if err:
        problems.append(Problem.of("form", label, *err))
    return d


def validate_form(
    engine: Engine, form: dict[str, Any], user: CurrentUser, *, new: bool, ceiling: int = DEFAULT_CEILING_SEK
) -> tuple[dict, list[Problem]]:
    """The form as a clean row for the writer, or the problems (field → message).
    Amounts follow the app's one grammar (:mod:`dashboard.amounts`), texts the import's limits."""
    problems: list[Problem] = []
    reference = str(form.get("reference") or "").strip()
    with engine.connect() as conn:
        themes = set(conn.execute(select(Theme.code)).scalars())
        goals = set(conn.execute(select(Goal.code)).scalars())
        municipalities = set(conn.execute(select(Municipality.code)).scalars())
        priorities = set(conn.execute(select(Priority.code)).scalars())
        current_theme = conn.execute(
            select(Theme.code).join(Project, Project.theme_id == Theme.id).where(Project.reference == reference)
        ).scalar()
        exists = conn.execute(select(Project.id).where(Project.reference == reference)).scalar() is not None
    if not reference:
        problems.append(Problem.of("form", "reference", "required"))
    elif new and exists:
        problems.append(Problem.of("form", "reference", "reference_exists", reference=repr(reference)))
    elif not new and not exists:
        problems.append(Problem.of("form", "reference", "no_project", reference=repr(reference)))
    title = str(form.get("title") or "").strip()
    if not title:
        problems.append(Problem.of("form", "title", "required"))
    theme = form.get("theme") or None
    if theme is not None and theme not in themes:
        problems.append(Problem.of("form", "theme", "unknown_theme", value=repr(theme)))
    if not user.can_edit(theme) or (not new and exists and not user.can_edit(current_theme)):
        mine = ", ".join(sorted(user.themes)) or "-"
        raise PermissionDenied(f"you may edit projects of your own themes only ({mine})")
    status = form.get("status")
    if status not in PROJECT_STATUSES:
        problems.append(Problem.of("form", "status", "unknown_status", value=repr(status)))
    dates = {k: _date(form.get(k), k, problems) for k in ("decision_date", "start_date", "end_date")}
    if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
        problems.append(
            Problem.of("form", "end_date", "ends_before_start", end=dates["end_date"], start=dates["start_date"])
        )
    shares: list[tuple[str, int]] = []
    for code, pct in (form.get("goal_shares") or {}).items():
        if pct in (None, "", 0):
            continue
        if code not in goals:
            problems.append(Problem.of("form", "goals", "unknown_goal", value=repr(code)))
            continue
        bp = round(float(pct) * 100)
        if bp < 0:
            problems.append(Problem.of("form", "goals", "negative_share", goal=code))
        elif bp:
            shares.append((code, bp))
    total = sum(bp for _, bp in shares)
    if shares and total != SHARE_SCALE:
        problems.append(Problem.of("form", "goals", "goal_share_total", total=f"{total / 100:g}"))
    whole = bool(form.get("whole_county"))
    munis = [] if whole else [m for m in form.get("municipalities") or [] if m in municipalities]
    prios = [p for p in form.get("priorities") or [] if p in priorities]
    funding: dict[str, int] = {}
    for source, raw in (form.get("funding") or {}).items():
        if source not in FUNDING_SOURCES:
            problems.append(Problem.of("form", source, "unknown_source"))
            continue
        if raw in (None, ""):
            continue
        amount, err = parse_amount(raw, ceiling=ceiling)
        if err or amount is None:
            problems.append(Problem.of("form", source, *(err or ("not_amount", {"value": repr(raw)}))))
            continue
        if amount < 0:
            problems.append(Problem.of("form", source, "negative_amount", amount=amount))
        elif amount:
            funding[source] = amount
    for key, limit in LIMITS.items():
        text = str(form.get(key) or "").strip()
        if len(text) > limit:
            problems.append(Problem.of("form", key, "too_long", n=len(text), limit=limit))
    version = form.get("version")
    if not new and version is not None:
        if not isinstance(version, int) or isinstance(version, bool):
            problems.append(Problem.of("form", "version", "not_amount", value=repr(version)))
            version = None
    clean = {
        "expected_version": None if new else version,
        "position": "form",
        "reference": reference,
        "title": title,
        "owner": str(form.get("owner") or "").strip(),
        "theme": theme,
        "status": status,
        **dates,
        "description": str(form.get("description") or "") or None,
        "expected_results": str(form.get("expected_results") or "") or None,
        "goals": shares,
        "whole_county": whole,
        "municipalities": munis,
        "priorities": prios,
        "funding": funding,
    }
    return clean, problems


def save_project(
    engine: Engine,
    form: dict[str, Any],
    user: CurrentUser,
    *,
    new: bool = False,
    ceiling: int = DEFAULT_CEILING_SEK,
) -> tuple[ProjectImportReport, list[Problem]]:
    """Validate and save; nothing is written when there is a problem.
    Raises :class:`PermissionDenied` when the user may not edit this project."""
    clean, problems = validate_form(engine, form, user, new=new, ceiling=ceiling)
    report = ProjectImportReport()
    if problems:
        return report, problems
    total = sum(clean["funding"].values())
    if clean["funding"].get(GRANT_SOURCE, 0) * 2 > total > 0:
        share = 100 * clean["funding"][GRANT_SOURCE] / total
        report.warnings.append(Problem.of("form", GRANT_SOURCE, "grant_share", share=f"{share:.0f}"))
    try:
        _write(engine, [clean], report, False, actor=user.username, action="edit")
    except StaleEdit:
        return ProjectImportReport(), [_stale(engine, clean["reference"])]
    return report, []


def _stale(engine: Engine, reference: str) -> Problem:
    """Who changed the project last, and when (the form was opened before that)."""
    with engine.connect() as conn:
        last = conn.execute(
            select(AuditEvent.actor, AuditEvent.at)
            .where(AuditEvent.entity == "project", AuditEvent.entity_key == reference)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).first()
    actor, when = (last.actor, f"{last.at:%Y-%m-%d %H:%M}") if last else ("?", "?")
    return Problem.of("form", "version", "stale_form", actor=actor, when=when)


def delete_project(engine: Engine, reference: str, user: CurrentUser) -> None:
    """Delete a project (admins only), recording its last values in the audit log."""
    if not user.can_delete():
        raise PermissionDenied("only administrators may delete projects")
    with session_scope(engine) as s:
        project = s.scalar(select(Project).where(Project.reference == reference))
        if project is None:
            raise PermissionDenied(f"no project {reference!r}")
        before = _audit_view(project)
        s.delete(project)
        s.add(
            AuditEvent(
                actor=user.username,
                action="delete",
                entity="project",
                entity_key=reference,
                before_json=json.dumps(before, ensure_ascii=False),
            )
        )

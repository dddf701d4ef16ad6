"""Load a strategy tree file (YAML or JSON) into the database.

The file format is documented at the top of
``data/strategy/vaxtplats-blekinge.yaml``. Loading is an upsert by code, so a
region can re-load an edited file without losing projects that point at its
goals and priorities.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import (
    DevelopmentArea,
    Direction,
    Goal,
    Municipality,
    Priority,
    Strategy,
    SubGoal,
    Theme,
    ThemePriority,
)


class StrategyFileError(ValueError):
    """The strategy file is malformed; the message names the file and the place."""


@dataclass(frozen=True)
class LoadReport:
    """Counts of what a strategy load created or updated."""

    directions: int
    goals: int
    subgoals: int
    priorities: int
    themes: int
    municipalities: int


def read_strategy_file(path: Path) -> dict[str, Any]:
    """Parse and validate a strategy file; raise :class:`StrategyFileError` on problems."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StrategyFileError(f"{path}: cannot read the file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise StrategyFileError(f"{path}: not UTF-8 text") from exc
    try:
        tree = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise StrategyFileError(f"{path}: not valid {path.suffix.lstrip('.').upper()}: {exc}") from exc
    validate_tree(tree, str(path))
    return tree


def _require(obj: Any, key: str, where: str) -> Any:
    if not isinstance(obj, dict) or not obj.get(key):
        raise StrategyFileError(f"{where}: missing required field '{key}'")
    return obj[key]


def _as_item(item: Any, where: str) -> dict[str, Any]:
    """Sub-goals may be plain strings; normalise to a dict."""
    if isinstance(item, str):
        return {"name_sv": item}
    if isinstance(item, dict):
        _require(item, "name_sv", where)
        return item
    raise StrategyFileError(f"{where}: expected a name or a mapping, got {type(item).__name__}")


def validate_tree(tree: Any, source: str = "<strategy>") -> None:
    """Check required fields, unique codes and that theme priorities exist."""
    if not isinstance(tree, dict):
        raise StrategyFileError(f"{source}: the top level must be a mapping")
    strategy = _require(tree, "strategy", source)
    _require(strategy, "code", f"{source}: strategy")
    _require(strategy, "name_sv", f"{source}: strategy")
    seen: dict[str, str] = {}

    def claim(code: str, where: str) -> None:
        if code in seen:
            raise StrategyFileError(f"{where}: code '{code}' is already used at {seen[code]}")
        seen[code] = where

    priority_codes: set[str] = set()
    directions = _require(tree, "directions", source)
    for di, direction in enumerate(directions, 1):
        where = f"{source}: directions[{di}]"
        claim(_require(direction, "code", where), where)
        _require(direction, "name_sv", where)
        for ai, area in enumerate(direction.get("areas") or [], 1):
            awhere = f"{where}.areas[{ai}]"
            claim(_require(area, "code", awhere), awhere)
            _require(area, "name_sv", awhere)
        for gi, goal in enumerate(_require(direction, "goals", where), 1):
            gwhere = f"{where}.goals[{gi}]"
            claim(_require(goal, "code", gwhere), gwhere)
            _require(goal, "name_sv", gwhere)
            for si, sub in enumerate(goal.get("subgoals") or [], 1):
                _as_item(sub, f"{gwhere}.subgoals[{si}]")
            for pi, prio in enumerate(goal.get("priorities") or [], 1):
                pwhere = f"{gwhere}.priorities[{pi}]"
                claim(_require(prio, "code", pwhere), pwhere)
                _require(prio, "name_sv", pwhere)
                priority_codes.add(prio["code"])
    theme_codes: set[str] = set()
    for ti, theme in enumerate(tree.get("themes") or [], 1):
        twhere = f"{source}: themes[{ti}]"
        code = _require(theme, "code", twhere)
        if code in theme_codes:
            raise StrategyFileError(f"{twhere}: theme code '{code}' is used twice")
        theme_codes.add(code)
        _require(theme, "name_sv", twhere)
        for p in theme.get("priorities") or []:
            if p not in priority_codes:
                raise StrategyFileError(f"{twhere}.priorities: unknown priority code '{p}'")
    for mi, mun in enumerate(tree.get("municipalities") or [], 1):
        mwhere = f"{source}: municipalities[{mi}]"
        code = str(_require(mun, "code", mwhere))
        if len(code) != 4 or not code.isdigit():
            raise StrategyFileError(f"{mwhere}: municipality code '{code}' must be four digits")


def _upsert(session: Session, model: type, code: str, **values: Any) -> Any:
    obj = session.scalar(select(model).where(model.code == code))
    if obj is None:
        obj = model(code=code, **values)
        session.add(obj)
    else:
        for key, value in values.items():
            setattr(obj, key, value)
    return obj


def load_strategy(session: Session, tree: dict[str, Any]) -> LoadReport:
    """Upsert the strategy tree, themes and municipalities into the database.

    Sub-goals are replaced per goal (nothing references them); priorities and
    goals are upserted by code so project links survive a reload.
    """
    validate_tree(tree)
    s = tree["strategy"]
    strategy = _upsert(
        session,
        Strategy,
        s["code"],
        name_sv=s["name_sv"],
        name_en=s.get("name_en"),
        period=s.get("period"),
        vision_sv=s.get("vision_sv"),
        region_name=s.get("region_name"),
        county_code=s.get("county_code"),
    )
    session.flush()
    counts = {"directions": 0, "goals": 0, "subgoals": 0, "priorities": 0}
    goal_sort = 0
    for di, d in enumerate(tree["directions"]):
        direction = _upsert(
            session,
            Direction,
            d["code"],
            strategy_id=strategy.id,
            name_sv=d["name_sv"],
            name_en=d.get("name_en"),
            sort=di,
            illustrative=bool(d.get("illustrative", False)),
        )
        session.flush()
        counts["directions"] += 1
        areas: dict[str, int] = {}
        for ai, a in enumerate(d.get("areas") or []):
            area = _upsert(
                session,
                DevelopmentArea,
                a["code"],
                direction_id=direction.id,
                name_sv=a["name_sv"],
                name_en=a.get("name_en"),
                sort=ai,
                illustrative=bool(a.get("illustrative", False)),
            )
            session.flush()
            areas[a["code"]] = area.id
        for g in d["goals"]:
            goal = _upsert(
                session,
                Goal,
                g["code"],
                direction_id=direction.id,
                area_id=areas.get(g.get("area", "")),
                name_sv=g["name_sv"],
                name_en=g.get("name_en"),
                short_sv=g.get("short_sv"),
                short_en=g.get("short_en"),
                sort=goal_sort,
                illustrative=bool(g.get("illustrative", False)),
            )
            goal_sort += 1
            session.flush()
            counts["goals"] += 1
            session.execute(delete(SubGoal).where(SubGoal.goal_id == goal.id))
            for si, raw in enumerate(g.get("subgoals") or []):
                sub = _as_item(raw, g["code"])
                session.add(
                    SubGoal(
                        goal_id=goal.id,
                        code=sub.get("code") or f"{g['code']}-d{si + 1}",
                        name_sv=sub["name_sv"],
                        name_en=sub.get("name_en"),
                        sort=si,
                        illustrative=bool(sub.get("illustrative", False)),
                    )
                )
                counts["subgoals"] += 1
            for pi, p in enumerate(g.get("priorities") or []):
                _upsert(
                    session,
                    Priority,
                    p["code"],
                    goal_id=goal.id,
                    name_sv=p["name_sv"],
                    name_en=p.get("name_en"),
                    sort=pi,
                    illustrative=bool(p.get("illustrative", False)),
                )
                counts["priorities"] += 1
    session.flush()
    for mun in tree.get("municipalities") or []:
        code = str(mun["code"])
        obj = session.get(Municipality, code)
        county = str(mun.get("county_code") or s.get("county_code") or code[:2])
        if obj is None:
            session.add(Municipality(code=code, name=mun["name"], county_code=county))
        else:
            obj.name, obj.county_code = mun["name"], county
    priority_ids = dict(session.execute(select(Priority.code, Priority.id)).all())
    for ti, t in enumerate(tree.get("themes") or []):
        theme = _upsert(
            session,
            Theme,
            t["code"],
            name_sv=t["name_sv"],
            name_en=t.get("name_en"),
            sort=ti,
            strategist=t.get("strategist"),
        )
        session.flush()
        session.execute(delete(ThemePriority).where(ThemePriority.theme_id == theme.id))
        for code in dict.fromkeys(t.get("priorities") or []):
            session.add(ThemePriority(theme_id=theme.id, priority_id=priority_ids[code]))
    session.flush()
    return LoadReport(
        directions=counts["directions"],
        goals=counts["goals"],
        subgoals=counts["subgoals"],
        priorities=counts["priorities"],
        themes=len(tree.get("themes") or []),
        municipalities=len(tree.get("municipalities") or []),
    )

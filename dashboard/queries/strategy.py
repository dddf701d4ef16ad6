"""The strategy tree as nested dicts (for the strategy page and exports)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from ..models import DevelopmentArea, Direction, Goal, Priority, SubGoal, Theme, ThemePriority


def load_strategy_tree(engine: Engine) -> dict[str, Any]:
    """Directions → areas and goals → sub-goals and priorities (with theme names)."""
    with engine.connect() as conn:
        dirs = conn.execute(select(Direction).order_by(Direction.sort)).mappings().all()
        areas = conn.execute(select(DevelopmentArea).order_by(DevelopmentArea.sort)).mappings().all()
        goals = conn.execute(select(Goal).order_by(Goal.sort)).mappings().all()
        subs = conn.execute(select(SubGoal).order_by(SubGoal.sort)).mappings().all()
        prios = conn.execute(select(Priority).order_by(Priority.sort)).mappings().all()
        tp = conn.execute(
            select(ThemePriority.priority_id, Theme.name_sv)
            .join(Theme, Theme.id == ThemePriority.theme_id)
            .order_by(Theme.sort)
        ).all()
    themes_of: dict[int, list[str]] = {}
    for pid, name in tp:
        themes_of.setdefault(pid, []).append(name)

    def plain(row: Any) -> dict[str, Any]:
        return dict(row)

    out_dirs = []
    for d in map(plain, dirs):
        d["areas"] = [plain(a) for a in areas if plain(a)["direction_id"] == d["id"]]
        d["goals"] = []
        for g in (plain(x) for x in goals):
            if g["direction_id"] != d["id"]:
                continue
            g["subgoals"] = [s for s in map(plain, subs) if s["goal_id"] == g["id"]]
            g["priorities"] = [
                {**p, "themes": themes_of.get(p["id"], [])} for p in map(plain, prios) if p["goal_id"] == g["id"]
            ]
            d["goals"].append(g)
        out_dirs.append(d)
    return {"directions": out_dirs}

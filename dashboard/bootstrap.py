"""Bring a database to a usable state: schema, strategy tree, demo data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from . import schema
from .config import Settings
from .db import session_scope
from .demo import build_demo, in_real_use
from .models import Project, Strategy
from .strategy import LoadReport, load_strategy, read_strategy_file


@dataclass(frozen=True)
class InitReport:
    """What ``init`` did."""

    strategy_loaded: LoadReport | None
    demo_projects: int


def load_strategy_file(engine: Engine, settings: Settings) -> LoadReport:
    """(Re)load the strategy file named in the settings, in one transaction."""
    tree = read_strategy_file(settings.strategy_file)
    with session_scope(engine) as session:
        return load_strategy(session, tree)


def init_database(engine: Engine, settings: Settings, *, with_demo: bool = True) -> InitReport:
    """Migrate the schema to the newest revision; load the strategy tree if
    none is loaded; load the demo data if there are no projects and the database
    has never been in real use (started empty, demo removed, anything imported)."""
    schema.upgrade(engine)
    loaded = None
    with engine.connect() as conn:
        has_strategy = conn.execute(select(func.count()).select_from(Strategy)).scalar_one() > 0
    if not has_strategy:
        loaded = load_strategy_file(engine, settings)
    demo = 0
    if with_demo:
        with engine.connect() as conn:
            has_projects = conn.execute(select(func.count()).select_from(Project)).scalar_one() > 0
            real = in_real_use(conn)
        if not has_projects and not real:
            demo = build_demo(engine, settings, projects=settings.demo_projects, seed=settings.demo_seed).projects
    return InitReport(strategy_loaded=loaded, demo_projects=demo)

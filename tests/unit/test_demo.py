"""Demo data: calibrated, complete, consistent and deterministic."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text

from dashboard.config import Settings
from dashboard.db import get_engine
from dashboard.demo import CALIBRATION_2024, ONLY_PLANNED, WHITE_SPOTS, build_demo
from dashboard.models import (
    PROJECT_STATUSES,
    SHARE_SCALE,
    BudgetFrame,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Project,
)


def _frame(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn)


def test_2024_grants_per_goal_are_calibrated_exactly(demo_engine: Engine) -> None:
    # Independent of the app's queries: plain SQL, amounts × shares, integer arithmetic.
    df = _frame(
        demo_engine,
        """
        SELECT g.code AS goal, SUM(f.amount_sek * pg.share_bp) AS bp
        FROM funding f JOIN project p ON p.id = f.project_id
        JOIN project_goal pg ON pg.project_id = p.id JOIN goal g ON g.id = pg.goal_id
        WHERE f.source = 'anslag_1_1' AND p.decision_year = 2024
          AND p.status IN ('beviljat', 'pagaende', 'avslutat', 'avbrutet')
        GROUP BY g.code
        """,
    )
    got = {row.goal: int(row.bp) for row in df.itertuples()}
    assert got == {goal: amount * SHARE_SCALE for goal, amount in CALIBRATION_2024.items()}
    assert sum(CALIBRATION_2024.values()) == 24_300_000


def test_every_project_has_shares_summing_to_one(demo_engine: Engine) -> None:
    bad = _frame(
        demo_engine, f"SELECT project_id FROM project_goal GROUP BY project_id HAVING SUM(share_bp) <> {SHARE_SCALE}"
    )
    assert bad.empty
    bad = _frame(
        demo_engine,
        f"SELECT project_id FROM project_municipality GROUP BY project_id HAVING SUM(share_bp) <> {SHARE_SCALE}",
    )
    assert bad.empty
    no_goal = _frame(demo_engine, "SELECT id FROM project WHERE id NOT IN (SELECT project_id FROM project_goal)")
    assert no_goal.empty


def test_coverage_of_the_demo(demo_engine: Engine) -> None:
    p = _frame(
        demo_engine,
        "SELECT p.status, p.whole_county, p.decision_year, t.code AS theme FROM project p JOIN theme t ON t.id = p.theme_id",
    )
    assert 240 <= len(p) <= 260
    assert set(p["status"]) == set(PROJECT_STATUSES), "every status occurs"
    assert p["theme"].nunique() >= 8 and "energi" in set(p["theme"])
    years = set(p["decision_year"].dropna().astype(int))
    assert min(years) == 2019 and 2024 in years
    assert p["whole_county"].astype(bool).any()
    muni = _frame(demo_engine, "SELECT DISTINCT municipality_code FROM project_municipality")
    assert set(muni["municipality_code"]) == {"1060", "1080", "1081", "1082", "1083"}
    goals = _frame(demo_engine, "SELECT DISTINCT goal_id FROM project_goal")
    assert len(goals) == 6
    multi = _frame(demo_engine, "SELECT project_id FROM project_goal GROUP BY project_id HAVING COUNT(*) > 1")
    assert len(multi) >= 5, "some projects serve several goals"


def test_dates_are_consistent_with_status(demo_engine: Engine, demo_settings: Settings) -> None:
    ref = pd.Timestamp(demo_settings.reference_date)
    p = _frame(demo_engine, "SELECT status, decision_date, start_date, end_date FROM project")
    for col in ("decision_date", "start_date", "end_date"):
        p[col] = pd.to_datetime(p[col])
    assert (p["end_date"] >= p["start_date"]).all()
    assert (p.loc[p["status"] == "pagaende", "start_date"] <= ref).all()
    assert (p.loc[p["status"] == "pagaende", "end_date"] >= ref).all()
    assert (p.loc[p["status"] == "avslutat", "end_date"] < ref).all()
    assert (p.loc[p["status"].isin(["ide", "ansokt"]), "start_date"] > ref).all()
    assert p.loc[p["status"].isin(["ide", "ansokt"]), "decision_date"].isna().all()
    assert (p["decision_date"].dropna() <= ref).all(), "no decision in the future"


def test_leverage_is_realistic_and_varies_by_goal(demo_engine: Engine) -> None:
    df = _frame(
        demo_engine,
        """
        SELECT g.code AS goal,
               SUM(CASE WHEN f.source = 'anslag_1_1' THEN f.amount_sek * pg.share_bp ELSE 0 END) AS granted,
               SUM(CASE WHEN f.source <> 'anslag_1_1' THEN f.amount_sek * pg.share_bp ELSE 0 END) AS other
        FROM funding f JOIN project_goal pg ON pg.project_id = f.project_id JOIN goal g ON g.id = pg.goal_id
        GROUP BY g.code
        """,
    )
    lev = (df["other"].astype(float) / df["granted"].astype(float)).round(2)
    assert lev.between(1.2, 3.5).all(), lev.tolist()
    assert lev.max() - lev.min() > 0.8, "leverage differs between goals"


def test_grant_never_exceeds_half_of_the_budget(demo_engine: Engine) -> None:
    df = _frame(
        demo_engine,
        """
        SELECT project_id,
               SUM(CASE WHEN source = 'anslag_1_1' THEN amount_sek ELSE 0 END) AS grant_sek,
               SUM(amount_sek) AS total
        FROM funding GROUP BY project_id
        """,
    )
    assert (df["grant_sek"] * 2 <= df["total"]).all()


def test_white_spots_are_real(demo_engine: Engine) -> None:
    used = _frame(
        demo_engine,
        "SELECT DISTINCT pr.code, p.status FROM project_priority pp JOIN priority pr ON pr.id = pp.priority_id "
        "JOIN project p ON p.id = pp.project_id",
    )
    assert not set(WHITE_SPOTS) & set(used["code"]), "white spots have no project at all"
    only_planned = used[used["code"].isin(ONLY_PLANNED)]
    assert not only_planned.empty and set(only_planned["status"]) <= {"ide", "ansokt"}


def test_indicators_frames_and_targets(demo_engine: Engine) -> None:
    with demo_engine.connect() as conn:
        kpis = set(conn.scalars(select(Indicator.kolada_kpi).where(Indicator.kolada_kpi.is_not(None))))
        assert {"N00914", "N01951", "N01982"} <= kpis
        goals_with_indicators = conn.execute(select(func.count(func.distinct(Indicator.goal_id)))).scalar_one()
        assert goals_with_indicators == 6
        areas = set(conn.scalars(select(IndicatorValue.area_code).distinct()))
        assert areas == {"0000", "0010", "1060", "1080", "1081", "1082", "1083"}
        assert conn.execute(select(func.min(IndicatorValue.year))).scalar_one() == 2012
        targets = conn.execute(select(IndicatorTarget.year, IndicatorTarget.illustrative)).all()
        assert targets and all(year == 2030 and illustrative for year, illustrative in targets)
        frame_years = set(conn.scalars(select(BudgetFrame.year).distinct()))
        assert frame_years == {2024, 2025, 2026, 2027}
        total_2024 = conn.execute(
            select(BudgetFrame.amount_sek).where(BudgetFrame.year == 2024, BudgetFrame.goal_id.is_(None))
        ).scalar_one()
        per_goal = conn.execute(
            select(func.sum(BudgetFrame.amount_sek)).where(BudgetFrame.year == 2024, BudgetFrame.goal_id.is_not(None))
        ).scalar_one()
        assert total_2024 == per_goal


def _fingerprint(engine: Engine) -> tuple:
    with engine.connect() as conn:
        return (
            conn.execute(text("SELECT COUNT(*), SUM(amount_sek) FROM funding")).one(),
            tuple(conn.scalars(select(Project.reference).order_by(Project.id).limit(20))),
            conn.execute(text("SELECT SUM(value) FROM indicator_value")).scalar_one(),
        )


def test_deterministic_and_seeded(empty_engine: Engine, demo_engine: Engine) -> None:
    settings = replace(Settings(), database_url=str(empty_engine.url))
    build_demo(empty_engine, settings, projects=250, seed=2024)
    first = _fingerprint(empty_engine)
    assert first[:2] == _fingerprint(demo_engine)[:2], "same seed, same data"
    build_demo(empty_engine, settings, projects=250, seed=7)
    other = _fingerprint(empty_engine)
    assert other[0] != first[0]
    # ...and the calibration holds for any seed
    from dashboard.filters import FilterState
    from dashboard.queries.allocation import load_goal_allocation
    from dashboard.transforms import compute_goal_allocation

    table = compute_goal_allocation(load_goal_allocation(empty_engine, FilterState(year_from=2024, year_to=2024)))
    assert dict(zip(table["goal"], table["granted_sek"], strict=True)) == CALIBRATION_2024


@pytest.mark.parametrize("n", [20, 5_000])
def test_other_sizes_build(tmp_path, n: int) -> None:
    from dashboard import schema
    from dashboard.bootstrap import load_strategy_file

    engine = get_engine(f"sqlite:///{tmp_path / 'size.sqlite'}")
    schema.upgrade(engine)
    settings = Settings()
    load_strategy_file(engine, settings)
    report = build_demo(engine, settings, projects=n, seed=1)
    assert report.projects == n and not report.calibrated
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Project)).scalar_one() == n
        bad = conn.execute(
            text(
                f"SELECT COUNT(*) FROM (SELECT project_id FROM project_goal GROUP BY project_id HAVING SUM(share_bp) <> {SHARE_SCALE}) x"
            )
        ).scalar_one()
        assert bad == 0


def _catalogue(conn, tables: list[str]) -> list[tuple]:
    keys = conn.exec_driver_sql(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%(t)s::regclass[])",
        {"t": tables},
    ).all()
    indexes = conn.exec_driver_sql(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%(t)s)", {"t": tables}
    ).all()
    return sorted(tuple(r) for r in [*keys, *indexes])


def test_bulk_load_puts_back_every_key_and_index(demo_engine: Engine) -> None:
    """The demo build drops the foreign keys and indexes of its tables while it writes
    (PostgreSQL) and must leave the schema exactly as the migrations made it."""
    from dashboard.db import bulk_load
    from dashboard.demo import BULK_TABLES
    from dashboard.models import Base

    if demo_engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: elsewhere bulk_load changes nothing")
    tables = list(BULK_TABLES)
    with demo_engine.connect() as conn:
        trans = conn.begin()
        before = _catalogue(conn, tables)
        with bulk_load(conn, tables):
            during = _catalogue(conn, tables)
        after = _catalogue(conn, tables)
        trans.rollback()
        # the session's demo database was built through bulk_load: its keys are the models' keys
        found = {
            (t, c)
            for t, c in conn.exec_driver_sql(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%(t)s::regclass[])",
                {"t": tables},
            ).all()
        }
        index_names = {r[0] for r in conn.exec_driver_sql("SELECT indexname FROM pg_indexes").all()}
    assert len(during) < len(before), "keys and indexes are dropped while writing"
    assert after == before
    expected = {
        (table.name, ", ".join(c.name for c in fk.columns))
        for table in Base.metadata.sorted_tables
        if table.name in tables
        for fk in table.foreign_key_constraints
    }
    assert {(t, c.split("(", 1)[1].split(")", 1)[0]) for t, c in found} == expected
    assert {i.name for name in tables for i in Base.metadata.tables[name].indexes} <= index_names

"""Data health checks find what is missing or inconsistent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from dashboard.db import session_scope
from dashboard.models import Funding, Goal, Indicator, Project, ProjectGoal, ProjectMunicipality
from dashboard.queries.health import load_health

REF = date(2026, 11, 27)


def test_checks_on_a_fixture(empty_engine: Engine) -> None:
    with empty_engine.connect() as conn:
        goals = dict(conn.execute(select(Goal.code, Goal.id)).all())
    with session_scope(empty_engine) as s:
        good = Project(
            reference="OK-1",
            title="Bra",
            status="pagaende",
            decision_date=date(2025, 1, 10),
            start_date=date(2025, 2, 1),
            end_date=date(2027, 1, 1),
            whole_county=True,
        )
        good.goals = [ProjectGoal(goal_id=goals["klimat"], share_bp=10_000)]
        good.funding = [Funding(source="anslag_1_1", amount_sek=100), Funding(source="eruf", amount_sek=200)]
        no_goal = Project(reference="NG-1", title="Utan mål", status="ide", whole_county=True)
        no_goal.funding = [Funding(source="private", amount_sek=10)]
        ended = Project(
            reference="DT-1",
            title="Borde vara avslutat",
            status="pagaende",
            decision_date=date(2022, 1, 1),
            start_date=date(2022, 2, 1),
            end_date=date(2024, 1, 1),
            whole_county=True,
        )
        ended.goals = [ProjectGoal(goal_id=goals["arbete"], share_bp=10_000)]
        ended.funding = [Funding(source="anslag_1_1", amount_sek=100)]
        nowhere = Project(reference="SH-1", title="Ingen kommun", status="ide", whole_county=False)
        nowhere.goals = [ProjectGoal(goal_id=goals["arbete"], share_bp=10_000)]
        nowhere.funding = [Funding(source="esf", amount_sek=5)]
        placed = Project(reference="OK-2", title="En kommun", status="ide", whole_county=False)
        placed.goals = [ProjectGoal(goal_id=goals["arbete"], share_bp=10_000)]
        placed.municipalities = [ProjectMunicipality(municipality_code="1080", share_bp=10_000)]
        placed.funding = [Funding(source="esf", amount_sek=5)]
        s.add_all([good, no_goal, ended, nowhere, placed])
        s.add(Indicator(code="utan-mal", name_sv="Utan målvärde", higher_is_better=True, is_demo=False))
    health = load_health(empty_engine, REF)
    assert health["no_goal"]["reference"].tolist() == ["NG-1"]
    assert health["no_cofinancing"]["reference"].tolist() == ["DT-1"]
    assert health["dates"]["reference"].tolist() == ["DT-1"]
    assert health["shares"]["reference"].tolist() == ["SH-1"]
    assert health["indicators_without_target"]["code"].tolist() == ["utan-mal"]
    assert health["priorities_without_theme"].empty, "the strategy file maps every priority to a theme"


def test_demo_data_is_healthy(demo_engine: Engine, demo_settings) -> None:
    health = load_health(demo_engine, demo_settings.reference_date)
    assert {k: len(v) for k, v in health.items()} == dict.fromkeys(health, 0)


def test_page_renders(app) -> None:
    with app.server.test_request_context("/data"):
        from dashboard.pages.health import layout

        assert "Inget att åtgärda." in repr(layout())

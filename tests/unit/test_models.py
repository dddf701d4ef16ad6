"""Model constraints: shares sum to 1, unique references, allowed values."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from dashboard.db import session_scope
from dashboard.models import Goal, Project, ProjectGoal, ProjectMunicipality, ShareError


def _goal_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Goal.code, Goal.id)).all())


def _count(engine: Engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_goal_shares_must_sum_to_one(empty_engine: Engine) -> None:
    goals = _goal_ids(empty_engine)
    with (
        pytest.raises(ShareError, match=r"goal shares must sum to 100 %.*P-1 \(90 %\)"),
        session_scope(empty_engine) as s,
    ):
        p = Project(reference="P-1", title="Test", status="ide")
        p.goals = [
            ProjectGoal(goal_id=goals["klimat"], share_bp=6_000),
            ProjectGoal(goal_id=goals["arbete"], share_bp=3_000),
        ]
        s.add(p)
    assert _count(empty_engine, Project) == 0, "a rejected commit writes nothing"


def test_valid_shares_commit(empty_engine: Engine) -> None:
    goals = _goal_ids(empty_engine)
    with session_scope(empty_engine) as s:
        p = Project(reference="P-2", title="Test", status="beviljat", decision_date=date(2024, 5, 2))
        p.goals = [
            ProjectGoal(goal_id=goals["klimat"], share_bp=6_000),
            ProjectGoal(goal_id=goals["arbete"], share_bp=4_000),
        ]
        s.add(p)
    with session_scope(empty_engine) as s:
        p = s.scalar(select(Project).where(Project.reference == "P-2"))
        assert p.decision_year == 2024, "decision_year follows decision_date"
        # Changing one share without the other breaks the invariant.
        p.goals[0].share_bp = 5_000
        with pytest.raises(ShareError):
            s.commit()
        s.rollback()


def test_municipality_shares_and_whole_county(empty_engine: Engine) -> None:
    with pytest.raises(ShareError, match="municipality shares"), session_scope(empty_engine) as s:
        p = Project(reference="P-3", title="Test", status="ide")
        p.municipalities = [ProjectMunicipality(municipality_code="1080", share_bp=5_000)]
        s.add(p)
    with pytest.raises(ShareError, match="whole-county"), session_scope(empty_engine) as s:
        p = Project(reference="P-4", title="Test", status="ide", whole_county=True)
        p.municipalities = [ProjectMunicipality(municipality_code="1080", share_bp=10_000)]
        s.add(p)
    assert _count(empty_engine, Project) == 0


def test_reference_is_unique(empty_engine: Engine) -> None:
    with session_scope(empty_engine) as s:
        s.add(Project(reference="DUP-1", title="A", status="ide"))
    with pytest.raises(IntegrityError), session_scope(empty_engine) as s:
        s.add(Project(reference="DUP-1", title="B", status="ide"))
    assert _count(empty_engine, Project) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": "okänd"},
        {"status": "ide", "start_date": date(2024, 5, 1), "end_date": date(2024, 4, 1)},
    ],
)
def test_check_constraints(empty_engine: Engine, kwargs: dict) -> None:
    with pytest.raises(IntegrityError), session_scope(empty_engine) as s:
        s.add(Project(reference="C-1", title="C", **kwargs))


def test_commit_refreshes_the_funding_split(empty_engine: Engine) -> None:
    from dashboard.models import Funding, FundingSplit

    goals = _goal_ids(empty_engine)
    with session_scope(empty_engine) as s:
        p = Project(reference="S-1", title="Split", status="beviljat", decision_date=date(2024, 3, 1))
        p.goals = [
            ProjectGoal(goal_id=goals["klimat"], share_bp=5_000),
            ProjectGoal(goal_id=goals["arbete"], share_bp=5_000),
        ]
        p.funding = [Funding(source="anslag_1_1", amount_sek=101), Funding(source="eruf", amount_sek=300)]
        s.add(p)

    def parts() -> dict:
        with empty_engine.connect() as conn:
            rows = conn.execute(select(Goal.code, FundingSplit.source, FundingSplit.amount_sek).join(Goal)).all()
        return {(g, src): a for g, src, a in rows}

    assert parts() == {
        ("arbete", "anslag_1_1"): 50,
        ("klimat", "anslag_1_1"): 51,
        ("arbete", "eruf"): 150,
        ("klimat", "eruf"): 150,
    }
    with session_scope(empty_engine) as s:
        p = s.scalar(select(Project).where(Project.reference == "S-1"))
        p.goals = [ProjectGoal(goal_id=goals["halsa"], share_bp=10_000)]
        p.funding[0].amount_sek = 200
    assert parts() == {("halsa", "anslag_1_1"): 200, ("halsa", "eruf"): 300}

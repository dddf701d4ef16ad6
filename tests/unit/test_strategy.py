"""The strategy tree file and its loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func, select

from dashboard.config import DEFAULT_STRATEGY_FILE
from dashboard.db import session_scope
from dashboard.models import DevelopmentArea, Direction, Goal, Priority, Theme, ThemePriority
from dashboard.strategy import StrategyFileError, load_strategy, read_strategy_file

from ..conftest import SHARED


def test_file_has_the_published_structure() -> None:
    tree = read_strategy_file(DEFAULT_STRATEGY_FILE)
    assert len(tree["directions"]) == 2
    assert sum(len(d["areas"]) for d in tree["directions"]) == 4
    goals = [g for d in tree["directions"] for g in d["goals"]]
    assert len(goals) == 6
    assert len(tree["themes"]) >= 8
    assert "energi" in {t["code"] for t in tree["themes"]}


def test_file_matches_the_shared_domain_facts() -> None:
    domain = SHARED / "domain" / "vaxtplats-blekinge.json"
    if not domain.exists():
        pytest.skip("../shared/domain is not available")
    facts = json.loads(domain.read_text(encoding="utf-8"))
    tree = read_strategy_file(DEFAULT_STRATEGY_FILE)
    ours = {g["name_sv"]: g for d in tree["directions"] for g in d["goals"]}
    for direction in facts["directions"]:
        assert direction["name"] in {d["name_sv"] for d in tree["directions"]}
        for goal in direction["goals"]:
            mine = ours[goal["name"]]
            published = [p["name_sv"] for p in mine["priorities"] if not p.get("illustrative")]
            assert published == goal["priorities"], goal["name"]
            subs = [
                s if isinstance(s, str) else s["name_sv"]
                for s in mine["subgoals"]
                if isinstance(s, str) or not s.get("illustrative")
            ]
            assert subs == goal["subgoals"], goal["name"]
            if not goal["priorities_complete"]:
                # what was not published is there, flagged as illustrative
                assert any(p.get("illustrative") for p in mine["priorities"]), goal["name"]


def test_loaded_tree(demo_engine: Engine) -> None:
    with demo_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Direction)).scalar_one() == 2
        assert conn.execute(select(func.count()).select_from(DevelopmentArea)).scalar_one() == 4
        assert conn.execute(select(func.count()).select_from(Goal)).scalar_one() == 6
        illustrative = conn.execute(
            select(func.count()).select_from(Priority).where(Priority.illustrative)
        ).scalar_one()
        published = conn.execute(select(func.count()).select_from(Priority).where(~Priority.illustrative)).scalar_one()
        assert published == 17 and illustrative > 0
        assert conn.execute(select(func.count()).select_from(ThemePriority)).scalar_one() > 0


def test_reload_is_an_upsert(empty_engine: Engine) -> None:
    tree = read_strategy_file(DEFAULT_STRATEGY_FILE)
    with empty_engine.connect() as conn:
        before = dict(conn.execute(select(Priority.code, Priority.id)).all())
    tree["themes"][0]["name_sv"] = "Energi och klimat"
    with session_scope(empty_engine) as s:
        load_strategy(s, tree)
    with empty_engine.connect() as conn:
        assert dict(conn.execute(select(Priority.code, Priority.id)).all()) == before
        assert conn.execute(select(Theme.name_sv).where(Theme.code == "energi")).scalar_one() == "Energi och klimat"


def _write(tmp_path: Path, tree: dict) -> Path:
    path = tmp_path / "strategy.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda t: t["themes"][0]["priorities"].append("finns-inte"),
            r"themes\[1\]\.priorities: unknown priority code 'finns-inte'",
        ),
        (
            lambda t: t["directions"][0]["goals"][1].update(code="attraktivitet"),
            r"directions\[1\]\.goals\[2\]: code 'attraktivitet' is already used",
        ),
        (
            lambda t: t["directions"][1]["goals"][0].pop("name_sv"),
            r"directions\[2\]\.goals\[1\]: missing required field 'name_sv'",
        ),
        (
            lambda t: t["municipalities"][0].update(code="106"),
            r"municipalities\[1\]: municipality code '106' must be four digits",
        ),
    ],
)
def test_bad_files_name_the_place(tmp_path: Path, mutate, message: str) -> None:
    tree = yaml.safe_load(DEFAULT_STRATEGY_FILE.read_text(encoding="utf-8"))
    mutate(tree)
    path = _write(tmp_path, tree)
    with pytest.raises(StrategyFileError, match=message) as info:
        read_strategy_file(path)
    assert str(path) in str(info.value)


def test_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("strategy: [unclosed", encoding="utf-8")
    with pytest.raises(StrategyFileError, match="not valid YAML"):
        read_strategy_file(bad)
    with pytest.raises(StrategyFileError, match="cannot read"):
        read_strategy_file(tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("strategy: {code: x, name_sv: V\xe4xtplats}".encode("latin-1"))
    with pytest.raises(StrategyFileError, match="not UTF-8"):
        read_strategy_file(latin)

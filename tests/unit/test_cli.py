"""The command-line contract (DESIGN.md §4)."""

from __future__ import annotations

import json

import pytest

from dashboard.cli import main
from dashboard.config import Settings


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, demo_settings: Settings) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_settings.database_url)


def test_summary_allocation_2024_csv(cli_env, capsys: pytest.CaptureFixture) -> None:
    assert main(["summary", "allocation", "--year", "2024", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "goal,granted_sek,other_capital_sek,leverage"
    granted = [int(line.rsplit(",", 3)[1]) for line in lines[1:]]
    assert granted == [1_100_000, 3_100_000, 600_000, 7_100_000, 12_300_000, 100_000]
    assert lines[3].startswith('"God, jämlik och jämställd hälsa",600000,')


def test_summary_allocation_json_adds_up(cli_env, capsys: pytest.CaptureFixture) -> None:
    assert main(["summary", "allocation", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"goal", "granted_sek", "other_capital_sek", "leverage"} == set(rows[0])
    assert main(["summary", "allocation", "--year", "2024", "--format", "json"]) == 0
    rows_2024 = json.loads(capsys.readouterr().out)
    assert sum(r["granted_sek"] for r in rows_2024) == 24_300_000
    assert sum(r["granted_sek"] for r in rows) > 24_300_000


def test_summary_allocation_theme_by_name_or_code(cli_env, capsys: pytest.CaptureFixture) -> None:
    assert main(["summary", "allocation", "--theme", "Energi", "--format", "json"]) == 0
    by_name = capsys.readouterr().out
    assert main(["summary", "allocation", "--theme", "energi", "--format", "json"]) == 0
    assert capsys.readouterr().out == by_name
    assert main(["summary", "allocation", "--theme", "finns-inte"]) == 1
    err = capsys.readouterr().err
    assert "unknown theme 'finns-inte'" in err and "energi" in err


def test_summary_without_schema_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert main(["summary", "allocation"]) == 1
    assert "run `python -m dashboard init` first" in capsys.readouterr().err


def test_init_and_demo(monkeypatch: pytest.MonkeyPatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "demo data loaded: 250 projects" in out
    assert main(["init"]) == 0  # idempotent: nothing reloaded
    assert "demo data loaded" not in capsys.readouterr().out
    assert main(["demo", "--projects", "40", "--seed", "3"]) == 0
    assert "40 projects" in capsys.readouterr().out
    assert main(["demo", "--projects", "0"]) == 1


def test_bad_configuration_is_reported(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("RUS_LANGUAGE", "de")
    assert main(["summary", "allocation"]) == 1
    assert "RUS_LANGUAGE" in capsys.readouterr().err

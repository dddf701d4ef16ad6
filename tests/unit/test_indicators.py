"""Indicators: the status rule, the Kolada/CSV importer (good, real and broken files), CLI and page."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text

from dashboard.cli import main
from dashboard.filters import FilterState
from dashboard.importers.indicators import ImportFailed, import_indicator_values, read_records
from dashboard.models import Goal, Indicator, IndicatorValue
from dashboard.transforms import compute_indicator_status

from ..conftest import SHARED


def _series(values: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame({"year": list(values), "value": list(values.values())})


def test_on_track_when_the_trend_reaches_the_target() -> None:
    s = _series({2020: 70.0, 2021: 71.0, 2022: 72.0, 2023: 73.0, 2024: 74.0})
    out = compute_indicator_status(s, target_value=78.0, target_year=2030)
    assert out["status"] == "on_track"
    assert out["slope"] == pytest.approx(1.0) and out["required_slope"] == pytest.approx(4 / 6)
    assert out["latest_value"] == 74.0 and out["change"] == pytest.approx(2.0)


def test_off_track_when_the_trend_is_too_slow() -> None:
    s = _series({2020: 70.0, 2021: 70.2, 2022: 70.4, 2023: 70.6, 2024: 70.8})
    out = compute_indicator_status(s, target_value=78.0, target_year=2030)
    assert out["status"] == "off_track" and out["projected"] == pytest.approx(72.0)


def test_lower_is_better_and_already_met() -> None:
    falling = _series({2021: 5.0, 2022: 4.6, 2023: 4.2, 2024: 3.8})
    assert (
        compute_indicator_status(falling, target_value=2.0, target_year=2030, higher_is_better=False)["status"]
        == "on_track"
    )
    assert (
        compute_indicator_status(falling, target_value=1.0, target_year=2030, higher_is_better=False)["status"]
        == "off_track"
    )
    met = _series({2023: 81.0, 2024: 80.5})
    assert compute_indicator_status(met, target_value=80.0, target_year=2030)["status"] == "on_track"


def test_no_target_no_data_and_passed_target_year() -> None:
    s = _series({2022: 1.0, 2023: 2.0})
    assert compute_indicator_status(s, target_value=None, target_year=None)["status"] == "no_target"
    assert compute_indicator_status(s.iloc[0:0], target_value=5, target_year=2030)["status"] == "no_data"
    assert compute_indicator_status(s, target_value=5, target_year=2023)["status"] == "off_track"


# --------------------------------------------------------------------------- importer


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """A database with the strategy and two indicators (N00914 and a local one)."""
    with empty_engine.begin() as conn:
        goal = conn.execute(select(Goal.id).where(Goal.code == "arbete")).scalar_one()
        conn.execute(
            Indicator.__table__.insert(),
            [
                {
                    "code": "N00914",
                    "kolada_kpi": "N00914",
                    "name_sv": "Förvärvsarbetande",
                    "goal_id": goal,
                    "higher_is_better": True,
                    "is_demo": False,
                },
                {
                    "code": "egen",
                    "kolada_kpi": None,
                    "name_sv": "Egen",
                    "goal_id": goal,
                    "higher_is_better": True,
                    "is_demo": False,
                },
            ],
        )
    return empty_engine


def _count(engine: Engine) -> tuple[int, float]:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count(IndicatorValue.id), func.coalesce(func.sum(IndicatorValue.value), 0))
        ).one()


V2 = {
    "count": 2,
    "values": [
        {
            "kpi": "N00914",
            "municipality": "0010",
            "period": 2022,
            "values": [
                {"count": 1, "gender": "K", "status": "", "value": 77.1},
                {"count": 1, "gender": "M", "status": "", "value": 79.0},
                {"count": 1, "gender": "T", "status": "", "value": 78.1},
            ],
        },
        {
            "kpi": "N00914",
            "municipality": "1080",
            "period": 2023,
            "values": [{"count": 1, "gender": "T", "status": "", "value": 80.2}],
        },
    ],
    "next_page": None,
}
V3 = {
    "values": [
        {
            "kpi": "N00914",
            "municipality_id": "0000",
            "period": 2023,
            "values": [{"gender": "T", "value": 80.9, "isdeleted": False}],
        }
    ],
    "next_url": None,
}


def test_kolada_v2_and_v3_json(engine: Engine, tmp_path: Path) -> None:
    v2 = tmp_path / "v2.json"
    v2.write_text(json.dumps(V2), encoding="utf-8")
    report = import_indicator_values(engine, v2)
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    v3 = tmp_path / "v3.json"
    v3.write_text(json.dumps([V3, {"values": [], "next_url": None}]), encoding="utf-8")  # several pages saved together
    assert import_indicator_values(engine, v3).created == 1
    assert _count(engine)[0] == 5


def test_csv_with_decimal_comma_and_reimport_updates(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text("kpi;area;year;gender;value\nN00914;0010;2021;T;77,5\negen;1080;2021;T;3\n", encoding="utf-8")
    first = import_indicator_values(engine, path)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    path.write_text("kpi;area;year;gender;value\nN00914;0010;2021;T;77,9\negen;1080;2021;T;3\n", encoding="utf-8")
    second = import_indicator_values(engine, path)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    with engine.connect() as conn:
        assert conn.execute(select(IndicatorValue.value).where(IndicatorValue.area_code == "0010")).scalar_one() == 77.9
    dry = import_indicator_values(engine, path, dry_run=True)
    assert dry.unchanged == 2


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ("kpi,area,year,gender,value\nN00914,0010,2021,T,abc\n", "a.csv", r"row 2: value: 'abc' is not a number"),
        ("kpi,area,year,gender,value\nN99999,0010,2021,T,1\n", "b.csv", r"row 2: kpi: unknown KPI 'N99999'"),
        ("kpi,area,year,gender,value\nN00914,0180,2021,T,1\n", "c.csv", r"row 2: area: unknown area '0180'"),
        (
            "kpi,area,year,gender,value\nN00914,0010,2021,T,1\nN00914,0010,2021,T,2\n",
            "d.csv",
            r"row 3: -: duplicate of row 2",
        ),
        ("kpi,area,year,gender,value\nN00914,0010,20x1,X,1\n", "e.csv", r"row 2: year: '20x1' is not a year"),
        ("area,year,value\n0010,2021,1\n", "f.csv", r"row 1: kpi: missing column"),
        (
            '{"values": [{"kpi": "N00914", "municipality": "0010", "period": 2021, "values": [{"gender": "T", '
            '"value": "NaN?"}]}]}',
            "g.json",
            r"values\[0\]\.values\[0\]: value: 'NaN\?' is not a number",
        ),
        ('{"values": [', "h.json", r"line 1, column 13: -: not valid JSON"),
        ("", "i.csv", r"file: -: the file is empty"),
    ],
)
def test_broken_files_are_rejected_whole(
    engine: Engine, tmp_path: Path, content: str, name: str, expected: str
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("kpi,area,year,gender,value\nN00914,0010,2020,T,76\n", encoding="utf-8")
    import_indicator_values(engine, good)
    before = _count(engine)
    path = tmp_path / name
    # a good row first: it must not be written when a later row is bad
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match=expected) as info:
        import_indicator_values(engine, path)
    assert str(path) in info.value.file
    assert _count(engine) == before, "nothing was written"


def test_all_or_nothing_with_good_rows_before_a_bad_one(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("kpi,area,year,gender,value\nN00914,0010,2019,T,75\nN00914,0010,2020,T,oops\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="row 3: value"):
        import_indicator_values(engine, path)
    assert _count(engine) == (0, 0)


def test_wrong_encoding_and_size_limit(engine: Engine, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("kpi,area,year,gender,value\nN00914,0010,2020,T,76 \xe5\n".encode("latin-1"))
    with pytest.raises(ImportFailed, match="not UTF-8"):
        import_indicator_values(engine, latin)
    big = tmp_path / "big.csv"
    big.write_text("kpi,area,year,gender,value\n" + "N00914,0010,2020,T,76\n" * 100, encoding="utf-8")
    with pytest.raises(ImportFailed, match="the limit is 100"):
        import_indicator_values(engine, big, max_bytes=100)


def test_real_kolada_sample(engine: Engine) -> None:
    path = SHARED / "data" / "real" / "kolada_values_N03702_N03703.csv"
    if not path.exists():
        pytest.skip("../shared/data/real is not available")
    problems: list = []
    records = read_records(path, problems)
    assert problems == [] and len(records) == 192
    assert {r.kpi for r in records} == {"N03702", "N03703"} and all(len(r.area) == 4 for r in records)
    with pytest.raises(ImportFailed, match="unknown KPI 'N03702'"):
        import_indicator_values(engine, path)
    with engine.begin() as conn:
        conn.execute(
            Indicator.__table__.insert(),
            [
                {"code": k, "kolada_kpi": k, "name_sv": k, "higher_is_better": True, "is_demo": False}
                for k in ("N03702", "N03703")
            ],
        )
    with pytest.raises(ImportFailed, match="unknown area"):
        import_indicator_values(engine, path)
    report = import_indicator_values(engine, path, skip_unknown_areas=True)
    blekinge = [r for r in records if r.area in {"1060", "1080", "1081", "1082", "1083"}]
    assert report.created == len(blekinge) > 0
    assert report.skipped_areas == len(records) - len(blekinge)


# --------------------------------------------------------------------------- CLI and page


def test_cli_import_and_summary(monkeypatch: pytest.MonkeyPatch, engine: Engine, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    bad = tmp_path / "bad.csv"
    bad.write_text("kpi,area,year,gender,value\nN00914,0010,2021,T,x\n", encoding="utf-8")
    assert main(["import", "indicators", str(bad)]) == 1
    assert f"{bad}: row 2: value: 'x' is not a number" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text(json.dumps(V2), encoding="utf-8")
    assert main(["import", "indicators", str(good)]) == 0
    assert "4 created, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_cli_summary_indicators(monkeypatch: pytest.MonkeyPatch, demo_settings, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_settings.database_url)
    assert main(["summary", "indicators"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "goal,indicator,kpi,area,latest_year,latest_value,target_value,target_year,status"
    assert len(lines) == 11 and all(",0010," in line for line in lines[1:])
    assert main(["summary", "indicators", "--goal", "arbete", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["kpi"] for r in rows} == {"N00914", "N01982"}
    assert {r["status"] for r in rows} <= {"on_track", "off_track", "no_target"}
    assert main(["summary", "indicators", "--goal", "okänt"]) == 1


@pytest.fixture
def ctx(app):
    with app.server.test_request_context("/indikatorer"):
        yield app


def test_indicator_page_and_export(ctx, demo_engine: Engine) -> None:
    import base64
    import io

    from dashboard.pages.indicators import export_values, update_indicators

    scorecard, sections = update_indicators("", ["gender"])
    text_ = repr(sections)
    for code in ("N00914", "N01951", "N01982"):
        assert f"ind-{code}" in text_
    assert text_.count("goal-section-head") == 6
    assert "#ind-N00914" in repr(scorecard)
    only = update_indicators("goal=arbete", [])[1]
    assert repr(only).count("goal-section-head") == 1
    csv = base64.b64decode(export_values(FilterState(goal=("arbete",)), [], "csv", "sv")["content"])
    table = pd.read_csv(io.BytesIO(csv), sep=";", encoding="utf-8-sig", dtype={"Kod": str})
    with demo_engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT COUNT(*) FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id JOIN goal g ON g.id = i.goal_id "
                "WHERE g.code = 'arbete' AND v.gender = 'T' AND v.area_code IN ('0000', '0010')"
            )
        ).scalar_one()
    assert len(table) == n and set(table["Kod"]) == {"0000", "0010"}


# --------------------------------------------------------------------------- units, kinds, source


def test_kinds_from_unit_and_name() -> None:
    from dashboard.models import indicator_kind

    assert indicator_kind("%", "Invånare 20–64 år som förvärvsarbetar, andel (%)") == "share"
    assert indicator_kind("antal", "Företag med FoU-verksamhet per 1 000 företag") == "rate"
    assert indicator_kind("antal", "Nystartade företag per 1 000 invånare 16–64 år") == "rate"
    assert indicator_kind("antal", "Invånare totalt, antal") == "count"
    assert indicator_kind("ton/inv", "Utsläpp av växthusgaser, ton CO2e per invånare") == "level"
    assert indicator_kind(None, "Andel med eftergymnasial utbildning") == "share"


def test_values_and_changes_in_their_own_terms() -> None:
    from dashboard.components.indicators import format_indicator_change, format_indicator_value, unit_text

    share = {"unit": "%", "kind": "share", "name_sv": "Förvärvsarbetande, andel (%)"}
    rate = {"unit": "antal", "kind": "rate", "name_sv": "Företag med FoU-verksamhet per 1 000 företag"}
    count = {"unit": "antal", "kind": "count", "name_sv": "Invånare totalt, antal"}
    level = {"unit": "ton/inv", "kind": "level", "name_sv": "Utsläpp"}
    assert format_indicator_value(78.46, share, "sv") == "78,5\xa0%"
    assert format_indicator_value(78.46, share, "en") == "78.5%"
    # a change of a share is in percentage points, never in percent
    assert format_indicator_change(1.24, share, "sv") == "+1,2\xa0procentenheter"
    assert format_indicator_change(-0.5, share, "en") == "-0.5\xa0p.p."
    # a rate keeps its decimal and says what it is per
    assert unit_text(rate, "sv") == "per\xa01\xa0000" and unit_text(rate, "en") == "per\xa01,000"
    assert format_indicator_value(9.24, rate, "sv") == "9,2\xa0per\xa01\xa0000"
    assert format_indicator_change(0.3, rate, "sv") == "+0,3\xa0per\xa01\xa0000"
    # persons are whole numbers
    assert format_indicator_value(152_757.4, count, "sv") == "152\xa0757"
    assert format_indicator_change(-312.6, count, "sv") == "-313"
    assert format_indicator_value(5.12, level, "sv") == "5,1\xa0ton/inv"
    # rows from before the kind was stored read it from unit and name
    assert format_indicator_value(9.24, {"unit": "antal", "name_sv": rate["name_sv"]}, "sv").startswith("9,2")


def test_every_indicator_card_names_its_source_and_last_update(ctx, demo_engine: Engine) -> None:
    import plotly

    from dashboard.pages.indicators import update_indicators

    with demo_engine.connect() as conn:
        rows = conn.execute(text("SELECT code, kind, source, updated_at FROM indicator")).all()
    assert rows and all(r.kind in ("share", "rate", "count", "level") and r.source and r.updated_at for r in rows)
    kinds = {r.code: r.kind for r in rows}
    assert kinds["fou-foretag"] == "rate" and kinds["N01951"] == "count" and kinds["N00914"] == "share"
    _, sections = update_indicators("", [])
    cards = {
        getattr(c, "id", ""): json.dumps(c, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
        for s in sections
        for c in _walk(s)
    }
    for r in rows:
        card = cards[f"ind-{r.code}"]
        assert f"Källa: {r.source} · senast uppdaterad {str(r.updated_at)[:10]}" in card, r.code
    assert "procentenheter" in cards["ind-N00914"]
    assert "per\xa01\xa0000" in cards["ind-fou-foretag"]


def _walk(component) -> list:
    out = [component]
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            out += _walk(child)
    elif children is not None and not isinstance(children, (str, int, float)):
        out += _walk(children)
    return out


def test_import_sets_the_last_update(engine: Engine, tmp_path: Path) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE indicator SET updated_at = NULL"))
    path = tmp_path / "values.csv"
    path.write_text("kpi;area;year;gender;value\nN00914;0010;2021;T;77,5\n", encoding="utf-8")
    import_indicator_values(engine, path)
    with engine.connect() as conn:
        stamps = dict(conn.execute(select(Indicator.code, Indicator.updated_at)).all())
        kinds = dict(conn.execute(select(Indicator.code, Indicator.kind)).all())
    assert stamps["N00914"] is not None and stamps["egen"] is None, "only indicators whose values changed"
    assert kinds == {"N00914": "level", "egen": "level"}, "no unit, no 'andel' in the name: a level"


def test_migration_gives_existing_indicators_a_kind(tmp_path: Path) -> None:
    from dashboard import schema
    from dashboard.db import get_engine

    engine = get_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    schema.upgrade(engine, "0004")
    with engine.begin() as conn:
        for code, name, unit in (
            ("a", "Andel förnybar el (%)", "%"),
            ("b", "Företag med FoU-verksamhet per 1 000 företag", "antal"),
            ("c", "Invånare totalt, antal", "antal"),
            ("d", "Bruttoregionprodukt per sysselsatt (tkr)", "tkr"),
        ):
            conn.execute(
                text(
                    "INSERT INTO indicator (code, name_sv, unit, higher_is_better, is_demo) VALUES (:c, :n, :u, 1, 0)"
                ),
                {"c": code, "n": name, "u": unit},
            )
    schema.upgrade(engine)
    with engine.connect() as conn:
        kinds = dict(conn.execute(text("SELECT code, kind FROM indicator")).all())
        stamps = {u for (u,) in conn.execute(text("SELECT updated_at FROM indicator"))}
    assert kinds == {"a": "share", "b": "rate", "c": "count", "d": "level"}
    assert stamps == {None}, "when old values were loaded is not known"

"""The analytical DuckDB copy answers every query module exactly as the database does."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import Engine

from dashboard import analytics, cache
from dashboard.filters import FilterState
from dashboard.models import FundingSplit
from dashboard.queries import allocation, capital, health, indicators, money, projects, themes
from dashboard.transforms import PHASE_NOW, PHASE_PLANNED

from ..conftest import writable_demo

FILTERS = [
    FilterState(),
    FilterState(year_from=2024, year_to=2024),
    FilterState(year_from=2020, year_to=2023, theme=("energi", "innovation")),
    FilterState(goal=("klimat",), municipality=("1080",)),
    FilterState(source=("eruf", "private"), status=("pagaende",)),
    FilterState(goal=("arbete", "halsa"), source=("academia",), year_from=2022),
]


@pytest.fixture
def both(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    """Run a query function on the database, then on a freshly built copy; return both results."""

    def run(fn, *args, **kwargs):
        monkeypatch.setenv("RUS_ANALYTICS", "off")
        cache.clear()
        direct = fn(demo_engine, *args, **kwargs)
        monkeypatch.setenv("RUS_ANALYTICS", "on")
        cache.clear()
        mirror = analytics.mirror_for(demo_engine)
        mirror.build(cache.data_version(demo_engine))
        calls = []
        real = mirror.rows

        def answered(stmt, v):
            rows = real(stmt, v)
            calls.append(rows is not None)
            return rows

        monkeypatch.setattr(mirror, "rows", answered)
        with caplog.at_level(logging.DEBUG, logger="dashboard.analytics"):
            copied = fn(demo_engine, *args, **kwargs)
        monkeypatch.setattr(mirror, "rows", real)
        assert calls and all(calls), "the copy answered"
        assert "could not answer" not in caplog.text, caplog.text
        return direct, copied

    yield run
    analytics.reset()
    cache.clear()


def _same(a: object, b: object) -> None:
    if isinstance(a, pd.DataFrame):
        assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
    elif isinstance(a, tuple | list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _same(a[key], b[key])
    else:
        assert a == b


LIST_QUERIES = [
    projects.ListQuery(search="ENERGI"),
    projects.ListQuery(sort_model=(("total_sek", "desc"),)),
    projects.ListQuery(sort_model=(("theme", "asc"), ("status", "desc")), lang="en", status_order=("pagaende", "ide")),
    projects.ListQuery(
        filter_model={
            "leverage": {"filterType": "number", "type": "greaterThan", "filter": 1},
            "title": {"filterType": "text", "type": "notContains", "filter": "a"},
            "start_date": {"filterType": "text", "type": "startsWith", "filter": "2024"},
        }
    ),
]


@pytest.mark.parametrize("f", FILTERS, ids=range(len(FILTERS)))
def test_filtered_queries_agree(both, f: FilterState) -> None:
    for dims in [(), ("goal",), ("year", "source"), ("direction", "theme")]:
        _same(*both(money.load_money, f, dims))
    _same(*both(money.load_money, f, ("goal",), ("ansokt",)))
    _same(*both(allocation.load_totals, f))
    _same(*both(capital.load_top_leverage, f))
    _same(*both(capital.load_top_leverage, f, limit=5_000))  # every project, not just the top
    _same(*both(projects.load_projects, f))
    reference = date(2026, 11, 27)
    _same(*both(themes.load_phase_summary, f, reference))
    for phase in (PHASE_NOW, PHASE_PLANNED):
        _same(*both(themes.load_phase_projects, f, reference, phase, 12))
    _same(*both(themes.load_timeline_projects, f, 40))
    _same(*both(themes.load_portfolio, f))
    _same(*both(themes.load_theme_projects, f))
    _same(*both(projects.count_projects, f))
    for lq in LIST_QUERIES:
        _same(*both(projects.load_projects, f, limit=100, offset=10, lq=lq))
        _same(*both(projects.list_totals, f, lq))
    _same(*both(themes.load_theme_projects, f))
    _same(*both(themes.load_phase_summary, f, date(2026, 11, 27)))
    _same(*both(themes.load_phase_projects, f, date(2026, 11, 27), "planned", 12))
    _same(*both(themes.load_timeline_projects, f, 40))
    _same(*both(themes.load_portfolio, f))
    _same(*both(themes.load_municipality_money, f))


def test_other_queries_agree(both, demo_settings) -> None:
    _same(*both(themes.load_priorities))
    _same(*both(themes.load_priority_coverage, date(2026, 11, 27)))
    _same(*both(themes.load_priority_projects, "klim-cirkular"))
    _same(*both(allocation.load_frames, [2024, 2025]))
    _same(*both(health.load_health, date(2026, 11, 27)))
    _same(*both(indicators.load_indicators))
    _same(*both(indicators.load_values, ["N00914", "N01951"], ["0000", "0010", "1080"]))


def test_a_stale_copy_is_not_used(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUS_ANALYTICS", "on")
    mirror = analytics.mirror_for(demo_engine)
    mirror.build(("an", "old", "version"))
    stmt = money.money_stmt(FilterState(), ("goal",))
    assert mirror.rows(stmt, cache.data_version(demo_engine)) is None, "the database answers while it rebuilds"
    analytics.reset()


def test_auto_mode_stays_off_at_regional_scale(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUS_ANALYTICS", "auto")
    cache.clear()
    assert analytics.mirror_for(demo_engine) is None


def test_processes_share_one_copy_file_but_never_an_older_one(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """The copy is written once per data version and opened read-only by every process;
    a process started after the file was written writes its own."""
    monkeypatch.setenv("RUS_ANALYTICS_DIR", str(tmp_path))
    writes = []
    real_write = analytics.Mirror._write
    monkeypatch.setattr(
        analytics.Mirror, "_write", lambda self, target: writes.append(target) or real_write(self, target)
    )
    version = cache.data_version(demo_engine)
    first, second = analytics.Mirror(demo_engine), analytics.Mirror(demo_engine)  # as two gunicorn workers
    first.build(version)
    second.build(version)
    assert len(writes) == 1 and writes[0].exists() and list(tmp_path.glob("*.part")) == []
    stmt = money.money_stmt(FilterState(), ("goal",))
    assert second.rows(stmt, version) == first.rows(stmt, version) and len(first.rows(stmt, version)) >= 6
    monkeypatch.setattr(analytics, "STARTED", writes[0].stat().st_mtime + 1)  # a restarted app
    analytics.Mirror(demo_engine).build(version)
    assert len(writes) == 2
    first.build(("a", "newer", "version"))
    assert len(list(tmp_path.glob("*.duckdb"))) == 1, "older copies are removed"
    for mirror in (first, second):
        mirror.con.close()


def test_a_large_database_waits_for_the_copy_instead_of_timing_out(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Above DIRECT_MAX_PROJECTS the database is not asked while the copy is written:
    a request waits a while, then gets 'preparing' (503); once written, the copy answers."""
    import threading

    from dashboard.faults import classify, message
    from dashboard.queries.common import read_frame

    monkeypatch.setenv("RUS_ANALYTICS", "on")
    monkeypatch.setenv("RUS_ANALYTICS_DIR", str(tmp_path))
    monkeypatch.setattr(analytics, "DIRECT_MAX_PROJECTS", 0)
    monkeypatch.setattr(analytics, "wait_seconds", lambda: 0.3)
    analytics.reset()
    cache.clear()
    release = threading.Event()
    real_write = analytics.Mirror._write

    def slow_write(self, target) -> None:
        release.wait(30)
        real_write(self, target)

    monkeypatch.setattr(analytics.Mirror, "_write", slow_write)
    stmt = money.money_stmt(FilterState(), ("goal",))
    columns = ["goal", *money.MONEY_COLUMNS]
    with pytest.raises(analytics.CopyNotReady) as info:
        read_frame(demo_engine, stmt, columns)
    assert classify(info.value) == "preparing" and "förbereds" in message("preparing", "sv")
    from sqlalchemy import select

    from dashboard.models import Theme

    themes = read_frame(demo_engine, select(Theme.code), ["code"])  # small tables: the database answers
    assert len(themes) == 10
    release.set()
    mirror = analytics.mirror_for(demo_engine)
    assert mirror.wait(cache.data_version(demo_engine), timeout=60)
    copied = read_frame(demo_engine, stmt, columns)
    monkeypatch.setenv("RUS_ANALYTICS", "off")
    assert_frame_equal(copied, read_frame(demo_engine, stmt, columns), check_dtype=False)
    analytics.reset()


CUBE_FILTERS = [
    *FILTERS,
    FilterState(municipality=("1082", "1083")),
    FilterState(status=("beviljat", "avslutat"), source=("eruf",)),
    FilterState(year_from=2023, year_to=2023, theme=("digitalisering",), status=("pagaende",)),
    FilterState(goal=("konkurrenskraft",), source=("private",), year_from=2024, year_to=2024),
]
CUBE_DIMS = [(), ("goal",), ("theme",), ("year",), ("source",), ("source", "goal"), ("direction", "year")]


def test_the_money_cube_gives_the_databases_sums_and_counts(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 3 000 demo projects about a hundred profiles hold several projects; every money question over
    the cube must still give the split rows' kronor and distinct-project counts."""
    from sqlalchemy import func, select

    from dashboard.queries import cube

    monkeypatch.setenv("RUS_ANALYTICS_DIR", str(tmp_path / "copies"))
    _, engine = writable_demo(f"sqlite:///{tmp_path / 'cube.sqlite'}", projects=3_000)
    monkeypatch.setenv("RUS_ANALYTICS", "on")
    cache.clear()
    mirror = analytics.mirror_for(engine)
    version = cache.data_version(engine)
    mirror.build(version)
    profiles, projects = mirror.rows(select(func.count(), func.sum(cube.profile.c.n_projects)), version)[0]
    with engine.connect() as conn:
        funded = conn.execute(select(func.count(func.distinct(FundingSplit.project_id)))).scalar()
    assert projects == funded, "every project with split rows is in exactly one profile"
    assert profiles < 0.97 * funded, "profiles group projects (else the test proves little)"
    for f in CUBE_FILTERS:
        for dims in CUBE_DIMS:
            for statuses in (None, ("ansokt",)):
                columns = [*dims, *money.MONEY_COLUMNS]
                with engine.connect() as conn:
                    direct = conn.execute(money.money_stmt(f, dims, statuses)).all()
                over_cube = mirror.rows(money.money_stmt(f, dims, statuses, by_profile=True), version)
                assert over_cube is not None
                _same(pd.DataFrame(direct, columns=columns), pd.DataFrame(over_cube, columns=columns))
    analytics.reset()
    cache.clear()


COUNT_DIMS = [
    (),
    ("goal",),
    ("theme",),
    ("year",),
    ("source",),
    ("direction",),
    ("source", "goal"),
    ("direction", "year"),
    ("goal", "theme", "year"),
    ("direction", "source", "theme"),
]
COUNT_STATUSES = (None, ("ansokt",), ("ide", "ansokt", "beviljat", "pagaende", "avslutat", "avslag", "avbrutet"))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in frame.columns if c != "projects"]
    frame = frame.astype({c: object for c in keys})
    frame[keys] = frame[keys].where(frame[keys].notna(), None)
    order = sorted(range(len(frame)), key=lambda i: tuple((v is not None, v or 0) for v in frame[keys].iloc[i]))
    return frame.iloc[order].reset_index(drop=True)


def _add_edge_cases(engine: Engine) -> None:
    """What the demo data lacks but real data has: projects without funding, with a source of
    0 kr, without goals, placed nowhere, without a theme (the split rows follow)."""
    from sqlalchemy import delete, update

    from dashboard.models import GRANT_SOURCE, Funding, Project, ProjectGoal, ProjectMunicipality
    from dashboard.splits import refresh_funding_splits

    with engine.begin() as conn:
        conn.execute(delete(Funding).where(Funding.project_id % 17 == 0))
        conn.execute(
            update(Funding).where(Funding.project_id % 19 == 0, Funding.source != GRANT_SOURCE).values(amount_sek=0)
        )
        conn.execute(delete(ProjectGoal).where(ProjectGoal.project_id % 13 == 0))
        conn.execute(delete(ProjectMunicipality).where(ProjectMunicipality.project_id % 11 == 0))
        conn.execute(update(Project).where(Project.id % 23 == 0).values(theme_id=None))
        refresh_funding_splits(conn)


@pytest.fixture(scope="module")
def copy_3000(tmp_path_factory: pytest.TempPathFactory):
    """A 3 000-project demo database and its analytics copy, for the summary tables' tests."""
    tmp = tmp_path_factory.mktemp("copy3000")
    patch = pytest.MonkeyPatch()
    patch.setenv("RUS_ANALYTICS_DIR", str(tmp / "copies"))
    _, engine = writable_demo(f"sqlite:///{tmp / 'counts.sqlite'}", projects=3_000)
    _add_edge_cases(engine)
    patch.setenv("RUS_ANALYTICS", "on")
    analytics.reset()
    cache.clear()
    mirror = analytics.mirror_for(engine)
    version = cache.data_version(engine)
    mirror.build(version)
    yield engine, mirror, version
    analytics.reset()
    cache.clear()
    patch.undo()


def test_the_count_cube_gives_the_databases_project_counts(copy_3000) -> None:
    """Every dimension, filter and status set of :func:`money.project_count_stmt` over the
    count cube (every project, funded or not) gives the database's distinct-project counts."""
    from sqlalchemy import func, select

    from dashboard.models import Funding, Project, ProjectGoal, ProjectMunicipality
    from dashboard.queries import cube

    engine, mirror, version = copy_3000
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Project)).scalar()
        unfunded = conn.execute(
            select(func.count()).where(~Project.id.in_(select(Funding.project_id).where(Funding.amount_sek > 0)))
        ).scalar()
        goalless = conn.execute(select(func.count()).where(~Project.id.in_(select(ProjectGoal.project_id)))).scalar()
        unplaced = conn.execute(
            select(func.count()).where(
                Project.whole_county.is_(False), ~Project.id.in_(select(ProjectMunicipality.project_id))
            )
        ).scalar()
        county = conn.execute(select(func.count()).where(Project.whole_county.is_(True))).scalar()
    assert min(unfunded, goalless, unplaced, county) > 0, "the cases the counts must include are in the data"
    profiles, counted = mirror.rows(select(func.count(), func.sum(cube.count_profile.c.n_projects)), version)[0]
    assert counted == total, "every project is in exactly one count profile"
    assert profiles < 0.97 * total, "profiles group projects (else the test proves little)"
    for f in CUBE_FILTERS:
        for dims in COUNT_DIMS:
            for statuses in COUNT_STATUSES:
                columns = [*dims, "projects"]
                stmt = money.project_count_stmt(f, dims, statuses, by_profile=True)
                assert not analytics._reads_large_tables(stmt), "the cube, not the copied project tables"
                with engine.connect() as conn:
                    direct = pd.DataFrame(
                        conn.execute(money.project_count_stmt(f, dims, statuses)).all(), columns=columns
                    )
                over_cube = mirror.rows(stmt, version)
                assert over_cube is not None
                _same(_sorted(direct), _sorted(pd.DataFrame(over_cube, columns=columns)))


MAP_FILTERS = [
    *CUBE_FILTERS,
    FilterState(goal=("klimat", "arbete"), municipality=("1080", "1060")),
    FilterState(source=("eruf",), goal=("konkurrenskraft",)),
    FilterState(status=("ansokt",)),  # no decided status left: empty
]


@pytest.mark.parametrize("f", MAP_FILTERS, ids=range(len(MAP_FILTERS)))
def test_counts_and_the_municipality_map_come_from_the_summary_tables(
    copy_3000, f: FilterState, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """load_money and load_municipality_money give the database's kronor and counts from the copy, and
    every statement the copy runs for them reads its summary tables only: a silent fallback (to the
    database, or to the copied project tables) fails."""
    engine, mirror, _ = copy_3000
    asked: list[object] = []
    real = mirror.rows

    def answered(stmt, v):
        rows = real(stmt, v)
        asked.append((stmt, rows is not None))
        return rows

    runs = [(themes.load_municipality_money, ())]
    runs += [(money.load_money, (dims,)) for dims in COUNT_DIMS[:8]]
    runs += [(money.load_money, (("goal",), ("ansokt",)))]
    for fn, args in runs:
        monkeypatch.setenv("RUS_ANALYTICS", "off")
        cache.clear()
        direct = fn(engine, f, *args)
        monkeypatch.setenv("RUS_ANALYTICS", "on")
        cache.clear()
        asked.clear()
        monkeypatch.setattr(mirror, "rows", answered)
        with caplog.at_level(logging.DEBUG, logger="dashboard.analytics"):
            copied = fn(engine, f, *args)
        monkeypatch.setattr(mirror, "rows", real)
        assert "could not answer" not in caplog.text, caplog.text
        assert asked and all(ok for _, ok in asked), "the copy answered every statement"
        assert len(asked) == (3 if fn is themes.load_municipality_money else 2)
        for stmt, _ in asked:
            assert not analytics._reads_large_tables(stmt), analytics.compile_sql(stmt)
        _same(direct, copied)

"""Figures that agree: wherever a part and a whole sit one click apart, the displayed
parts add up to the displayed whole, on the demo database and on the real Projektbanken
list imported into a fresh one. The page callbacks are called as plain functions and
their outputs (figures, KPI cards, tables, texts) are read back as a person sees them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from dashboard.config import Settings
from dashboard.db import get_engine
from dashboard.models import DECIDED_STATUSES, SHARE_SCALE
from tests.conftest import SHARED

NB = "\xa0"
PROJEKTBANKEN = SHARED / "data" / "real" / "se_erdf_2014-2020_projektbanken_2016-10.csv"


# --------------------------------------------------------------------------- reading what is shown


def units(label: str) -> int:
    """A money label in tenths of millions: ``'24,3 mnkr'`` → 243, ``'SEK 1,234.5m'`` → 12345."""
    plain = re.sub(r"<[^>]+>", " ", str(label)).replace(NB, " ")
    sv = re.search(r"(-?[\d ]+,\d) mnkr", plain)
    if sv:
        return int(sv.group(1).replace(" ", "").replace(",", ""))
    en = re.search(r"SEK (-?[\d,]+\.\d)m", plain)
    assert en, f"no money label in {label!r}"
    return int(en.group(1).replace(",", "").replace(".", ""))


def percent_units(label: str) -> int:
    """``'25,6 %'`` → 256."""
    m = re.search(r"(-?[\d ]+)[,.](\d)\s?%", str(label).replace(NB, " "))
    assert m, f"no percent in {label!r}"
    return int(m.group(1).replace(" ", "") + m.group(2))


def _walk(component) -> list:
    out = [component]
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            out += _walk(child)
    elif children is not None and not isinstance(children, (str, int, float)):
        out += _walk(children)
    return out


def _text(component) -> str:
    parts: list[str] = []
    for c in _walk(component):
        children = getattr(c, "children", None)
        items = children if isinstance(children, (list, tuple)) else [children]
        parts += [str(x) for x in items if isinstance(x, (str, int))]
    return " ".join(parts)


def _by_id(tree, component_id: str):
    found = [c for c in _walk(tree) if getattr(c, "id", None) == component_id]
    assert found, f"no component {component_id}"
    return found[0]


def kpi(tree, kpi_id: str) -> str:
    """The big number of a KPI card."""
    card = _by_id(tree, kpi_id)
    return next(c.children for c in _walk(card) if getattr(c, "className", "") == "kpi-value")


def kpi_help(tree, kpi_id: str) -> str:
    card = _by_id(tree, kpi_id)
    return next(c.children for c in _walk(card) if getattr(c, "className", "") == "kpi-help")


def table_rows(table) -> tuple[list[list[str]], list[str]]:
    """(body rows, footer row) of a :func:`dashboard.components.cards.make_table` as texts."""
    from dash import html

    body = next(c for c in _walk(table) if isinstance(c, html.Tbody))
    rows = [[_text(cell) for cell in tr.children] for tr in body.children]
    feet = [c for c in _walk(table) if isinstance(c, html.Tfoot)]
    footer = [_text(cell) for cell in feet[0].children.children] if feet else []
    return rows, footer


def kronor(label: str) -> int:
    return int(re.sub(r"[^\d-]", "", label.replace(NB, "")))


# --------------------------------------------------------------------------- the views, as shown


def check_views(query: str, *, themes: list[str]) -> dict[str, int]:
    """Every parts-and-whole view for one filter state; returns a few shown wholes."""
    from dashboard.pages.capital import update_leverage, update_sources
    from dashboard.pages.overview import update_hierarchy, update_overview, update_years
    from dashboard.pages.themes import update_map, update_theme

    shown: dict[str, int] = {}
    # goal: donut and bars against the total in the middle and the KPIs
    kpis, _, donut, _, summary, table, _ = update_overview(query, "donut")
    granted, other, budget = (units(kpi(kpis, k)) for k in ("kpi-granted", "kpi-other", "kpi-budget"))
    assert granted + other == budget, "KPIs: 1:1 + development capital = total budget"
    shown |= {"granted": granted, "other": other, "projects": int(re.sub(r"\D", "", kpi(kpis, "kpi-projects")))}
    if donut.data:
        centre = units(donut.layout.annotations[0].text)
        slices = {c[1]: units(c[2]) for c in donut.data[0].customdata}
        assert sum(slices.values()) == centre, "donut: slices = the total in the middle"
        chosen = re.search(r"goal=([\w,]+)", query)
        if chosen:  # every goal is shown, the chosen ones highlighted: the KPI is their sum
            assert sum(v for g, v in slices.items() if g in chosen.group(1).split(",")) == granted
        else:
            assert centre == granted, "donut: the total in the middle = KPI"
            assert units(summary) == granted
        assert sum(percent_units(c[4]) for c in donut.data[0].customdata) == 1000
        bars = update_overview(query, "bars")[2]
        assert sum(units(c[2]) for c in bars.data[0].customdata) == centre, "bars = the total"
        rows, footer = table_rows(table)
        assert sum(percent_units(r[2]) for r in rows if r[2] != "–") == 1000, "goal table shares = 100 %"
        assert sum(kronor(r[1]) for r in rows) == kronor(footer[1])
    # year: stacked goals per year = the year's total; years = the KPI
    years_fig, _, years_table = update_years(query, "abs")
    if years_fig.data and years_fig.data[0].customdata is not None:
        per_year: dict[str, list[int]] = {}
        totals: dict[str, int] = {}
        for trace in years_fig.data:
            for x, c in zip(trace.x, trace.customdata, strict=True):
                per_year.setdefault(x, []).append(units(c[2]))
                totals[x] = units(c[5])
        assert all(sum(parts) == totals[x] for x, parts in per_year.items()), "a year's goals = the year"
        assert sum(totals.values()) == granted, "years = KPI"
        rows, footer = table_rows(years_table)
        assert sum(kronor(r[-1]) for r in rows) == kronor(footer[-1])
    # theme (and goal, direction): the sunburst's rings
    sun = update_hierarchy(query)[0]
    if sun.data and sun.data[0].type == "sunburst":
        s = sun.data[0]
        label = dict(zip(s.ids, (units(c[2]) for c in s.customdata), strict=True))
        children: dict[str, list[str]] = {}
        for node, parent in zip(s.ids, s.parents, strict=True):
            children.setdefault(parent, []).append(node)
        for parent, kids in children.items():
            whole = granted if parent == "" else label[parent]
            assert sum(label[k] for k in kids) == whole, f"sunburst: children of {parent or 'the root'}"
    # source: other capital by source per goal, theme and year, against the KPI
    for dim in ("goal", "theme", "year"):
        k2, _, stacked, sentence, source_table, _ = update_sources(query, dim)
        # the capital page's own KPIs (the overview's 1:1 follows the highlighted slices when goals are chosen)
        c_granted, c_other, c_budget = (units(kpi(k2, k)) for k in ("kpi-granted", "kpi-other", "kpi-budget"))
        assert c_other == other and c_granted + c_other == c_budget
        assert abs(c_granted - granted) <= (1 if "goal=" in query else 0)
        if not stacked.data:
            continue
        bars: dict[str, list[int]] = {}
        bar_total: dict[str, int] = {}
        for trace in stacked.data:
            for x, c in zip(trace.x, trace.customdata, strict=True):
                bars.setdefault(x, []).append(units(c[4]))
                bar_total[x] = units(c[5])
        assert all(sum(v) == bar_total[x] for x, v in bars.items()), f"{dim}: a bar's sources = the bar"
        assert sum(bar_total.values()) == other, f"{dim}: bars = development capital KPI"
        assert units(sentence) == other
        rows, footer = table_rows(source_table)
        assert sum(kronor(r[-2]) for r in rows) == kronor(footer[-2])
    # source → goal: the Sankey's nodes are the sums of their links; sources = the KPIs
    lev, _, _, sankey, sankey_text, _, _ = update_leverage(query)
    if lev.data:
        assert sum(units(c[4]) for c in lev.data[0].customdata) == c_granted, "1:1 per goal (leverage) = KPI"
    if sankey.data:
        sk = sankey.data[0]
        node = [units(c) for c in sk.node.customdata]
        links = [units(c) for c in sk.link.customdata]
        for i, value in enumerate(node):
            touching = [v for v, s_, t_ in zip(links, sk.link.source, sk.link.target, strict=True) if i in (s_, t_)]
            assert sum(touching) == value, f"sankey node {sk.node.label[i]}"
        sources = {sk.node.label[i] for i in sk.link.source}
        assert sum(v for i, v in enumerate(node) if sk.node.label[i] in sources) == c_budget
        assert units(sankey_text) == c_budget
    # municipality: the map, the whole county and projects placed nowhere = the KPI
    fig, _, _, whole_text = update_map(query, "money")
    if fig.data and fig.data[0].type == "choropleth":
        munis = sum(units(c[3]) for c in fig.data[0].customdata)
        rest = [units(part) for part in whole_text.split("·")]
        assert munis + sum(rest) == c_granted, "municipalities + whole county (+ unplaced) = the 1:1 KPI"
    # status: the kartbild's pipeline bars = its KPI "planned 1–3 years"
    for theme in themes:
        _, body, _ = update_theme(f"theme={theme}")
        pipeline = _by_id(body, "theme-pipeline").figure
        if pipeline.data:
            bars_sum = sum(units(c[2]) for c in pipeline.data[0].customdata)
            assert bars_sum == units(kpi_help(body, "kpi-theme-coming")), f"kartbild {theme}: pipeline = KPI"
    return shown


@pytest.fixture
def ctx(app):
    with app.server.test_request_context("/"):
        yield app


def _theme_codes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [c for (c,) in conn.execute(text("SELECT code FROM theme ORDER BY sort"))]


@pytest.mark.parametrize(
    "query",
    ["year=2024", "", "year=2019-2023", "theme=energi,kompetens", "goal=klimat&year=2024", "source=eruf"],
)
def test_demo_parts_add_up_to_their_wholes(ctx, demo_engine: Engine, query: str) -> None:
    check_views(query, themes=_theme_codes(demo_engine)[:4])


def test_demo_in_english_too(app, demo_engine: Engine) -> None:
    with app.server.test_request_context("/", headers={"Cookie": "rus_lang=en"}):
        check_views("year=2024", themes=["energi"])


def test_demo_2024_per_goal_by_hand(ctx, demo_engine: Engine) -> None:
    """The published 2024 picture: 1,1 + 3,1 + 0,6 + 7,1 + 12,3 + 0,1 = 24,3 mnkr, computed
    here from the funding rows (each project's 1:1 split by its goal shares)."""
    from dashboard.pages.overview import update_overview

    with demo_engine.connect() as conn:
        rows = pd.read_sql(
            text(
                "SELECT g.code AS goal, f.amount_sek, pg.share_bp FROM funding f "
                "JOIN project p ON p.id = f.project_id JOIN project_goal pg ON pg.project_id = p.id "
                "JOIN goal g ON g.id = pg.goal_id "
                "WHERE f.source = 'anslag_1_1' AND p.decision_year = 2024 AND p.status IN "
                f"({', '.join(repr(s) for s in DECIDED_STATUSES)})"
            ),
            conn,
        )
    exact = (rows["amount_sek"] * rows["share_bp"] / SHARE_SCALE).groupby(rows["goal"]).sum()
    tenths = {g: int(v // 100_000 + (1 if v % 100_000 >= 50_000 else 0)) for g, v in exact.items()}
    assert tenths == {
        "attraktivitet": 11,
        "klimat": 31,
        "halsa": 6,
        "arbete": 71,
        "konkurrenskraft": 123,
        "naringsliv": 1,
    }
    kpis, _, donut, *_ = update_overview("year=2024")
    shown = {c[1]: units(c[2]) for c in donut.data[0].customdata}
    assert shown == tenths and sum(shown.values()) == 243 == units(kpi(kpis, "kpi-granted"))


# --------------------------------------------------------------------------- the real list


@pytest.fixture(scope="module")
def projektbanken(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Projektbanken (ERDF 2014–2020, October 2016) imported into a fresh SQLite database."""
    if not PROJEKTBANKEN.exists():
        pytest.skip(f"the real Projektbanken file is not here: {PROJEKTBANKEN}")
    from dashboard import schema
    from dashboard.bootstrap import load_strategy_file
    from dashboard.importers.projects import import_projects

    url = f"sqlite:///{tmp_path_factory.mktemp('pb') / 'projektbanken.sqlite'}"
    engine = get_engine(url)
    schema.upgrade(engine)
    settings = replace(Settings(), database_url=url, auto_init=False)
    load_strategy_file(engine, settings)
    import_projects(engine, Path(PROJEKTBANKEN), mapping="projektbanken", reference_date=date(2016, 10, 14))
    return settings


@pytest.fixture
def pb_ctx(app, projektbanken: Settings, monkeypatch: pytest.MonkeyPatch):
    """The app's callbacks reading the Projektbanken database."""
    from dashboard.state import SETTINGS_KEY

    monkeypatch.setitem(app.server.config, SETTINGS_KEY, projektbanken)
    with app.server.test_request_context("/"):
        yield get_engine(projektbanken.database_url)


@pytest.mark.parametrize("query", ["", "status=pagaende", "year=2015-2016"])
def test_projektbanken_parts_add_up_to_their_wholes(pb_ctx: Engine, query: str) -> None:
    shown = check_views(query, themes=_theme_codes(pb_ctx))
    if not query:
        with pb_ctx.connect() as conn:
            n, other = conn.execute(
                text(
                    "SELECT count(DISTINCT p.id), coalesce(sum(CASE WHEN f.source <> 'anslag_1_1' "
                    "THEN f.amount_sek ELSE 0 END), 0) FROM project p LEFT JOIN funding f ON f.project_id = p.id "
                    f"WHERE p.status IN ({', '.join(repr(s) for s in DECIDED_STATUSES)})"
                )
            ).one()
        assert shown["projects"] == n, "every decided project is counted, with money or without"
        assert shown["other"] == (2 * int(other) + 100_000) // 200_000


# --------------------------------------------------------------------------- "N projekt" = the list


@pytest.fixture(scope="module")
def with_unfunded(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A small demo database plus two decided 2024 projects without any funding yet:
    one shared between two goals in Karlskrona, one with no goal and no municipality."""
    from sqlalchemy import insert, select

    from dashboard.models import Goal, Project, ProjectGoal, ProjectMunicipality, Theme

    from ..conftest import writable_demo

    settings, engine = writable_demo(f"sqlite:///{tmp_path_factory.mktemp('unfunded') / 'u.sqlite'}", 40)
    with engine.begin() as conn:
        goal = dict(conn.execute(select(Goal.code, Goal.id)).all())
        energi = conn.execute(select(Theme.id).where(Theme.code == "energi")).scalar_one()
        for ref, goals, place in (("NY-1", {"arbete": 6_000, "klimat": 4_000}, "1080"), ("NY-2", {}, None)):
            pid = conn.execute(
                insert(Project).values(
                    reference=ref,
                    title=f"Utan pengar {ref}",
                    status="beviljat",
                    decision_date=date(2024, 11, 1),
                    decision_year=2024,
                    theme_id=energi,
                )
            ).inserted_primary_key[0]
            for code, share in goals.items():
                conn.execute(insert(ProjectGoal).values(project_id=pid, goal_id=goal[code], share_bp=share))
            if place:
                conn.execute(
                    insert(ProjectMunicipality).values(project_id=pid, municipality_code=place, share_bp=SHARE_SCALE)
                )
    return settings


@pytest.fixture
def unfunded(app, with_unfunded: Settings, monkeypatch: pytest.MonkeyPatch):
    from dashboard.cache import clear
    from dashboard.state import SETTINGS_KEY

    clear()
    monkeypatch.setitem(app.server.config, SETTINGS_KEY, with_unfunded)
    with app.server.test_request_context("/"):
        yield get_engine(with_unfunded.database_url)


def _listed(href: str) -> int:
    """How many projects the project list holds at ``href`` (its count line, as shown)."""
    from urllib.parse import urlsplit

    from dashboard.pages.projects import serve_rows

    _, count, _ = serve_rows({"startRow": 0, "endRow": 10}, urlsplit(href).query, None)
    return int(re.sub(r"\D", "", count))


def test_every_count_is_the_list_it_links_to(unfunded: Engine) -> None:
    from dashboard.pages.capital import update_sources
    from dashboard.pages.indicators import update_indicators
    from dashboard.pages.overview import update_overview
    from dashboard.pages.themes import update_map, update_theme

    with unfunded.connect() as conn:
        decided = ", ".join(repr(s) for s in DECIDED_STATUSES)
        n_2024 = conn.execute(
            text(f"SELECT count(*) FROM project WHERE decision_year = 2024 AND status IN ({decided})")
        ).scalar_one()
        n_arbete = conn.execute(
            text(
                "SELECT count(*) FROM project p WHERE decision_year = 2024 AND status IN "
                f"({decided}) AND EXISTS (SELECT 1 FROM project_goal pg JOIN goal g ON g.id = pg.goal_id "
                "WHERE pg.project_id = p.id AND g.code = 'arbete')"
            )
        ).scalar_one()
        n_funded = conn.execute(
            text(
                f"SELECT count(DISTINCT p.id) FROM project p JOIN funding f ON f.project_id = p.id "
                f"WHERE decision_year = 2024 AND status IN ({decided})"
            )
        ).scalar_one()
    assert n_funded == n_2024 - 2, "the fixture has two decided projects without funding"

    kpis, _, _, _, _, table, show = update_overview("year=2024")
    assert int(re.sub(r"\D", "", kpi(kpis, "kpi-projects"))) == n_2024 == _listed(show.href)
    links = {c.href: int(re.sub(r"\D", "", _text(c))) for c in _walk(table) if getattr(c, "href", None)}
    assert links, "the goal table links each goal to its projects"
    for href, n in links.items():
        assert n == _listed(href), href
    assert n_arbete in links.values()
    # the capital page's per-goal, per-theme and per-year counts
    for dim in ("goal", "theme", "year"):
        source_table = update_sources("year=2024", dim)[4]
        for c in _walk(source_table):
            if getattr(c, "href", None):
                assert int(re.sub(r"\D", "", _text(c))) == _listed(c.href), (dim, c.href)
    # the indicator page's "Visa N projekt" per goal
    _, sections = update_indicators("year=2024")
    heads = [c for s in sections for c in _walk(s) if str(getattr(c, "id", "")).startswith("goal-projects-")]
    assert heads and all(int(re.sub(r"\D", "", _text(c))) == _listed(c.href) for c in heads)
    # all themes side by side: the projects add up to the KPI
    _, body, _ = update_theme("year=2024")
    rows, footer = table_rows(body)
    assert int(re.sub(r"\D", "", footer[1])) == n_2024 == sum(int(re.sub(r"\D", "", r[1])) for r in rows)
    # the map counts the unfunded projects too (one in Karlskrona, one placed nowhere); a project
    # in two municipalities counts in each, as the list filtered on either shows it
    fig, _, _, whole = update_map("year=2024", "projects")
    status = ",".join(DECIDED_STATUSES)
    for c in fig.data[0].customdata:
        assert int(re.sub(r"\D", "", c[4])) == _listed(f"/projekt?year=2024&municipality={c[1]}&status={status}")
    assert "utan kommun angiven" in whole and whole.replace(NB, " ").endswith("0,0 mnkr, 1 projekt")


def test_a_goals_list_explains_its_whole_projects(ctx) -> None:
    """The goal's slice (its part of shared projects) and its "Visa N projekt" list (whole
    projects): the list says so, names the goal's part, and shows it per project."""
    from dashboard.pages.overview import update_overview
    from dashboard.pages.projects import serve_rows, update_columns

    _, _, donut, _, _, table, _ = update_overview("year=2024")
    slice_label = next(c[2] for c in donut.data[0].customdata if c[1] == "arbete")
    href = next(c.href for c in _walk(table) if "goal=arbete" in str(getattr(c, "href", "")))
    query = href.split("?", 1)[1]
    rows, _, totals = serve_rows({"startRow": 0, "endRow": 500}, query, None)
    data = pd.DataFrame(rows["rowData"])
    # exact: the goal's part of each project's 1:1 grant adds up to the slice's kronor
    exact = next(
        int(v) for v, c in zip(donut.data[0].values, donut.data[0].customdata, strict=True) if c[1] == "arbete"
    )
    assert int(data["goal_granted_sek"].sum()) == exact
    assert int(data["granted_sek"].sum()) > exact, "shared projects are listed with their whole grant"
    shared = data[data["goal_share"] < 100]
    assert not shared.empty
    assert (shared["goal_granted_sek"] < shared["granted_sek"]).all()
    # the share column is the project's own goal share, the part is that share of its 1:1 grant (±1 kr)
    assert ((data["granted_sek"] * data["goal_share"] / 100 - data["goal_granted_sek"]).abs() <= 1).all()
    note = _text(totals[2])
    assert "hela sin budget" in note and units(note) == units(slice_label)
    fields = [c["field"] for c in update_columns(query, None)]
    assert fields.index("goal_share") == fields.index("goals") + 1 and "goal_granted_sek" in fields
    assert "goal_share" not in [c["field"] for c in update_columns("year=2024", None)]


# --------------------------------------------------------------------------- builders on literal frames


def test_builders_apportion_where_rounding_each_part_would_not_add_up() -> None:
    """24,45 + 0,05 + 0,05 mnkr: rounded one by one the parts show 24,5 + 0,1 + 0,1 = 24,7 under
    a whole of 24,6 (the kartbild's case); the builders show parts that add up to it."""
    from dashboard.figures.allocation import build_goal_donut
    from dashboard.figures.themes import build_pipeline
    from dashboard.i18n import format_mnkr
    from dashboard.transforms import compute_goal_allocation

    amounts = [24_450_000, 50_000, 50_000]
    naive = sum(units(format_mnkr(v)) for v in amounts)
    whole = units(format_mnkr(sum(amounts)))
    assert (naive, whole) == (247, 246)
    pipeline = pd.DataFrame(
        {"status": ["ide", "ansokt", "beviljat"], "projects": [3, 1, 1], "granted_sek": [0, 0, 0], "total_sek": amounts}
    )
    assert sum(units(c[2]) for c in build_pipeline(pipeline).data[0].customdata) == whole
    raw = pd.DataFrame({"goal": ["a", "b", "c"], "granted_sek": amounts, "other_sek": [0, 0, 0], "projects": [1, 1, 1]})
    donut = build_goal_donut(compute_goal_allocation(raw, ["a", "b", "c"]), labels={}, colors={})
    assert sum(units(c[2]) for c in donut.data[0].customdata) == whole == units(donut.layout.annotations[0].text)
    # thirds of a whole: 33,3 + 33,3 + 33,3 would be 99,9 %
    thirds = pd.DataFrame(
        {"goal": ["a", "b", "c"], "granted_sek": [1, 1, 1], "other_sek": [0] * 3, "projects": [1] * 3}
    )
    shares = build_goal_donut(compute_goal_allocation(thirds, ["a", "b", "c"]), labels={}, colors={})
    assert sum(percent_units(c[4]) for c in shares.data[0].customdata) == 1000


def test_report_development_capital_adds_up_to_the_kpi(demo_engine: Engine) -> None:
    """The yearly report's development capital by source leaves out 1:1 (as the KPI does):
    its bars' labels add up to the KPI's label, its kronor to the goals' other capital."""
    from dashboard.exports.report import _source_bar, report_tables
    from dashboard.filters import FilterState
    from dashboard.i18n import format_mnkr
    from dashboard.queries.money import load_money

    for year in (2023, 2024):
        tables = report_tables(demo_engine, year, "sv")
        sources = tables["sources"]
        assert "anslag_1_1" not in set(sources["source"])
        other = int(load_money(demo_engine, FilterState(year_from=year, year_to=year)).iloc[0]["other_sek"])
        assert int(sources["amount_sek"].sum()) == other == int(tables["goals"]["other_sek"].sum())
        bars = _source_bar(sources, "sv").data[0]
        assert sum(units(x) for x in bars.text) == units(format_mnkr(other))
        assert int(tables["themes"]["projects"].sum()) == len(tables["projects"])

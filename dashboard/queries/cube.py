"""The money cube: a summary of ``funding_split`` by project *profile*, built with the
analytics copy (one per data version) and read by :func:`dashboard.queries.money.money_stmt`.

Why: the money sums count distinct projects per group, so they group the split rows
per project first. At a million projects that inner step (a hash over a million keys)
is most of every money query. Many projects are alike in everything a filter or a
grouping can see, though; the cube groups those together.

A profile is the set of projects with equal

- decision year, theme and status (the project filters and groupings),
- set of municipalities (the municipality filter),
- set of sources with money above zero (the source filter),
- set of (goal, source) pairs among their split rows (goal and source groupings and filters).

Every project of a profile then passes or fails each filter together and falls into
the same groups, so per profile the cube keeps the number of projects and the summed
split amounts per (goal, source). Summing amounts and adding up ``n_projects`` over the
profiles of a group gives exactly what grouping the split rows per project gives: the
same kronor and the same distinct-project counts. With the demo data a million
projects make about 240 000 profiles, and the money queries run about four times
faster. ``tests/unit/test_analytics.py`` checks the cube against the database.

``cube_project_money`` holds each project's summed funding for the queries that rank or
list single projects. The tables exist only in the DuckDB copy (:mod:`dashboard.analytics`); the database
itself answers with ``funding_split`` as before, so nothing has to keep them up to date
on import: a new data version gets a new copy with its own cube.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, Select, String, Table, exists, select

from ..filters import FilterState
from ..models import GRANT_SOURCE, Goal, Theme

METADATA = MetaData()

profile = Table(
    "cube_profile",
    METADATA,
    Column("id", BigInteger, primary_key=True),
    Column("decision_year", Integer),
    Column("theme_id", Integer),
    Column("status", String(12)),
    Column("n_projects", BigInteger),
)
split = Table(
    "cube_split",
    METADATA,
    Column("profile_id", BigInteger),
    Column("goal_id", Integer),
    Column("source", String(20)),
    Column("amount_sek", BigInteger),
)
municipality = Table(
    "cube_municipality",
    METADATA,
    Column("profile_id", BigInteger),
    Column("municipality_code", String(4)),
)
source = Table(
    "cube_source",
    METADATA,
    Column("profile_id", BigInteger),
    Column("source", String(20)),
)

project_money = Table(
    "cube_project_money",
    METADATA,
    Column("project_id", BigInteger, primary_key=True),
    Column("granted_sek", BigInteger),
    Column("other_sek", BigInteger),
)
"""Each project's whole 1:1 grant and other capital (projects with funding rows only):
the per-project sums the project list, the top-leverage table and the kartbild rank
and add up, without grouping the funding rows each time."""

count_profile = Table(
    "cube_count_profile",
    METADATA,
    Column("id", BigInteger, primary_key=True),
    Column("decision_year", Integer),
    Column("theme_id", Integer),
    Column("status", String(12)),
    Column("whole_county", Boolean),
    Column("n_projects", BigInteger),
)
"""The count cube: *every* project (with or without funding) by profile of decision year,
theme, status, whole county, set of municipalities, set of sources with money above zero
and set of goals (``project_goal``). Every project of a profile passes each filter
together and counts under the same goals, sources and municipalities, so adding up
``n_projects`` gives the database's distinct-project counts
(:func:`dashboard.queries.money.project_count_stmt`, the municipality map)."""
count_goal = Table("cube_count_goal", METADATA, Column("profile_id", BigInteger), Column("goal_id", Integer))
count_municipality = Table(
    "cube_count_municipality", METADATA, Column("profile_id", BigInteger), Column("municipality_code", String(4))
)
count_source = Table("cube_count_source", METADATA, Column("profile_id", BigInteger), Column("source", String(20)))
count_grant = Table(
    "cube_count_grant",
    METADATA,
    Column("profile_id", BigInteger),
    Column("goal_id", Integer),
    Column("granted_sek", BigInteger),
)
"""Per count profile and split goal: the summed 1:1 parts of ``funding_split``."""
count_place_grant = Table(
    "cube_count_place_grant",
    METADATA,
    Column("profile_id", BigInteger),
    Column("municipality_code", String(4)),
    Column("goal_id", Integer),
    Column("granted_bp", BigInteger),
)
"""Per count profile, municipality and split goal: the summed 1:1 parts × municipality share
(basis-point kronor, as the municipality map sums them)."""

# DuckDB SQL over the copied tables; run by the copy's writer after the tables are in.
BUILD_SQL = [
    """
    CREATE TEMP TABLE cube_key AS
    WITH pairs AS (
        SELECT project_id,
               string_agg(DISTINCT coalesce(goal_id, 0)::VARCHAR || ':' || source, ','
                          ORDER BY coalesce(goal_id, 0)::VARCHAR || ':' || source) AS pairs
        FROM funding_split GROUP BY project_id
    ), places AS (
        SELECT project_id, string_agg(DISTINCT municipality_code, ',' ORDER BY municipality_code) AS places
        FROM project_municipality GROUP BY project_id
    ), sources AS (
        SELECT project_id, string_agg(DISTINCT source, ',' ORDER BY source) AS sources
        FROM funding WHERE amount_sek > 0 GROUP BY project_id
    )
    SELECT p.id AS project_id, p.decision_year, p.theme_id, p.status,
           dense_rank() OVER (ORDER BY p.decision_year, p.theme_id, p.status,
                                       places.places, sources.sources, pairs.pairs) AS profile_id
    FROM project p
    JOIN pairs ON pairs.project_id = p.id
    LEFT JOIN places ON places.project_id = p.id
    LEFT JOIN sources ON sources.project_id = p.id
    """,
    """
    CREATE TABLE cube_profile AS
    SELECT profile_id AS id, any_value(decision_year) AS decision_year, any_value(theme_id) AS theme_id,
           any_value(status) AS status, count(*) AS n_projects
    FROM cube_key GROUP BY profile_id
    """,
    """
    CREATE TABLE cube_split AS
    SELECT k.profile_id, s.goal_id, s.source, CAST(sum(s.amount_sek) AS BIGINT) AS amount_sek
    FROM funding_split s JOIN cube_key k ON k.project_id = s.project_id
    GROUP BY k.profile_id, s.goal_id, s.source
    """,
    """
    CREATE TABLE cube_municipality AS
    SELECT DISTINCT k.profile_id, pm.municipality_code
    FROM project_municipality pm JOIN cube_key k ON k.project_id = pm.project_id
    """,
    """
    CREATE TABLE cube_source AS
    SELECT DISTINCT k.profile_id, f.source
    FROM funding f JOIN cube_key k ON k.project_id = f.project_id
    WHERE f.amount_sek > 0
    """,
    "DROP TABLE cube_key",
    f"""
    CREATE TABLE cube_project_money AS
    SELECT project_id,
           CAST(sum(CASE WHEN source = '{GRANT_SOURCE}' THEN amount_sek ELSE 0 END) AS BIGINT) AS granted_sek,
           CAST(sum(CASE WHEN source <> '{GRANT_SOURCE}' THEN amount_sek ELSE 0 END) AS BIGINT) AS other_sek
    FROM funding GROUP BY project_id
    """,
    """
    CREATE TEMP TABLE count_key AS
    WITH goals AS (
        SELECT project_id, string_agg(DISTINCT goal_id::VARCHAR, ',' ORDER BY goal_id::VARCHAR) AS goals
        FROM project_goal GROUP BY project_id
    ), places AS (
        SELECT project_id, string_agg(DISTINCT municipality_code, ',' ORDER BY municipality_code) AS places
        FROM project_municipality GROUP BY project_id
    ), sources AS (
        SELECT project_id, string_agg(DISTINCT source, ',' ORDER BY source) AS sources
        FROM funding WHERE amount_sek > 0 GROUP BY project_id
    )
    SELECT p.id AS project_id, p.decision_year, p.theme_id, p.status, p.whole_county,
           dense_rank() OVER (ORDER BY p.decision_year, p.theme_id, p.status, p.whole_county,
                                       places.places, sources.sources, goals.goals) AS profile_id
    FROM project p
    LEFT JOIN goals ON goals.project_id = p.id
    LEFT JOIN places ON places.project_id = p.id
    LEFT JOIN sources ON sources.project_id = p.id
    """,
    """
    CREATE TABLE cube_count_profile AS
    SELECT profile_id AS id, any_value(decision_year) AS decision_year, any_value(theme_id) AS theme_id,
           any_value(status) AS status, any_value(whole_county) AS whole_county, count(*) AS n_projects
    FROM count_key GROUP BY profile_id
    """,
    """
    CREATE TABLE cube_count_goal AS
    SELECT DISTINCT k.profile_id, g.goal_id
    FROM project_goal g JOIN count_key k ON k.project_id = g.project_id
    """,
    """
    CREATE TABLE cube_count_municipality AS
    SELECT DISTINCT k.profile_id, pm.municipality_code
    FROM project_municipality pm JOIN count_key k ON k.project_id = pm.project_id
    """,
    """
    CREATE TABLE cube_count_source AS
    SELECT DISTINCT k.profile_id, f.source
    FROM funding f JOIN count_key k ON k.project_id = f.project_id
    WHERE f.amount_sek > 0
    """,
    f"""
    CREATE TABLE cube_count_grant AS
    SELECT k.profile_id, s.goal_id, sum(s.amount_sek) AS granted_sek
    FROM funding_split s JOIN count_key k ON k.project_id = s.project_id
    WHERE s.source = '{GRANT_SOURCE}'
    GROUP BY k.profile_id, s.goal_id
    """,
    f"""
    CREATE TABLE cube_count_place_grant AS
    SELECT k.profile_id, pm.municipality_code, s.goal_id, sum(s.amount_sek * pm.share_bp) AS granted_bp
    FROM funding_split s
    JOIN count_key k ON k.project_id = s.project_id
    JOIN project_municipality pm ON pm.project_id = s.project_id
    WHERE s.source = '{GRANT_SOURCE}'
    GROUP BY k.profile_id, pm.municipality_code, s.goal_id
    """,
    "DROP TABLE count_key",
]


def apply_filters(stmt: Select, f: FilterState) -> Select:
    """The profile-level filters of ``f`` (years, themes, statuses, municipalities,
    sources) on ``stmt``, which selects from :data:`profile` — as
    :func:`dashboard.queries.common.apply_project_filters` does on ``project``.
    The goal filter is not applied here: it restricts split rows."""
    if f.year_from is not None:
        stmt = stmt.where(profile.c.decision_year >= f.year_from)
    if f.year_to is not None:
        stmt = stmt.where(profile.c.decision_year <= f.year_to)
    if f.theme:
        stmt = stmt.where(profile.c.theme_id.in_(select(Theme.id).where(Theme.code.in_(f.theme))))
    if f.status:
        stmt = stmt.where(profile.c.status.in_(f.status))
    if f.municipality:
        stmt = stmt.where(
            exists().where(
                municipality.c.profile_id == profile.c.id, municipality.c.municipality_code.in_(f.municipality)
            )
        )
    if f.source:
        stmt = stmt.where(exists().where(source.c.profile_id == profile.c.id, source.c.source.in_(f.source)))
    return stmt


def apply_count_filters(stmt: Select, f: FilterState) -> Select:
    """Every filter of ``f`` on ``stmt``, which selects from :data:`count_profile` — as
    :func:`dashboard.queries.common.apply_project_filters` does on ``project`` (the goal
    filter keeps profiles with one of the chosen goals)."""
    p = count_profile.c
    if f.year_from is not None:
        stmt = stmt.where(p.decision_year >= f.year_from)
    if f.year_to is not None:
        stmt = stmt.where(p.decision_year <= f.year_to)
    if f.theme:
        stmt = stmt.where(p.theme_id.in_(select(Theme.id).where(Theme.code.in_(f.theme))))
    if f.status:
        stmt = stmt.where(p.status.in_(f.status))
    if f.municipality:
        cm = count_municipality.alias("f_municipality")  # the outer statement may join the same table
        stmt = stmt.where(exists().where(cm.c.profile_id == p.id, cm.c.municipality_code.in_(f.municipality)))
    if f.goal:
        cg = count_goal.alias("f_goal")
        stmt = stmt.where(
            exists().where(cg.c.profile_id == p.id, cg.c.goal_id.in_(select(Goal.id).where(Goal.code.in_(f.goal))))
        )
    if f.source:
        cs = count_source.alias("f_source")
        stmt = stmt.where(exists().where(cs.c.profile_id == p.id, cs.c.source.in_(f.source)))
    return stmt

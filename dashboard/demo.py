"""Deterministic demo data on the real strategy tree.

Everything generated here is fictional (references start with ``DEMO-``,
``is_demo`` is set) and the UI says so. With the default size (regional
scale, at most :data:`CALIBRATION_MAX_PROJECTS` projects) the 1:1 grants
decided in 2024 add up per goal to exactly the region's published 2024
picture (:data:`CALIBRATION_2024`). Larger sizes (``--projects 1000000``) are
for scale tests: they keep the shape but not the calibration.

The generator is vectorised with numpy so a million projects build in well
under the three minutes the benchmark allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from .config import Settings
from .db import bulk_insert, bulk_load
from .models import (
    FUNDING_SOURCES,
    SHARE_SCALE,
    AuditEvent,
    BudgetFrame,
    Funding,
    FundingSplit,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Municipality,
    Organisation,
    Priority,
    Project,
    ProjectGoal,
    ProjectMunicipality,
    ProjectPriority,
    ProjectResult,
    Theme,
    ThemePriority,
)
from .splits import refresh_funding_splits

CALIBRATION_YEAR = 2024
CALIBRATION_2024: dict[str, int] = {
    "attraktivitet": 1_100_000,
    "klimat": 3_100_000,
    "halsa": 600_000,
    "arbete": 7_100_000,
    "konkurrenskraft": 12_300_000,
    "naringsliv": 100_000,
}
"""1:1 grants decided in 2024 per goal, in kronor (DESIGN.md §5): 24,3 mnkr in all."""

CALIBRATION_MAX_PROJECTS = 2_000
DEFAULT_PROJECTS = 250
DEFAULT_SEED = 2024

# Number of single-goal projects per goal in the calibrated 2024 cohort, and
# two multi-goal projects: (goal a, goal b, share a in bp, 1:1 grant).
_COHORT_COUNTS = {"attraktivitet": 3, "klimat": 4, "halsa": 2, "arbete": 6, "konkurrenskraft": 8, "naringsliv": 1}
_COHORT_MULTI = [("klimat", "konkurrenskraft", 5_000, 600_000), ("arbete", "konkurrenskraft", 7_000, 1_000_000)]
COHORT_SIZE = sum(_COHORT_COUNTS.values()) + len(_COHORT_MULTI)

# Typical leverage (other capital per krona of 1:1) per goal.
_LEVERAGE = {
    "attraktivitet": 1.6,
    "klimat": 2.8,
    "halsa": 1.5,
    "arbete": 2.0,
    "konkurrenskraft": 2.4,
    "naringsliv": 3.0,
}

# Typical size of a 1:1 grant per goal, relative (keeps the yearly mix close to the 2024 picture).
_GRANT_SCALE = {
    "attraktivitet": 0.5,
    "klimat": 1.3,
    "halsa": 0.5,
    "arbete": 1.5,
    "konkurrenskraft": 1.9,
    "naringsliv": 0.4,
}

# Priorities nobody works on in the demo (white spots), and ones only planned projects address.
WHITE_SPOTS = (
    "klim-hamnar",
    "klim-mangfald",
    "hals-jamlik",
    "arb-hogskola",
    "konk-export",
    "konk-gron",
    "attr-elitidrott",
    "attr-service",
)
ONLY_PLANNED = ("klim-cirkular", "attr-bostader", "nar-kapital")

_OTHER_SOURCES = [s for s in FUNDING_SOURCES if s != "anslag_1_1"]
# Dirichlet weights over _OTHER_SOURCES per theme (eruf, esf, interreg, state, municipalities,
# region_other, academia, private, other).
_SOURCE_MIX = {
    "energi": [3.0, 0.1, 0.8, 2.0, 0.8, 0.3, 0.6, 2.5, 0.2],
    "kompetens": [0.3, 3.0, 0.3, 1.0, 2.0, 0.5, 1.2, 0.6, 0.3],
    "innovation": [3.0, 0.2, 1.0, 1.5, 0.5, 0.4, 2.0, 2.0, 0.2],
    "digitalisering": [2.0, 0.5, 0.5, 1.5, 1.5, 0.5, 0.8, 1.2, 0.3],
    "transport": [1.5, 0.1, 1.5, 3.0, 2.0, 0.5, 0.2, 0.5, 0.3],
    "folkhalsa": [0.2, 1.5, 0.5, 1.0, 2.5, 1.5, 0.8, 0.3, 0.8],
    "kultur": [0.3, 0.3, 0.8, 1.5, 2.5, 1.5, 0.2, 0.8, 1.0],
    "besoksnaring": [1.5, 0.2, 1.0, 0.8, 2.0, 0.8, 0.2, 2.0, 0.5],
    "attraktivitet": [0.8, 0.3, 0.5, 1.5, 3.0, 1.0, 0.3, 1.0, 0.5],
    "naringsliv": [2.0, 0.3, 0.5, 1.5, 1.5, 0.5, 0.5, 3.0, 0.3],
}
_THEME_WEIGHT = {
    "energi": 1.4,
    "kompetens": 1.5,
    "innovation": 1.5,
    "digitalisering": 1.0,
    "transport": 0.8,
    "folkhalsa": 0.6,
    "kultur": 0.7,
    "besoksnaring": 0.8,
    "attraktivitet": 0.8,
    "naringsliv": 1.0,
}
_TITLE_WORDS = {
    "energi": ["Solkraft", "Vätgas", "Energilyft", "Smarta nät", "Havsvind", "Energieffektiv industri"],
    "kompetens": ["Kompetenslyft", "Yrkesvägen", "Matchning", "Valideringsspår", "Lärlingsbryggan", "Omställning"],
    "innovation": ["Testbädd", "Innovationsslussen", "Smart industri", "Marin innovation", "Acceleratorn"],
    "digitalisering": ["Digitalt lyft", "Bredband landsbygd", "Digital vård", "Data för alla", "AI-verkstaden"],
    "transport": ["Pendlarstråk", "Hamnlogistik", "Cykelstråk", "Kollektivt resande", "Godsnod"],
    "folkhalsa": ["Unga i rörelse", "Hälsolyftet", "Psykisk hälsa", "Aktiv fritid", "Tidiga insatser"],
    "kultur": ["Kulturkraft", "Scen för unga", "Konstnärsallians", "Mötesplats kultur", "Läslust"],
    "besoksnaring": ["Året runt", "Skärgårdsupplevelser", "Leden", "Destinationslyftet", "Matlandet"],
    "attraktivitet": ["Bo i Blekinge", "Unga platsbyggare", "Levande centrum", "Gröna livsmiljöer", "Trygga byar"],
    "naringsliv": ["Starta eget", "Etableringslyftet", "Växtkraft", "Företagsbryggan", "Kapitalnätverket"],
}
_TITLE_SUFFIX = [
    "Blekinge",
    "Östra Blekinge",
    "Västra Blekinge",
    "2.0",
    "i skärgården",
    "för SMF",
    "steg 2",
    "i samverkan",
]
_MEASURES = {
    "energi": ("Installerad förnybar effekt", "kW"),
    "kompetens": ("Deltagare i kompetensinsatser", "personer"),
    "innovation": ("Företag som fått innovationsstöd", "företag"),
    "digitalisering": ("Digitala tjänster i drift", "tjänster"),
    "transport": ("Nya resor med hållbara färdmedel", "resor/år"),
    "folkhalsa": ("Barn och unga som nåtts", "personer"),
    "kultur": ("Besökare i kulturaktiviteter", "besökare"),
    "besoksnaring": ("Nya gästnätter", "nätter"),
    "attraktivitet": ("Nya bostäder i planeringen", "bostäder"),
    "naringsliv": ("Nystartade företag", "företag"),
}

_ORGANISATIONS: list[tuple[str, str, str | None]] = [
    ("Olofströms kommun", "municipality", "1060"),
    ("Karlskrona kommun", "municipality", "1080"),
    ("Ronneby kommun", "municipality", "1081"),
    ("Karlshamns kommun", "municipality", "1082"),
    ("Sölvesborgs kommun", "municipality", "1083"),
    ("Region Blekinge", "region", None),
    ("Blekinge tekniska högskola", "university", None),
    ("Länsstyrelsen Blekinge", "state_agency", None),
    ("Tillväxtverket", "state_agency", None),
    ("Energimyndigheten", "state_agency", None),
    ("Trafikverket", "state_agency", None),
    ("Arbetsförmedlingen", "state_agency", None),
    ("Europeiska regionala utvecklingsfonden (ERUF)", "eu_programme", None),
    ("Europeiska socialfonden+ (ESF+)", "eu_programme", None),
    ("Interreg Södra Östersjön", "eu_programme", None),
    ("Demo Energi AB", "company", None),
    ("Demo Marin Teknik AB", "company", None),
    ("Demo Logistik AB", "company", None),
    ("Demo Besök & Upplevelse AB", "company", None),
    ("Demo Science Park", "association", None),
    ("Demo Företagarförening", "association", None),
    ("Demo Idrottsförbund", "association", None),
    ("Demo Kulturförening", "association", None),
    ("Övriga finansiärer", "other", None),
]
# Owners by index into _ORGANISATIONS (projects are owned by municipalities, the region, BTH, associations, companies).
_OWNER_IDX = [0, 1, 2, 3, 4, 5, 6, 7, 15, 16, 17, 18, 19, 20, 21, 22]
_FINANCIER_IDX = {
    "eruf": 12,
    "esf": 13,
    "interreg": 14,
    "state": 8,
    "region_other": 5,
    "academia": 6,
    "private": 15,
    "other": 23,
}

MUNICIPALITY_CODES = ("1060", "1080", "1081", "1082", "1083")
AREA_RIKET = "0000"
AREA_REGION = "0010"


@dataclass(frozen=True)
class DemoReport:
    """What a demo build wrote."""

    projects: int
    funding_rows: int
    indicator_values: int
    calibrated: bool


@dataclass(frozen=True)
class _Vocab:
    themes: list[str]
    theme_ids: dict[str, int]
    goal_ids: dict[str, int]
    priority_goal: dict[str, str]
    priority_ids: dict[str, int]
    theme_priorities: dict[str, list[str]]


def _load_vocab(conn: Connection) -> _Vocab:
    themes = [c for (c,) in conn.execute(select(Theme.code).order_by(Theme.sort))]
    theme_ids = dict(conn.execute(select(Theme.code, Theme.id)).all())
    goal_ids = dict(conn.execute(select(Goal.code, Goal.id)).all())
    prio = conn.execute(select(Priority.code, Priority.id, Goal.code).join(Goal, Goal.id == Priority.goal_id)).all()
    tp = conn.execute(
        select(Theme.code, Priority.code)
        .join(ThemePriority, ThemePriority.theme_id == Theme.id)
        .join(Priority, Priority.id == ThemePriority.priority_id)
        .order_by(Theme.sort, Priority.goal_id, Priority.sort)
    ).all()
    theme_priorities: dict[str, list[str]] = {t: [] for t in themes}
    for t, p in tp:
        theme_priorities[t].append(p)
    return _Vocab(
        themes=themes,
        theme_ids=theme_ids,
        goal_ids=goal_ids,
        priority_goal={p: g for p, _, g in prio},
        priority_ids={p: i for p, i, _ in prio},
        theme_priorities=theme_priorities,
    )


def _eligible(vocab: _Vocab, theme: str, planned: bool) -> list[str]:
    """Priorities a demo project of ``theme`` may address."""
    out = [p for p in vocab.theme_priorities[theme] if p not in WHITE_SPOTS]
    if not planned:
        out = [p for p in out if p not in ONLY_PLANNED]
    return out or [p for p in vocab.theme_priorities[theme] if p not in WHITE_SPOTS][:1]


# --------------------------------------------------------------------------- project plans


def _days(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def _random_plan(rng: np.random.Generator, m: int, vocab: _Vocab, ref: date, *, skip_year: int | None) -> pd.DataFrame:
    """Vectorised plan of ``m`` random projects (one row each)."""
    themes = vocab.themes
    weights = np.array([_THEME_WEIGHT.get(t, 1.0) for t in themes])
    theme_idx = rng.choice(len(themes), size=m, p=weights / weights.sum())
    kind = rng.choice(3, size=m, p=[0.80, 0.15, 0.05])  # 0 decided, 1 pipeline, 2 rejected
    planned = kind == 1

    ref_d = _days(ref)
    years = np.array([y for y in range(2019, ref.year + 1) if y != skip_year])
    year = rng.choice(years, size=m)
    year_start = np.array([_days(date(int(y), 1, 1)) for y in years])
    ys = year_start[np.searchsorted(years, year)]
    year_len = np.where(year == ref.year, ref_d - _days(date(ref.year, 1, 1)), 365)
    decision = ys + (rng.random(m) * year_len).astype(np.int64)
    start = decision + rng.integers(14, 120, size=m)
    pipeline_start = ref_d + rng.integers(30, 1300, size=m)
    start = np.where(planned, pipeline_start, start)
    end = start + rng.integers(180, 1100, size=m)

    status = np.empty(m, dtype=object)
    status[kind == 2] = "avslag"
    status[planned] = np.where(rng.random(int(planned.sum())) < 0.5, "ide", "ansokt")
    dec = kind == 0
    status[dec & (start > ref_d)] = "beviljat"
    status[dec & (start <= ref_d) & (end >= ref_d)] = "pagaende"
    status[dec & (end < ref_d)] = "avslutat"
    aborted = dec & (start <= ref_d) & (rng.random(m) < 0.03)
    status[aborted] = "avbrutet"
    decision_day = np.where(planned, -1, decision)

    # Priorities: one or two from the theme's eligible list.
    prio1 = np.empty(m, dtype=object)
    prio2 = np.empty(m, dtype=object)
    u1, u2 = rng.random(m), rng.random(m)
    two = rng.random(m) < 0.25
    for ti, theme in enumerate(themes):
        for is_planned in (False, True):
            mask = (theme_idx == ti) & (planned == is_planned)
            if not mask.any():
                continue
            el = np.array(_eligible(vocab, theme, is_planned), dtype=object)
            prio1[mask] = el[(u1[mask] * len(el)).astype(int)]
            prio2[mask] = el[(u2[mask] * len(el)).astype(int)]
    prio2 = np.where(two & (prio2 != prio1), prio2, None)

    goal_scale = np.array([_GRANT_SCALE.get(vocab.priority_goal.get(p, ""), 1.0) for p in prio1])
    grant = np.maximum(50_000, np.round(rng.lognormal(np.log(600_000), 0.7, size=m) * goal_scale, -4)).astype(np.int64)
    return pd.DataFrame(
        {
            "theme": np.array(themes, dtype=object)[theme_idx],
            "prio1": prio1,
            "prio2": prio2,
            "share1": np.where(rng.random(m) < 0.5, 5_000, 6_000),
            "status": status,
            "decision_day": decision_day,
            "start_day": start,
            "end_day": end,
            "grant": grant,
        }
    )


def _calibrated_plan(rng: np.random.Generator, vocab: _Vocab, ref: date) -> pd.DataFrame:
    """The 2024 cohort whose 1:1 grants hit :data:`CALIBRATION_2024` per goal exactly."""
    by_goal: dict[str, list[tuple[str, str]]] = {g: [] for g in CALIBRATION_2024}
    for theme in vocab.themes:
        for p in _eligible(vocab, theme, planned=False):
            by_goal[vocab.priority_goal[p]].append((theme, p))
    rows: list[dict] = []

    def add(goal_a: str, goal_b: str | None, share_a: int, grant: int) -> None:
        theme, p1 = by_goal[goal_a][int(rng.integers(len(by_goal[goal_a])))]
        p2 = None
        if goal_b:
            same_theme = [p for t, p in by_goal[goal_b] if t == theme]
            p2 = same_theme[0] if same_theme else by_goal[goal_b][int(rng.integers(len(by_goal[goal_b])))][1]
        decision = _days(date(CALIBRATION_YEAR, 1, 15)) + int(rng.integers(0, 330))
        start = decision + int(rng.integers(14, 90))
        rows.append(
            {
                "theme": theme,
                "prio1": p1,
                "prio2": p2,
                "share1": share_a if goal_b else SHARE_SCALE,
                "status": None,
                "decision_day": decision,
                "start_day": start,
                "end_day": start + int(rng.integers(300, 1100)),
                "grant": grant,
            }
        )

    remaining = dict(CALIBRATION_2024)
    for goal_a, goal_b, share_a, grant in _COHORT_MULTI:
        add(goal_a, goal_b, share_a, grant)
        remaining[goal_a] -= grant * share_a // SHARE_SCALE
        remaining[goal_b] -= grant * (SHARE_SCALE - share_a) // SHARE_SCALE
    for goal, n in _COHORT_COUNTS.items():
        total = remaining[goal]
        weights = rng.dirichlet(np.full(n, 3.0))
        parts = (np.floor(total * weights / 10_000) * 10_000).astype(np.int64)
        parts[-1] = total - parts[:-1].sum()
        for amount in parts:
            add(goal, None, SHARE_SCALE, int(amount))
    plan = pd.DataFrame(rows)
    ref_d = _days(ref)
    plan["status"] = np.where(
        plan["end_day"] < ref_d, "avslutat", np.where(plan["start_day"] > ref_d, "beviljat", "pagaende")
    )
    plan["share1"] = np.where(plan["prio2"].isna(), SHARE_SCALE, plan["share1"])
    return plan


# --------------------------------------------------------------------------- rows


def _to_date(day: np.ndarray) -> list[date | None]:
    out = np.array(day, dtype="datetime64[D]").astype(object)
    return [None if d < 0 else v for d, v in zip(day, out, strict=True)]


def _insert(conn: Connection, table, rows: list[dict]) -> None:  # noqa: ANN001
    """Insert ``rows`` (dicts with the same keys) in the connection's transaction."""
    if rows:
        bulk_insert(conn, table, list(rows[0]), ([row[c] for c in rows[0]] for row in rows))


def _build_projects(
    conn: Connection, rng: np.random.Generator, plan: pd.DataFrame, vocab: _Vocab, org_ids: list[int], ref: date
) -> tuple[int, int]:
    """Insert projects, goals, priorities, municipalities, funding and results for ``plan``."""
    n = len(plan)
    goal1 = plan["prio1"].map(vocab.priority_goal).to_numpy(dtype=object)
    goal2 = plan["prio2"].map(lambda p: vocab.priority_goal.get(p) if p else None).to_numpy(dtype=object)
    multi = pd.notna(goal2) & (goal2 != goal1)
    share1 = np.where(multi, plan["share1"].to_numpy(), SHARE_SCALE)

    decision_day = plan["decision_day"].to_numpy()
    decision = _to_date(decision_day)
    starts = _to_date(plan["start_day"].to_numpy())
    ends = _to_date(plan["end_day"].to_numpy())
    decided_year = np.where(
        decision_day >= 0, np.array(decision_day, dtype="datetime64[D]").astype("datetime64[Y]").astype(int) + 1970, 0
    )
    year_for_ref = np.where(
        decided_year > 0,
        decided_year,
        np.array(plan["start_day"].to_numpy(), dtype="datetime64[D]").astype("datetime64[Y]").astype(int) + 1970,
    )

    themes = plan["theme"].to_numpy(dtype=object)
    w1 = rng.integers(0, 1_000, size=n)
    owners = np.array(org_ids, dtype=np.int64)[np.array(_OWNER_IDX)[w1 % len(_OWNER_IDX)]]
    suffix = np.array(_TITLE_SUFFIX, dtype=object)[rng.integers(0, len(_TITLE_SUFFIX), size=n)]
    word_pick = rng.integers(0, 100, size=n)
    status = plan["status"].to_numpy(dtype=object)
    grant = plan["grant"].to_numpy(dtype=np.int64)
    whole = rng.random(n) < 0.3

    first_id = (conn.execute(select(func.max(Project.id))).scalar() or 0) + 1
    ids = np.arange(first_id, first_id + n)
    seq: dict[int, int] = {}
    proj_rows: list[dict] = []
    for i in range(n):
        y = int(year_for_ref[i])
        seq[y] = seq.get(y, 0) + 1
        theme = themes[i]
        words = _TITLE_WORDS.get(theme, ["Utvecklingsprojekt"])
        title = f"{words[word_pick[i] % len(words)]} {suffix[i]}"
        measure = _MEASURES.get(theme, ("Resultat", None))[0].lower()
        proj_rows.append(
            {
                "id": int(ids[i]),
                "reference": f"DEMO-{y}-{seq[y]:06d}",
                "title": title,
                "owner_id": int(owners[i]),
                "theme_id": vocab.theme_ids[theme],
                "status": status[i],
                "decision_date": decision[i],
                "decision_year": int(decided_year[i]) or None,
                "start_date": starts[i],
                "end_date": ends[i],
                "description": f"Fiktivt demoprojekt inom {theme}: {title}.",
                "expected_results": f"Ökat antal {measure} i Blekinge.",
                "whole_county": bool(whole[i]),
                "is_demo": True,
            }
        )
    _insert(conn, Project.__table__, proj_rows)
    del proj_rows

    # Goals (shares sum to SHARE_SCALE) and priorities.
    goal_rows = [
        {"project_id": int(ids[i]), "goal_id": vocab.goal_ids[goal1[i]], "share_bp": int(share1[i])} for i in range(n)
    ]
    goal_rows += [
        {"project_id": int(ids[i]), "goal_id": vocab.goal_ids[goal2[i]], "share_bp": int(SHARE_SCALE - share1[i])}
        for i in np.flatnonzero(multi)
    ]
    _insert(conn, ProjectGoal.__table__, goal_rows)
    prio1, prio2 = plan["prio1"].to_numpy(dtype=object), plan["prio2"].to_numpy(dtype=object)
    prio_rows = [{"project_id": int(ids[i]), "priority_id": vocab.priority_ids[prio1[i]]} for i in range(n)]
    prio_rows += [
        {"project_id": int(ids[i]), "priority_id": vocab.priority_ids[prio2[i]]}
        for i in np.flatnonzero(pd.notna(prio2) & (prio2 != prio1))
    ]
    _insert(conn, ProjectPriority.__table__, prio_rows)
    del goal_rows, prio_rows

    # Municipalities: whole county, or one or two municipalities (50/50).
    mun = np.array(MUNICIPALITY_CODES, dtype=object)
    m1 = rng.integers(0, len(mun), size=n)
    m2 = (m1 + rng.integers(1, len(mun), size=n)) % len(mun)
    two_mun = (~whole) & (rng.random(n) < 0.2)
    mun_rows = [
        {"project_id": int(ids[i]), "municipality_code": mun[m1[i]], "share_bp": 5_000 if two_mun[i] else SHARE_SCALE}
        for i in np.flatnonzero(~whole)
    ]
    mun_rows += [
        {"project_id": int(ids[i]), "municipality_code": mun[m2[i]], "share_bp": 5_000} for i in np.flatnonzero(two_mun)
    ]
    _insert(conn, ProjectMunicipality.__table__, mun_rows)
    del mun_rows

    # Funding: the 1:1 grant plus other capital split over sources (exact to the krona).
    lev_base = np.array([_LEVERAGE[g] for g in goal1])
    leverage = np.clip(lev_base + rng.normal(0, 0.45, size=n), 1.0, 5.5)
    other = (np.round(grant * leverage / 1_000) * 1_000).astype(np.int64)
    alphas = np.array([_SOURCE_MIX.get(t, [1.0] * len(_OTHER_SOURCES)) for t in themes])
    w = rng.gamma(alphas)
    # A project has one to four other financiers: keep the largest weights only.
    keep = rng.integers(1, 5, size=n)
    rank = np.argsort(np.argsort(-w, axis=1), axis=1)
    w = np.where(rank < keep[:, None], w, 0.0)
    w /= w.sum(axis=1, keepdims=True)
    parts = (np.floor(other[:, None] * w / 1_000) * 1_000).astype(np.int64)
    parts[np.arange(n), parts.argmax(axis=1)] += other - parts.sum(axis=1)
    fin_ids = {s: org_ids[i] for s, i in _FINANCIER_IDX.items()}
    mun_org = {code: org_ids[i] for i, code in enumerate(MUNICIPALITY_CODES)}
    fund_rows = [
        {"project_id": int(ids[i]), "source": "anslag_1_1", "financier_id": org_ids[5], "amount_sek": int(grant[i])}
        for i in range(n)
    ]
    nz_i, nz_j = np.nonzero(parts > 0)
    for i, j in zip(nz_i, nz_j, strict=True):
        source = _OTHER_SOURCES[j]
        financier = mun_org[mun[m1[i]]] if source == "municipalities" and not whole[i] else fin_ids.get(source)
        fund_rows.append(
            {"project_id": int(ids[i]), "source": source, "financier_id": financier, "amount_sek": int(parts[i, j])}
        )
    n_funding = len(fund_rows)
    _insert(conn, Funding.__table__, fund_rows)
    del fund_rows

    # One result per project: planned, and achieved for running/finished ones.
    planned_v = np.round(rng.lognormal(np.log(40), 0.8, size=n))
    progress = np.where(
        status == "avslutat",
        rng.uniform(0.6, 1.2, size=n),
        np.where(status == "pagaende", rng.uniform(0.1, 0.7, size=n), np.nan),
    )
    achieved = np.round(planned_v * progress)
    res_rows = [
        {
            "project_id": int(ids[i]),
            "measure": _MEASURES.get(themes[i], ("Resultat", None))[0],
            "unit": _MEASURES.get(themes[i], ("Resultat", None))[1],
            "planned": float(planned_v[i]),
            "achieved": None if np.isnan(achieved[i]) else float(achieved[i]),
        }
        for i in range(n)
    ]
    _insert(conn, ProjectResult.__table__, res_rows)
    return n, n_funding


# --------------------------------------------------------------------------- indicators and frames

# (code, kolada kpi, name, unit, goal, higher is better, Riket 2012, yearly trend, Blekinge offset, 2030 target)
_INDICATORS: list[tuple[str, str | None, str, str, str, bool, float, float, float, float]] = [
    ("N01951", "N01951", "Invånare totalt, antal", "antal", "attraktivitet", True, 9_555_893, 95_000, 0, 162_000),
    (
        "unga-kvar",
        None,
        "Unga 20–29 år som bor kvar i länet fem år senare, andel (%)",
        "%",
        "attraktivitet",
        True,
        62.0,
        0.1,
        -4.0,
        62.0,
    ),
    (
        "vaxthusgas",
        None,
        "Utsläpp av växthusgaser, ton CO2e per invånare",
        "ton/inv",
        "klimat",
        False,
        5.9,
        -0.18,
        0.4,
        3.0,
    ),
    ("fornybar-el", None, "Andel förnybar elproduktion (%)", "%", "klimat", True, 55.0, 1.4, -10.0, 85.0),
    (
        "god-halsa",
        None,
        "Invånare 16–84 år med bra självskattad hälsa, andel (%)",
        "%",
        "halsa",
        True,
        71.0,
        0.15,
        -2.0,
        74.0,
    ),
    (
        "N00914",
        "N00914",
        "Invånare 20–64 år som förvärvsarbetar, andel (%)",
        "%",
        "arbete",
        True,
        78.5,
        0.25,
        -3.5,
        80.0,
    ),
    (
        "N01982",
        "N01982",
        "Invånare 25–64 år med eftergymnasial utbildning, andel (%)",
        "%",
        "arbete",
        True,
        40.5,
        0.7,
        -7.0,
        45.0,
    ),
    (
        "grp-sysselsatt",
        None,
        "Bruttoregionprodukt per sysselsatt (tkr)",
        "tkr",
        "konkurrenskraft",
        True,
        780.0,
        19.0,
        -70.0,
        1_000.0,
    ),
    (
        "fou-foretag",
        None,
        "Företag med FoU-verksamhet per 1 000 företag",
        "antal",
        "konkurrenskraft",
        True,
        11.0,
        0.2,
        -1.5,
        14.0,
    ),
    (
        "nyforetagande",
        None,
        "Nystartade företag per 1 000 invånare 16–64 år",
        "antal",
        "naringsliv",
        True,
        11.0,
        0.05,
        -2.5,
        11.0,
    ),
]
_MUNI_SCALE = {"1060": 0.062, "1080": 0.418, "1081": 0.183, "1082": 0.205, "1083": 0.132}
_BLEKINGE_POP_2012 = 152_757


def _indicator_rows(rng: np.random.Generator, conn: Connection, last_year: int) -> tuple[int, int]:
    years = np.arange(2012, last_year + 1)
    n_values = 0
    for code, kpi, name, unit, goal, higher, riket0, trend, offset, target in _INDICATORS:
        goal_id = conn.execute(select(Goal.id).where(Goal.code == goal)).scalar_one()
        ind_id = conn.execute(
            insert(Indicator).values(
                code=code,
                kolada_kpi=kpi,
                name_sv=name,
                unit=unit,
                goal_id=goal_id,
                higher_is_better=higher,
                source="Kolada (demovärden)" if kpi else "SCB (demovärden)",
                is_demo=True,
            )
        ).inserted_primary_key[0]
        rows: list[dict] = []
        t = years - 2012
        if code == "N01951":
            riket = riket0 + trend * t
            region = _BLEKINGE_POP_2012 + np.cumsum(rng.normal(150, 350, size=len(years)))
            series = {AREA_RIKET: riket, AREA_REGION: region}
            for m, s in _MUNI_SCALE.items():
                series[m] = region * s * (1 + rng.normal(0, 0.002, size=len(years)))
            genders = {"T": 1.0}
        else:
            riket = riket0 + trend * t + rng.normal(0, abs(trend) * 0.3 + 0.05, size=len(years))
            region = riket + offset + trend * 0.15 * t + rng.normal(0, abs(trend) * 0.3 + 0.05, size=len(years))
            series = {AREA_RIKET: riket, AREA_REGION: region}
            for m in _MUNI_SCALE:
                series[m] = region + rng.normal(0, abs(offset) * 0.4 + 0.3) + rng.normal(0, 0.1, size=len(years))
            genders = {"T": 1.0, "K": 1.02, "M": 0.98} if unit == "%" else {"T": 1.0}
        decimals = 0 if unit == "antal" and code == "N01951" else 1
        for area, values in series.items():
            for g, factor in genders.items():
                for y, v in zip(years, values, strict=True):
                    rows.append(
                        {
                            "indicator_id": ind_id,
                            "area_code": area,
                            "year": int(y),
                            "gender": g,
                            "value": round(float(v * factor), decimals),
                        }
                    )
        _insert(conn, IndicatorValue.__table__, rows)
        n_values += len(rows)
        conn.execute(
            insert(IndicatorTarget).values(
                indicator_id=ind_id, area_code=AREA_REGION, year=2030, value=target, illustrative=True
            )
        )
    return len(_INDICATORS), n_values


def _frame_rows(conn: Connection) -> None:
    goal_ids = dict(conn.execute(select(Goal.code, Goal.id)).all())
    totals = {2024: 26_000_000, 2025: 25_500_000, 2026: 27_000_000, 2027: 27_000_000}
    split = {
        "attraktivitet": 0.06,
        "klimat": 0.14,
        "halsa": 0.04,
        "arbete": 0.28,
        "konkurrenskraft": 0.44,
        "naringsliv": 0.04,
    }
    rows = []
    for year, total in totals.items():
        rows.append(
            {
                "year": year,
                "goal_id": None,
                "amount_sek": total,
                "decided_by": f"Regionala utvecklingsnämnden {DEMO_FRAME_MARK}",
            }
        )
        per_goal = {g: int(round(total * s, -5)) for g, s in split.items()}
        per_goal["konkurrenskraft"] += total - sum(per_goal.values())
        rows += [
            {
                "year": year,
                "goal_id": goal_ids[g],
                "amount_sek": a,
                "decided_by": f"Regionala utvecklingsnämnden {DEMO_FRAME_MARK}",
            }
            for g, a in per_goal.items()
        ]
    _insert(conn, BudgetFrame.__table__, rows)


# --------------------------------------------------------------------------- entry point

_CLEAR_ORDER: Sequence = (
    FundingSplit,
    ProjectResult,
    Funding,
    ProjectMunicipality,
    ProjectPriority,
    ProjectGoal,
    Project,
    Organisation,
    IndicatorValue,
    IndicatorTarget,
    Indicator,
    BudgetFrame,
)


# the tables a demo build fills with many rows (their keys and indexes are rebuilt once, see bulk_load)
BULK_TABLES = (
    "project",
    "project_goal",
    "project_priority",
    "project_municipality",
    "funding",
    "funding_split",
    "project_result",
    "indicator_value",
)


def clear_data(conn: Connection, models: Iterable = _CLEAR_ORDER) -> None:
    """Delete projects, organisations, indicators and frames (not the strategy, notes or audit log)."""
    for model in models:
        conn.execute(delete(model))


def build_demo(
    engine: Engine, settings: Settings, *, projects: int = DEFAULT_PROJECTS, seed: int = DEFAULT_SEED
) -> DemoReport:
    """Replace all project/indicator data with a deterministic demo set, in one transaction."""
    if projects < 1:
        raise ValueError("--projects must be at least 1")
    rng = np.random.default_rng(seed)
    ref = settings.reference_date
    with engine.begin() as conn:
        refuse_if_real_data(conn)
        vocab = _load_vocab(conn)
        if not vocab.themes or not vocab.goal_ids:
            raise RuntimeError("the strategy tree is not loaded; run `python -m dashboard init` first")
        clear_data(conn)
        mun_known = {c for (c,) in conn.execute(select(Municipality.code))}
        org_rows = [
            {"name": n, "org_type": t, "municipality_code": m if m in mun_known else None} for n, t, m in _ORGANISATIONS
        ]
        _insert(conn, Organisation.__table__, org_rows)
        name_to_id = dict(conn.execute(select(Organisation.name, Organisation.id)).all())
        org_ids = [name_to_id[n] for n, _, _ in _ORGANISATIONS]

        calibrated = COHORT_SIZE <= projects <= CALIBRATION_MAX_PROJECTS and set(CALIBRATION_2024) <= set(
            vocab.goal_ids
        )
        plans = [_calibrated_plan(rng, vocab, ref)] if calibrated else []
        rest = projects - COHORT_SIZE if calibrated else projects
        if rest:
            plans.append(_random_plan(rng, rest, vocab, ref, skip_year=CALIBRATION_YEAR if calibrated else None))
        plan = pd.concat(plans, ignore_index=True)
        with bulk_load(conn, BULK_TABLES):
            n, n_funding = _build_projects(conn, rng, plan, vocab, org_ids, ref)
            _, n_values = _indicator_rows(rng, conn, last_year=ref.year - 1)
            _frame_rows(conn)
            refresh_funding_splits(conn)
        if conn.dialect.name == "postgresql":  # explicit ids were inserted: move the sequences on
            for table in ("project", "organisation", "funding", "indicator", "indicator_value", "budget_frame"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
    from .cache import clear

    clear()
    return DemoReport(projects=n, funding_rows=n_funding, indicator_values=n_values, calibrated=calibrated)


# --------------------------------------------------------------------------- demo and real data apart

DEMO_FRAME_MARK = "(demo)"
"""Budget frames the demo writes name their decider with this mark."""
REAL_USE_ACTIONS = ("init-empty", "demo-remove", "import-file", "create")
"""Audit actions that show a database is in real use: it never gets demo data by itself again."""


def real_projects(conn: Connection) -> tuple[int, list[str]]:
    """(number of projects that are not demo data, up to five of their references)."""
    n = conn.execute(select(func.count()).select_from(Project).where(Project.is_demo.is_(False))).scalar_one()
    refs = list(
        conn.execute(
            select(Project.reference).where(Project.is_demo.is_(False)).order_by(Project.id).limit(5)
        ).scalars()
    )
    return int(n), refs


def refuse_if_real_data(conn: Connection) -> None:
    """Raise ``ValueError`` when the database holds projects that are not demo data: the demo
    replaces all projects and must never delete imported ones."""
    n, refs = real_projects(conn)
    if n:
        raise ValueError(
            f"the database holds {n} projects that are not demo data (e.g. {', '.join(refs)}); the demo replaces "
            "all projects and would delete them. Take the demo out with `python -m dashboard demo --remove`, "
            "or point DATABASE_URL at another database for the demo."
        )


def in_real_use(conn: Connection) -> bool:
    """True when the database has been started empty, had its demo removed, or had anything
    imported or created by hand (so an empty project table is not an invitation to load the demo)."""
    n, _ = real_projects(conn)
    if n:
        return True
    used = conn.execute(select(AuditEvent.id).where(AuditEvent.action.in_(REAL_USE_ACTIONS)).limit(1)).first()
    return used is not None


def mark_real_use(conn: Connection, action: str, actor: str, detail: dict[str, int] | None = None) -> None:
    """Record in the audit log that the database is in real use (see :data:`REAL_USE_ACTIONS`)."""
    import json

    conn.execute(
        insert(AuditEvent).values(
            actor=actor,
            action=action,
            entity="database",
            entity_key="-",
            after_json=json.dumps(detail or {}),
        )
    )


@dataclass(frozen=True)
class RemoveReport:
    """What ``demo --remove`` took out (imported projects are never touched)."""

    projects: int
    organisations: int
    indicator_values: int
    frames: int
    kept_projects: int


def remove_demo(engine: Engine, actor: str = "cli") -> RemoveReport:
    """Take the demo data out in one transaction and keep everything imported or made by hand:
    demo projects (with their goals, places, funding and results), organisations no remaining
    project or funding row names, the demo's budget frames, and the demo indicators' generated
    values and illustrative targets. The indicator definitions (each KPI tied to its goal) stay,
    no longer marked as demo, so real values can be imported into them (``import indicators``).
    The database is then marked as in real use: it never gets demo data by itself again."""
    with engine.begin() as conn:
        ids = select(Project.id).where(Project.is_demo.is_(True)).scalar_subquery()
        n_projects = conn.execute(
            select(func.count()).select_from(Project).where(Project.is_demo.is_(True))
        ).scalar_one()
        for model in (FundingSplit, ProjectResult, Funding, ProjectMunicipality, ProjectPriority, ProjectGoal):
            conn.execute(delete(model).where(model.project_id.in_(ids)))
        conn.execute(delete(Project).where(Project.is_demo.is_(True)))
        used = (
            select(Project.owner_id)
            .where(Project.owner_id.is_not(None))
            .union(select(Funding.financier_id).where(Funding.financier_id.is_not(None)))
        )
        demo_orgs = [name for name, _, _ in _ORGANISATIONS]
        n_orgs = conn.execute(
            delete(Organisation).where(Organisation.name.in_(demo_orgs), Organisation.id.not_in(used))
        ).rowcount
        demo_indicators = select(Indicator.id).where(Indicator.is_demo.is_(True)).scalar_subquery()
        n_values = conn.execute(delete(IndicatorValue).where(IndicatorValue.indicator_id.in_(demo_indicators))).rowcount
        conn.execute(
            delete(IndicatorTarget).where(
                IndicatorTarget.indicator_id.in_(demo_indicators), IndicatorTarget.illustrative.is_(True)
            )
        )
        for suffix in (" (demovärden)", " (demo)"):
            conn.execute(
                update(Indicator)
                .where(Indicator.is_demo.is_(True), Indicator.source.like(f"%{suffix}"))
                .values(source=func.replace(Indicator.source, suffix, ""))
            )
        conn.execute(update(Indicator).where(Indicator.is_demo.is_(True)).values(is_demo=False))
        n_frames = conn.execute(delete(BudgetFrame).where(BudgetFrame.decided_by.like(f"%{DEMO_FRAME_MARK}"))).rowcount
        kept, _ = real_projects(conn)
        report = RemoveReport(int(n_projects), int(n_orgs or 0), int(n_values or 0), int(n_frames or 0), kept)
        mark_real_use(conn, "demo-remove", actor, report.__dict__)
    from .cache import clear

    clear()
    return report

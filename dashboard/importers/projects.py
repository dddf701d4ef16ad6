"""Import project lists (projects with funding by source, goals,
municipalities) from .xlsx or .csv through a column-mapping profile.

Profiles: ``mall`` (the app's own template), ``arende`` (a case-system export
with one column per funding source) and ``projektbanken`` (Tillväxtverket's
Projektbanken columns), or a YAML file of the same shape. Every problem is
reported with file, sheet, row and column; an import with any error writes
nothing (one transaction). Re-importing updates projects by reference and
reports created / updated / unchanged.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select

from ..db import session_scope
from ..models import (
    FUNDING_SOURCES,
    GRANT_SOURCE,
    PROJECT_STATUSES,
    SHARE_SCALE,
    AuditEvent,
    Funding,
    Goal,
    ImportProfile,
    Municipality,
    Organisation,
    Priority,
    Project,
    ProjectGoal,
    ProjectMunicipality,
    ProjectPriority,
    Strategy,
    Theme,
)
from .indicators import ImportFailed, Problem

MAX_BYTES = 20 * 1024 * 1024
WHOLE_COUNTY = ("hela länet", "hela lanet", "whole county", "länet")
FIELDS = (
    "reference",
    "title",
    "owner",
    "theme",
    "status",
    "decision_date",
    "start_date",
    "end_date",
    "description",
    "expected_results",
    "goals",
    "municipalities",
    "priorities",
    "county",
)
REQUIRED = ("reference", "title")
STATUS_WORDS = {
    "ide": "ide",
    "idé": "ide",
    "idé/skiss": "ide",
    "skiss": "ide",
    "ansökt": "ansokt",
    "ansokt": "ansokt",
    "inkommen": "ansokt",
    "beviljat": "beviljat",
    "beviljad": "beviljat",
    "pågående": "pagaende",
    "pagaende": "pagaende",
    "avslutat": "avslutat",
    "avslutad": "avslutat",
    "slutrapporterad": "avslutat",
    "avslag": "avslag",
    "avslagen": "avslag",
    "avbrutet": "avbrutet",
    "avbruten": "avbrutet",
}

PROFILES: dict[str, dict[str, Any]] = {
    "mall": {
        "columns": {
            "reference": ["Referens"],
            "title": ["Titel"],
            "owner": ["Projektägare"],
            "theme": ["Tematiskt område"],
            "status": ["Status"],
            "decision_date": ["Beslutsdatum"],
            "start_date": ["Startdatum"],
            "end_date": ["Slutdatum"],
            "description": ["Beskrivning"],
            "expected_results": ["Förväntade resultat"],
            "goals": ["Mål"],
            "municipalities": ["Kommuner"],
            "priorities": ["Prioriteringar"],
        },
        "funding": {
            "anslag_1_1": ["Anslag 1:1 (kr)"],
            "eruf": ["ERUF (kr)"],
            "esf": ["ESF+ (kr)"],
            "interreg": ["Interreg (kr)"],
            "state": ["Övrig statlig (kr)"],
            "municipalities": ["Kommuner (kr)"],
            "region_other": ["Regionens övriga medel (kr)"],
            "academia": ["Akademi (kr)"],
            "private": ["Privat (kr)"],
            "other": ["Övrigt (kr)"],
        },
    },
    "arende": {
        "columns": {
            "reference": ["Diarienummer", "Ärendenummer"],
            "title": ["Projektnamn", "Ärendemening"],
            "owner": ["Sökande", "Stödmottagare"],
            "theme": ["Tema", "Tematiskt område"],
            "status": ["Status"],
            "decision_date": ["Beslutsdatum"],
            "start_date": ["Projektstart"],
            "end_date": ["Projektslut"],
            "description": ["Beskrivning"],
            "goals": ["RUS-mål", "Mål"],
            "municipalities": ["Kommun", "Kommuner"],
        },
        "funding": {
            "anslag_1_1": ["Beviljat 1:1", "Beviljat RUS 1:1", "Regionala tillväxtmedel"],
            "eruf": ["ERUF"],
            "esf": ["ESF+"],
            "interreg": ["Interreg"],
            "state": ["Statlig medfinansiering"],
            "municipalities": ["Kommunal medfinansiering"],
            "region_other": ["Regional medfinansiering"],
            "academia": ["Högskola/universitet"],
            "private": ["Privat medfinansiering"],
            "other": ["Övrig medfinansiering"],
        },
    },
    "projektbanken": {
        "columns": {
            "reference": ["ärende-id"],
            "title": ["projektnamn"],
            "owner": ["stödmottagare"],
            "description": ["projektbeskrivning"],
            "start_date": ["projekt_starttid"],
            "end_date": ["projekt_sluttid"],
            "municipalities": ["kommuner"],
            "county": ["län"],
            "theme": ["tematiskt_mål"],
        },
        "funding": {"eruf": ["beviljat_belopp_sek"]},
        "reference_prefix": "PB-",
        "status_from_dates": True,
        "national": True,
        "theme_keywords": {
            "koldioxidsnål": "energi",
            "transporter": "transport",
            "IKT": "digitalisering",
            "forskning": "innovation",
            "konkurrenskraft": "naringsliv",
            "Tekniskt stöd": "innovation",
        },
    },
}


@dataclass
class ProjectImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    """(reference, title, "created" | "updated" | "unchanged") per project, in file order."""


@dataclass
class Row:
    position: str
    values: dict[str, Any]
    funding: dict[str, Any]


# --------------------------------------------------------------------------- reading


def load_profile(name_or_path: str | None, engine: Engine | None = None) -> tuple[str, dict[str, Any]]:
    """A builtin profile by name, a profile saved from the import page, or a YAML profile file."""
    name = name_or_path or "mall"
    if name in PROFILES:
        return name, PROFILES[name]
    if engine is not None:
        with engine.connect() as conn:
            saved = conn.execute(select(ImportProfile.profile_json).where(ImportProfile.name == name)).scalar()
        if saved:
            return name, json.loads(saved)
    path = Path(name)
    if not path.exists():
        raise ImportFailed(
            name, [Problem.of("mapping", "-", "no_profile", name=repr(name), builtin=", ".join(PROFILES))]
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ImportFailed(name, [Problem.of("mapping", "-", "profile_unreadable", error=exc)]) from exc
    if not isinstance(data, dict) or "columns" not in data:
        raise ImportFailed(name, [Problem.of("mapping", "columns", "profile_no_columns")])
    return path.stem, data


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def read_table(
    path: Path, problems: list[Problem], max_bytes: int = MAX_BYTES
) -> tuple[str, list[str], list[list[Any]], str]:
    """(sheet name, header, rows, encoding) from a .csv or .xlsx file; problems are appended."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.append(Problem.of("file", "-", "file_unreadable", error=exc.strerror))
        return "", [], [], ""
    if size > max_bytes:
        problems.append(Problem.of("file", "-", "file_too_large", size=size, limit=max_bytes))
        return "", [], [], ""
    if size == 0:
        problems.append(Problem.of("file", "-", "file_empty"))
        return "", [], [], ""
    if suffix in (".xlsm", ".xltm", ".xls", ".xlsb"):
        problems.append(Problem.of("file", "-", "macro_type", suffix=suffix))
        return "", [], [], ""
    raw = path.read_bytes()
    if suffix == ".xlsx":
        return _read_xlsx(raw, problems)
    if suffix not in (".csv", ".txt"):
        problems.append(Problem.of("file", "-", "unknown_type", suffix=repr(suffix)))
        return "", [], [], ""
    if b"\x00" in raw[:4096]:
        problems.append(Problem.of("file", "-", "not_text"))
        return "", [], [], ""
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252", errors="strict") if _is_cp1252(raw) else ("", ""), "windows-1252"
        if not text:
            problems.append(Problem.of("file", "-", "bad_encoding"))
            return "", [], [], ""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or not any(c.strip() for c in rows[0]):
        problems.append(Problem.of("row 1", "-", "no_header"))
        return "", [], [], encoding
    return "", rows[0], rows[1:], encoding


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _read_xlsx(raw: bytes, problems: list[Problem]) -> tuple[str, list[str], list[list[Any]], str]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            if any(n.lower().endswith("vbaproject.bin") for n in z.namelist()):
                problems.append(Problem.of("file", "-", "macros"))
                return "", [], [], ""
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        problems.append(Problem.of("file", "-", "bad_excel", error=exc.__class__.__name__))
        return "", [], [], ""
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    while rows and not any(v not in (None, "") for v in rows[-1]):
        rows.pop()
    if not rows:
        problems.append(Problem.of(f"sheet {ws.title}", "-", "sheet_empty"))
        return ws.title, [], [], "xlsx"
    return ws.title, ["" if h is None else str(h) for h in rows[0]], rows[1:], "xlsx"


# --------------------------------------------------------------------------- values


_UNITS = {"kr": 1, "sek": 1, "tkr": 1_000, "ksek": 1_000, "mnkr": 1_000_000, "msek": 1_000_000, "mkr": 1_000_000}


def header_unit(header: str) -> int:
    """Multiplier from a unit in the header, e.g. ``Belopp (tkr)`` → 1000."""
    m = re.search(r"\b(kr|sek|tkr|ksek|mnkr|msek|mkr)\b", header.lower())
    return _UNITS[m.group(1)] if m else 1


def parse_amount(raw: Any, multiplier: int = 1) -> int | None:
    """Whole kronor from ``1 234 567,50``, ``1.234.567``, ``1,5 mnkr``, ``250 tkr``, Excel numbers. None = invalid."""
    if raw is None or raw == "":
        return 0
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return _kronor(Decimal(repr(raw)) * multiplier)
    text = str(raw).strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    if text.startswith("="):
        return None
    m = re.fullmatch(r"(-?[\d .,]+?)\s*(kr|sek|tkr|ksek|mnkr|msek|mkr)?\.?", text)
    if not m:
        return None
    number, unit = m.group(1).replace(" ", ""), m.group(2)
    if unit:
        multiplier = _UNITS[unit]
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", number):  # 1.234.567
        number = number.replace(".", "")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+", number):  # 1,234,567
        number = number.replace(",", "")
    else:
        number = number.replace(",", ".")
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    return _kronor(value * multiplier)


def _kronor(value: Decimal) -> int | None:
    """Whole kronor, half up (1 234,50 → 1 235)."""
    if not value.is_finite():
        return None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_date(raw: Any) -> tuple[date | None, Msg | None]:
    """(date, error as (problem key, values)): ``2024-03-01``, ``2024-03-01 00:00:00``, datetimes, Excel serial numbers."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, datetime):
        return raw.date(), None
    if isinstance(raw, date):
        return raw, None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 20_000 <= raw <= 80_000:
            return date(1899, 12, 30) + timedelta(days=int(raw)), None
        return None, ("not_a_date", {"value": repr(raw)})
    text = str(raw).strip()
    if text.startswith("="):
        return None, ("formula_date", {})
    if re.fullmatch(r"\d{5}", text):
        return parse_date(int(text))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if not m:
        return None, ("date_format", {"value": repr(text)})
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
    except ValueError:
        return None, ("impossible_date", {"value": repr(text)})


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class _Vocab:
    goals: dict[str, str]
    themes: dict[str, str]
    municipalities: dict[str, str]
    priorities: dict[str, str]
    theme_goal: dict[str, str]
    region: str


def _vocab(engine: Engine) -> _Vocab:
    with engine.connect() as conn:
        goals: dict[str, str] = {}
        for code, name, short in conn.execute(select(Goal.code, Goal.name_sv, Goal.short_sv)):
            for alias in (code, name, short):
                if alias:
                    goals[_norm(alias)] = code
        themes: dict[str, str] = {}
        for code, name, en in conn.execute(select(Theme.code, Theme.name_sv, Theme.name_en)):
            for alias in (code, name, en):
                if alias:
                    themes[_norm(alias)] = code
        munis: dict[str, str] = {}
        for code, name in conn.execute(select(Municipality.code, Municipality.name)):
            munis[_norm(code)] = code
            munis[_norm(name)] = code
        priorities = {_norm(c): c for (c,) in conn.execute(select(Priority.code))}
        theme_goal: dict[str, str] = {}
        from ..models import ThemePriority

        for theme, goal in conn.execute(
            select(Theme.code, Goal.code)
            .join(ThemePriority, ThemePriority.theme_id == Theme.id)
            .join(Priority, Priority.id == ThemePriority.priority_id)
            .join(Goal, Goal.id == Priority.goal_id)
            .order_by(Theme.sort, Priority.goal_id, Priority.sort)
        ):
            theme_goal.setdefault(theme, goal)
        region = conn.execute(select(Strategy.region_name).limit(1)).scalar() or ""
    return _Vocab(goals, themes, munis, priorities, theme_goal, region.replace("Region ", ""))


Msg = tuple[str, dict[str, object]]
"""A problem's i18n key (``problem.<key>``) and its values."""


def _unknown(kind: str, value: str, options: dict[str, str]) -> Msg:
    """``unknown <kind> 'value'``, with the closest known name when there is one."""
    close = difflib.get_close_matches(_norm(value), list(options), n=1, cutoff=0.6)
    if close:
        return f"unknown_{kind}_hint", {"value": repr(value), "hint": repr(close[0])}
    return f"unknown_{kind}", {"value": repr(value)}


def _split(text: Any) -> list[str]:
    return [p.strip() for p in re.split(r"[;,\n]", str(text or "")) if p.strip()]


def _parse_goals(raw: Any, vocab: _Vocab) -> tuple[list[tuple[str, int]], Msg | None]:
    """``klimat 60; arbete 40`` or ``Miljö och klimat`` → [(code, share_bp)], error."""
    parts = [p.strip() for p in re.split(r"[;\n]", str(raw or "")) if p.strip()]
    if not parts:
        return [], None
    out: list[tuple[str, int | None]] = []
    for part in parts:
        m = re.fullmatch(r"(.+?)[\s:]+(\d+(?:[.,]\d+)?)\s*%?", part)
        name, share = (m.group(1), float(m.group(2).replace(",", "."))) if m else (part, None)
        code = vocab.goals.get(_norm(name))
        if code is None:
            return [], _unknown("goal", name, vocab.goals)
        out.append((code, None if share is None else round(share * 100)))
    if all(s is None for _, s in out):
        base = SHARE_SCALE // len(out)
        shares = [base] * len(out)
        shares[0] += SHARE_SCALE - base * len(out)
        return [(c, s) for (c, _), s in zip(out, shares, strict=True)], None
    if any(s is None for _, s in out):
        return [], ("goal_share_missing", {})
    total = sum(s for _, s in out)  # type: ignore[misc]
    if total != SHARE_SCALE:
        return [], ("goal_share_total", {"total": f"{total / 100:g}"})
    return [(c, int(s)) for c, s in out], None  # type: ignore[arg-type]


def _validate(
    rows: list[Row],
    profile: dict[str, Any],
    vocab: _Vocab,
    reference_date: date,
    report: ProjectImportReport,
    only_region: bool = False,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    problems: list[Problem] = []
    clean: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    cols = profile["columns"]

    def col(key: str) -> str:
        return (cols.get(key) or [key])[0]

    for row in rows:
        v = row.values
        errors_before = len(problems)
        in_region = True
        if profile.get("national") and vocab.region and "county" in cols:
            in_region = vocab.region.lower() in _norm(v.get("county"))
            if only_region and not in_region:
                report.skipped += 1
                continue
        for key in REQUIRED:
            if key in cols and not str(v.get(key) or "").strip():
                problems.append(Problem.of(row.position, col(key), "required"))
        reference = f"{profile.get('reference_prefix', '')}{str(v.get('reference') or '').strip()}"
        if reference in seen:
            problems.append(
                Problem.of(
                    row.position, col("reference"), "duplicate_reference", reference=repr(reference), at=seen[reference]
                )
            )
        seen[reference] = row.position
        dates: dict[str, date | None] = {}
        for key in ("decision_date", "start_date", "end_date"):
            d, err = parse_date(v.get(key))
            if err:
                problems.append(Problem.of(row.position, col(key), *err))
            dates[key] = d
        if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
            problems.append(
                Problem.of(
                    row.position, col("end_date"), "ends_before_start", end=dates["end_date"], start=dates["start_date"]
                )
            )
        status = None
        if profile.get("status_from_dates"):
            start, end = dates["start_date"], dates["end_date"]
            status = (
                "beviljat"
                if start and start > reference_date
                else "avslutat"
                if end and end < reference_date
                else "pagaende"
            )
        elif str(v.get("status") or "").strip():
            status = STATUS_WORDS.get(_norm(v.get("status")))
            if status is None:
                problems.append(
                    Problem.of(
                        row.position,
                        col("status"),
                        "unknown_status_expected",
                        value=repr(v.get("status")),
                        expected=", ".join(PROJECT_STATUSES),
                    )
                )
        else:
            status = "beviljat" if dates["decision_date"] else "ide"
        theme = None
        raw_theme = str(v.get("theme") or "").strip()
        if raw_theme:
            theme = vocab.themes.get(_norm(raw_theme))
            for word, code in (profile.get("theme_keywords") or {}).items():
                if theme is None and word.lower() in raw_theme.lower():
                    theme = code
            if theme is None:
                problems.append(Problem.of(row.position, col("theme"), *_unknown("theme", raw_theme, vocab.themes)))
        goals, err = _parse_goals(v.get("goals"), vocab)
        if err:
            problems.append(Problem.of(row.position, col("goals"), *err))
        if not goals and theme and "goals" not in cols:
            goal = vocab.theme_goal.get(theme)
            goals = [(goal, SHARE_SCALE)] if goal else []
        whole, munis = False, []
        names = _split(v.get("municipalities"))
        if any(_norm(n) in WHOLE_COUNTY for n in names):
            whole = True
        else:
            for name in names:
                code = vocab.municipalities.get(_norm(name))
                if code is None:
                    if profile.get("national"):
                        continue  # other counties' municipalities in a national list
                    problems.append(
                        Problem.of(
                            row.position, col("municipalities"), *_unknown("municipality", name, vocab.municipalities)
                        )
                    )
                elif code not in munis:
                    munis.append(code)
            known = set(vocab.municipalities.values())
            if (munis and set(munis) == known) or (profile.get("national") and in_region and not munis):
                whole, munis = True, []  # a project outside the region has no place in it
        priorities = []
        for p in _split(v.get("priorities")):
            code = vocab.priorities.get(_norm(p))
            if code is None:
                problems.append(Problem.of(row.position, col("priorities"), *_unknown("priority", p, vocab.priorities)))
            else:
                priorities.append(code)
        funding: dict[str, int] = {}
        for source, (header, raw) in row.funding.items():
            amount = parse_amount(raw, header_unit(header))
            if amount is None:
                problems.append(Problem.of(row.position, header, "not_amount_example", value=repr(raw)))
            elif amount < 0:
                problems.append(Problem.of(row.position, header, "negative_amount", amount=amount))
            elif amount:
                funding[source] = amount
        total = sum(funding.values())
        if funding.get(GRANT_SOURCE, 0) * 2 > total > 0:
            report.warnings.append(
                Problem.of(
                    row.position,
                    (profile.get("funding", {}).get(GRANT_SOURCE) or ["1:1"])[0],
                    "grant_share",
                    share=f"{100 * funding[GRANT_SOURCE] / total:.0f}",
                )
            )
        if len(problems) == errors_before:
            clean.append(
                {
                    "position": row.position,
                    "reference": reference,
                    "title": str(v.get("title") or "").strip(),
                    "owner": str(v.get("owner") or "").strip(),
                    "theme": theme,
                    "status": status,
                    **dates,
                    "description": v.get("description") or None,
                    "expected_results": v.get("expected_results") or None,
                    "goals": goals,
                    "whole_county": whole,
                    "municipalities": munis,
                    "priorities": priorities,
                    "funding": funding,
                }
            )
    return clean, problems


# --------------------------------------------------------------------------- import


def _rows(
    header: list[str], data: list[list[Any]], profile: dict[str, Any], sheet: str, problems: list[Problem]
) -> list[Row]:
    def bare(text: str) -> str:  # "Beviljat 1:1 (tkr)" matches the profile's "Beviljat 1:1"
        return _norm(re.sub(r"\([^)]*\)", "", text))

    exact: dict[str, int] = {}
    with_unit: dict[str, int] = {}  # only headers that carry a unit in parentheses
    for i, h in enumerate(header):
        exact.setdefault(_norm(h), i)
        if bare(h) != _norm(h):
            with_unit.setdefault(bare(h), i)

    def find(names: list[str]) -> tuple[str, int] | None:
        for n in names:
            if _norm(n) in exact:
                return header[exact[_norm(n)]], exact[_norm(n)]
        for n in names:
            if bare(n) in with_unit:
                return header[with_unit[bare(n)]], with_unit[bare(n)]
        return None

    columns = {key: find(names) for key, names in profile["columns"].items()}
    funding_cols = {src: find(names) for src, names in (profile.get("funding") or {}).items()}
    where = f"sheet {sheet}, row 1" if sheet else "row 1"
    for key in REQUIRED:
        if key in profile["columns"] and columns.get(key) is None:
            problems.append(
                Problem.of(
                    where, profile["columns"][key][0], "missing_column", header=", ".join(h for h in header if h)
                )
            )
    unknown_sources = set(profile.get("funding") or {}) - set(FUNDING_SOURCES)
    if unknown_sources:
        problems.append(Problem.of("mapping", "funding", "unknown_sources", sources=", ".join(sorted(unknown_sources))))
    rows = []
    for n, cells in enumerate(data, start=2):
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue
        position = f"sheet {sheet}, row {n}" if sheet else f"row {n}"

        def cell(found: tuple[str, int] | None, cells: list[Any] = cells) -> Any:
            if found is None or found[1] >= len(cells):
                return None
            value = cells[found[1]]
            return value.strip() if isinstance(value, str) else value

        rows.append(
            Row(
                position,
                {k: cell(c) for k, c in columns.items()},
                {s: (c[0], cell(c)) for s, c in funding_cols.items() if c is not None},
            )
        )
    return rows


def import_projects(
    engine: Engine,
    path: Path | str,
    *,
    mapping: str | None = None,
    dry_run: bool = False,
    reference_date: date | None = None,
    max_bytes: int = MAX_BYTES,
    actor: str = "cli",
    only_region: bool = False,
    allowed_themes: set[str] | None = None,
) -> ProjectImportReport:
    """Validate and import a project list; all-or-nothing. Raises :class:`ImportFailed`.

    ``mapping`` is a builtin profile name, a YAML profile file or a profile dict.
    ``only_region`` keeps only the region's rows of a national list (Projektbanken).
    ``allowed_themes`` (a strategist's themes) refuses rows, new or existing, outside them.
    Every created or updated project is recorded in the audit log with its before/after values."""
    path = Path(path)
    _, profile = load_profile(mapping, engine) if not isinstance(mapping, dict) else ("custom", mapping)
    problems: list[Problem] = []
    sheet, header, data, encoding = read_table(path, problems, max_bytes)
    report = ProjectImportReport(encoding=encoding)
    if problems:
        raise ImportFailed(str(path), problems)
    rows = _rows(header, data, profile, sheet, problems)
    if problems:
        raise ImportFailed(str(path), problems)
    vocab = _vocab(engine)
    clean, problems = _validate(rows, profile, vocab, reference_date or date.today(), report, only_region=only_region)
    if allowed_themes is not None:
        problems += _theme_rights(engine, clean, allowed_themes, profile)
    if problems:
        raise ImportFailed(str(path), problems)
    if not clean:
        raise ImportFailed(
            str(path),
            [
                Problem.of("file", "-", "no_projects_outside", n=report.skipped, region=vocab.region)
                if report.skipped
                else Problem.of("file", "-", "no_projects")
            ],
        )
    _write(engine, clean, report, dry_run, actor=actor, source=path.name)
    return report


def _theme_rights(
    engine: Engine, clean: list[dict[str, Any]], allowed: set[str], profile: dict[str, Any]
) -> list[Problem]:
    """A strategist may import only projects of their own themes, and may not move others' projects."""
    with engine.connect() as conn:
        current = dict(
            conn.execute(
                select(Project.reference, Theme.code)
                .outerjoin(Theme, Theme.id == Project.theme_id)
                .where(Project.reference.in_([r["reference"] for r in clean]))
            ).all()
        )
    column = (profile["columns"].get("theme") or ["theme"])[0]
    mine = ", ".join(sorted(allowed)) or "-"
    out = []
    for r in clean:
        for theme in {r["theme"], current.get(r["reference"], r["theme"])}:
            if theme not in allowed:
                out.append(
                    Problem.of(
                        r["position"],
                        column,
                        "not_your_theme",
                        reference=r["reference"],
                        theme=repr(theme or "(none)"),
                        mine=mine,
                    )
                )
                break
    return out


def _source_totals(funding: list[Funding]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for f in funding:
        totals[f.source] = totals.get(f.source, 0) + f.amount_sek
    return totals


def _fingerprint(p: Project) -> tuple:
    return (
        p.title,
        p.owner.name if p.owner else "",
        p.theme.code if p.theme else None,
        p.status,
        p.decision_date,
        p.start_date,
        p.end_date,
        p.description,
        p.expected_results,
        p.whole_county,
        tuple(sorted((g.goal_id, g.share_bp) for g in p.goals)),
        tuple(sorted((m.municipality_code, m.share_bp) for m in p.municipalities)),
        tuple(sorted(x.priority_id for x in p.priorities)),
        tuple(sorted(_source_totals(p.funding).items())),
    )


def _audit_view(p: Project) -> dict[str, Any]:
    """A project's fields and links as plain JSON-able values (for the audit log)."""
    fp = _fingerprint(p)
    keys = (
        "title",
        "owner",
        "theme",
        "status",
        "decision_date",
        "start_date",
        "end_date",
        "description",
        "expected_results",
        "whole_county",
        "goals",
        "municipalities",
        "priorities",
        "funding",
    )
    return {
        k: (
            v.isoformat()
            if isinstance(v, date)
            else [list(x) if isinstance(x, tuple) else x for x in v]
            if isinstance(v, tuple)
            else v
        )
        for k, v in zip(keys, fp, strict=True)
    }


def _merge_funding(old: list[Funding], amounts: dict[str, int]) -> list[Funding]:
    """New funding rows for {source → amount}, keeping the existing rows (with their
    financiers) of every source whose total did not change, and the financier of a
    single-row source whose amount did."""
    by_source: dict[str, list[Funding]] = {}
    for f in old:
        by_source.setdefault(f.source, []).append(f)
    out: list[Funding] = []
    for source, amount in amounts.items():
        rows = by_source.get(source, [])
        if rows and sum(f.amount_sek for f in rows) == amount:
            out.extend(rows)
        else:
            financier = rows[0].financier_id if len(rows) == 1 else None
            out.append(Funding(source=source, amount_sek=amount, financier_id=financier))
    return out


def _write(
    engine: Engine,
    clean: list[dict[str, Any]],
    report: ProjectImportReport,
    dry_run: bool,
    actor: str = "cli",
    source: str = "",
    action: str = "import",
) -> None:
    """Create or update projects from validated rows in one transaction, with one
    audit event per changed project (``action``) and, for a file, one for the file."""
    with session_scope(engine) as s:
        goal_ids = dict(s.execute(select(Goal.code, Goal.id)).all())
        theme_ids = {c: t for c, t in s.execute(select(Theme.code, Theme.id)).all()}
        prio_ids = dict(s.execute(select(Priority.code, Priority.id)).all())
        orgs = {o.name: o for o in s.scalars(select(Organisation))}
        existing = {
            p.reference: p
            for p in s.scalars(select(Project).where(Project.reference.in_([r["reference"] for r in clean])))
        }
        for r in clean:
            owner = None
            if r["owner"]:
                owner = orgs.get(r["owner"])
                if owner is None:
                    kind = "municipality" if r["owner"].lower().endswith("kommun") else "other"
                    owner = Organisation(name=r["owner"], org_type=kind)
                    s.add(owner)
                    orgs[r["owner"]] = owner
            project = existing.get(r["reference"])
            before = _fingerprint(project) if project is not None else None
            before_view = _audit_view(project) if project is not None else None
            if project is None:
                project = Project(reference=r["reference"])
                s.add(project)
            project.title, project.owner, project.status = r["title"], owner, r["status"]
            project.theme_id = theme_ids.get(r["theme"]) if r["theme"] else None
            project.decision_date, project.start_date, project.end_date = (
                r["decision_date"],
                r["start_date"],
                r["end_date"],
            )
            project.description, project.expected_results = r["description"], r["expected_results"]
            project.whole_county = r["whole_county"]
            project.goals = [ProjectGoal(goal_id=goal_ids[g], share_bp=sh) for g, sh in r["goals"]]
            n = len(r["municipalities"])
            shares = [SHARE_SCALE // n] * n if n else []
            if shares:
                shares[0] += SHARE_SCALE - sum(shares)
            project.municipalities = [
                ProjectMunicipality(municipality_code=c, share_bp=sh)
                for c, sh in zip(r["municipalities"], shares, strict=True)
            ]
            project.priorities = [ProjectPriority(priority_id=prio_ids[c]) for c in dict.fromkeys(r["priorities"])]
            project.funding = _merge_funding(list(project.funding), r["funding"])
            s.flush()
            s.refresh(project)
            after = _fingerprint(project)
            outcome = "created" if before is None else "unchanged" if before == after else "updated"
            report.rows.append((r["reference"], r["title"], outcome))
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome == "unchanged":
                continue
            s.add(
                AuditEvent(
                    actor=actor,
                    action=action if before is not None or action != "edit" else "create",
                    entity="project",
                    entity_key=r["reference"],
                    before_json=json.dumps(before_view, ensure_ascii=False) if before_view else None,
                    after_json=json.dumps(_audit_view(project), ensure_ascii=False),
                )
            )
        if source:
            summary = {k: getattr(report, k) for k in ("created", "updated", "unchanged", "skipped")}
            s.add(
                AuditEvent(
                    actor=actor,
                    action="import-file",
                    entity="file",
                    entity_key=source[:100],
                    after_json=json.dumps(summary),
                )
            )
        if dry_run:
            s.rollback()

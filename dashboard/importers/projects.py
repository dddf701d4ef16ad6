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
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError

from ..amounts import CONVENTIONS, DEFAULT_CEILING_SEK, UNITS, Msg, format_sv, header_unit, parse_amount
from ..db import batched, bulk_insert, session_scope
from ..models import (
    FUNDING_SOURCES,
    GRANT_SOURCE,
    PROJECT_STATUSES,
    SHARE_SCALE,
    AuditEvent,
    Funding,
    FundingSplit,
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
    check_project_shares,
)
from ..splits import refresh_funding_splits
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
class Rejected:
    """A row an import with ``skip_invalid`` left out: where it was, its cells, why."""

    position: str
    cells: list[Any]
    problems: list[Problem]


@dataclass
class ProjectImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    """Rows of other counties left out (``only_region``)."""
    warnings: list[Problem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    """Rows left out because of their problems (``skip_invalid``), in file order."""
    header: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    """(reference, title, "created" | "updated" | "unchanged") per project, in file order."""


@dataclass
class Row:
    """One data row of the file: its position, the mapped values, the funding cells
    ({source: (header, cell)}) and the cells as they were (for the rejected-rows file)."""

    position: str
    values: dict[str, Any]
    funding: dict[str, Any]
    cells: list[Any] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


PROFILE_OPTIONS: dict[str, str] = {
    "columns": "a mapping {field: column name or list of names}",
    "funding": "a mapping {funding source: column name or list of names}",
    "number_format": "sv (1 234,50; the default) or en (1,234.50)",
    "date_format": "iso (2024-03-01; the default) or dmy (01.03.2024, 01/03/2024)",
    "unit": "kr (the default), tkr or mnkr: the unit of amount columns whose header names none",
    "reference_prefix": "text put before every reference (e.g. PB-)",
    "status_from_dates": "true: the status comes from the start and end dates, not from a column",
    "national": "true: a national list; rows of other counties may be skipped (--only-region)",
    "theme_keywords": "a mapping {word in the theme column: theme code}",
}
"""Every key a mapping profile may have, with what it takes (docs/mapping.md explains each)."""


def validate_profile(data: object, name: str) -> dict[str, Any]:
    """A profile in its normal form (every column entry a list of names), or :class:`ImportFailed`
    naming each unknown key and each value of the wrong type."""
    problems: list[Problem] = []

    def bad(key: str, expected: str) -> None:
        problems.append(Problem.of("mapping", key, "profile_bad_value", name=key, expected=expected))

    if not isinstance(data, dict):
        raise ImportFailed(name, [Problem.of("mapping", "-", "profile_not_mapping")])
    if "columns" not in data:
        problems.append(Problem.of("mapping", "columns", "profile_no_columns"))
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in PROFILE_OPTIONS:
            close = difflib.get_close_matches(str(key), list(PROFILE_OPTIONS), n=1, cutoff=0.6)
            hint = f" ({close[0]}?)" if close else ""
            problems.append(
                Problem.of(
                    "mapping",
                    str(key),
                    "profile_unknown_key",
                    name=repr(key),
                    hint=hint,
                    keys=", ".join(PROFILE_OPTIONS),
                )
            )
        elif key in ("columns", "funding"):
            allowed = FIELDS if key == "columns" else FUNDING_SOURCES
            if not isinstance(value, dict):
                bad(key, PROFILE_OPTIONS[key])
                continue
            names: dict[str, list[str]] = {}
            for field_name, headers in value.items():
                where = f"{key}.{field_name}"
                if field_name not in allowed:
                    problems.append(
                        Problem.of(
                            "mapping", where, "profile_unknown_field", name=repr(field_name), allowed=", ".join(allowed)
                        )
                    )
                elif isinstance(headers, str) and headers.strip():
                    names[field_name] = [headers]
                elif isinstance(headers, list) and headers and all(isinstance(h, str) and h.strip() for h in headers):
                    names[field_name] = list(headers)
                else:
                    bad(where, "a column name or a list of column names")
            out[key] = names
        elif key == "number_format":
            if value not in CONVENTIONS:
                bad(key, PROFILE_OPTIONS[key])
            out[key] = value
        elif key == "date_format":
            if value not in ("iso", "dmy"):
                bad(key, PROFILE_OPTIONS[key])
            out[key] = value
        elif key == "unit":
            if value not in ("kr", "tkr", "mnkr"):
                bad(key, PROFILE_OPTIONS[key])
            out[key] = value
        elif key == "reference_prefix":
            if not isinstance(value, str) or len(value) > 20:
                bad(key, "a text of at most 20 characters")
            out[key] = value
        elif key in ("status_from_dates", "national"):
            if not isinstance(value, bool):
                bad(key, "true or false")
            out[key] = value
        elif key == "theme_keywords":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                bad(key, PROFILE_OPTIONS[key])
            out[key] = value
    if problems:
        raise ImportFailed(name, problems)
    out.setdefault("funding", {})
    return out


def load_profile(
    name_or_path: str | None, engine: Engine | None = None, *, files: bool = True
) -> tuple[str, dict[str, Any]]:
    """A builtin profile by name, a profile saved from the import page, or (only with
    ``files``, i.e. from the command line) a YAML profile file. Validated: unknown keys and
    values of the wrong type are errors that name the key. The web app passes
    ``files=False``: nothing a request sends ever becomes a path on the server."""
    name = name_or_path or "mall"
    if name in PROFILES:
        return name, validate_profile(PROFILES[name], name)
    if engine is not None and len(name) <= 100:
        with engine.connect() as conn:
            saved = conn.execute(select(ImportProfile.profile_json).where(ImportProfile.name == name)).scalar()
        if saved:
            return name, validate_profile(json.loads(saved), name)
    if not files:
        raise ImportFailed(
            "-", [Problem.of("mapping", "-", "no_profile_saved", name=repr(name[:100]), builtin=", ".join(PROFILES))]
        )
    path = Path(name)
    if not path.is_file():
        raise ImportFailed(
            name, [Problem.of("mapping", "-", "no_profile", name=repr(name), builtin=", ".join(PROFILES))]
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ImportFailed(name, [Problem.of("mapping", "-", "profile_unreadable", error=exc)]) from exc
    return path.stem, validate_profile(data, name)


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
    if suffix == ".json":
        return _read_json(raw, problems)
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
    rows = []
    for cells in csv.reader(io.StringIO(text), delimiter=delimiter):
        rows.append(cells[:MAX_COLUMNS])
        if len(rows) > MAX_ROWS + 1:
            problems.append(Problem.of("file", "-", "too_many_rows", limit=MAX_ROWS))
            return "", [], [], encoding
    if not rows or not any(c.strip() for c in rows[0]):
        problems.append(Problem.of("row 1", "-", "no_header"))
        return "", [], [], encoding
    return "", rows[0], rows[1:], encoding


def _read_json(raw: bytes, problems: list[Problem]) -> tuple[str, list[str], list[list[Any]], str]:
    """A JSON array of flat objects: the keys (in first-seen order) are the header."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        problems.append(Problem.of("file", "-", "bad_json", error=str(exc)[:200]))
        return "", [], [], ""
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        problems.append(Problem.of("file", "-", "json_not_list"))
        return "", [], [], ""
    if len(data) > MAX_ROWS:
        problems.append(Problem.of("file", "-", "too_many_rows", limit=MAX_ROWS))
        return "", [], [], ""
    header: dict[str, None] = {}
    for item in data:
        header.update(dict.fromkeys(str(k) for k in item))
        if len(header) > MAX_COLUMNS:
            problems.append(Problem.of("file", "-", "too_many_columns", limit=MAX_COLUMNS))
            return "", [], [], ""
    columns = list(header)
    rows: list[list[Any]] = []
    for n, item in enumerate(data, start=2):
        row = []
        for key in columns:
            value = item.get(key)
            if isinstance(value, (dict, list)):
                problems.append(Problem.of(f"row {n}", key, "json_nested"))
                value = None
            row.append(value)
        rows.append(row)
    if not columns:
        problems.append(Problem.of("file", "-", "no_projects"))
    return "", columns, rows, "utf-8"


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


MAX_ROWS = 200_000
"""The most data rows a project list may have (checked while reading, before any validation)."""
MAX_COLUMNS = 200
MAX_UNPACKED = 100 * 1024 * 1024
"""The most an .xlsx may unpack to (its parts' declared sizes, which zipfile enforces when reading)."""
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACRO_TYPES = ("vbaproject", "macroenabled", "vnd.ms-office.activex", "vnd.ms-excel.sheet.binary")


def _macro_parts(z: zipfile.ZipFile) -> bool:
    """True when the workbook carries macros or embedded programs, whatever the parts are called:
    a VBA or ActiveX content type, a macro-enabled workbook type, or any part that is an OLE
    compound file (what vbaProject.bin is, renamed or not)."""
    try:
        types = z.read("[Content_Types].xml")[:1_000_000].decode("utf-8", "replace").lower()
    except KeyError:
        types = ""
    if any(t in types for t in _MACRO_TYPES):
        return True
    for info in z.infolist():
        if "vba" in info.filename.lower():
            return True
        if info.file_size >= len(_OLE_MAGIC):
            with z.open(info) as part:
                if part.read(len(_OLE_MAGIC)) == _OLE_MAGIC:
                    return True
    return False


def _read_xlsx(raw: bytes, problems: list[Problem]) -> tuple[str, list[str], list[list[Any]], str]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > MAX_UNPACKED:
                problems.append(Problem.of("file", "-", "unpacks_too_large", size=unpacked, limit=MAX_UNPACKED))
                return "", [], [], ""
            if _macro_parts(z):
                problems.append(Problem.of("file", "-", "macros"))
                return "", [], [], ""
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        problems.append(Problem.of("file", "-", "bad_excel", error=exc.__class__.__name__))
        return "", [], [], ""
    ws = wb.worksheets[0]
    rows: list[list[Any]] = []
    try:
        for r in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(list(r))
            if len(rows) > MAX_ROWS + 1:
                problems.append(Problem.of("file", "-", "too_many_rows", limit=MAX_ROWS))
                return ws.title, [], [], "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        problems.append(Problem.of("file", "-", "bad_excel", error=exc.__class__.__name__))
        return "", [], [], ""
    finally:
        wb.close()
    while rows and not any(v not in (None, "") for v in rows[-1]):
        rows.pop()
    if not rows:
        problems.append(Problem.of(f"sheet {ws.title}", "-", "sheet_empty"))
        return ws.title, [], [], "xlsx"
    return ws.title, ["" if h is None else str(h) for h in rows[0]], rows[1:], "xlsx"


# --------------------------------------------------------------------------- values


MIN_YEAR, MAX_YEAR = 1980, 2100
"""Dates outside these years are errors (``0024-03-01`` and ``9999-12-31`` are typing mistakes)."""
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(raw: Any, date_format: str = "iso") -> tuple[date | None, Msg | None]:
    """(date, error as (problem key, values)).

    Always: ``2024-03-01`` (with or without a time), datetimes, Excel serial numbers.
    With ``date_format: dmy`` also ``01.03.2024``, ``01/03/2024`` and ``01-03-2024``
    (day first; the profile says so, it is never guessed). Years outside
    :data:`MIN_YEAR`–:data:`MAX_YEAR` are errors."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, datetime):
        return _in_window(raw.date(), repr(str(raw)))
    if isinstance(raw, date):
        return _in_window(raw, repr(str(raw)))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw == int(raw) and 1 <= raw <= 2_958_465:  # Excel's serial range (1900-01-01 … 9999-12-31)
            return _in_window(_EXCEL_EPOCH + timedelta(days=int(raw)), repr(raw))
        return None, ("not_a_date", {"value": repr(raw)})
    text = str(raw).strip()
    if text.startswith("="):
        return None, ("formula_date", {})
    if re.fullmatch(r"\d{5}", text):
        return parse_date(int(text))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    day_first = re.fullmatch(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?", text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif day_first and date_format == "dmy":
        d, mo, y = int(day_first.group(1)), int(day_first.group(3)), int(day_first.group(4))
    elif day_first:
        return None, ("date_day_first", {"value": repr(text)})
    else:
        return None, ("date_format_dmy" if date_format == "dmy" else "date_format", {"value": repr(text)})
    try:
        return _in_window(date(y, mo, d), repr(text))
    except ValueError:
        return None, ("impossible_date", {"value": repr(text)})


def _in_window(d: date, shown: str) -> tuple[date | None, Msg | None]:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        return None, ("date_out_of_range", {"value": shown, "low": MIN_YEAR, "high": MAX_YEAR})
    return d, None


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


LIMITS = {"reference": 64, "title": 300, "owner": 200, "description": 20_000, "expected_results": 20_000}
"""The longest text each field takes (the database's column lengths; long texts bounded too),
checked in validation so that SQLite and PostgreSQL accept and reject the same files."""
_SHOWN_ROWS = 5


class _Defaults:
    """Rows that a default decided something for, collected per kind and reported as one
    warning with a count (what a silent default would otherwise hide)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[str]] = {}

    def add(self, key: str, column: str, position: str) -> None:
        self.rows.setdefault((key, column), []).append(position)

    def warnings(self, extra: dict[tuple[str, str], dict[str, object]] | None = None) -> list[Problem]:
        out = []
        for (key, column), positions in self.rows.items():
            shown = "; ".join(positions[:_SHOWN_ROWS]) + ("; …" if len(positions) > _SHOWN_ROWS else "")
            values = {"n": format_sv(len(positions)), "rows": shown, **((extra or {}).get((key, column)) or {})}
            out.append(Problem.of("file", column, key, values))
        return out


def _validate(
    rows: list[Row],
    profile: dict[str, Any],
    vocab: _Vocab,
    reference_date: date,
    report: ProjectImportReport,
    only_region: bool = False,
    ceiling: int = DEFAULT_CEILING_SEK,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Clean rows (ready to write) and every problem, each naming its row and column.
    Defaults that change what a row counts as are added to ``report.warnings`` with a count."""
    problems: list[Problem] = []
    clean: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    cols = profile["columns"]
    convention = profile.get("number_format", "sv")
    date_format = profile.get("date_format", "iso")
    profile_unit = UNITS[profile.get("unit", "kr")]
    defaults = _Defaults()
    status_counts: dict[str, int] = {}
    units = {header: header_unit(header) or profile_unit for row in rows[:1] for header, _ in row.funding.values()}

    def col(key: str) -> str:
        return (cols.get(key) or [key])[0]

    grant_column = (profile.get("funding", {}).get(GRANT_SOURCE) or ["1:1"])[0]
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
        texts = {
            "reference": reference,
            "title": str(v.get("title") or "").strip(),
            "owner": str(v.get("owner") or "").strip(),
            "description": str(v.get("description") or "").strip(),
            "expected_results": str(v.get("expected_results") or "").strip(),
        }
        for key, limit in LIMITS.items():
            if len(texts[key]) > limit:
                problems.append(Problem.of(row.position, col(key), "too_long", n=len(texts[key]), limit=limit))
        if reference in seen:
            problems.append(
                Problem.of(
                    row.position, col("reference"), "duplicate_reference", reference=repr(reference), at=seen[reference]
                )
            )
        seen[reference] = row.position
        dates: dict[str, date | None] = {}
        for key in ("decision_date", "start_date", "end_date"):
            d, err = parse_date(v.get(key), date_format)
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
            status_counts[status] = status_counts.get(status, 0) + 1
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
        elif dates["decision_date"]:
            status = "beviljat"
            defaults.add("default_status_granted", col("status"), row.position)
        else:
            status = "ide"
            defaults.add("default_status_idea", col("status"), row.position)
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
        elif len(goals) > 1 and not re.search(r"\d", str(v.get("goals"))):
            defaults.add("default_goal_shares", col("goals"), row.position)
        if not goals and theme and "goals" not in cols:
            goal = vocab.theme_goal.get(theme)
            goals = [(goal, SHARE_SCALE)] if goal else []
            if goal:
                defaults.add("default_goal_from_theme", col("theme"), row.position)
        if not goals and not err:
            defaults.add("default_no_goal", col("goals"), row.position)
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
            amount, err = parse_amount(
                raw, unit=units.get(header, profile_unit), convention=convention, ceiling=ceiling
            )
            if err:
                problems.append(Problem.of(row.position, header, *err))
            elif amount is not None and amount < 0:
                problems.append(Problem.of(row.position, header, "negative_amount", amount=amount))
            elif amount:
                funding[source] = amount
        total = sum(funding.values())
        if total > ceiling:
            problems.append(
                Problem.of(
                    row.position, "-", "row_total_too_large", amount=format_sv(total), ceiling=format_sv(ceiling)
                )
            )
        if row.funding and not funding and len(problems) == errors_before:
            defaults.add("default_no_amounts", next(iter(row.funding.values()))[0], row.position)
        if funding.get(GRANT_SOURCE, 0) * 2 > total > 0:
            share = f"{100 * funding[GRANT_SOURCE] / total:.0f}"
            defaults.add("grant_share_rows", grant_column, f"{row.position} ({share} %)")
        if len(problems) == errors_before:
            clean.append(
                {
                    "position": row.position,
                    **texts,
                    "description": texts["description"] or None,
                    "expected_results": texts["expected_results"] or None,
                    "theme": theme,
                    "status": status,
                    **dates,
                    "goals": goals,
                    "whole_county": whole,
                    "municipalities": munis,
                    "priorities": priorities,
                    "funding": funding,
                }
            )
    report.warnings[:0] = defaults.warnings()
    if status_counts:
        detail = ", ".join(f"{s} {format_sv(n)}" for s, n in status_counts.items())
        report.warnings.insert(
            0, Problem.of("file", "-", "status_from_dates", n=format_sv(sum(status_counts.values())), detail=detail)
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
                cells,
            )
        )
    return rows


def import_projects(
    engine: Engine,
    path: Path | str,
    *,
    mapping: str | dict[str, Any] | None = None,
    dry_run: bool = False,
    reference_date: date | None = None,
    max_bytes: int = MAX_BYTES,
    actor: str = "cli",
    only_region: bool = False,
    allowed_themes: set[str] | None = None,
    skip_invalid: bool = False,
    ceiling: int = DEFAULT_CEILING_SEK,
) -> ProjectImportReport:
    """Validate and import a project list (.xlsx, .csv or .json); all-or-nothing by default.
    Raises :class:`ImportFailed` with every problem (file, row, column).

    ``mapping`` is a builtin profile name, a YAML profile file or a profile dict.
    ``only_region`` keeps only the region's rows of a national list (a profile with
    ``national: true`` and a ``county`` column; refused for any other profile).
    ``allowed_themes`` (a strategist's themes) refuses rows, new or existing, outside them.
    ``skip_invalid`` imports the valid rows and lists the others in ``report.rejected``
    (see :func:`rejected_table`); problems of the file or the mapping still stop it all.
    ``ceiling`` is the largest amount (and row total) in kronor.
    Every created or updated project is recorded in the audit log with its before/after values,
    and the file (with its counts of rejected rows) once more."""
    path = Path(path)
    name = path.name
    if isinstance(mapping, dict):
        profile = validate_profile(mapping, "custom")
    else:
        _, profile = load_profile(mapping, engine)
    if only_region and not (profile.get("national") and "county" in profile["columns"]):
        raise ImportFailed(name, [Problem.of("mapping", "only_region", "only_region_unsupported")])
    problems: list[Problem] = []
    sheet, header, data, encoding = read_table(path, problems, max_bytes)
    report = ProjectImportReport(encoding=encoding, header=[str(h) for h in header])
    if problems:
        raise ImportFailed(str(path), problems)
    rows = _rows(header, data, profile, sheet, problems)
    del data  # the rows hold what is needed; half the memory of a large file
    if problems:
        raise ImportFailed(str(path), problems)
    if rows:
        for source, names in profile["funding"].items():
            if source not in rows[0].funding:
                report.warnings.append(Problem.of("file", names[0], "missing_funding_column", source=source))
    vocab = _vocab(engine)
    clean, problems = _validate(
        rows, profile, vocab, reference_date or date.today(), report, only_region=only_region, ceiling=ceiling
    )
    if allowed_themes is not None:
        problems += _theme_rights(engine, clean, allowed_themes, profile)
    if problems and skip_invalid:
        by_row: dict[str, list[Problem]] = {}
        for p in problems:
            by_row.setdefault(p.position, []).append(p)
        if any(position not in {r.position for r in rows} for position in by_row):
            raise ImportFailed(str(path), problems)  # a problem of the whole file stops it all
        report.rejected = [Rejected(r.position, r.cells, by_row[r.position]) for r in rows if r.position in by_row]
        clean = [r for r in clean if r["position"] not in by_row]
        problems = []
    if problems:
        raise ImportFailed(str(path), problems)
    if not clean:
        raise ImportFailed(
            str(path),
            [
                Problem.of("file", "-", "no_valid_rows", n=len(report.rejected))
                if report.rejected
                else Problem.of("file", "-", "no_projects_outside", n=report.skipped, region=vocab.region)
                if report.skipped
                else Problem.of("file", "-", "no_projects")
            ],
        )
    _write(engine, clean, report, dry_run, actor=actor, source=name)
    return report


def rejected_table(report: ProjectImportReport, lang: str = "sv") -> tuple[list[str], list[list[Any]]]:
    """The rows an import left out, as (header, rows): the file's own columns, so the file can
    be fixed and imported again, then a column with the row's position and one with the reasons."""
    from ..i18n import t

    header = [*report.header, t("import.rejected.position", lang), t("import.rejected.reason", lang)]
    width = len(report.header)
    out = []
    for r in report.rejected:
        cells = [*r.cells[:width], *[None] * (width - len(r.cells))]
        reasons = "; ".join(f"{p.field}: {p.text(lang)}" for p in r.problems)
        out.append([*cells, r.problems[0].where(lang), reasons])
    return header, out


def write_rejected(report: ProjectImportReport, path: Path, lang: str = "sv") -> Path:
    """Write the rejected rows (see :func:`rejected_table`) to ``path`` (.csv, UTF-8 with BOM
    and semicolons as Swedish Excel reads it, or .xlsx); formulas are written as text."""
    header, rows = rejected_table(report, lang)
    safe = [[_as_text(c) for c in row] for row in rows]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Avvisade" if lang == "sv" else "Rejected")
        ws.append(header)
        for row in safe:
            ws.append(row)
        wb.save(path)
        return path
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(header)
    writer.writerows(safe)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def _as_text(value: Any) -> Any:
    """A cell as written back: dates as ISO text, and text that a spreadsheet would run as a
    formula (``=``, ``+``, ``-``, ``@`` first) prefixed with an apostrophe."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"-[\d\s.,]+", value):
        return "'" + value
    return value


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
    return _view(_fingerprint(p))


_CHUNK = 5_000
"""References and ids per IN list (well below SQLite's limit of bound parameters)."""
_FINGERPRINT_KEYS = (
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


def _view(fp: tuple) -> dict[str, Any]:
    """A fingerprint as plain JSON-able values (for the audit log)."""
    return {
        k: (
            v.isoformat()
            if isinstance(v, date)
            else [list(x) if isinstance(x, tuple) else x for x in v]
            if isinstance(v, tuple)
            else v
        )
        for k, v in zip(_FINGERPRINT_KEYS, fp, strict=True)
    }


def _municipality_shares(codes: list[str]) -> list[tuple[str, int]]:
    """Equal shares that sum to :data:`SHARE_SCALE` exactly (the remainder on the first)."""
    n = len(codes)
    if not n:
        return []
    shares = [SHARE_SCALE // n] * n
    shares[0] += SHARE_SCALE - sum(shares)
    return list(zip(codes, shares, strict=True))


@dataclass
class _Stored:
    """A project as it stands in the database, read in bulk (see :func:`_load_stored`)."""

    id: int
    fields: list[Any]
    goals: list[tuple[int, int]] = field(default_factory=list)
    municipalities: list[tuple[str, int]] = field(default_factory=list)
    priorities: list[int] = field(default_factory=list)
    funding: list[tuple[int, str, int, int | None]] = field(default_factory=list)
    """(funding id, source, amount, financier id) per row."""

    def fingerprint(self) -> tuple:
        totals: dict[str, int] = {}
        for _, source, amount, _ in self.funding:
            totals[source] = totals.get(source, 0) + amount
        return (
            *self.fields,
            tuple(sorted(self.goals)),
            tuple(sorted(self.municipalities)),
            tuple(sorted(self.priorities)),
            tuple(sorted(totals.items())),
        )


def _load_stored(conn: Connection, references: list[str]) -> dict[str, _Stored]:
    """The projects with these references, with their links and funding, in a few queries per chunk."""
    out: dict[str, _Stored] = {}
    for part in batched(references, _CHUNK):
        rows = conn.execute(
            select(
                Project.id,
                Project.reference,
                Project.title,
                func.coalesce(Organisation.name, ""),
                Theme.code,
                Project.status,
                Project.decision_date,
                Project.start_date,
                Project.end_date,
                Project.description,
                Project.expected_results,
                Project.whole_county,
            )
            .outerjoin(Organisation, Organisation.id == Project.owner_id)
            .outerjoin(Theme, Theme.id == Project.theme_id)
            .where(Project.reference.in_(list(part)))
        ).all()
        by_id = {}
        for pid, ref, *fields in rows:
            fields[-1] = bool(fields[-1])
            by_id[pid] = out[ref] = _Stored(pid, fields)
        ids = list(by_id)
        if not ids:
            continue
        for pid, goal, share in conn.execute(
            select(ProjectGoal.project_id, ProjectGoal.goal_id, ProjectGoal.share_bp).where(
                ProjectGoal.project_id.in_(ids)
            )
        ):
            by_id[pid].goals.append((goal, share))
        for pid, code, share in conn.execute(
            select(
                ProjectMunicipality.project_id, ProjectMunicipality.municipality_code, ProjectMunicipality.share_bp
            ).where(ProjectMunicipality.project_id.in_(ids))
        ):
            by_id[pid].municipalities.append((code, share))
        for pid, prio in conn.execute(
            select(ProjectPriority.project_id, ProjectPriority.priority_id).where(ProjectPriority.project_id.in_(ids))
        ):
            by_id[pid].priorities.append(prio)
        for fid, pid, source, amount, financier in conn.execute(
            select(Funding.id, Funding.project_id, Funding.source, Funding.amount_sek, Funding.financier_id)
            .where(Funding.project_id.in_(ids))
            .order_by(Funding.id)
        ):
            by_id[pid].funding.append((fid, source, amount, financier))
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
    audit event per changed project (``action``) and, for a file, one for the file.

    Set-based: the stored projects are read in a few queries per 5 000 references and
    compared with the rows as plain values, so unchanged projects cost nothing and a
    dry run (which only compares) neither writes nor holds a write lock. The changed
    ones are written with one statement per table and chunk; the share invariant is
    checked and the funding split over goals rebuilt for exactly those projects."""
    with engine.connect() as conn:
        goal_ids = dict(conn.execute(select(Goal.code, Goal.id)).all())
        theme_ids = dict(conn.execute(select(Theme.code, Theme.id)).all())
        prio_ids = dict(conn.execute(select(Priority.code, Priority.id)).all())
        stored = _load_stored(conn, [r["reference"] for r in clean])
    plans: list[tuple[dict[str, Any], _Stored | None, tuple]] = []
    for r in clean:
        goals = tuple(sorted((goal_ids[g], sh) for g, sh in r["goals"]))
        munis = tuple(sorted(_municipality_shares(r["municipalities"])))
        prios = tuple(sorted({prio_ids[c] for c in r["priorities"]}))
        after = (
            r["title"],
            r["owner"],
            r["theme"],
            r["status"],
            r["decision_date"],
            r["start_date"],
            r["end_date"],
            r["description"],
            r["expected_results"],
            r["whole_county"],
            goals,
            munis,
            prios,
            tuple(sorted(r["funding"].items())),
        )
        before = stored.get(r["reference"])
        outcome = "created" if before is None else "unchanged" if before.fingerprint() == after else "updated"
        report.rows.append((r["reference"], r["title"], outcome))
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            plans.append((r, before, after))
    if dry_run:
        return
    with session_scope(engine) as s:
        conn = s.connection()
        for part in batched(plans, _CHUNK):  # in chunks: memory stays flat however long the file
            chunk = list(part)
            try:
                _apply(conn, chunk, theme_ids, goal_ids, prio_ids)
                touched = _ids_of(conn, [r["reference"] for r, _, _ in chunk])
                check_project_shares(s, touched)
                refresh_funding_splits(conn, touched)
            except (IntegrityError, DataError) as exc:  # validation should have caught it; never a raw error
                raise ImportFailed(
                    source or "form",
                    [Problem.of("file", "-", "database_refused", error=type(exc.orig).__name__)],
                ) from exc
            events = [
                {
                    "actor": actor,
                    "action": action if before is not None or action != "edit" else "create",
                    "entity": "project",
                    "entity_key": r["reference"],
                    "before_json": json.dumps(_view(before.fingerprint()), ensure_ascii=False) if before else None,
                    "after_json": json.dumps(_view(after), ensure_ascii=False),
                }
                for r, before, after in chunk
            ]
            _insert_dicts(conn, AuditEvent, events)
        if source:
            summary: dict[str, Any] = {k: getattr(report, k) for k in ("created", "updated", "unchanged", "skipped")}
            if report.rejected:
                summary["rejected"] = [
                    {"row": r.position, "problems": [f"{p.field}: {p.message}" for p in r.problems]}
                    for r in report.rejected[:1000]
                ]
                summary["rejected_count"] = len(report.rejected)
            conn.execute(
                insert(AuditEvent).values(
                    actor=actor,
                    action="import-file",
                    entity="file",
                    entity_key=source[:100],
                    after_json=json.dumps(summary, ensure_ascii=False),
                )
            )


class StaleEdit(Exception):
    """The project changed after the edit form was opened (its version moved on)."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


def _version(conn: Connection, project_id: int) -> int:
    return int(conn.execute(select(Project.version).where(Project.id == project_id)).scalar_one())


def _ids_of(conn: Connection, references: list[str]) -> list[int]:
    ids: list[int] = []
    for part in batched(references, _CHUNK):
        ids += conn.execute(select(Project.id).where(Project.reference.in_(list(part)))).scalars().all()
    return ids


def _apply(
    conn: Connection,
    plans: list[tuple[dict[str, Any], _Stored | None, tuple]],
    theme_ids: dict[str, int],
    goal_ids: dict[str, int],
    prio_ids: dict[str, int],
) -> None:
    """Write the created and updated projects (see :func:`_write`) on ``conn``."""
    if not plans:
        return
    owners = {r["owner"] for r, _, _ in plans if r["owner"]}
    orgs: dict[str, int] = {}
    for part in batched(sorted(owners), _CHUNK):
        orgs.update(conn.execute(select(Organisation.name, Organisation.id).where(Organisation.name.in_(part))).all())
    new_orgs = [
        {"name": n, "org_type": "municipality" if n.lower().endswith("kommun") else "other"}
        for n in sorted(owners - set(orgs))
    ]
    for part in batched(new_orgs, _CHUNK):
        conn.execute(insert(Organisation), list(part))
    for part in batched(sorted(owners - set(orgs)), _CHUNK):
        orgs.update(conn.execute(select(Organisation.name, Organisation.id).where(Organisation.name.in_(part))).all())

    def values(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": r["title"],
            "owner_id": orgs.get(r["owner"]) if r["owner"] else None,
            "theme_id": theme_ids.get(r["theme"]) if r["theme"] else None,
            "status": r["status"],
            "decision_date": r["decision_date"],
            "decision_year": r["decision_date"].year if r["decision_date"] else None,
            "start_date": r["start_date"],
            "end_date": r["end_date"],
            "description": r["description"],
            "expected_results": r["expected_results"],
            "whole_county": r["whole_county"],
        }

    created = [{"reference": r["reference"], "is_demo": False, **values(r)} for r, before, _ in plans if before is None]
    _insert_dicts(conn, Project, created)
    updated = [{"pid": before.id, **values(r)} for r, before, _ in plans if before is not None]
    if updated:
        stmt = (
            update(Project)
            .where(Project.id == bindparam("pid"))
            .values({**{k: bindparam(k) for k in updated[0] if k != "pid"}, "version": Project.version + 1})
        )
        for part in batched(updated, _CHUNK):
            conn.execute(stmt, list(part))
    for r, before, _ in plans:  # an edit form carries the version it was opened at: refuse a stale one
        expected = r.get("expected_version")
        if before is not None and expected is not None and expected + 1 != _version(conn, before.id):
            raise StaleEdit(r["reference"])
    ids = dict(zip([r["reference"] for r, _, _ in plans], [None] * len(plans), strict=True))
    for part in batched(list(ids), _CHUNK):
        ids.update(conn.execute(select(Project.reference, Project.id).where(Project.reference.in_(part))).all())
    old_ids = [before.id for _, before, _ in plans if before is not None]
    for part in batched(old_ids, _CHUNK):
        for table in (ProjectGoal, ProjectMunicipality, ProjectPriority):
            conn.execute(delete(table).where(table.project_id.in_(part)))
    goal_rows, muni_rows, prio_rows, fund_rows, drop_funding = [], [], [], [], []
    for r, before, _ in plans:
        pid = ids[r["reference"]]
        goal_rows += [{"project_id": pid, "goal_id": goal_ids[g], "share_bp": sh} for g, sh in r["goals"]]
        muni_rows += [
            {"project_id": pid, "municipality_code": c, "share_bp": sh}
            for c, sh in _municipality_shares(r["municipalities"])
        ]
        prio_rows += [{"project_id": pid, "priority_id": prio_ids[c]} for c in dict.fromkeys(r["priorities"])]
        # funding: keep the rows (and financiers) of every source whose total did not change
        by_source: dict[str, list[tuple[int, str, int, int | None]]] = {}
        for row in before.funding if before else []:
            by_source.setdefault(row[1], []).append(row)
        for src, rows in by_source.items():
            if sum(x[2] for x in rows) != r["funding"].get(src):
                drop_funding += [x[0] for x in rows]
        for src, amount in r["funding"].items():
            rows = by_source.get(src, [])
            if rows and sum(x[2] for x in rows) == amount:
                continue
            financier = rows[0][3] if len(rows) == 1 else None
            fund_rows.append({"project_id": pid, "source": src, "amount_sek": amount, "financier_id": financier})
    for part in batched(drop_funding, _CHUNK):
        conn.execute(delete(FundingSplit).where(FundingSplit.funding_id.in_(part)))
        conn.execute(delete(Funding).where(Funding.id.in_(part)))
    for model, rows in (
        (ProjectGoal, goal_rows),
        (ProjectMunicipality, muni_rows),
        (ProjectPriority, prio_rows),
        (Funding, fund_rows),
    ):
        _insert_dicts(conn, model, rows)


def _insert_dicts(conn: Connection, model: type, rows: list[dict[str, Any]]) -> None:
    """Insert rows given as dicts with the same keys (``COPY`` on PostgreSQL, see :func:`bulk_insert`)."""
    if rows:
        columns = list(rows[0])
        bulk_insert(conn, model.__table__, columns, ([row[c] for c in columns] for row in rows))  # type: ignore[attr-defined]

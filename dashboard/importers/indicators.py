"""Import indicator values from Kolada API JSON (v2 and v3 layouts, one page
or a list of pages) or CSV (``kpi, area, year, gender, value``; Kolada's own
CSV columns are understood too).

Every problem is reported with the file and its position; nothing is written
unless the whole file is clean (one transaction). Re-importing updates values
in place and reports created / updated / unchanged counts.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from ..models import GENDERS, Indicator, IndicatorValue, Municipality, Strategy

MAX_BYTES = 50 * 1024 * 1024
_CSV_ALIASES = {
    "kpi": ("kpi", "kpi_id", "nyckeltal"),
    "area": ("area", "municipality_id", "area_code", "kommun_id", "omrade"),
    "year": ("year", "period", "ar", "år"),
    "gender": ("gender", "kon", "kön"),
    "value": ("value", "varde", "värde"),
}


@dataclass(frozen=True)
class Problem:
    """One problem in an import file (or an edit form).

    ``message`` is English (the command line, logs and exceptions). A problem made with
    :meth:`of` also carries its i18n key (``problem.<key>``) and values, so the web app
    shows it in the user's language (:meth:`text`, :meth:`where`)."""

    position: str
    field: str
    message: str
    key: str | None = None
    params: dict[str, str] | None = None

    @classmethod
    def of(
        cls, position: str, field: str, key: str, values: dict[str, object] | None = None, /, **more: object
    ) -> Problem:
        """A translatable problem: ``problem.<key>`` formatted with ``values`` and ``more``
        (so ``Problem.of(position, field, *msg)`` takes a ``(key, values)`` pair). A value
        named ``at`` is a position (e.g. ``row 5``) and is translated like one."""
        values = {k: str(v) for k, v in {**(values or {}), **more}.items()}
        return cls(position, field, problem_text(key, values, "en"), key, values)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (English when the problem has no key)."""
        return problem_text(self.key, self.params or {}, lang) if self.key else self.message

    def where(self, lang: str) -> str:
        """The position in ``lang`` (``row 5`` → ``rad 5``)."""
        return position_text(self.position, lang)

    def render(self, file: str) -> str:
        """``file: position: field: message``."""
        return f"{file}: {self.position}: {self.field}: {self.message}"


def position_text(position: str, lang: str) -> str:
    """A position such as ``row 5``, ``sheet Projekt, row 5``, ``file`` or ``form`` in ``lang``."""
    from ..i18n import t

    if position in ("file", "mapping", "form"):
        return t(f"problem.where.{position}", lang)
    parts = []
    for part in position.split(", "):
        m = re.fullmatch(r"(row|sheet) (.+)", part)
        parts.append(t(f"problem.where.{m.group(1)}", lang, value=m.group(2)) if m else part)
    return ", ".join(parts)


def problem_text(key: str, params: dict[str, str], lang: str) -> str:
    """``problem.<key>`` in ``lang`` with ``params`` (``at`` translated as a position, ``rows``
    as a list of positions separated by ``; ``, each perhaps followed by a detail)."""
    from ..i18n import t

    values = dict(params)
    if "at" in values:
        values["at"] = position_text(values["at"], lang)
    if "rows" in values:
        values["rows"] = "; ".join(position_text(p, lang) for p in values["rows"].split("; "))
    return t(f"problem.{key}", lang, **values)


class ImportFailed(Exception):
    """The file was rejected; ``problems`` says where and why. Nothing was written."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        shown = "\n".join(p.render(file) for p in problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s); nothing was imported:\n{shown}{more}")


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_areas: int = 0
    indicators: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Record:
    kpi: str
    area: str
    year: int
    gender: str
    value: float
    position: str


# --------------------------------------------------------------------------- parsing


def _number(raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw) if math.isfinite(float(raw)) else None
    if isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None


def _year(raw: object) -> int | None:
    text = str(raw).strip()
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2100 else None


def _area(raw: object) -> str | None:
    text = str(raw).strip()
    if text.isdigit() and len(text) <= 4:
        return text.zfill(4)
    return None


def _check(
    kpi: object, area: object, year: object, gender: object, value: object, position: str, problems: list[Problem]
) -> Record | None:
    ok = True
    if not isinstance(kpi, str) or not kpi.strip():
        problems.append(Problem(position, "kpi", "missing KPI id (expected e.g. N00914)"))
        ok = False
    a = _area(area)
    if a is None:
        problems.append(Problem(position, "area", f"{area!r} is not an area code (expected four digits, e.g. 0010)"))
        ok = False
    y = _year(year)
    if y is None:
        problems.append(Problem(position, "year", f"{year!r} is not a year (expected e.g. 2023)"))
        ok = False
    g = str(gender or "T").strip().upper()
    if g not in GENDERS:
        problems.append(Problem(position, "gender", f"{gender!r} is not a gender (expected T, K or M)"))
        ok = False
    v = _number(value)
    if v is None:
        problems.append(Problem(position, "value", f"{value!r} is not a number"))
        ok = False
    if not ok:
        return None
    return Record(str(kpi).strip(), a, y, g, v, position)  # type: ignore[arg-type]


def parse_kolada_json(data: Any, problems: list[Problem]) -> list[Record]:
    """Kolada API JSON: ``{"values": [{kpi, municipality, period, values: [{gender, value, …}]}]}``
    (v2: ``municipality``/``next_page``; v3: ``municipality`` or ``municipality_id``/``next_url``),
    a list of such pages, or a bare list of items."""
    if isinstance(data, list) and data and all(isinstance(d, dict) and "values" in d and "kpi" not in d for d in data):
        pages = data  # several API pages saved together
    else:
        pages = [data]
    records: list[Record] = []
    for pi, page in enumerate(pages):
        prefix = f"page {pi + 1}, " if len(pages) > 1 else ""
        items = page.get("values") if isinstance(page, dict) else page
        if not isinstance(items, list):
            problems.append(Problem(f"{prefix}top level", "values", "expected a list of values (Kolada API JSON)"))
            continue
        for ii, item in enumerate(items):
            where = f"{prefix}values[{ii}]"
            if not isinstance(item, dict):
                problems.append(Problem(where, "-", "expected an object"))
                continue
            area = item.get("municipality", item.get("municipality_id", item.get("area")))
            year = item.get("period", item.get("year"))
            inner = item.get("values")
            if isinstance(inner, list):
                for vi, v in enumerate(inner):
                    if not isinstance(v, dict):
                        problems.append(Problem(f"{where}.values[{vi}]", "-", "expected an object"))
                        continue
                    if v.get("value") is None and v.get("isdeleted"):
                        continue
                    rec = _check(
                        item.get("kpi"),
                        area,
                        year,
                        v.get("gender", "T"),
                        v.get("value"),
                        f"{where}.values[{vi}]",
                        problems,
                    )
                    if rec:
                        records.append(rec)
            else:
                rec = _check(item.get("kpi"), area, year, item.get("gender", "T"), item.get("value"), where, problems)
                if rec:
                    records.append(rec)
    return records


def parse_csv(text: str, problems: list[Problem]) -> list[Record]:
    """CSV with a header row; ``,`` or ``;`` separated; decimal comma allowed."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        problems.append(Problem("row 1", "-", "the file is empty"))
        return []
    columns: dict[str, int] = {}
    for key, aliases in _CSV_ALIASES.items():
        for alias in aliases:
            if alias in header:
                columns[key] = header.index(alias)
                break
    missing = [k for k in ("kpi", "area", "year", "value") if k not in columns]
    if missing:
        problems.append(
            Problem(
                "row 1",
                ", ".join(missing),
                f"missing column(s); expected kpi, area, year, gender, value (got {', '.join(header)})",
            )
        )
        return []
    records: list[Record] = []
    for ri, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str | None:
            i = columns.get(key)
            return row[i] if i is not None and i < len(row) else None

        rec = _check(
            cell("kpi"), cell("area"), cell("year"), cell("gender") or "T", cell("value"), f"row {ri}", problems
        )
        if rec:
            records.append(rec)
    return records


def read_records(path: Path, problems: list[Problem], max_bytes: int = MAX_BYTES) -> list[Record]:
    """Read a JSON or CSV file into records (problems are appended, not raised)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.append(Problem("file", "-", f"cannot read the file ({exc.strerror})"))
        return []
    if size > max_bytes:
        problems.append(Problem("file", "-", f"the file is {size} bytes; the limit is {max_bytes}"))
        return []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(f"byte {exc.start}", "-", "the file is not UTF-8 text (save it as UTF-8)"))
        return []
    if not text.strip():
        problems.append(Problem("file", "-", "the file is empty"))
        return []
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"line {exc.lineno}, column {exc.colno}", "-", f"not valid JSON: {exc.msg}"))
            return []
        return parse_kolada_json(data, problems)
    return parse_csv(text, problems)


# --------------------------------------------------------------------------- import


def import_indicator_values(
    engine: Engine,
    path: Path | str,
    *,
    dry_run: bool = False,
    skip_unknown_areas: bool = False,
    max_bytes: int = MAX_BYTES,
) -> ImportReport:
    """Validate and import a file; all-or-nothing. Raises :class:`ImportFailed`."""
    path = Path(path)
    problems: list[Problem] = []
    records = read_records(path, problems, max_bytes)
    with engine.connect() as conn:
        by_kpi: dict[str, int] = {}
        for ind_id, code, kpi in conn.execute(select(Indicator.id, Indicator.code, Indicator.kolada_kpi)):
            by_kpi[code] = ind_id
            if kpi:
                by_kpi[kpi] = ind_id
        county = conn.execute(select(Strategy.county_code).limit(1)).scalar()
        areas = {"0000"} | {c for (c,) in conn.execute(select(Municipality.code))}
        if county:
            areas.add("00" + county)
    report = ImportReport()
    seen: dict[tuple[str, str, int, str], str] = {}
    clean: list[Record] = []
    for rec in records:
        if rec.kpi not in by_kpi:
            problems.append(
                Problem(
                    rec.position,
                    "kpi",
                    f"unknown KPI {rec.kpi!r} (add the indicator first; "
                    f"known: {', '.join(sorted(k for k in by_kpi if k[:1] in 'NU'))})",
                )
            )
            continue
        if rec.area not in areas:
            if skip_unknown_areas:
                report.skipped_areas += 1
                continue
            problems.append(
                Problem(
                    rec.position,
                    "area",
                    f"unknown area {rec.area!r} (expected one of "
                    f"{', '.join(sorted(areas))}; --skip-unknown-areas skips others)",
                )
            )
            continue
        key = (rec.kpi, rec.area, rec.year, rec.gender)
        if key in seen:
            problems.append(
                Problem(
                    rec.position, "-", f"duplicate of {seen[key]} ({rec.kpi}, {rec.area}, {rec.year}, {rec.gender})"
                )
            )
            continue
        seen[key] = rec.position
        clean.append(rec)
    if problems:
        raise ImportFailed(str(path), problems)
    if not clean and not report.skipped_areas:
        raise ImportFailed(str(path), [Problem("file", "-", "no values found")])
    with engine.begin() as conn:
        existing = {
            (ind, area, year, gender): (vid, value)
            for vid, ind, area, year, gender, value in conn.execute(
                select(
                    IndicatorValue.id,
                    IndicatorValue.indicator_id,
                    IndicatorValue.area_code,
                    IndicatorValue.year,
                    IndicatorValue.gender,
                    IndicatorValue.value,
                ).where(IndicatorValue.indicator_id.in_({by_kpi[r.kpi] for r in clean}))
            )
        }
        inserts: list[dict] = []
        changed: set[int] = set()  # indicators with a new or changed value
        for rec in clean:
            ind = by_kpi[rec.kpi]
            report.indicators.add(rec.kpi)
            hit = existing.get((ind, rec.area, rec.year, rec.gender))
            if hit is None:
                changed.add(ind)
                report.created += 1
                inserts.append(
                    {
                        "indicator_id": ind,
                        "area_code": rec.area,
                        "year": rec.year,
                        "gender": rec.gender,
                        "value": rec.value,
                    }
                )
            elif abs(hit[1] - rec.value) > 1e-12:
                changed.add(ind)
                report.updated += 1
                if not dry_run:
                    conn.execute(
                        IndicatorValue.__table__.update().where(IndicatorValue.id == hit[0]).values(value=rec.value)
                    )
            else:
                report.unchanged += 1
        if inserts and not dry_run:
            conn.execute(IndicatorValue.__table__.insert(), inserts)
        if changed and not dry_run:  # the indicators' "last update" on the page
            from sqlalchemy import func, update

            conn.execute(update(Indicator).where(Indicator.id.in_(changed)).values(updated_at=func.now()))
        if dry_run:
            conn.rollback()
        elif report.created or report.updated:
            from ..models import AuditEvent

            summary = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
            conn.execute(
                AuditEvent.__table__.insert().values(
                    actor="import",
                    action="import-file",
                    entity="indicators",
                    entity_key=path.name[:100],
                    after_json=json.dumps(summary),
                )
            )
    if not dry_run:
        from ..cache import clear

        clear()
    return report

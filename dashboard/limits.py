"""Bounds on what one request may ask the server to do, checked before any work.

* Request bodies: a Dash callback request is at most :data:`MAX_CALLBACK_BYTES`
  (the filter store, a grid request and a few values fit in a few KB); only a
  logged-in user who may import gets the larger limit of the upload
  (``RUS_MAX_UPLOAD_MB``, base64 in JSON). Everything else answers 413.
* The project grid's request (AG Grid's ``filterModel`` and ``sortModel``) and the
  quick search: known columns only, at most :data:`MAX_FILTER_COLUMNS` column
  filters of at most :data:`MAX_CONDITIONS` conditions each, texts of at most
  :data:`MAX_TEXT` characters, numbers that are numbers, at most
  :data:`MAX_SORT_KEYS` sort keys. A request outside these bounds answers 400.

docs/security.md lists the values.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Flask
from werkzeug.exceptions import BadRequest

from .config import Settings

MAX_CALLBACK_BYTES = 256 * 1024
MAX_FILTER_COLUMNS = 12
MAX_CONDITIONS = 2
MAX_TEXT = 200
MAX_SORT_KEYS = 4
MAX_ROWS_PER_BLOCK = 1_000
TEXT_FILTERS = ("contains", "notContains", "equals", "notEqual", "startsWith", "endsWith", "blank", "notBlank")
NUMBER_FILTERS = (
    "equals",
    "notEqual",
    "lessThan",
    "lessThanOrEqual",
    "greaterThan",
    "greaterThanOrEqual",
    "inRange",
    "blank",
    "notBlank",
)


class RequestRefused(BadRequest):
    """A request outside the bounds: answered 400 with a short reason, before any query runs."""

    def __init__(self, reason: str) -> None:
        super().__init__(description=reason)


def init_limits(server: Flask, settings: Settings) -> None:
    """Refuse oversized callback bodies (413) before they are read."""
    from flask import jsonify, make_response, request

    from .auth import current_user

    @server.before_request
    def _bounded_body():
        if request.method != "POST" or not request.path.startswith("/_dash-"):
            return None
        size = request.content_length
        if size is None or size <= MAX_CALLBACK_BYTES:
            return None
        user = current_user()
        if user is not None and user.can_import() and size <= settings.max_upload_bytes * 2:
            return None
        return make_response(jsonify(error=f"request body larger than {MAX_CALLBACK_BYTES} bytes"), 413)


def _text(value: object, what: str) -> str:
    text = "" if value is None else str(value)
    if len(text) > MAX_TEXT:
        raise RequestRefused(f"{what} longer than {MAX_TEXT} characters")
    return text


def _number(value: object, what: str) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RequestRefused(f"{what} is not a number")
    if abs(value) > 1e15:
        raise RequestRefused(f"{what} is out of range")
    return value


def _condition(model: object, number: bool, what: str) -> dict[str, Any]:
    if not isinstance(model, dict):
        raise RequestRefused(f"{what} is not a filter")
    kind = model.get("type") or ("equals" if number else "contains")
    if kind not in (NUMBER_FILTERS if number else TEXT_FILTERS):
        raise RequestRefused(f"{what}: unknown filter type")
    out: dict[str, Any] = {"filterType": "number" if number else "text", "type": kind}
    if number:
        out["filter"] = _number(model.get("filter"), what)
        out["filterTo"] = _number(model.get("filterTo"), what)
    else:
        out["filter"] = _text(model.get("filter"), what)
    return out


def bounded_filter_model(model: object, columns: dict[str, bool]) -> dict[str, Any]:
    """A grid ``filterModel`` rebuilt from what is allowed (``columns``: name → is a number
    column), or :class:`RequestRefused`. Unknown keys are dropped, never passed on."""
    if model in (None, {}):
        return {}
    if not isinstance(model, dict) or len(model) > MAX_FILTER_COLUMNS:
        raise RequestRefused(f"at most {MAX_FILTER_COLUMNS} column filters")
    out: dict[str, Any] = {}
    for column, spec in model.items():
        if column not in columns:
            raise RequestRefused(f"no column {str(column)[:40]!r} to filter")
        number = columns[column]
        if isinstance(spec, dict) and "conditions" in spec:
            conditions = spec.get("conditions")
            if not isinstance(conditions, list) or not 1 <= len(conditions) <= MAX_CONDITIONS:
                raise RequestRefused(f"at most {MAX_CONDITIONS} conditions per column")
            operator = "OR" if str(spec.get("operator", "AND")).upper() == "OR" else "AND"
            out[column] = {
                "filterType": "number" if number else "text",
                "operator": operator,
                "conditions": [_condition(c, number, column) for c in conditions],
            }
        else:
            out[column] = _condition(spec, number, column)
    return out


def bounded_sort_model(model: object, columns: set[str]) -> tuple[tuple[str, str], ...]:
    """A grid ``sortModel`` as ((column, asc|desc), …), known columns only, or :class:`RequestRefused`."""
    if not model:
        return ()
    if not isinstance(model, list) or len(model) > MAX_SORT_KEYS:
        raise RequestRefused(f"at most {MAX_SORT_KEYS} sort keys")
    out = []
    for spec in model:
        column = spec.get("colId") if isinstance(spec, dict) else None
        if column not in columns:
            raise RequestRefused("unknown sort column")
        out.append((str(column), "desc" if spec.get("sort") == "desc" else "asc"))
    return tuple(out)


def bounded_rows(start: object, end: object, block: int) -> tuple[int, int]:
    """(start, end) of a grid block: whole numbers, at most :data:`MAX_ROWS_PER_BLOCK` rows."""
    try:
        first = max(0, int(start or 0))  # type: ignore[call-overload]
        last = int(end) if end is not None else first + block  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise RequestRefused("startRow and endRow must be whole numbers") from exc
    if first > 10**9 or last < first or last - first > MAX_ROWS_PER_BLOCK:
        raise RequestRefused(f"at most {MAX_ROWS_PER_BLOCK} rows per block")
    return first, last
